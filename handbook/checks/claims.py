"""Statements about the handbook's own state (reviewed, verified, published, approved) made only
from records.

A page may say that it was reviewed, that a detail was checked with its service, or who published
the handbook, only where an editor has recorded it: the front matter's owner, review_due and
last_reviewed, a data record's last_verified, and a published edition (`handbook publish`).
Render functions write those sentences from the records; a sentence typed into a page's Markdown
is a claim with no record behind it (the content review of 2026-12-07 found 33 pages stating a
review nobody planned, and an editors' page stating a colleague's review as done). Two checks:

- `markdown_claims`: in a page's own text (outside code, and the bold labels of the editors'
  form), any such statement, wherever it is (handbook check, and so every build);
- `site_claim_findings` and `claim_findings`: in the built pages, and in what the PDFs print
  besides them (cover, footers, quick reference, a chapter PDF's notice), a statement whose kind
  of record does not exist in this build (`unsupported_claims`; steps of every build).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from handbook.findings import Finding


@dataclass(frozen=True)
class Claim:
    kind: str  # the record that would support it
    pattern: re.Pattern
    what: str  # what the words claim, for the message
    shown_once: str = "The handbook keeps no record that could say so."  # what would make the handbook say it


# Each kind of statement, by the record that supports it. Worded as statements of fact: an editor's
# instruction ("set last_verified to the day you checked") names a field in code, not these words.
CLAIMS = (
    Claim("review_due", re.compile(r"\bnext (?:planned )?(?:review|update)\b[^.]{0,40}?\b(?:due|by)\b"
                                   r"|\breview(?:ed)? due by\b|\bnext planned update\b"
                                   r"|\bis reviewed (?:with|every|each|annually|yearly)\b", re.I),
          "when the handbook is next reviewed or updated",
          "A page shows its next review itself once its front matter has review_due."),
    Claim("last_reviewed", re.compile(r"\blast reviewed\b(?! or)|\bwas reviewed (?:on|by|in)\b", re.I),
          "that a page has been reviewed",
          "A page shows its last review itself once its front matter has last_reviewed."),
    Claim("last_verified", re.compile(r"\b(?:last )?verified (?:on|by|in|with)\b|\blast verified\b"
                                      r"|\bchecked with (?:the|its|their|each) service on\b"
                                      r"|\bconfirmed by the service\b", re.I),
          "that a detail was checked with its service",
          "A record shows when it was checked itself once it has last_verified."),
    Claim("published", re.compile(r"\bpublished by\b", re.I), "who published the handbook",
          "The handbook names its publisher itself once an edition is published (handbook publish)."),
    Claim("approved", re.compile(r"\b(?:this|the) (?:handbook|edition|page|chapter)\b[^.]{0,40}?"
                                 r"\b(?:approved|signed off|ratified|endorsed)\b", re.I),
          "that the handbook was approved"),
    Claim("process", re.compile(r"\breviewed by a colleague before\b|\bnothing reaches the handbook without\b"
                                r"|\bevery change is (?:checked|reviewed)[^.]{0,40}?\bbefore\b", re.I),
          "that every change is reviewed before practitioners see it"),
)

# Code spans and fenced code, Jinja, bold text (the editors' form's field labels, e.g. **Last
# verified**) and link targets: none of them is a statement.
_NOT_PROSE = re.compile(r"```.*?```|`[^`\n]*`|\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\*\*[^*\n]+\*\*|\]\([^)\n]*\)", re.S)


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def claims_in(text: str) -> list[tuple[Claim, str]]:
    """Every statement of the handbook's own state in `text`, with the words that make it."""
    return [(claim, match.group(0)) for claim in CLAIMS for match in claim.pattern.finditer(" ".join(text.split()))]


def markdown_claims(markdown: str) -> list[tuple[int, Claim, str]]:
    """(line, claim, words) for each statement typed into a page's Markdown."""
    prose = _NOT_PROSE.sub(_blank, markdown)
    return [(number, claim, match.group(0)) for number, line in enumerate(prose.splitlines(), start=1)
            for claim in CLAIMS for match in claim.pattern.finditer(line)]


def markdown_claim_message(claim: Claim, words: str) -> str:
    return (f'"{words}" states {claim.what}, typed into the page. A page says this only from a record, '
            "and the handbook writes it then itself: the front matter's review_due or last_reviewed, a "
            "data record's last_verified, or a published edition. Remove the words, or record it and "
            "let the page show it.")


@dataclass(frozen=True)
class Records:
    """Which kinds of record this build has, for the claims it may show."""

    review_due: bool
    last_reviewed: bool
    last_verified: bool
    published: bool

    def supports(self, kind: str) -> bool:
        return {"review_due": self.review_due, "last_reviewed": self.last_reviewed,
                "last_verified": self.last_verified, "published": self.published}.get(kind, False)


def unsupported_claims(text: str, records: Records) -> list[tuple[Claim, str]]:
    """The statements in a built page's `text` that no record of this build supports."""
    return [(claim, words) for claim, words in claims_in(text) if not records.supports(claim.kind)]


# The editors' form is the editors' own, as are the pages the build names (mkdocs.yml's
# not_in_nav), which explain these records: what practitioners read is every other page.
EDITORS_FORM = "admin/"
_SKIPPED = re.compile(r"<(script|style|template)\b.*?</\1>|<!--.*?-->", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def page_text(markup: str) -> str:
    """The words a reader sees in `markup`: no tags, attributes, scripts or comments."""
    return html.unescape(_TAG.sub(" ", _SKIPPED.sub(" ", markup)))


def site_claim_findings(site_dir: Path, records: Records, editors_pages: set[str],
                        data_files: dict[str, str]) -> list[Finding]:
    """Every built page a practitioner reads that states something about the handbook with no record
    of that kind in this build. A page's own Markdown is checked before (markdown_claims), so the
    words come from a data file's text or a template."""
    printed = {}
    for path in sorted(site_dir.rglob("*.html")):
        shown = path.relative_to(site_dir).as_posix()
        if not (shown.startswith(EDITORS_FORM) or shown in editors_pages):
            printed[shown] = path.read_text(encoding="utf-8")
    return claim_findings(printed, records, data_files)


def claim_findings(printed: dict[str, str], records: Records, data_files: dict[str, str]) -> list[Finding]:
    """Each statement about the handbook with no record of its kind in `printed` (HTML, by where it
    is shown: a built page, or what the PDFs print besides the pages, from
    handbook.pdf.build.printed_furniture). Words an editor typed into a data file (`data_files`,
    display path to text) are reported at that file and line, where they can be changed; others
    come from a template, and are reported where they are shown."""
    found, seen = [], set()
    for where, markup in printed.items():
        for claim, words in unsupported_claims(page_text(markup), records):
            file, line = _typed_in(words, data_files) or (where, 1)
            if (file, line, words.lower()) in seen:  # the same words shown in two places: one mistake
                continue
            seen.add((file, line, words.lower()))
            fix = "Remove these words from here." if file != where else \
                "The words come from a template: show them only where the record is."
            found.append(Finding(file, line, f'{where} says "{words}", which states {claim.what}, but no '
                                             f"record of this build says so. {claim.shown_once} {fix}"))
    return found


def _typed_in(words: str, data_files: dict[str, str]) -> tuple[str, int] | None:
    pattern = re.compile(r"\s+".join(map(re.escape, words.split())), re.I)
    for file, text in sorted(data_files.items()):
        if match := pattern.search(text):
            return file, text.count("\n", 0, match.start()) + 1
    return None
