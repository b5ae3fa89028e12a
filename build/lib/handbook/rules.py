"""Rules across records and files that JSON Schema cannot express: unique ids, references to ids
that exist, allowed email domains, phone numbers that must be dialled as written, and level colours
that the diagram's text can be read on."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from handbook.colours import AA_TEXT, DIAGRAM_TEXT, contrast
from handbook.findings import Finding, field_path
from handbook.phones import is_uk_emergency_number

if TYPE_CHECKING:
    from handbook.validation import LoadedFile


def nearest(wanted: str, known: list[str]) -> str:
    """A 'did you mean' hint for an unknown id."""
    close = difflib.get_close_matches(wanted, known, n=3, cutoff=0.5)
    if close:
        return "Did you mean " + " or ".join(f'"{c}"' for c in close) + "?"
    return "Known ids: " + ", ".join(sorted(known)[:12]) + ("…" if len(known) > 12 else "")


class _Ids:
    """The ids of one kind of record, with where each was defined."""

    def __init__(self, kind: str):
        self.kind = kind
        self.where: dict[str, tuple[str, int]] = {}

    def add(self, record_id: str, file: LoadedFile, location: tuple) -> Iterator[Finding]:
        line = file.line(location + ("id",))
        if record_id in self.where:
            first_file, first_line = self.where[record_id]
            yield Finding(
                file.display_path, line,
                f'the {self.kind} id "{record_id}" is already used at {first_file}:{first_line}. '
                "Ids must be unique: give this record a different id.",
                field_path(location + ("id",)),
            )
        else:
            self.where[record_id] = (file.display_path, line)

    def check_ref(self, value: str, file: LoadedFile, location: tuple) -> Iterator[Finding]:
        if value not in self.where:
            yield Finding(
                file.display_path, file.line(location),
                f'there is no {self.kind} with the id "{value}". {nearest(value, list(self.where))}',
                field_path(location),
            )


def cross_record_findings(files: dict[str, LoadedFile]) -> list[Finding]:
    return list(_findings(files))


def _findings(files: dict[str, LoadedFile]) -> Iterator[Finding]:
    contacts_f, coord_f, levels_f = files["contacts"], files["coordinators"], files["thresholds"]
    training_f, site_f = files["training"], files["site"]

    ids = {kind: _Ids(kind) for kind in
           ("topic", "contact", "phone", "email", "locality", "person", "level", "course", "booking",
            "timeframe", "outcome", "commitment", "glossary term")}

    # 1. Every id is unique within its kind.
    for i, topic in enumerate(contacts_f.data["topics"]):
        yield from ids["topic"].add(topic["id"], contacts_f, ("topics", i))
    for i, contact in enumerate(contacts_f.data["contacts"]):
        yield from ids["contact"].add(contact["id"], contacts_f, ("contacts", i))
        for j, phone in enumerate(contact.get("phones", [])):
            yield from ids["phone"].add(phone["id"], contacts_f, ("contacts", i, "phones", j))
        for j, email in enumerate(contact.get("emails", [])):
            yield from ids["email"].add(email["id"], contacts_f, ("contacts", i, "emails", j))
    for i, locality in enumerate(coord_f.data["localities"]):
        yield from ids["locality"].add(locality["id"], coord_f, ("localities", i))
    for i, person in enumerate(coord_f.data["people"]):
        yield from ids["person"].add(person["id"], coord_f, ("people", i))
    for i, level in enumerate(levels_f.data["levels"]):
        yield from ids["level"].add(level["id"], levels_f, ("levels", i))
    for i, booking in enumerate(training_f.data["booking"]):
        yield from ids["booking"].add(booking["id"], training_f, ("booking", i))
    for i, course in enumerate(training_f.data["courses"]):
        yield from ids["course"].add(course["id"], training_f, ("courses", i))
    for kind, name, key in (("timeframe", "timeframes", "timeframes"), ("outcome", "family_outcomes", "outcomes"),
                            ("commitment", "commitments", "commitments"), ("glossary term", "glossary", "terms")):
        for i, record in enumerate(files[name].data[key]):
            yield from ids[kind].add(record["id"], files[name], (key, i))

    # 2. Every reference points at a record that exists.
    for i, contact in enumerate(contacts_f.data["contacts"]):
        for j, topic in enumerate(contact["topics"]):
            yield from ids["topic"].check_ref(topic, contacts_f, ("contacts", i, "topics", j))
        if "locality" in contact:
            yield from ids["locality"].check_ref(contact["locality"], contacts_f, ("contacts", i, "locality"))
    for i, locality in enumerate(coord_f.data["localities"]):
        yield from ids["contact"].check_ref(locality["your_place_your_family"], coord_f,
                                            ("localities", i, "your_place_your_family"))
    for i, person in enumerate(coord_f.data["people"]):
        yield from ids["locality"].check_ref(person["locality"], coord_f, ("people", i, "locality"))
    for i, level in enumerate(levels_f.data["levels"]):
        for j, contact_id in enumerate(level["contacts"]):
            yield from ids["contact"].check_ref(contact_id, levels_f, ("levels", i, "contacts", j))
    for i, booking in enumerate(training_f.data["booking"]):
        if "register_contact" in booking:
            yield from ids["contact"].check_ref(
                booking["register_contact"], training_f, ("booking", i, "register_contact")
            )
    for i, course in enumerate(training_f.data["courses"]):
        yield from ids["booking"].check_ref(course["booking"], training_f, ("courses", i, "booking"))
    for i, line in enumerate(site_f.data["urgent"]["lines"]):
        yield from ids["phone"].check_ref(line["phone"], site_f, ("urgent", "lines", i, "phone"))

    for i, contact_id in enumerate(site_f.data["publication"]["cover_contacts"]):
        yield from ids["contact"].check_ref(contact_id, site_f, ("publication", "cover_contacts", i))
    for kind, key in (("contact", "contacts"), ("timeframe", "timeframes")):
        for i, record_id in enumerate(site_f.data["quick_reference"][key]):
            yield from ids[kind].check_ref(record_id, site_f, ("quick_reference", key, i))

    # 3. Level numbers are unique, so level(2) always means one thing.
    seen_numbers: dict[int, int] = {}
    for i, level in enumerate(levels_f.data["levels"]):
        line = levels_f.line(("levels", i, "number"))
        if level["number"] in seen_numbers:
            yield Finding(levels_f.display_path, line,
                          f"level number {level['number']} is already used on line {seen_numbers[level['number']]}.",
                          field_path(("levels", i, "number")))
        seen_numbers.setdefault(level["number"], line)

    # 4. Emails are on an allowed domain: this is what catches "doncater.gov.uk".
    allowed = {d.lower() for d in site_f.data["allowed_email_domains"]}
    emails = [(contacts_f, ("contacts", i, "emails", j, "address"), e["address"])
              for i, c in enumerate(contacts_f.data["contacts"]) for j, e in enumerate(c.get("emails", []))]
    emails += [(coord_f, ("people", i, "email"), p["email"]) for i, p in enumerate(coord_f.data["people"])]
    for file, location, address in emails:
        domain = address.rsplit("@", 1)[-1].lower()
        if domain not in allowed:
            hint = difflib.get_close_matches(domain, sorted(allowed), n=1, cutoff=0.6)
            fix = (f'Did you mean "{hint[0]}"?' if hint else
                   "If the address is right, add its domain to allowed_email_domains in data/site.yaml.")
            yield Finding(file.display_path, file.line(location),
                          f'"{address}" is on the domain "{domain}", which is not in the allowed list '
                          f"({', '.join(sorted(allowed))}). {fix}", field_path(location))

    # 5. 999 and other emergency numbers must say so, because they are dialled without +44.
    for i, contact in enumerate(contacts_f.data["contacts"]):
        for j, phone in enumerate(contact.get("phones", [])):
            location = ("contacts", i, "phones", j)
            emergency = is_uk_emergency_number(phone["number"])
            if emergency != (phone.get("kind") == "emergency"):
                message = (f'"{phone["number"]}" is an emergency number: add kind: "emergency" to this phone.'
                           if emergency else f'kind "emergency" is only for emergency numbers such as 999, '
                           f'not "{phone["number"]}". Remove it.')
                yield Finding(contacts_f.display_path, contacts_f.line(location), message, field_path(location))

    # 6. The levels of need diagram's text can be read on each level's fill (WCAG 2.2 AA).
    for i, level in enumerate(levels_f.data["levels"]):
        location = ("levels", i, "colour", "fill")
        ratio = contrast(DIAGRAM_TEXT, level["colour"]["fill"])
        if ratio < AA_TEXT:
            yield Finding(levels_f.display_path, levels_f.line(location),
                          f'"{level["colour"]["fill"]}" is too dark for the levels of need diagram\'s black text '
                          f"({ratio:.1f}:1, where WCAG AA needs at least {AA_TEXT}:1). Use a lighter tint of "
                          f"{level['colour']['name']}.", field_path(location))
