"""`handbook check`: every content and data check, without building the site.

Each finding is `file:line: error|warning: message`, in plain English with how to fix it. Errors
stop a build and fail the check; warnings are for editors to act on (`--strict` makes them errors).

The checks, by the name the editor guide lists them under:

- data: the data files against their schemas, ids, references and allowed email domains (error)
- macro-call: a page's call of a render function that cannot work: an unknown id, wrong arguments,
  a misspelt macro, or {{ }} that are not closed (error; the build would stop at the same call)
- front-matter: every page's owner and review dates, and no review recorded ahead of today (error)
- contents: every page's place in the contents (its section and order): a section that exists, no
  two pages in one place, no page in no section; and no section without pages (warning)
- review-due: pages past review_due and records not verified within the review cycle (warning)
- example-record: records and pages `handbook new` wrote as examples, not yet replaced (warning;
  publishing an edition refuses them)
- schema-copy: a project's copy of a data file's schema (data/schema/) that is not the engine's (warning)
- unused-record: data records no page shows, so nobody reading keeps them right (warning)
- typed-contact: phone numbers or email addresses typed into a page instead of a macro (error)
- internal-link: links to pages or images that do not exist, or to headings a page does not have;
  pictures from another site, of a kind other than PNG, JPEG, GIF or WebP, or over 500 KB (error)
- unsafe-html: links with a scheme other than https:, mailto: or tel:, and HTML with scripts (error)
- image-alt: images without alt text, or whose alt text is only the file name (error)
- heading-level: headings that skip a level, e.g. from ## straight to #### (warning)
- long-sentence: sentences over 35 words, hard to take in mid-visit; quotations are left alone (warning)
- undefined-abbreviation: abbreviations in pages that the glossary does not define (warning)
- spelling: common misspellings in pages and data, found by codespell; words it wrongly flags
  (CAF, the consent form's "co-ordinate") are listed in data/allowed-spellings.txt (warning)
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import jinja2
import markdown
from bs4 import BeautifulSoup
from markdown.extensions.toc import slugify

from handbook.cache import Memo
from handbook.checks.claims import markdown_claim_message, markdown_claims
from handbook.checks.content import html_findings, raw_contact_findings
from handbook.checks.kinds import ERROR, LONG_SENTENCE_WORDS, WARNING
from handbook.checks.usage import LISTED_BY, RecordingHandbook, note_every_page
from handbook.data.contents import read_contents, withdrawn_of
from handbook.data.load import load_handbook
from handbook.data.records import Handbook
from handbook.data.reviews import chapter_reviews, overdue, page_in_layout, split_front_matter, today
from handbook.data.validation import DATA_FILES, ENGINE_SCHEMAS, layouts, phone_region, schema_dir
from handbook.data.yaml_format import first_difference, format_data
from handbook.data.yaml_source import YamlSourceError, load_yaml_text
from handbook.editions.edition import current_edition
from handbook.findings import Finding, HandbookError
from handbook.parallel import start_in_processes
from handbook.project import not_in_nav_rule, project_settings
from handbook.rendering.macro_calls import MacroCallError, calls_in, invoke, unknown_names
from handbook.rendering.render import Links

ALLOWED_SPELLINGS = "allowed-spellings.txt"
_CODESPELL_LINE = re.compile(r"^(.+?):(\d+): (.+?) ==> (.+)$")

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_EXPLICIT_ID = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}\s*$")
# The pictures a page may show: kinds every browser and WeasyPrint show, with no scripts in them;
# and at most this size, since practitioners read on phones with poor signal (the editors' guide
# gives the limit). A screenshot saved as PNG, or a photo saved as JPEG for the screen, fits in it.
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
MAX_IMAGE_BYTES = 500_000
_LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_ABBREVIATION = re.compile(r"\b[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*s?\b|\b[A-Z]{2,}s?\b")
_SPELT_OUT = re.compile(r"\b[A-Za-z][a-z'’]+(?:\s+[A-Za-z'’()-]+){0,8}\s+\(([A-Z][A-Z0-9]+)\)")
_EXTENSIONS = ["abbr", "admonition", "attr_list", "tables", "pymdownx.details", "pymdownx.superfences",
               "pymdownx.tabbed", "pymdownx.tasklist"]


@dataclass(frozen=True, order=True)
class CheckFinding:
    finding: Finding
    severity: str
    check: str

    def __str__(self) -> str:
        f = self.finding
        where = f"{f.field}: " if f.field else ""
        return f"{f.file}:{f.line}: {self.severity}: {where}{f.message}"


def _lines_outside_code(text: str):
    """(line number, line) for each line of Markdown that is not inside a fenced code block."""
    fenced = False
    for number, line in enumerate(text.splitlines(), start=1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line


def _anchors(text: str) -> set[str] | None:
    """The ids of a page's headings, or None when macros may add more than the Markdown shows."""
    if _MACRO.search(split_front_matter(text)[1]):
        return None  # generated content: the build checks these anchors once it exists
    ids = set()
    for _, line in _lines_outside_code(text):
        heading = _HEADING.match(line)
        if heading:
            explicit = _EXPLICIT_ID.search(heading.group(2))
            ids.add(explicit.group(1) if explicit else slugify(_EXPLICIT_ID.sub("", heading.group(2)), "-"))
    return ids


def _start_page_text_checks(docs: Path, docs_dir: str, uris: list[str], known_abbreviations: set[str] | None,
                            region: str | None, memo: Memo) -> Callable[[], dict[str, list[CheckFinding]]]:
    """Every page's own checks (_page_text_checks), remembered by the page's text; those not
    remembered are shared out among processes that work beside the rest of the checks (on a cold
    build of a big handbook they are most of its time). The function returned gives each page's
    findings."""
    texts = {uri: (docs / uri).read_text(encoding="utf-8") for uri in uris}
    known = sorted(known_abbreviations) if known_abbreviations is not None else None
    parts = {uri: (f"{docs_dir}/{uri}", texts[uri], known, region) for uri in uris}

    def start(missing: list[str]) -> Callable[[], dict[str, list[list]]]:
        results = start_in_processes(_page_text_checks, [(texts[uri], f"{docs_dir}/{uri}", known_abbreviations,
                                                          region) for uri in missing])
        return lambda: dict(zip(missing, results(), strict=True))

    finish = memo.remember_many_started("page", parts, start)
    return lambda: {uri: _decode(rows) for uri, rows in finish().items()}


def _page_links(docs_dir: Path, uri: str, shown: str) -> list[CheckFinding]:
    """The page's links to other pages, headings and pictures: checked afresh every time, since they
    depend on other pages, which may have changed."""
    text = (docs_dir / uri).read_text(encoding="utf-8")
    if withdrawn_of(text) is not None:
        return []  # its text is no longer published: only its notice is, which links nothing of its own
    found = []
    for number, line in _lines_outside_code(text):
        for bang, _, target in _LINK.findall(_MACRO.sub("", line)):
            problem = _link_problem(docs_dir, uri, target, text, image=bool(bang))
            if problem:
                found.append(CheckFinding(Finding(shown, number, problem), ERROR, "internal-link"))
    return found


def _page_text_checks(text: str, shown: str, known_abbreviations: set[str] | None, region: str | None) -> list[list]:
    """The checks of a page that read nothing but its own text (and the glossary's abbreviations and
    the phone region), encoded for the memo."""
    found = [CheckFinding(f, ERROR, "typed-contact") for f in raw_contact_findings(text, shown, region)]
    found += [CheckFinding(Finding(shown, number, markdown_claim_message(claim, words)), ERROR, "unsupported-claim")
              for number, claim, words in markdown_claims(text)]
    previous_level = 0
    for number, line in _lines_outside_code(text):
        heading = _HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            if previous_level and level > previous_level + 1:
                found.append(CheckFinding(Finding(shown, number, f'the heading "{heading.group(2)}" jumps from level '
                                                  f"{previous_level} to level {level}. Use level {previous_level + 1} "
                                                  f"({'#' * (previous_level + 1)})."), WARNING, "heading-level"))
            previous_level = level
    html = markdown.markdown(_MACRO.sub("", split_front_matter(text)[1]), extensions=_EXTENSIONS)
    # The build runs the same scan over the page's HTML (content_checks.py): one message for one problem.
    found += [CheckFinding(finding, ERROR, kind) for kind, finding in html_findings(html, text, shown)]
    found += _prose_checks(html, text, shown, known_abbreviations)
    return _encode(found)


def _encode(findings: list[CheckFinding]) -> list[list]:
    return [[f.finding.file, f.finding.line, f.finding.message, f.finding.field, f.severity, f.check] for f in findings]


def _decode(rows: list[list]) -> list[CheckFinding]:
    return [CheckFinding(Finding(file, line, message, field), severity, check)
            for file, line, message, field, severity, check in rows]


def _image_file_problem(target: str, path: Path) -> str | None:
    """Why a picture the page shows cannot be one of the handbook's own, or None."""
    if path.suffix.lower() not in IMAGE_TYPES:
        return (f'the picture "{target}" is not a PNG, JPEG, GIF or WebP file, the kinds a page can show. Save '
                "it as one of those (an SVG, for one, can carry scripts).")
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return (f'the picture "{target}" is {size // 1000} KB, more than the {MAX_IMAGE_BYTES // 1000} KB a picture '
                "may be: readers on a phone with poor signal wait for it. Save it smaller (as a JPEG for a photo, "
                "or with fewer pixels).")
    return None


def _link_problem(docs_dir: Path, uri: str, target: str, own_text: str, image: bool = False) -> str | None:
    parsed = urlparse(target)
    if image and (parsed.scheme or target.startswith("//")) and parsed.scheme != "data":
        return (f'the picture "{target}" is on another site. Readers without signal, and the PDF, would not have '
                "it, and that site would see who reads the page. Upload the picture to the handbook (in the "
                "editors' form: Media) and show it from there.")
    if parsed.scheme or target.startswith("//") or not target:
        return None  # addresses outside the site: the unsafe-html check judges their schemes
    path, anchor = unquote(parsed.path), parsed.fragment
    if path:
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(uri), path))
        page = docs_dir / resolved
        if resolved.startswith("../") or not page.is_file():
            if image:
                return f'the image "{target}" does not exist. Check the file name, or add the picture to docs/.'
            return f'the link to "{target}" points to a page that does not exist. Check the file name.'
        if image:
            return _image_file_problem(target, page)
        if not page.suffix == ".md":
            return None
        text = page.read_text(encoding="utf-8")
        withdrawn = withdrawn_of(text)
        if withdrawn is not None:
            instead = withdrawn.get("replaced_by")
            where = (f"Link to the chapter that replaces it ({instead}.md) instead, or take the link out."
                     if isinstance(instead, str) and instead
                     else "Take the link out, or link to the guidance that applies now.")
            return (f'the link to "{target}" points to a chapter that was withdrawn on {withdrawn.get("date")}: '
                    f"readers would find only the notice that it was withdrawn. {where}")
        if not anchor:
            return None
    else:
        text = own_text
    anchors = _anchors(text)
    if anchor and anchors is not None and anchor not in anchors:
        return (f'the link to "{target}" points to a heading that page does not have (#{anchor}). '
                "Check the part after #.")
    return None


def _prose_checks(html: str, text: str, shown: str, known_abbreviations: set[str] | None) -> list[CheckFinding]:
    """Long sentences and undefined abbreviations, in the page's text as readers see it. Without the
    glossary (data that cannot be read), abbreviations are not checked."""
    lines = text.splitlines()
    soup = BeautifulSoup(html, "html.parser")
    for code in soup.find_all(["code", "pre"]):
        code.decompose()
    found = []
    # An abbreviation the page spells out ("Equality Advisory and Support Service (EASS)") is defined
    # there, for every use on the page.
    seen = set(_SPELT_OUT.findall(" ".join(soup.get_text(" ").split())))
    for block in soup.find_all(["p", "li", "td", "th", "dd", "h1", "h2", "h3", "h4", "h5", "h6"]):
        if block.find(["p", "ul", "ol"]):  # a list item holding paragraphs: check those instead
            continue
        words = " ".join(block.get_text(" ").split())
        quoted = block.find_parent("blockquote") is not None  # a source's own words cannot be reworded
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z\"'(])", words):
            count = len(sentence.split())
            if count > LONG_SENTENCE_WORDS and not quoted:
                found.append(CheckFinding(Finding(shown, _line_of(lines, sentence), f"this sentence has {count} "
                                                  f'words ("{" ".join(sentence.split()[:6])} ..."). Split it into '
                                                  f"sentences of {LONG_SENTENCE_WORDS} words or fewer."),
                                          WARNING, "long-sentence"))
        for abbreviation in _ABBREVIATION.findall(words) if known_abbreviations is not None else ():
            single = abbreviation[:-1] if abbreviation.endswith("s") and abbreviation[:-1].isupper() else abbreviation
            if single in known_abbreviations or abbreviation in known_abbreviations or single in seen:
                continue
            seen.add(single)
            found.append(CheckFinding(Finding(shown, _line_of(lines, single), f'"{single}" is not in the glossary. '
                                              "Add it to data/glossary.yaml, or write it out in full on the page "
                                              f"followed by ({single})."),
                                      WARNING, "undefined-abbreviation"))
    return found


def _line_of(lines: list[str], text: str) -> int:
    """The first source line holding the start of `text` (rendered text loses its line numbers)."""
    probe = " ".join(text.split()[:4])
    for number, line in enumerate(lines, start=1):
        if probe and probe in " ".join(line.split()):
            return number
    first = text.split()[0] if text.split() else ""
    for number, line in enumerate(lines, start=1):
        if first and re.search(rf"\b{re.escape(first)}\b", line):
            return number
    return 1


def run_checks(project_dir: Path, docs_dir: str = "docs", data_dir: str = "data",
               exempt: tuple[str, ...] = (), memo: Memo | None = None,
               handbook: Handbook | None = None, not_in_nav=None) -> list[CheckFinding]:
    """Every check over the project; findings sorted by file and line. `handbook` is the project's
    data if the caller has loaded it already (the build has); `not_in_nav`, mkdocs.yml's setting of
    that name as text or as MkDocs compiled it (read from the project's mkdocs.yml when not given).

    Every finding comes out of one run. Data that cannot be loaded is reported with the rest: the
    pages are still checked, except for what needs the data (macro calls, records no page shows,
    abbreviations the glossary defines), which waits until the data can be read."""
    project_dir = Path(project_dir).resolve()
    docs = project_dir / docs_dir
    memo = memo or Memo()
    spelling = _start_spelling(project_dir, docs_dir, data_dir, memo)
    found: list[CheckFinding] = []
    try:
        hb = handbook or load_handbook(project_dir / data_dir, display_root=project_dir)
    except HandbookError as err:
        hb = None
        found += [CheckFinding(f, ERROR, "data") for f in err.findings]
    uris = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    reviewed = [uri for uri in uris if uri not in exempt]
    reviews, problems = chapter_reviews(docs, reviewed, docs_dir)
    found += [CheckFinding(f, ERROR, "front-matter") for f in problems]
    day = today()
    # A review is recorded on the day it took place, never ahead of it.
    found += [CheckFinding(Finding(r.file, r.reviewed_line, f"last_reviewed ({r.last_reviewed.isoformat()}) is after "
                                   f"today ({day.isoformat()}). Record a review on the day it has taken place.",
                                   "last_reviewed"), ERROR, "front-matter")
              for r in reviews if r.last_reviewed and r.last_reviewed > day]
    late = (overdue([*reviews, *hb.record_reviews], day, hb.review_policy) if hb
            else [r for r in reviews if r.due and r.due < day])
    found += [CheckFinding(Finding(r.file, r.line, f"{r.describe()} was due for review by {r.due.isoformat()}. "
                                   "Review it, then update its date."), WARNING, "review-due")
              for r in late]
    found += _example_pages(docs, docs_dir, uris)
    # The country of the phone numbers typed into a page: read on its own when other data is wrong.
    region = hb.phone_region if hb else phone_region(project_dir / data_dir)
    known = {t.abbreviation for t in hb.terms if t.abbreviation} | set(hb.allowed_capitals) if hb else None
    page_text = _start_page_text_checks(docs, docs_dir, uris, known, region, memo)
    found += [finding for uri in uris for finding in _page_links(docs, uri, f"{docs_dir}/{uri}")]
    if hb is None:
        return sorted(found + [f for page in page_text().values() for f in page] + spelling()
                      + _layout(project_dir, data_dir, memo) + _page_layout(docs, docs_dir, uris)
                      + _schema_copies(project_dir, data_dir))
    found += _contents(project_dir, docs, docs_dir, uris, hb, not_in_nav)
    recorder = RecordingHandbook(hb)
    note_every_page(recorder)
    # What the build passes a render function, as far as a check without a build knows it: links
    # are not followed here, and the amendments (from git) list no records.
    injected = {"links": lambda: Links(lambda page, anchor="": "#"), "chapters": lambda: reviews,
                "day": lambda: day, "history": list, "pages": lambda: set(uris),
                "edition": lambda: current_edition(project_dir), "live_url": lambda: hb.publication.live_url}
    for uri in uris:
        found += _macro_calls(docs / uri, f"{docs_dir}/{uri}", recorder, injected)
    found += [f for page in page_text().values() for f in page]
    found += [CheckFinding(Finding(r.file, r.first_line, f'"{r.name}" in the {r.section} list is not shown on any '
                                   f"page. {LISTED_BY[r.kind, r.section]}. If it is no longer needed, remove it."),
                           WARNING, "unused-record")
              for r in hb.record_reviews if not recorder.shows(r.kind, r.section, r.name)]
    found += [CheckFinding(Finding(e.where.rsplit(":", 1)[0], int(e.where.rsplit(":", 1)[1]),
                                   f'"{e.record_id}" in {e.section} is an example that `handbook new` wrote. '
                                   "Replace it with your partnership's own, then delete `example: true`."),
                           WARNING, "example-record") for e in hb.examples]
    found += spelling()
    return sorted(found + _layout(project_dir, data_dir, memo) + _page_layout(docs, docs_dir, uris)
                  + _schema_copies(project_dir, data_dir))


def _contents(project_dir: Path, docs: Path, docs_dir: str, uris: list[str], hb: Handbook,
              not_in_nav) -> list[CheckFinding]:
    if not_in_nav is None and (project_dir / "mkdocs.yml").is_file():
        not_in_nav = project_settings(project_dir)[0].get("not_in_nav")
    _, errors, warnings = read_contents(docs, docs_dir, uris, hb.sections, not_in_nav_rule(not_in_nav))
    return ([CheckFinding(f, ERROR, "contents") for f in errors]
            + [CheckFinding(f, WARNING, "contents") for f in warnings])


_EXAMPLE_LINE = re.compile(r"^example:\s*true\s*$", re.M)


def _example_pages(docs: Path, docs_dir: str, uris: list[str]) -> list[CheckFinding]:
    """Pages whose front matter marks them as `handbook new`'s examples."""
    found = []
    for uri in uris:
        front, _ = split_front_matter((docs / uri).read_text(encoding="utf-8"))
        match = _EXAMPLE_LINE.search(front or "")
        if match:
            line = front.count("\n", 0, match.start()) + 2
            found.append(CheckFinding(Finding(f"{docs_dir}/{uri}", line, "this page is an example that `handbook new` "
                                              "wrote. Rewrite it for your partnership, then delete `example: true`."),
                                      WARNING, "example-record"))
    return found


def _layout(project_dir: Path, data_dir: str, memo: Memo) -> list[CheckFinding]:
    """Each data file that can be read but is not in the layout `handbook format` writes."""
    found = []
    all_layouts = layouts(project_dir / data_dir)
    schemas = sorted((p.name, p.read_text(encoding="utf-8")) for p in schema_dir(project_dir / data_dir).glob("*.json"))
    for name, layout in all_layouts.items():
        path = project_dir / data_dir / DATA_FILES[name]
        shown = f"{data_dir}/{DATA_FILES[name]}"
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # reported by the data check
        line = memo.remember("data-layout", (shown, text, name, schemas), _layout_difference, text, shown, layout)
        if line is not None:
            found.append(CheckFinding(Finding(shown, line, "from this line on, the file is not in the handbook's "
                                              "layout. Run `handbook format` to write it so (it changes no value)."),
                                      ERROR, "data-layout"))
    return found


def _layout_difference(text: str, shown: str, layout) -> int | None:
    """The first line where `text` differs from the layout, or None (also for text that is not YAML,
    which the data check reports)."""
    try:
        data, _ = load_yaml_text(text, shown)
    except YamlSourceError:
        return None
    expected = format_data(data, layout)
    return None if text == expected else first_difference(text, expected)


def _schema_copies(project_dir: Path, data_dir: str) -> list[CheckFinding]:
    """A project's copies of the data files' schemas (data/schema/, which `handbook new` writes for
    editors' tools) that are not the engine's. The checks and the editors' form follow a project's
    copies, so after an engine upgrade an old copy would keep the old rules."""
    own = project_dir / data_dir / "schema"
    if not own.is_dir() or own.resolve() == ENGINE_SCHEMAS.resolve():
        return []
    return [CheckFinding(Finding(f"{data_dir}/schema/{schema.name}", 1, "this copy is not the engine's schema, so "
                                 "the checks and the editors' form still follow it. Run `handbook new "
                                 "--schemas-only .` to copy the engine's schemas here, then `handbook format`."),
                         WARNING, "schema-copy")
            for schema in sorted(ENGINE_SCHEMAS.glob("*.schema.json"))
            if (own / schema.name).is_file() and (own / schema.name).read_bytes() != schema.read_bytes()]


def _page_layout(docs: Path, docs_dir: str, uris: list[str]) -> list[CheckFinding]:
    """Each page whose front matter is not in the layout `handbook format` (and the form) writes."""
    found = []
    for uri in uris:
        shown = f"{docs_dir}/{uri}"
        text = (docs / uri).read_text(encoding="utf-8")
        expected = page_in_layout(text, shown)
        if expected is not None and text != expected:
            found.append(CheckFinding(Finding(shown, first_difference(text, expected), "from this line on, the "
                                              "front matter is not in the handbook's layout. Run `handbook format` "
                                              "to write it so (it changes no value)."), ERROR, "data-layout"))
    return found


def _macro_calls(path: Path, shown: str, recorder: RecordingHandbook, injected: dict) -> list[CheckFinding]:
    """Make each of the page's macro calls as the build will, noting the records they show."""
    text = path.read_text(encoding="utf-8")
    try:
        calls = calls_in(text)
    except jinja2.TemplateSyntaxError as err:
        recorder.use_everything()  # what the page shows is unknown until it can be read
        return [CheckFinding(Finding(shown, err.lineno, f"the page's {{{{ }}}} or {{% %}} cannot be read "
                                     f"({err.message}). Check that every {{{{ has its }}}} and every {{% its %}}."),
                             ERROR, "macro-call")]
    found = [CheckFinding(Finding(shown, line, message), ERROR, "macro-call") for line, message in unknown_names(text)]
    for call in calls:
        if not call.constant:
            recorder.use_everything()
            continue
        try:
            invoke(recorder, call.name, call.args, dict(call.kwargs), injected)
        except MacroCallError as err:
            found.append(CheckFinding(Finding(shown, call.line, str(err)), ERROR, "macro-call"))
    return found


def _start_spelling(project_dir: Path, docs_dir: str, data_dir: str, memo: Memo) -> Callable[[], list[CheckFinding]]:
    """codespell over the pages and data files (its list of common misspellings, not a dictionary:
    it rarely flags a correct word, which matters when editors are told to act on every warning).
    Run only over the files whose text, or the allowed spellings, changed since it last read them.

    Started first and finished last: codespell is a process of its own (loading its word list is
    most of its time), which goes on beside the other checks. The function returned gives the
    findings."""
    targets = [p.relative_to(project_dir).as_posix()
               for p in sorted([*(project_dir / docs_dir).rglob("*.md"), *(project_dir / data_dir).glob("*.yaml")])]
    allowed = project_dir / data_dir / ALLOWED_SPELLINGS
    allowed_words = allowed.read_text(encoding="utf-8") if allowed.is_file() else None
    parts = {target: (target, hashlib.sha256((project_dir / target).read_bytes()).hexdigest(), allowed_words, data_dir)
             for target in targets}
    finish = memo.remember_many_started("spelling", parts,
                                        lambda names: _start_codespell(project_dir, names, allowed, data_dir))
    def findings() -> list[CheckFinding]:
        results = finish()
        return _decode([row for target in targets for row in results[target]])

    return findings


def _start_codespell(project_dir: Path, targets: list[str], allowed: Path,
                     data_dir: str) -> Callable[[], dict[str, list[list]]]:
    command = [sys.executable, "-m", "codespell_lib", *targets]
    if allowed.is_file():
        command[3:3] = ["--ignore-words", str(allowed)]
    process = subprocess.Popen(command, cwd=project_dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return lambda: _codespell_findings(process, targets, data_dir)


def _codespell_findings(process: subprocess.Popen, targets: list[str], data_dir: str) -> dict[str, list[list]]:
    stdout, stderr = process.communicate()
    if process.returncode not in (0, 65):  # 65: misspellings found; anything else is codespell failing
        raise RuntimeError(f"codespell could not check the spelling: {stderr.strip() or process.returncode}")
    found: dict[str, list[CheckFinding]] = {target: [] for target in targets}
    for line in stdout.splitlines():
        match = _CODESPELL_LINE.match(line)
        if match:
            file, number, word, suggestion = match.groups()
            found[file].append(CheckFinding(Finding(file, int(number), f'"{word}" may be misspelt: did you mean '
                                                    f'"{suggestion}"? If it is right, add it to '
                                                    f"{data_dir}/{ALLOWED_SPELLINGS}."), WARNING, "spelling"))
    return {target: _encode(findings) for target, findings in found.items()}
