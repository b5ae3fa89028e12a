"""Checks on chapter Markdown and on the HTML it becomes.

- Phone numbers and email addresses must come from data through macros, never be typed into a
  chapter, or they drift apart again (the problem this handbook exists to fix).
- HTML from content must not carry event handlers (on...=) or links with schemes other than
  https:, mailto: and tel:. Python-Markdown passes raw HTML and `javascript:` links through as
  written, so this is the only thing standing between a pasted snippet and the published site.
"""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from handbook.cache import Memo
from handbook.data.phones import typed_emergency_numbers, typed_numbers
from handbook.findings import Finding

# Jinja spans, replaced by blank text of the same shape so line numbers stay right.
_TEMPLATE_SPAN = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_EMAIL = re.compile(r"[\w.+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")

ALLOWED_SCHEMES = {"https", "mailto", "tel"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "cite", "background"}


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def raw_contact_findings(markdown: str, src_path: str, region: str | None) -> list[Finding]:
    """Phone numbers and emails written straight into a chapter instead of through a macro. Numbers
    are those of `region` (site.yaml's phone_region: handbook.data.phones.typed_numbers), mistyped
    ones too; with no region the data check can use (it says why), only emails are looked for."""
    text = _TEMPLATE_SPAN.sub(_blank, markdown)
    findings = []
    for number, line in enumerate(text.splitlines(), start=1):
        for typed in typed_numbers(line, region) if region else []:
            findings.append(Finding(src_path, number,
                f'the phone number "{typed}" is typed into the page. Numbers must '
                'come from data/contacts.yaml: write {{ phone("id") }} instead (see the phone ids in '
                "data/contacts.yaml)."))
        for typed in typed_emergency_numbers(line, region) if region else []:
            findings.append(Finding(src_path, number,
                f'the emergency number {typed} is typed into the page. Write {{{{ phone("id") }}}} instead, with '
                'the id of its phone in data/contacts.yaml (the phone with kind: "emergency").'))
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


# Words that say a picture is there but not what it shows.
_EMPTY_ALT_WORDS = {"image", "picture", "photo", "photograph", "screenshot", "img"}


def alt_text_problem(alt: str, src: str) -> str | None:
    """Why a picture's alt text tells a reader who cannot see it nothing, or None. WCAG 1.1.1, and
    PDF/UA: every picture needs a text alternative, and a file name is not one. The editors' form
    gives the same messages (handbook/editors/assets/checks.js altTextMessage)."""
    words = " ".join(alt.split())
    if not words:
        return f'an image ("{src}") has no alt text. Add a short description: ![What the picture shows](file.png).'
    name = posixpath.basename(urlsplit(src).path)
    stem = name.rsplit(".", 1)[0] if "." in name else name

    def plain(text: str) -> str:  # "Levels_of-need" and "levels of need" say the same
        return " ".join(re.sub(r"[-_]+", " ", text).lower().split())

    if plain(words) in {plain(name), plain(stem)} | _EMPTY_ALT_WORDS:
        return (f'the alt text of an image ("{src}") is only "{words}", which does not say what it shows. '
                "Describe the picture for someone who cannot see it: ![What the picture shows](file.png).")
    return None


class _TagScanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[tuple[str, str, str]] = []  # (kind, text to find in the source, message)

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            src = dict(attrs).get("src") or ""
            problem = alt_text_problem(dict(attrs).get("alt") or "", src)
            if problem:
                self.problems.append(("image-alt", src or "<img", problem))
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


def unsafe_html_findings(html: str, markdown: str, src_path: str, memo: Memo | None = None) -> list[Finding]:
    """html_findings() without their kinds; with a `memo`, remembered by the page's HTML and source,
    since the build scans every page's HTML on every rebuild and most have not changed."""
    if memo is None:
        return [finding for _, finding in html_findings(html, markdown, src_path)]
    rows = memo.remember("page-html", (html, markdown, src_path), _unsafe_html_rows, html, markdown, src_path)
    return [Finding(*row) for row in rows]


def _unsafe_html_rows(html: str, markdown: str, src_path: str) -> list[list]:
    return [[f.file, f.line, f.message, f.field] for _, f in html_findings(html, markdown, src_path)]
