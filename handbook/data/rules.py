"""Rules across records and files that JSON Schema cannot express: unique ids, references to ids
that exist, allowed email domains, phone numbers that must be dialled as written, a team for every
locality or none, and level colours that the diagram's text can be read on."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from handbook.data.colours import AA_TEXT, DIAGRAM_TEXT, contrast
from handbook.data.phones import emergency_examples, is_emergency_number, place, region_message
from handbook.data.yaml_source import LoadedFile
from handbook.findings import Finding, field_path


def nearest(wanted: str, known: list[str]) -> str:
    """A 'did you mean' hint for an unknown id."""
    close = difflib.get_close_matches(wanted, known, n=3, cutoff=0.5)
    if close:
        return "Did you mean " + " or ".join(f'"{c}"' for c in close) + "?"
    return "Known ids: " + ", ".join(sorted(known)[:12]) + ("…" if len(known) > 12 else "")


def allowed_domain_message(address: str, allowed: set[str]) -> str | None:
    """Why `address` is not on one of the `allowed` (lower-case) domains, or None when it is.
    The editors' form gives the same message (handbook/editors/assets/checks.js)."""
    domain = address.rsplit("@", 1)[-1].lower()
    if domain in allowed:
        return None
    hint = difflib.get_close_matches(domain, sorted(allowed), n=1, cutoff=0.6)
    fix = (f'Did you mean "{hint[0]}"?' if hint else
           "If the address is right, add its domain to allowed_email_domains in data/site.yaml.")
    return (f'"{address}" is on the domain "{domain}", which is not in the allowed list '
            f"({', '.join(sorted(allowed))}). {fix}")


class _Ids:
    """The ids of one kind of record, with where each was defined."""

    def __init__(self, kind: str):
        self.kind = kind
        self.where: dict[str, tuple[str, int]] = {}

    def add(self, record_id: str, file: _Sound, location: tuple) -> Iterator[Finding]:
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

    def check_ref(self, value: str, file: _Sound, location: tuple) -> Iterator[Finding]:
        if value not in self.where:
            yield Finding(
                file.display_path, file.line(location),
                f'there is no {self.kind} with the id "{value}". {nearest(value, list(self.where))}',
                field_path(location),
            )


class _Sound:
    """A data file as far as it can be trusted: the values that passed their schema.

    A schema error in one record must not hide a finding in another (an unknown id, a domain that is
    not allowed, a colour too dark), in the same file or another. So the rules read each value
    through here: a value is there when it has the type the rule expects and no schema error sits
    on it, or on the field or record that holds it. A record with an error elsewhere still counts
    for what is sound in it, its id above all, so that references to it are not reported missing.
    A file that could not be read at all has no values."""

    def __init__(self, file: LoadedFile | None, errors: frozenset[tuple] = frozenset()):
        self.file = file
        self.errors = errors
        self.data = file.data if file is not None else {}

    @property
    def display_path(self) -> str:
        return self.file.display_path

    def line(self, location: tuple) -> int:
        return self.file.line(location)

    def broken(self, path: tuple) -> bool:
        return any(path[:n] in self.errors for n in range(len(path) + 1))

    def value(self, path: tuple, kind: type | tuple[type, ...] = str):
        """The value at `path` when it is sound and of `kind`, else None."""
        if self.broken(path):
            return None
        node = self.data
        for part in path:
            if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
                node = node[part]
            elif isinstance(part, str) and isinstance(node, dict) and part in node:
                node = node[part]
            else:
                return None
        if isinstance(node, bool) and kind is not bool:
            return None
        return node if isinstance(node, kind) else None

    def items(self, *path) -> Iterator[tuple[int, dict]]:
        """Each record (a mapping) of the list at `path`, with its index in the file."""
        records = self.value(tuple(path), list) or []
        for i, record in enumerate(records):
            if isinstance(record, dict) and (*path, i) not in self.errors:
                yield i, record


def cross_record_findings(files: dict[str, LoadedFile], errors: dict[str, frozenset[tuple]] | None = None,
                          names: tuple[str, ...] = ()) -> list[Finding]:
    """The rules across records and files. `files` may lack a file that could not be read, and
    `errors` gives, per file, the paths where its schema found an error: the rules then run on what
    is sound and say nothing about the rest (its schema findings already have)."""
    errors = errors or {}
    views = {name: _Sound(files.get(name), errors.get(name, frozenset())) for name in (names or files)}
    return list(_findings(views)) + list(_decision_fields(views))


# The fields a decision may be about: a record's own facts, not its editors' notes.
_NOT_FACTS = {"id", "note", "needs_confirmation", "decisions", "source", "owner", "last_verified", "example"}


def _decision_fields(files: dict[str, _Sound]) -> Iterator[Finding]:
    """A decision names a field of its own record, so the right value is marked "(to be confirmed)"
    and editors see which fact was decided."""
    for file in files.values():
        if file.file is None or not isinstance(file.data, dict):
            continue
        for key, value in file.data.items():
            if not isinstance(value, list):
                continue
            for i, record in file.items(key):
                for j, _ in enumerate(file.value((key, i, "decisions"), list) or []):
                    field = file.value((key, i, "decisions", j, "field"))
                    facts = sorted(set(record) - _NOT_FACTS)
                    if field is not None and field not in facts:
                        yield Finding(file.display_path, file.line((key, i, "decisions", j, "field")),
                                      f'this decision is about "{field}", which is not a field of this record. '
                                      f"Name one of its fields instead: {', '.join(facts)}.",
                                      field_path((key, i, "decisions", j, "field")))


def _findings(files: dict[str, _Sound]) -> Iterator[Finding]:
    contacts_f, coord_f, levels_f = files["contacts"], files["coordinators"], files["thresholds"]
    training_f, site_f = files["training"], files["site"]

    ids = {kind: _Ids(kind) for kind in
           ("topic", "contact", "phone", "email", "role", "locality", "person", "level", "course", "booking",
            "timeframe", "outcome", "commitment", "glossary term", "section")}
    # References are checked only against lists that could be read: the ids of an unreadable file,
    # or of a list its schema found missing or broken, are unknown, not missing.
    defined_in = {"topic": (contacts_f, "topics"), "contact": (contacts_f, "contacts"),
                  "phone": (contacts_f, "contacts"), "email": (contacts_f, "contacts"), "role": (coord_f, "roles"),
                  "locality": (coord_f, "localities"), "person": (coord_f, "people"), "level": (levels_f, "levels"),
                  "course": (training_f, "courses"), "booking": (training_f, "booking"),
                  "timeframe": (files["timeframes"], "timeframes"), "outcome": (files["family_outcomes"], "outcomes"),
                  "commitment": (files["commitments"], "commitments"), "glossary term": (files["glossary"], "terms"),
                  "section": (files["sections"], "sections")}
    readable = {kind for kind, (file, key) in defined_in.items() if file.value((key,), list) is not None}

    def register(kind: str, file: _Sound, location: tuple) -> Iterator[Finding]:
        record_id = file.value(location + ("id",))
        if record_id is not None:
            yield from ids[kind].add(record_id, file, location)

    def refer(kind: str, file: _Sound, location: tuple) -> Iterator[Finding]:
        value = file.value(location)
        if value is not None and kind in readable:
            yield from ids[kind].check_ref(value, file, location)

    # 1. Every id is unique within its kind.
    for i, _ in contacts_f.items("topics"):
        yield from register("topic", contacts_f, ("topics", i))
    for i, _ in contacts_f.items("contacts"):
        yield from register("contact", contacts_f, ("contacts", i))
        for j, _ in contacts_f.items("contacts", i, "phones"):
            yield from register("phone", contacts_f, ("contacts", i, "phones", j))
        for j, _ in contacts_f.items("contacts", i, "emails"):
            yield from register("email", contacts_f, ("contacts", i, "emails", j))
    for i, _ in coord_f.items("roles"):
        yield from register("role", coord_f, ("roles", i))
    for i, _ in coord_f.items("localities"):
        yield from register("locality", coord_f, ("localities", i))
    for i, _ in coord_f.items("people"):
        yield from register("person", coord_f, ("people", i))
    for i, _ in levels_f.items("levels"):
        yield from register("level", levels_f, ("levels", i))
    for i, _ in training_f.items("booking"):
        yield from register("booking", training_f, ("booking", i))
    for i, _ in training_f.items("courses"):
        yield from register("course", training_f, ("courses", i))
    for kind, name, key in (("timeframe", "timeframes", "timeframes"), ("outcome", "family_outcomes", "outcomes"),
                            ("commitment", "commitments", "commitments"), ("glossary term", "glossary", "terms"),
                            ("section", "sections", "sections")):
        for i, _ in files[name].items(key):
            yield from register(kind, files[name], (key, i))

    # 2. Every reference points at a record that exists.
    for i, contact in contacts_f.items("contacts"):
        for j, _ in enumerate(contacts_f.value(("contacts", i, "topics"), list) or []):
            yield from refer("topic", contacts_f, ("contacts", i, "topics", j))
        if "locality" in contact:
            yield from refer("locality", contacts_f, ("contacts", i, "locality"))
    for i, locality in coord_f.items("localities"):
        if "team" in locality:
            yield from refer("contact", coord_f, ("localities", i, "team"))
    for i, _ in coord_f.items("people"):
        yield from refer("role", coord_f, ("people", i, "role"))
        yield from refer("locality", coord_f, ("people", i, "locality"))
    for i, _ in levels_f.items("levels"):
        for j, _ in enumerate(levels_f.value(("levels", i, "contacts"), list) or []):
            yield from refer("contact", levels_f, ("levels", i, "contacts", j))
    for i, booking in training_f.items("booking"):
        if "register_contact" in booking:
            yield from refer("contact", training_f, ("booking", i, "register_contact"))
    for i, _ in training_f.items("courses"):
        yield from refer("booking", training_f, ("courses", i, "booking"))
    for i, _ in site_f.items("urgent", "lines"):
        yield from refer("phone", site_f, ("urgent", "lines", i, "phone"))
    for i, _ in enumerate(site_f.value(("publication", "cover_contacts"), list) or []):
        yield from refer("contact", site_f, ("publication", "cover_contacts", i))
    for kind, key in (("contact", "contacts"), ("timeframe", "timeframes")):
        for i, _ in enumerate(site_f.value(("quick_reference", key), list) or []):
            yield from refer(kind, site_f, ("quick_reference", key, i))

    # 3. Level numbers are unique, so level(2) always means one thing.
    seen_numbers: dict[int, int] = {}
    for i, _ in levels_f.items("levels"):
        number = levels_f.value(("levels", i, "number"), int)
        if number is None:
            continue
        line = levels_f.line(("levels", i, "number"))
        if number in seen_numbers:
            yield Finding(levels_f.display_path, line,
                          f"level number {number} is already used on line {seen_numbers[number]}.",
                          field_path(("levels", i, "number")))
        seen_numbers.setdefault(number, line)

    # 4. Emails are on an allowed domain: this is what catches "doncater.gov.uk".
    domains = site_f.value(("allowed_email_domains",), list)
    if domains is not None:
        allowed = {d.lower() for d in domains if isinstance(d, str)}
        emails = [(contacts_f, ("contacts", i, "emails", j, "address"))
                  for i, _ in contacts_f.items("contacts") for j, _ in contacts_f.items("contacts", i, "emails")]
        emails += [(coord_f, ("people", i, "email")) for i, _ in coord_f.items("people")]
        for file, location in emails:
            address = file.value(location)
            if address is None:
                continue
            message = allowed_domain_message(address, allowed)
            if message is not None:
                yield Finding(file.display_path, file.line(location), message, field_path(location))

    # 5. The phone numbers' country is set, and its emergency numbers (999 in the United Kingdom)
    # say so, because they are dialled as written, with no country code.
    region = site_f.value(("phone_region",))
    if isinstance(site_f.data, dict) and "phone_region" not in site_f.data and not site_f.broken(("phone_region",)):
        # Only with a copy of the schemas from before the setting: the engine's requires it.
        yield Finding(site_f.display_path, site_f.line(()),
                      "the setting phone_region is missing: the country the handbook's phone numbers are in. Add "
                      'it, for example phone_region: "GB" for the United Kingdom. If the check then says it is not '
                      "a field site.yaml can have, the project's copy of the schemas is older than the engine: run "
                      "`handbook new --schemas-only .` first.", "phone_region")
    if region is not None and region_message(region) is None:
        examples = emergency_examples(region)
        for i, _ in contacts_f.items("contacts"):
            for j, phone in contacts_f.items("contacts", i, "phones"):
                location = ("contacts", i, "phones", j)
                number = contacts_f.value(location + ("number",))
                if number is None:
                    continue
                emergency = is_emergency_number(number, region)
                if emergency != (phone.get("kind") == "emergency"):
                    message = (f'"{number}" is an emergency number: add kind: "emergency" to this phone.'
                               if emergency else f'kind "emergency" is only for the emergency numbers of '
                               f'{place(region)}{f", such as {examples}" if examples else ""}, not "{number}". '
                               "Remove it.")
                    yield Finding(contacts_f.display_path, contacts_f.line(location), message, field_path(location))

    # 6. Every locality has its own team, or none does; a team is shown by its mailbox.
    localities = list(coord_f.items("localities"))
    with_team = [(i, locality) for i, locality in localities if "team" in locality]
    if with_team and len(with_team) < len(localities):
        first = with_team[0][1].get("name") or with_team[0][1].get("id")
        for i, locality in localities:
            if "team" not in locality:
                yield Finding(coord_f.display_path, coord_f.line(("localities", i)),
                              f'the locality "{locality.get("name") or locality.get("id")}" has no team, but '
                              f'"{first}" has one. Give every locality its team (team: and the id of the '
                              "team's contact in data/contacts.yaml), or none.", field_path(("localities", i)))
    mailboxes = {contact.get("id"): bool(contact.get("emails")) for _, contact in contacts_f.items("contacts")}
    for i, _ in with_team:
        location = ("localities", i, "team")
        team = coord_f.value(location)
        if team is not None and mailboxes.get(team) is False:
            yield Finding(coord_f.display_path, coord_f.line(location),
                          f'the team "{team}" has no email address in data/contacts.yaml, and pages show a '
                          "locality's team by its mailbox. Give the contact its email, or name the contact "
                          "that has it.", field_path(location))

    # 7. The levels of need diagram's text can be read on each level's fill (WCAG 2.2 AA).
    for i, _ in levels_f.items("levels"):
        location = ("levels", i, "colour", "fill")
        fill, name = levels_f.value(location), levels_f.value(("levels", i, "colour", "name"))
        if fill is None:
            continue
        ratio = contrast(DIAGRAM_TEXT, fill)
        if ratio < AA_TEXT:
            yield Finding(levels_f.display_path, levels_f.line(location),
                          f'"{fill}" is too dark for the levels of need diagram\'s black text '
                          f"({ratio:.1f}:1, where WCAG AA needs at least {AA_TEXT}:1). Use a lighter tint of "
                          f"{name or 'its colour'}.", field_path(location))
