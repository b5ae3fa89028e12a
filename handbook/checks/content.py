"""Checks on chapter Markdown and on the HTML it becomes.

- Phone numbers and email addresses must come from data through macros, never be typed into a
  chapter, or they drift apart again (the problem this handbook exists to fix).
- HTML from content must not carry event handlers (on...=) or links with schemes other than
  https:, mailto: and tel:. Python-Markdown passes raw HTML and `javascript:` links through as
  written, so this is the only thing standing between a pasted snippet and the published site.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from handbook.findings import Finding

# Jinja spans, replaced by blank text of the same shape so line numbers stay right.
_TEMPLATE_SPAN = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
# A UK-style number: 0 or +44 and then 9 or 10 more digits, with spaces, brackets or hyphens.
# Our own pattern, not phonenumbers.PhoneNumberMatcher: the matcher only finds numbers that are
# valid, and a mistyped number typed into a chapter is exactly what must be caught.
_PHONE_LIKE = re.compile(r"(?<![\w/.#=%-])(?:\+44\s?\(?0?\)?\s?|\(?0)\d(?:[\s()-]{0,2}\d){8,9}(?![\w%])")
_EMERGENCY = re.compile(r"(?<![\w/.#=%-])999(?![\w%])")
_EMAIL = re.compile(r"[\w.+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")

ALLOWED_SCHEMES = {"https", "mailto", "tel"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "cite", "background"}


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def raw_contact_findings(markdown: str, src_path: str) -> list[Finding]:
    """Phone numbers and emails written straight into a chapter instead of through a macro."""
    text = _TEMPLATE_SPAN.sub(_blank, markdown)
    findings = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _PHONE_LIKE.finditer(line):
            findings.append(Finding(src_path, number,
                f'the phone number "{match.group(0).strip()}" is typed into the page. Numbers must '
                'come from data/contacts.yaml: write {{ phone("id") }} instead (see the phone ids in '
                "data/contacts.yaml)."))
        for _ in _EMERGENCY.finditer(line):
            findings.append(Finding(src_path, number,
                'the emergency number 999 is typed into the page. Write {{ phone("emergency") }} instead.'))
        for match in _EMAIL.finditer(line):
            findings.append(Finding(src_path, number,
                f'the email address "{match.group(0)}" is typed into the page. Addresses must come '
                'from data: write {{ email("id") }} or {{ person("id") }} instead.'))
    return findings


def link_problem(value: str) -> str | None:
    """Why a link target is not allowed, or None if it is fine."""
    cleaned = "".join(ch for ch in value if ch > " ").strip()
    if cleaned.startswith("//"):
        return f'"{value}" is a link to another site without https:. Write the full https:// address.'
    scheme = urlsplit(cleaned).scheme.lower()
    if not scheme or scheme in ALLOWED_SCHEMES:
        return None
    return (f'"{value}" uses the "{scheme}:" scheme. Links may only be https:, mailto:, tel:, a '
            "#section or a path inside the handbook.")


class _TagScanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[tuple[str, str, str]] = []  # (kind, text to find in the source, message)

    def handle_starttag(self, tag, attrs):
        if tag == "img" and not (dict(attrs).get("alt") or "").strip():
            src = dict(attrs).get("src") or ""
            # WCAG 1.1.1, and PDF/UA: every picture needs a text alternative.
            self.problems.append(("image-alt", src or "<img", f'an image ("{src}") has no alt text. Add a short '
                                  "description: ![What the picture shows](file.png)."))
        for name, value in attrs:
            if name.startswith("on"):
                message = f"<{tag}> has an event handler ({name}=). Scripts are not allowed in pages: remove it."
                self.problems.append(("unsafe-html", name, message))
            elif name in URL_ATTRIBUTES and value is not None:
                problem = link_problem(value)
                if problem:
                    self.problems.append(("unsafe-html", value, problem))
            elif name == "srcset" and value:
                for candidate in value.split(","):
                    problem = link_problem(candidate.strip().split(" ")[0])
                    if problem:
                        self.problems.append(("unsafe-html", candidate.strip(), problem))

    handle_startendtag = handle_starttag


def html_findings(html: str, markdown: str, src_path: str) -> list[tuple[str, Finding]]:
    """Event handlers and disallowed link schemes ("unsafe-html") and images without alt text
    ("image-alt") in a page's HTML, located in its Markdown source."""
    scanner = _TagScanner()
    scanner.feed(html)
    scanner.close()
    findings = []
    lines = markdown.splitlines()
    for kind, needle, message in scanner.problems:
        line = next((i for i, text in enumerate(lines, start=1) if needle.lower() in text.lower()), 1)
        findings.append((kind, Finding(src_path, line, message)))
    return findings


def unsafe_html_findings(html: str, markdown: str, src_path: str) -> list[Finding]:
    return [finding for _, finding in html_findings(html, markdown, src_path)]
