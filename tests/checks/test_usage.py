"""Which records the pages show (the unused-record check), over the real data."""

from __future__ import annotations

import inspect
import re

import pytest

from conftest import ROOT
from handbook.checks.usage import LISTED_BY, RecordingHandbook
from handbook.data.load import load_handbook
from handbook.data.reviews import today
from handbook.rendering import render


@pytest.fixture(scope="module")
def hb():
    return load_handbook(ROOT / "data")


def _shown(hb, *calls) -> set[tuple[str, str]]:
    recorder = RecordingHandbook(hb)
    for call in calls:
        call(recorder)
    return {(r.section, r.name) for r in hb.record_reviews if recorder.shows(r.kind, r.section, r.name)}


def _records(hb, section: str) -> set[tuple[str, str]]:
    return {(r.section, r.name) for r in hb.record_reviews if r.section == section}


@pytest.mark.parametrize("list_key", sorted(LISTED_BY), ids=[section for _, section in sorted(LISTED_BY)])
def test_the_advice_names_a_macro_that_shows_every_record_of_its_list(hb, list_key):
    macro = re.findall(r"\{\{ (\w+)\(\) \}\}", LISTED_BY[list_key])[-1]
    links = render.Links(lambda page, anchor="": "#")
    func = getattr(render, macro)
    wants_links = "links" in inspect.signature(func).parameters
    shown = _shown(hb, lambda r: func(r, links) if wants_links else func(r))
    section = list_key[1]
    assert _records(hb, section) and _records(hb, section) <= shown


def test_a_contact_is_shown_when_one_of_its_phones_or_emails_is(hb):
    phone_owner = next(c for c in hb.contacts if c.phones)
    email_owner = next(c for c in hb.contacts if c.emails and c is not phone_owner)
    shown = _shown(hb, lambda r: render.phone(r, phone_owner.phones[0].id),
                   lambda r: render.email(r, email_owner.emails[0].id))
    assert shown == {("contacts", phone_owner.id), ("contacts", email_owner.id)}


def test_the_document_control_page_does_not_count_as_showing_records(hb):
    # It lists every record's review date for editors; that is not showing a record to a reader.
    links = render.Links(lambda page, anchor="": "#")
    assert _shown(hb, lambda r: render.document_control(r, [], today(), links)) == set()


def test_one_level_shows_its_record_and_no_other(hb):
    links = render.Links(lambda page, anchor="": "#")
    assert _shown(hb, lambda r: render.level(r, 2, links)) == {("levels", hb.level(2).id)}
