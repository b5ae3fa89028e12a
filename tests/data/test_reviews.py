"""Review governance: front matter, due dates and states (handbook/data/reviews.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from mkdocs.utils.yaml import yaml_load

from handbook.data.load import load_handbook
from handbook.data.reviews import (
    CURRENT,
    DUE_SOON,
    NEEDS_CONFIRMATION,
    NOT_CHECKED,
    NOT_SET,
    OVERDUE,
    Review,
    ReviewPolicy,
    add_months,
    chapter_review,
    chapter_reviews,
    next_planned_update,
    overdue,
    split_front_matter,
)

ROOT = Path(__file__).resolve().parents[2]
POLICY = ReviewPolicy(cycle_months=12, due_soon_days=30)


def _page(front: str, body: str = "# A chapter\n\nText.\n") -> str:
    return f"---\n{front}---\n{body}"


def test_a_chapter_review_reads_owner_dates_title_and_changes():
    review, findings = chapter_review(
        _page('owner: "Team"\nlast_reviewed: "2026-11-23"\nreview_due: "2027-05-23"\nchanges: "New section."\n'),
        "handbook/a.md", "docs/handbook/a.md")
    assert findings == []
    assert (review.name, review.owner, review.changes) == ("A chapter", "Team", "New section.")
    assert (review.last_reviewed, review.due) == (dt.date(2026, 11, 23), dt.date(2027, 5, 23))
    assert review.where == "docs/handbook/a.md:4"  # review_due: the date a review moves on


def test_a_chapter_needs_no_last_reviewed_date_until_a_review_is_recorded():
    review, findings = chapter_review(_page('owner: "Team"\nreview_due: "2027-05-23"\n'), "a.md", "docs/a.md")
    assert findings == []
    assert (review.owner, review.last_reviewed, review.due) == ("Team", None, dt.date(2027, 5, 23))
    assert review.where == "docs/a.md:3"


def test_a_chapter_claims_only_what_its_front_matter_records():
    # No field is required: a page with no record of an owner or a planned review says neither.
    review, findings = chapter_review(_page('last_reviewed: "2026-11-23"\n'), "a.md", "docs/a.md")
    assert findings == []
    assert (review.owner, review.last_reviewed, review.due) == ("", dt.date(2026, 11, 23), None)
    assert review.state(dt.date(2030, 1, 1), POLICY) == NOT_SET  # never overdue: nothing was planned
    review, findings = chapter_review(_page('search:\n  boost: 0.2\n'), "a.md", "docs/a.md")
    assert findings == [] and (review.owner, review.last_reviewed, review.due) == ("", None, None)
    assert next_planned_update([review]) is None


@pytest.mark.parametrize(("front", "expected"), [
    ('owner: "Team"\nlast_reviewed: "2026-11-23"\nreview_due: "2026-01-01"\n',
     "docs/a.md:4: review_due: review_due (2026-01-01) must be after last_reviewed (2026-11-23)."),
    ('owner: "Team"\nlast_reviewed: "23/11/2026"\nreview_due: "2027-11-23"\n',
     'docs/a.md:3: last_reviewed: "23/11/2026" is not a date.'),
    ('owner: "Team"\nlast_reviewed: "2026-11-23"\nreview_due: "2027-11-23"\nreviewer: "Me"\n',
     "docs/a.md:5: reviewer: `reviewer` is not a field the front matter can have."),
    ('owner: ""\nlast_reviewed: "2026-11-23"\nreview_due: "2027-11-23"\n',
     "docs/a.md:2: owner: this must not be empty."),
])
def test_bad_front_matter_is_a_finding_at_its_line(front, expected):
    review, findings = chapter_review(_page(front), "a.md", "docs/a.md")
    assert review is None
    assert any(str(finding).startswith(expected) for finding in findings), findings


def test_a_page_without_front_matter_has_nothing_recorded():
    review, findings = chapter_review("# A chapter\n", "a.md", "docs/a.md")
    assert findings == []
    assert (review.name, review.owner, review.last_reviewed, review.due, review.where) == (
        "A chapter", "", None, None, "docs/a.md:1")


def test_add_months_keeps_the_day_or_ends_the_month():
    assert add_months(dt.date(2026, 11, 23), 12) == dt.date(2027, 11, 23)
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 12, 15), 3) == dt.date(2028, 3, 15)


def test_state_is_current_then_due_soon_then_overdue():
    review, _ = chapter_review(_page('owner: "T"\nlast_reviewed: "2026-01-01"\nreview_due: "2027-01-31"\n'),
                               "a.md", "docs/a.md")
    assert review.state(dt.date(2026, 12, 31), POLICY) == CURRENT
    assert review.state(dt.date(2027, 1, 1), POLICY) == DUE_SOON
    assert review.state(dt.date(2027, 1, 31), POLICY) == DUE_SOON
    assert review.state(dt.date(2027, 2, 1), POLICY) == OVERDUE
    assert overdue([review], dt.date(2027, 2, 1), POLICY) == [review]


def test_every_page_of_the_real_handbook_has_valid_review_front_matter():
    docs = ROOT / "docs"
    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    exempt = next(p["handbook"] for p in config["plugins"] if isinstance(p, dict) and "handbook" in p)["review_exempt"]
    uris = sorted(uri for uri in (p.relative_to(docs).as_posix() for p in docs.rglob("*.md")) if uri not in exempt)
    reviews, findings = chapter_reviews(docs, uris, "docs")
    assert findings == []
    assert len(reviews) == len(uris)
    assert next_planned_update(reviews) is None


def test_no_page_of_the_real_handbook_claims_an_owner_or_a_review_that_no_record_shows():
    # The sources name no page owner, plan no review and record none: each field waits for an editor
    # with a record of it (the content review of 2026-12-07 found all three stated on 33 pages).
    for page in sorted((ROOT / "docs").rglob("*.md")):
        front = split_front_matter(page.read_text(encoding="utf-8"))[0] or ""
        for field in ("owner", "review_due", "last_reviewed"):
            assert f"{field}:" not in front, (page, field)


def test_no_record_of_the_real_handbook_claims_a_check_with_the_service_that_nobody_made():
    # Every record was typed in from the sources on one day, and nobody has checked one with its
    # service since: the content review of 2026-12-07 found that day shown as "Last verified", and
    # 8 records asking the service to confirm them shown as "Current".
    hb = load_handbook(ROOT / "data")
    assert len(hb.record_reviews) > 100
    assert hb.review_policy.cycle_months is None  # the sources set no cycle; nor has the partnership
    states = {(r.section, r.name): r.state(dt.date(2026, 12, 7), hb.review_policy) for r in hb.record_reviews}
    for review in hb.record_reviews:
        assert review.last_reviewed is None and review.due is None, review.name
        assert review.where.startswith("data/") and review.where.rsplit(":", 1)[1].isdigit()
        assert states[review.section, review.name] == (NEEDS_CONFIRMATION if review.needs_confirmation else NOT_CHECKED)
    assert {("people", "ashleigh-chappell"), ("people", "natasha-watts"), ("contacts", "early-help-coordinators")} <= {
        key for key, state in states.items() if state == NEEDS_CONFIRMATION}


def _records(tmp_path: Path, record: str, review: str = "  due_soon_days: 30\n") -> tuple:
    data = tmp_path / "data"
    (data).mkdir()
    for path in (ROOT / "tests" / "fixtures" / "base" / "data").glob("*.yaml"):
        (data / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    site = (data / "site.yaml").read_text(encoding="utf-8")
    start = site.index("review:\n")
    end = site.index("\n\n", start) if "\n\n" in site[start:] else len(site)
    (data / "site.yaml").write_text(site[:start] + "review:\n" + review + site[end:], encoding="utf-8")
    (data / "timeframes.yaml").write_text(
        'timeframes:\n  - id: "soon"\n    task: "A task"\n    when: "within a week"\n    starts: "start"\n'
        '    source: "003"\n' + record, encoding="utf-8")
    hb = load_handbook(data)
    return hb, next(r for r in hb.record_reviews if r.kind == "timeframes")


@pytest.mark.parametrize(("record", "review", "state", "due"), [
    ("", "  due_soon_days: 30\n", NOT_CHECKED, None),  # typed in, never checked
    ('    last_verified: "2026-11-23"\n', "  due_soon_days: 30\n", NOT_SET, None),  # checked; no cycle
    ('    last_verified: "2026-11-23"\n', "  cycle_months: 12\n  due_soon_days: 30\n", CURRENT, dt.date(2027, 11, 23)),
    ('    last_verified: "2025-11-23"\n', "  cycle_months: 12\n  due_soon_days: 30\n", OVERDUE, dt.date(2026, 11, 23)),
])
def test_a_record_is_current_only_once_checked_with_the_service_and_nothing_awaits_confirmation(
        tmp_path, record, review, state, due):
    hb, found = _records(tmp_path, record, review)
    assert (found.state(dt.date(2026, 12, 7), hb.review_policy), found.due) == (state, due)


def test_a_record_awaiting_the_service_needs_confirmation_whatever_its_dates_say_until_it_is_overdue():
    asked = Review("contacts", "a", "data/contacts.yaml:3", "Team", dt.date(2026, 11, 23), dt.date(2027, 11, 23),
                   needs_confirmation="Confirm the address.")
    assert asked.state(dt.date(2026, 12, 7), POLICY) == NEEDS_CONFIRMATION
    assert replace(asked, last_reviewed=None, due=None).state(dt.date(2026, 12, 7), POLICY) == NEEDS_CONFIRMATION
    assert asked.state(dt.date(2027, 12, 1), POLICY) == OVERDUE  # still stops `handbook publish`
