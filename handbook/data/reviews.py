"""Review governance: who owns each chapter and record, when it is due, and when it was last checked.

Chapters carry it in their front matter, each field only once an editor has a record of it:
owner, review_due (a review the partnership has planned) and last_reviewed (a review that has
really taken place). A page may say nothing about its own review that no record shows, so none of
them is required, and a chapter without them has no review line at all. They are checked here
against a JSON Schema with line numbers, like the data files.

Data records are the same: `last_verified` is the day an editor checked the record with the service
itself, and is left out until someone has, so a record typed in from a source document says so
("not yet checked") rather than carrying the day it was typed. A checked record is due again
`cycle_months` later, only where data/site.yaml sets a cycle. A record with `needs_confirmation` is
waiting for the service, whatever its dates say. Each item with a due date is current, due soon or
overdue on a given day: the editors' document control page lists them all, a normal build warns
about overdue ones and `handbook publish` refuses to publish while any is overdue.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import jsonschema

from handbook.data.decisions import Decision
from handbook.data.validation import FORMATS, plain_message
from handbook.data.yaml_format import format_front_matter
from handbook.data.yaml_source import LoadedFile, YamlSourceError, load_yaml_text
from handbook.findings import Finding, field_path

CURRENT, DUE_SOON, OVERDUE, NOT_SET = "current", "due soon", "overdue", "not set"
# Records only: typed in from a source and not yet checked with the service; or waiting for the
# service to confirm what the sources leave in doubt (needs_confirmation).
NOT_CHECKED, NEEDS_CONFIRMATION = "not yet checked", "needs confirmation"
STATES = (OVERDUE, NEEDS_CONFIRMATION, DUE_SOON, CURRENT, NOT_SET, NOT_CHECKED)  # the order editors see
# The lists of records in the data files that state a fact about a service, and so are checked with
# it: (data file, list). Settings blocks and the search aids (search.yaml) are not.
RECORD_LISTS = (
    ("contacts", "topics"), ("contacts", "contacts"), ("coordinators", "localities"), ("coordinators", "people"),
    ("thresholds", "levels"), ("training", "booking"), ("training", "courses"), ("timeframes", "timeframes"),
    ("glossary", "terms"), ("family_outcomes", "outcomes"), ("commitments", "commitments"),
)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.S)
_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)


@dataclass(frozen=True)
class ReviewPolicy:
    cycle_months: int | None  # None: the partnership has set no cycle, so a checked record is never due
    due_soon_days: int


@dataclass(frozen=True)
class Review:
    """One chapter or data record and its review dates."""

    kind: str  # "chapter", or the data file's name for a record
    name: str  # the chapter's title, or the record's id
    where: str  # file:line, for editors
    owner: str  # "" when no record names one
    last_reviewed: dt.date | None  # None: no review (a record: no check with the service) recorded yet
    due: dt.date | None  # None: no review is planned (no review_due, or no cycle for a record)
    src_uri: str = ""  # chapters: the page, for links
    changes: str = ""  # chapters: the editor's note of what changed in this edition, if any
    section: str = ""  # records: the list in the data file that holds it, e.g. "people"
    first_line: int = 0  # records: the line the record starts on
    reviewed_line: int = 0  # chapters: the line of last_reviewed, when there is one
    source: str = ""  # records: the source document it was typed in from, e.g. "003 (MASH)"
    needs_confirmation: str = ""  # records: what the service still has to confirm
    decisions: tuple[Decision, ...] = ()  # chapters: the front matter's decisions about its sources

    @property
    def file(self) -> str:
        return self.where.rsplit(":", 1)[0]

    @property
    def line(self) -> int:
        return int(self.where.rsplit(":", 1)[1])

    def describe(self) -> str:
        if self.kind == "chapter":
            return f'the page "{self.name}"'
        return f'the record "{self.name}" in {self.kind}.yaml'

    def state(self, today: dt.date, policy: ReviewPolicy) -> str:
        if self.due is not None and self.due < today:
            return OVERDUE
        if self.needs_confirmation:
            return NEEDS_CONFIRMATION
        if self.kind != "chapter" and self.last_reviewed is None:
            return NOT_CHECKED
        if self.due is None:
            return NOT_SET
        if self.due <= today + dt.timedelta(days=policy.due_soon_days):
            return DUE_SOON
        return CURRENT


def add_months(day: dt.date, months: int) -> dt.date:
    # The standard library has no month arithmetic; 31 January + 1 month is the last day of February.
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def today() -> dt.date:
    """The day reviews are judged on. HANDBOOK_TODAY (YYYY-MM-DD) fixes it, for tests and for
    checking what will be overdue on a later day."""
    fixed = os.environ.get("HANDBOOK_TODAY", "").strip()
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


def _front_matter_schema() -> dict:
    return json.loads(files("handbook.data").joinpath("front-matter.schema.json").read_text(encoding="utf-8"))


def split_front_matter(text: str) -> tuple[str | None, str]:
    """(front matter YAML or None, the Markdown after it), as MkDocs splits a page."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return None, text
    return match.group(1) or "", text[match.end():]


def first_heading(markdown: str) -> str | None:
    """The text of the page's first level-1 heading, if it has one."""
    heading = _H1.search(markdown)
    return heading.group(1).strip() if heading else None


def page_in_layout(text: str, shown: str) -> str | None:
    """The page with its front matter in the layout `handbook format` writes (the editors' form
    writes it too), the Markdown after it untouched; None if it has no front matter that can be read
    (the front-matter check reports that)."""
    yaml_text, body = split_front_matter(text)
    if yaml_text is None:
        return None
    try:
        data, _ = load_yaml_text(yaml_text, shown, first_line=2)
    except YamlSourceError:
        return None
    if not isinstance(data, dict):
        return None
    return format_front_matter(data, _front_matter_schema()) + body


def chapter_review(text: str, src_uri: str, shown: str) -> tuple[Review | None, list[Finding]]:
    """The review data in one page's front matter, or the findings that say what to fix."""
    yaml_text, body = split_front_matter(text)
    title = first_heading(body) or src_uri
    if yaml_text is None:
        return Review("chapter", title, f"{shown}:1", "", None, None, src_uri=src_uri), []
    try:
        data, source = load_yaml_text(yaml_text, shown, first_line=2,
                                      empty_message="the front matter is empty. Add a field (for example "
                                                    "review_due, once a review is planned) or delete the two "
                                                    "lines of ---.")
    except YamlSourceError as err:
        return None, [Finding(err.path, err.line, err.message)]
    loaded = LoadedFile("front matter", shown, data, source)
    validator = jsonschema.Draft202012Validator(_front_matter_schema(), format_checker=FORMATS)
    findings = []
    for error in validator.iter_errors(data):
        location = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            extras = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            location = location + (extras[0],) if extras else location
        message = plain_message(error, loaded).replace("this record", "the front matter")
        findings.append(Finding(shown, loaded.line(location), message, field_path(location)))
    if findings:
        return None, findings
    if "withdrawn" in data:
        return None, []  # no longer part of the handbook, so no longer reviewed (nor in document control)
    due = dt.date.fromisoformat(str(data["review_due"])) if "review_due" in data else None
    last = dt.date.fromisoformat(str(data["last_reviewed"])) if "last_reviewed" in data else None
    if last is not None and due is not None and due <= last:
        return None, [Finding(shown, loaded.line(("review_due",)),
                              f"review_due ({due}) must be after last_reviewed ({last}).", "review_due")]
    # At review_due: the date an editor changes when the page is reviewed, and the one a warning is
    # about; the front matter's first line when there is none.
    line = loaded.line(("review_due",)) if due else 2
    decisions = tuple(Decision(d["kind"], title, d["about"], tuple(d["sources_say"]), d["used"], d["reason"],
                               f"{shown}:{loaded.line(('decisions', i))}", src_uri=src_uri)
                      for i, d in enumerate(data.get("decisions", [])))
    return Review("chapter", title, f"{shown}:{line}", str(data.get("owner", "")), last, due,
                  src_uri=src_uri, changes=str(data.get("changes", "")).strip(),
                  reviewed_line=loaded.line(("last_reviewed",)) if last else 0, decisions=decisions), []


def chapter_reviews(docs_dir: Path, src_uris: list[str], docs_prefix: str) -> tuple[list[Review], list[Finding]]:
    reviews, findings = [], []
    for src_uri in src_uris:
        text = (docs_dir / src_uri).read_text(encoding="utf-8")
        review, problems = chapter_review(text, src_uri, f"{docs_prefix}/{src_uri}")
        findings.extend(problems)
        if review:
            reviews.append(review)
    return reviews, findings


def record_reviews(loaded_files: dict[str, LoadedFile], policy: ReviewPolicy) -> tuple[Review, ...]:
    """Every record of RECORD_LISTS: checked with the service on its last_verified date, if it has
    one, and due `cycle_months` after it where a cycle is set."""
    found = []
    for name, key in RECORD_LISTS:
        loaded = loaded_files.get(name)
        records = loaded.data.get(key) if loaded and isinstance(loaded.data, dict) else None
        for i, record in enumerate(records if isinstance(records, list) else []):
            if not isinstance(record, dict):
                continue
            last = dt.date.fromisoformat(record["last_verified"]) if "last_verified" in record else None
            due = add_months(last, policy.cycle_months) if last and policy.cycle_months else None
            # At last_verified, the line an editor changes after checking; else the record's first.
            line = loaded.line((key, i, "last_verified") if last else (key, i))
            found.append(Review(name, record.get("id", f"{key}[{i}]"), f"{loaded.display_path}:{line}",
                                record.get("owner", ""), last, due, section=key, first_line=loaded.line((key, i)),
                                source=record.get("source", ""),
                                needs_confirmation=record.get("needs_confirmation", "")))
    return tuple(found)


def overdue(reviews, day: dt.date, policy: ReviewPolicy) -> list[Review]:
    return [review for review in reviews if review.state(day, policy) == OVERDUE]


def next_planned_update(reviews) -> dt.date | None:
    """The handbook's next planned update: the earliest date a chapter is due for review. None
    when no chapter records a planned review."""
    dues = [review.due for review in reviews if review.kind == "chapter" and review.due is not None]
    return min(dues) if dues else None
