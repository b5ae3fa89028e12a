"""Which data records the handbook shows, for the unused-record check.

A page shows a record when one of its macro calls looks the record up or lists it. `handbook check`
runs each page's calls against a RecordingHandbook, which stands in for the data and notes every
record its queries return; a record no call touched appears on no page, so nobody keeps it right
for a reader. Listing is by the typed records only: the editors' document control page lists every
record's review date, which is not showing the record to a practitioner.
"""

from __future__ import annotations

import dataclasses

from handbook.data.load import RECORD_SOURCES, TEXT_LISTS
from handbook.data.records import Email, Handbook, Phone
from handbook.rendering import render

# How to show each list's records, for the check's advice (tests/checks/test_usage.py checks that each macro
# does show every record of its list).
LISTED_BY = {
    ("contacts", "topics"): "{{ contacts_directory() }} lists every topic with its contacts",
    ("contacts", "contacts"): "Show it with {{ contact(\"its id\") }}; {{ contacts_directory() }} lists every "
                              "contact by topic",
    ("coordinators", "localities"): "{{ coordinators() }} lists every locality",
    ("coordinators", "people"): "{{ coordinators() }} lists every person, by locality and role",
    ("thresholds", "levels"): "{{ levels_detail() }} lists every level",
    ("training", "booking"): "{{ courses() }} lists every booking route with its courses",
    ("training", "courses"): "{{ courses() }} lists every course",
    ("timeframes", "timeframes"): "{{ timeframes() }} lists every timeframe",
    ("glossary", "terms"): "{{ glossary() }} lists every term",
    ("family_outcomes", "outcomes"): "{{ family_outcomes() }} lists the outcomes",
    ("commitments", "commitments"): "{{ commitments() }} lists the commitments",
}

Key = tuple[str, str, str]  # (data file, list, id), as in a record's Review


class RecordingHandbook:
    """The Handbook, noting the records its queries and lists hand out."""

    def __init__(self, hb: Handbook):
        self._hb = hb
        self._owner = {item.id: c.id for c in hb.contacts for item in (*c.phones, *c.emails)}
        self.used: set[Key] = set()
        self.lists_used: set[tuple[str, str]] = set()

    def __getattr__(self, name: str):
        value = getattr(self._hb, name)
        if name in TEXT_LISTS:
            self.lists_used.add(TEXT_LISTS[name])
        if not callable(value):
            self._note(value)
            return value

        def query(*args, **kwargs):
            result = value(*args, **kwargs)
            self._note(result)
            return result

        return query

    def _note(self, value) -> None:
        if isinstance(value, (Phone, Email)):
            self.used.add(("contacts", "contacts", self._owner[value.id]))
        elif type(value) in RECORD_SOURCES:
            self.used.add((*RECORD_SOURCES[type(value)], value.id))
        elif isinstance(value, (tuple, list)):
            for item in value:
                self._note(item)
            return
        elif not dataclasses.is_dataclass(value) or isinstance(value, type):
            return
        for field in dataclasses.fields(value):  # the urgent block's lines hold phones, a contact its phones
            self._note(getattr(value, field.name))

    def use_everything(self) -> None:
        """For a call the check cannot follow (its arguments are worked out as the page renders):
        better no warning than a wrong one."""
        self._note([getattr(self._hb, attribute) for attribute in
                    ("topics", "contacts", "localities", "people", "levels", "bookings", "courses", "timeframes",
                     "terms")])
        self.lists_used.update(TEXT_LISTS.values())

    def shows(self, kind: str, section: str, record_id: str) -> bool:
        return (kind, section, record_id) in self.used or (kind, section) in self.lists_used


def note_every_page(recorder: RecordingHandbook) -> None:
    """What the handbook shows outside the pages' own text: the urgent block at the top of every
    page, and the contacts on the PDF's cover."""
    render.urgent_block(recorder)
    render.cover_contacts(recorder)
