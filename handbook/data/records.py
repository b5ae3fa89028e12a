"""Typed records for the handbook's data, and the named queries pages need.

Render functions and macros only ever see these objects, never raw YAML dicts: a misspelt field is
then an AttributeError in a test, not a silent blank on a page. Lookups by id raise UnknownIdError
with the nearest ids, which the macros turn into a build failure naming the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from handbook.data.decisions import Decision
from handbook.data.phones import e164, national_format
from handbook.data.reviews import Review, ReviewPolicy
from handbook.data.rules import nearest


class UnknownIdError(LookupError):
    def __init__(self, kind: str, wanted: object, known: list[str]):
        super().__init__(f'there is no {kind} with the id "{wanted}". {nearest(str(wanted), known)}')


@dataclass(frozen=True)
class Verification:
    owner: str
    last_verified: str  # "" until an editor has checked the record with the service
    source: str
    note: str = ""
    needs_confirmation: str = ""


@dataclass(frozen=True)
class Example:
    """A record `handbook new` wrote as an example, still waiting for the partnership's own."""

    where: str  # file:line of the record
    section: str  # the list (or block) in the data file that holds it, e.g. "contacts"
    record_id: str


@dataclass(frozen=True)
class Confirmation:
    """A record the service must confirm before it can be trusted. For editors, never printed on a page."""

    where: str  # file:line of the record
    record_id: str
    what: str


@dataclass(frozen=True)
class Phone:
    id: str
    label: str
    number: str
    region: str  # the project's phone_region (site.yaml), e.g. GB
    hours: str = ""
    emergency: bool = False

    @property
    def display(self) -> str:
        """The number as people dial it in its region, e.g. 01302 734110 in GB."""
        if self.emergency:
            return self.number.strip()
        return national_format(self.number, self.region)

    @property
    def tel_uri(self) -> str:
        """tel:+441302734110, so the link works from any phone, including a mobile abroad."""
        if self.emergency:
            return f"tel:{self.number.strip()}"
        return "tel:" + e164(self.number, self.region)


@dataclass(frozen=True)
class Email:
    id: str
    label: str
    address: str


@dataclass(frozen=True)
class Topic:
    id: str
    name: str


@dataclass(frozen=True)
class Contact:
    id: str
    name: str
    purpose: str
    topics: tuple[str, ...]
    hours: str
    phones: tuple[Phone, ...]
    emails: tuple[Email, ...]
    locality: str
    verification: Verification


@dataclass(frozen=True)
class Locality:
    id: str
    name: str
    team: str = ""  # the contact id of the locality's own team, if the partnership's localities have one


@dataclass(frozen=True)
class Role:
    """A role people hold in a locality (data/coordinators.yaml, roles), in the order pages show them."""

    id: str
    name: str  # for one person, e.g. "Early Help Coordinator"


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str  # role id
    locality: str
    email: str
    verification: Verification
    unconfirmed: tuple[str, ...] = ()  # fields corrected or read from a source, not yet confirmed: marked


@dataclass(frozen=True)
class Level:
    id: str
    number: int
    name: str
    colour_name: str  # "" where the source names no colour for the level
    fill: str
    descriptor: str
    response: str
    short_response: str  # the response cut short, for the one-page quick reference
    contacts: tuple[str, ...]
    note: str = ""
    needs_confirmation: str = ""
    early_help: bool = False

    @property
    def title(self) -> str:
        return f"Level {self.number}: {self.name}"


@dataclass(frozen=True)
class Booking:
    id: str
    name: str
    url: str
    register_contact: str = ""


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    other_names: tuple[str, ...]
    provider: str
    audience: str
    summary: str
    booking: str
    listed_in: tuple[str, ...]


@dataclass(frozen=True)
class Timeframe:
    id: str
    task: str
    when: str
    starts: str


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    definition: str
    abbreviation: str = ""


@dataclass(frozen=True)
class SearchSynonym:
    """Words practitioners type for what the pages call something else (data/search.yaml). A search
    aid only: never shown on a page."""

    id: str
    page_words: tuple[str, ...]  # as the handbook writes them
    typed_words: tuple[str, ...]  # as practitioners search for them
    # Where each of page_words is written, for the build's messages.
    file: str = ""
    position: int = 0  # in the file's list
    page_word_lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class ContentsSection:
    """A section of the handbook's contents (data/sections.yaml), in the menu's and the PDF's order.
    Its pages name it in their front matter (handbook/data/contents.py)."""

    id: str
    title: str
    grouped: bool  # False: its pages stand on their own in the menu and the PDF, without the title
    where: str = ""  # file:line of its id, for the build's messages


@dataclass(frozen=True)
class UrgentLine:
    label: str
    phone: Phone
    hours: str  # the phone's own hours, else its contact's


@dataclass(frozen=True)
class Publication:
    title: str
    subtitle: str
    organisation: str
    live_url: str
    cover_contacts: tuple[str, ...]


@dataclass(frozen=True)
class Urgent:
    heading: str
    intro: str
    lines: tuple[UrgentLine, ...]
    footer: str  # the short lead-in before the lines in every PDF page's footer


@dataclass(frozen=True)
class QuickReference:
    """What the one-page quick reference prints besides the urgent lines and the levels (site.yaml)."""

    contacts: tuple[str, ...]  # contact ids
    timeframes: tuple[str, ...]  # timeframe ids
    file: str  # where its settings are, for the message when it does not fit on one page
    line: int


def _index(records) -> dict:
    return {r.id: r for r in records}


@dataclass
class Handbook:
    """All the handbook's data, validated, with the queries pages use."""

    topics: tuple[Topic, ...]
    contacts: tuple[Contact, ...]
    roles: tuple[Role, ...]
    localities: tuple[Locality, ...]
    people: tuple[Person, ...]
    levels: tuple[Level, ...]
    bookings: tuple[Booking, ...]
    courses: tuple[Course, ...]
    timeframes: tuple[Timeframe, ...]
    outcomes: tuple[str, ...]
    commitments: tuple[str, ...]
    terms: tuple[Term, ...]
    urgent: Urgent
    publication: Publication
    quick_reference: QuickReference
    review_policy: ReviewPolicy
    phone_region: str  # the country the phone numbers are in (site.yaml), e.g. GB
    confirmations: tuple[Confirmation, ...] = ()
    decisions: tuple[Decision, ...] = ()  # the data's; pages' own are in their front matter
    sources: tuple[tuple[str, str], ...] = ()  # (id, title) of the documents the data was typed in from
    examples: tuple[Example, ...] = ()
    record_reviews: tuple[Review, ...] = ()
    team_label: str = ""  # what readers call a locality's team (coordinators.yaml), for locality_teams()
    allowed_capitals: tuple[str, ...] = ()  # words in capitals the glossary need not define (site.yaml)
    synonyms: tuple[SearchSynonym, ...] = ()  # search aids (search.yaml), never shown on a page
    sections: tuple[ContentsSection, ...] = ()  # the contents' sections (sections.yaml), in order
    _by_id: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {
            "contact": _index(self.contacts),
            "phone": {p.id: p for c in self.contacts for p in c.phones},
            "email": {e.id: e for c in self.contacts for e in c.emails},
            "role": _index(self.roles),
            "locality": _index(self.localities),
            "person": _index(self.people),
            "course": _index(self.courses),
            "booking": _index(self.bookings),
            "timeframe": _index(self.timeframes),
        }
        self._levels_by_number = {level.number: level for level in self.levels}

    def _get(self, kind: str, record_id: str):
        table = self._by_id[kind]
        if not isinstance(record_id, str) or record_id not in table:
            raise UnknownIdError(kind, record_id, list(table))
        return table[record_id]

    def contact(self, contact_id: str) -> Contact:
        return self._get("contact", contact_id)

    def phone(self, phone_id: str) -> Phone:
        return self._get("phone", phone_id)

    def email(self, email_id: str) -> Email:
        return self._get("email", email_id)

    def role(self, role_id: str) -> Role:
        return self._get("role", role_id)

    def locality(self, locality_id: str) -> Locality:
        return self._get("locality", locality_id)

    def person(self, person_id: str) -> Person:
        return self._get("person", person_id)

    def course(self, course_id: str) -> Course:
        return self._get("course", course_id)

    def booking(self, booking_id: str) -> Booking:
        return self._get("booking", booking_id)

    def timeframe(self, timeframe_id: str) -> Timeframe:
        return self._get("timeframe", timeframe_id)

    def level(self, number: int) -> Level:
        if isinstance(number, bool) or number not in self._levels_by_number:
            known = ", ".join(str(n) for n in sorted(self._levels_by_number))
            raise LookupError(
                f"there is no level {number!r}. Levels are numbered {known}: write level(2), with no quotes."
            )
        return self._levels_by_number[number]

    def people_in(self, locality_id: str, role_id: str) -> list[Person]:
        self.locality(locality_id)
        self.role(role_id)
        return [p for p in self.people if p.locality == locality_id and p.role == role_id]

    def contacts_for_topic(self, topic_id: str) -> list[Contact]:
        return [c for c in self.contacts if topic_id in c.topics]

    def abbreviations(self) -> list[Term]:
        return [t for t in self.terms if t.abbreviation]
