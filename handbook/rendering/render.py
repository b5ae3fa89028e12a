"""Render functions: typed records in, HTML out. Shared by the site (through macros) and the PDF.

Markup lives in the template partials in handbook/rendering/templates/ (one per kind of output), rendered
with autoescaping on: every value from data is escaped, so HTML typed into a YAML field shows as
text. Links between pages go through a `Links` object because a relative URL depends on the page
it is written into, which the site and the PDF work out differently.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import jinja2
import segno
from markupsafe import Markup

from handbook.cache import template_cache
from handbook.checks.kinds import CHECKS
from handbook.data.colours import DIAGRAM_TEXT
from handbook.data.records import Handbook, Role
from handbook.data.reviews import NOT_SET, STATES, Review, next_planned_update
from handbook.editions.amendments import Amendment, EditionAmendments
from handbook.editions.edition import Edition

TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("handbook.rendering", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    bytecode_cache=template_cache("partials"),
)

# A record's YYYY-MM-DD date as readers read it (long_date is defined below; looked up when used).
TEMPLATES.filters["long_date"] = lambda iso: long_date(dt.date.fromisoformat(iso))

# Generated pages, by the names the render functions link to.
LEVELS_PAGE = "levels-of-need.md"
TRAINING_PAGE = "training.md"
FEED_FILE = "amendments.xml"  # written by handbook.editions.feed
CONTACTS_PAGE = "contacts.md"
GLOSSARY_PAGE = "glossary.md"
QUICK_REFERENCE_PAGE = "quick-reference.md"  # its own PDF is pdf/quick-reference.pdf


@dataclass(frozen=True)
class Links:
    """Turns a docs path plus anchor into an href for the page being rendered."""

    href: Callable[[str, str], str]

    def __call__(self, page: str, anchor: str = "") -> str:
        return self.href(page, anchor)


def _render(template: str, **context) -> Markup:
    # Collapse the template's layout whitespace: Python-Markdown ends an HTML block at a blank
    # line, so block partials must not contain any.
    html = TEMPLATES.get_template(template).render(**context)
    return Markup("\n".join(line for line in html.splitlines() if line.strip()))


def phone(hb: Handbook, phone_id: str) -> Markup:
    return _render("_phone.html", phone=hb.phone(phone_id))


def email(hb: Handbook, email_id: str) -> Markup:
    return _render("_email.html", address=hb.email(email_id).address)


def person(hb: Handbook, person_id: str) -> Markup:
    return _render("_person.html", person=hb.person(person_id))


def hours(hb: Handbook, contact_id: str) -> Markup:
    contact = hb.contact(contact_id)
    if not contact.hours:
        raise LookupError(f'the contact "{contact_id}" has no opening hours in data/contacts.yaml.')
    return _render("_text.html", text=contact.hours)


def contact(hb: Handbook, contact_id: str, heading_level: int = 3, leave_out=None) -> Markup:
    """A contact's card. leave_out names phones or mailboxes of it to leave out, on a page where
    something else already gives them: contact("a-contact", leave_out=["a-phone-id"])."""
    found = hb.contact(contact_id)
    if leave_out is not None:
        if isinstance(leave_out, str):
            leave_out = [leave_out]
        own = [p.id for p in found.phones] + [e.id for e in found.emails]
        if not isinstance(leave_out, (list, tuple)) or not all(isinstance(i, str) for i in leave_out):
            raise TypeError(f'leave_out must be a list of phone or email ids in quotes and square brackets, '
                            f'for example leave_out=["{own[0]}"], not {leave_out!r}.')
        if unknown := [i for i in leave_out if i not in own]:
            raise LookupError(f'the contact "{contact_id}" has no phone or email "{unknown[0]}". '
                              f"Its ids are: {', '.join(own)}.")
        found = replace(found, phones=tuple(p for p in found.phones if p.id not in leave_out),
                        emails=tuple(e for e in found.emails if e.id not in leave_out))
    return _render("_contact_card.html", contact=found, heading=f"h{heading_level}")


def _locality_sections(hb: Handbook, localities, roles: list[Role]) -> list[dict]:
    """Each locality's people by role, and its own team (a contact), if localities have one."""
    return [
        {
            "locality": loc,
            "roles": [(role.name, hb.people_in(loc.id, role.id)) for role in roles],
            "team": hb.contact(loc.team) if loc.team else None,
        }
        for loc in localities
    ]


def _role_ids(hb: Handbook, role_ids, argument: str) -> set[str]:
    """The role ids a page names in `argument`: one id in quotes, or a list of them in square
    brackets. Each must be in the roles list of data/coordinators.yaml."""
    if isinstance(role_ids, str):
        role_ids = [role_ids]
    if not isinstance(role_ids, (list, tuple)) or not all(isinstance(r, str) for r in role_ids):
        raise TypeError(f"{argument} must be a list of role ids in quotes and square brackets, for example "
                        f'{argument}=["{hb.roles[0].id}"], not {role_ids!r}.')
    return {hb.role(role_id).id for role_id in role_ids}


def coordinators(hb: Handbook, locality_id: str | None = None, leave_out=None) -> Markup:
    """Each locality's people, by role in the order of the roles list, and its team mailbox.
    leave_out names roles to leave out, on a page that lists them already with people_by_locality(),
    so nobody is listed twice: coordinators(leave_out=["a-role-id"])."""
    left_out = _role_ids(hb, [] if leave_out is None else leave_out, "leave_out")
    localities = [hb.locality(locality_id)] if locality_id else list(hb.localities)
    roles = [role for role in hb.roles if role.id not in left_out]
    sections = _locality_sections(hb, localities, roles)
    people = [p for section in sections for _, listed in section["roles"] for p in listed]
    teams = [section["team"] for section in sections if section["team"]]
    return _render("_coordinators.html", sections=sections, provenance=provenance(hb, [*people, *teams]))


def people_by_locality(hb: Handbook, role_id: str) -> Markup:
    """A table of the people who hold one role (an id from the roles list of data/coordinators.yaml),
    locality by locality, with their email."""
    role = hb.role(role_id)
    rows = [(loc, hb.people_in(loc.id, role.id)) for loc in hb.localities]
    if not any(people for _, people in rows):
        raise LookupError(f'nobody in data/coordinators.yaml has the role "{role.id}" ({role.name}), so the '
                          "table would be empty. Give the role to the people who hold it, or remove this call.")
    return _render("_people_by_locality.html", role=role, rows=rows)


def locality_teams(hb: Handbook) -> Markup:
    """A table of each locality's own team mailbox (localities[].team in data/coordinators.yaml), its
    column headed with what readers call the team (team_label)."""
    if not any(loc.team for loc in hb.localities):
        raise LookupError("no locality in data/coordinators.yaml has a team, so the table would be empty. Give "
                          "each locality its team (team: and the id of the team's contact in data/contacts.yaml), "
                          "or remove this call.")
    if not hb.team_label:
        raise LookupError("data/coordinators.yaml has no team_label, the heading of this table's column. Add what "
                          'readers call a locality\'s team, for example team_label: "Locality team".')
    rows = [(loc, hb.contact(loc.team)) for loc in hb.localities]
    return _render("_locality_teams.html", label=hb.team_label, rows=rows)


def level(hb: Handbook, number: int, links: Links) -> Markup:
    lvl = hb.level(number)
    return _render("_level_link.html", level=lvl, href=links(LEVELS_PAGE, lvl.id))


def level_summary(hb: Handbook, number: int, links: Links) -> Markup:
    lvl = hb.level(number)
    return _render("_level_summary.html", level=lvl, href=links(LEVELS_PAGE, lvl.id))


def levels_detail(hb: Handbook) -> Markup:
    """Each level in full with who to contact: the body of the levels of need page."""
    levels = [(lvl, [hb.contact(c) for c in lvl.contacts]) for lvl in hb.levels]
    return _render("_levels_detail.html", levels=levels)


def levels_diagram(hb: Handbook, links: Links) -> Markup:
    """The continuum of need as an inline SVG: one labelled band per level, each a link."""
    band_width, band_height, gap = 440, 64, 8
    bands = [
        {"level": lvl, "y": i * (band_height + gap), "href": links(LEVELS_PAGE, lvl.id)}
        for i, lvl in enumerate(hb.levels)
    ]
    height = len(bands) * (band_height + gap) - gap
    numbers = [lvl.number for lvl in hb.levels]
    early = [lvl.number for lvl in hb.levels if lvl.early_help]
    return _render("_levels_diagram.html", bands=bands, width=band_width + 36, height=height,
                   band_width=band_width, band_height=band_height, ink=DIAGRAM_TEXT,
                   first=min(numbers), last=max(numbers), early=early, early_numbers=_in_words(early))


def _in_words(numbers: list[int]) -> str:
    """2 / 2 and 3 / 2, 3 and 4: as a sentence names them."""
    words = [str(n) for n in numbers]
    return " and ".join(words) if len(words) < 3 else ", ".join(words[:-1]) + " and " + words[-1]


def course(hb: Handbook, course_id: str, links: Links) -> Markup:
    c = hb.course(course_id)
    return _render("_course_link.html", course=c, href=links(TRAINING_PAGE, f"course-{c.id}"))


def courses(hb: Handbook) -> Markup:
    entries = [(c, hb.booking(c.booking)) for c in hb.courses]
    return _render("_courses.html", entries=entries, bookings=hb.bookings,
                   register={b.id: hb.contact(b.register_contact) for b in hb.bookings if b.register_contact})


def timeframe(hb: Handbook, timeframe_id: str) -> Markup:
    return _render("_text.html", text=hb.timeframe(timeframe_id).when)


def timeframes(hb: Handbook) -> Markup:
    return _render("_timeframes.html", timeframes=hb.timeframes)


def family_outcomes(hb: Handbook) -> Markup:
    return _render("_list.html", items=hb.outcomes, ordered=True, css="hb-outcomes")


def commitments(hb: Handbook) -> Markup:
    return _render("_list.html", items=hb.commitments, ordered=True, css="hb-commitments")


def glossary(hb: Handbook) -> Markup:
    terms = sorted(hb.terms, key=lambda t: (t.abbreviation or t.term).casefold())
    return _render("_glossary.html", terms=terms)


def provenance(hb: Handbook, records) -> str:
    """Where the details of `records` (contacts and people) come from, for practitioners, while any
    of them has not been checked with its service: "" once all have."""
    unchecked = [r for r in records if not r.verification.last_verified]
    if not unchecked:
        return ""
    named = [title for source_id, title in hb.sources
             if any(re.search(rf"\b{re.escape(source_id)}\b", r.verification.source) for r in unchecked)]
    where = (" and ".join([", ".join(named[:-1]), named[-1]]) if len(named) > 1 else named[0]) if named else ""
    copied = f"copied from {where}" if where else "copied from the documents this handbook was written from"
    if len(unchecked) == len(records):
        return f"These details were {copied}. They have not yet been checked with each service."
    return (f"Details with no date of checking were {copied}, and have not yet been checked with "
            "their service.")


def contacts_directory(hb: Handbook) -> Markup:
    """Every contact and person, by locality and then by topic."""
    by_locality = _locality_sections(hb, hb.localities, list(hb.roles))
    names = {topic.id: topic.name for topic in hb.topics}
    # A contact with several topics is shown in full once, under the first topic its record lists,
    # and named with a link to that card under the others: one card to read and keep right.
    by_topic = [(topic, [(c, "" if c.topics[0] == topic.id else names[c.topics[0]])
                         for c in hb.contacts_for_topic(topic.id)])
                for topic in hb.topics]
    return _render("_contacts_directory.html", by_locality=by_locality, by_topic=by_topic,
                   provenance=provenance(hb, [*hb.contacts, *hb.people]))


def cover_contacts(hb: Handbook) -> Markup:
    """The contacts data/site.yaml names for the PDF cover, as contact cards."""
    return Markup("\n").join(contact(hb, contact_id, heading_level=2) for contact_id in hb.publication.cover_contacts)


def to_confirm(hb: Handbook, text: str) -> Markup:
    """Wording rebuilt from a damaged source, marked on the page and in the PDF as wording to be
    confirmed. Every build lists each use with file:line (macro_calls.wording_to_confirm), so the
    service can be asked, and the mark goes once the wording is confirmed."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError('write the rebuilt wording in quotes inside the brackets: to_confirm("...").')
    return _render("_to_confirm.html", text=" ".join(text.split()))


def urgent_block(hb: Handbook) -> Markup:
    return _render("_urgent.html", urgent=hb.urgent)


def urgent_footer(hb: Handbook) -> str:
    """The urgent lines as one line of plain text, for the footer of every PDF page ("Worried about a
    child? Call Children's Social Care. In office hours: 01302 737777 · ..."). Each label and its
    number are held together with no-break spaces, so the footer wraps only between them."""
    lines = " · ".join(f"{line.label}: {line.phone.display}".replace(" ", "\u00a0") for line in hb.urgent.lines)
    return f"{hb.urgent.footer} {lines}"


# Modules (squares) of quiet space around the QR code: the 4 the QR code standard asks for.
QR_BORDER = 4


def qr_code(address: str, description: str, for_print: bool = False) -> Markup:
    """A QR code of `address` as an inline SVG picture named by `description`, drawn by segno.

    Inline rather than a data: URI, which pages may not use (content_checks); role="img" with the
    <title> segno writes (escaped) makes it one picture with a text alternative, on the site and as
    a tagged Figure in the PDF. make_qr, not make: segno.make picks a Micro QR code for short text,
    which phone cameras do not read. Dark on a white square of its own, so it scans on any page.

    For print, the same SVG as an <img> with its description as alt text: every WeasyPrint tags an
    image as a Figure with its alt text, where 68 and 69 leave an inline SVG untagged."""
    qr = segno.make_qr(address, error="m")
    if for_print:
        picture = qr.svg_data_uri(border=QR_BORDER, omitsize=True, dark="#0b0c0c", light="#ffffff")
        return Markup('<img class="hb-qr-code" src="{}" alt="{}">').format(picture, description)
    svg = qr.svg_inline(
        border=QR_BORDER, omitsize=True, dark="#0b0c0c", light="#ffffff", title=description, svgclass="hb-qr-code")
    if not svg.startswith("<svg "):
        raise ValueError(f"segno wrote an SVG this handbook does not expect: {svg[:40]!r}")
    return Markup('<svg role="img" ' + svg.removeprefix("<svg "))


def quick_reference(hb: Handbook, edition: Edition, live_url: str) -> Markup:
    """The site's Quick reference page: who to ask for early help, every level of need in short
    with who to contact, the key timeframes, and the edition with the live handbook's address and a
    QR code of it. The urgent lines are the banner's, at the top of the same page."""
    return _quick_reference(hb, edition, live_url, for_print=False)


def quick_reference_print(hb: Handbook, edition: Edition, live_url: str) -> Markup:
    """pdf/quick-reference.pdf: the site's page with the urgent lines first, since paper has no
    banner."""
    return _quick_reference(hb, edition, live_url, for_print=True)


def _quick_reference(hb: Handbook, edition: Edition, live_url: str, for_print: bool) -> Markup:
    settings = hb.quick_reference
    return _render(
        "_quick_reference.html", urgent=hb.urgent if for_print else None,
        contacts=[hb.contact(c) for c in settings.contacts],
        levels=[(lvl, [hb.contact(c) for c in lvl.contacts]) for lvl in hb.levels],
        timeframes=[hb.timeframe(t) for t in settings.timeframes], title=hb.publication.title, edition=edition,
        live_url=live_url, qr_code=qr_code(live_url, f"QR code for the live handbook: {live_url}", for_print))


def abbreviation_definitions(hb: Handbook) -> str:
    """Python-Markdown `abbr` lines, so each abbreviation shows its expansion on hover."""
    lines = []
    for term in hb.abbreviations():
        if term.term == term.abbreviation:
            continue  # the sources never expand it; a hover repeating the letters helps nobody
        expansion = term.term.replace("]", ")").replace("\n", " ")
        lines.append(f"*[{term.abbreviation}]: {expansion}")
    return "\n".join(lines)


_ABBR_OR_LINK = re.compile(r"<abbr title=\"([^\"]*)\">([^<]+)</abbr>|<a\b[^>]*>|</a>")


def focusable_first_abbreviations(html: str) -> str:
    """Let keyboard users reach each abbreviation's expansion too, once per page.

    Python-Markdown's abbr extension shows the expansion on hover only. Making every <abbr>
    focusable would add dozens of tab stops to a page, so only the first use of each gets
    tabindex="0"; the theme's tooltip then shows on focus as well as hover. A use inside a link is
    skipped: the link is already a tab stop, and a focusable element inside a link is invalid HTML.
    """
    seen: set[str] = set()
    in_link = False

    def mark(match: re.Match) -> str:
        nonlocal in_link
        tag = match.group(0)
        if not tag.startswith("<abbr"):
            in_link = not tag.startswith("</")
            return tag
        if in_link or match.group(2) in seen:
            return tag
        seen.add(match.group(2))
        return f'<abbr title="{match.group(1)}" tabindex="0">{match.group(2)}</abbr>'

    return _ABBR_OR_LINK.sub(mark, html)


_TASK_LIST_ITEM = re.compile(
    r'(<label class="task-list-control"><input type="checkbox"[^>]*>(?:<span class="task-list-indicator"></span>)?)'
    r"</label>((?:(?!<(?:li|ul|ol|p|div)\b)[^<]|<(?!/?(?:li|ul|ol|p|div)\b))*?)</li>")


def label_task_list_items(html: str) -> str:
    """Put each tick box's text inside its label, so the box has an accessible name (WCAG 1.3.1,
    4.1.2). pymdownx.tasklist closes the label before the text; an item holding a nested list or
    paragraphs is left as it is."""
    return _TASK_LIST_ITEM.sub(lambda m: f"{m.group(1)}{m.group(2)}</label></li>", html)


_WEB_LINK = re.compile(r'<a href="https://([^"]+)"([^>]*)>([^<]+)</a>')


def mark_links_that_show_their_address(html: str) -> str:
    """Mark web links whose text is already their address ("example.org/professionals"), so
    printing a page does not write the address out a second time after them."""

    def mark(match: re.Match) -> str:
        address, attributes, text = match.groups()
        if text.strip().removeprefix("https://").rstrip("/") != address.rstrip("/") or "class=" in attributes:
            return match.group(0)
        return f'<a href="https://{address}" class="hb-url-in-text"{attributes}>{text}</a>'

    return _WEB_LINK.sub(mark, html)


def long_date(day: dt.date) -> str:
    """23 November 2026: the GOV.UK style for dates in text."""
    return f"{day.day} {day:%B %Y}"


def page_information(review: Review, change: Amendment | None = None,
                     current: EditionAmendments | None = None) -> Markup:
    """The block at the end of a chapter: how it changed in this edition (if it did), and its owner,
    the date of its last review and when its next review is due, each only where it is recorded."""
    recorded = []  # plain text: the template escapes it
    if review.owner:
        recorded.append(f"Page owner: {review.owner}.")
    if review.last_reviewed:
        recorded.append(f"Last reviewed {long_date(review.last_reviewed)}.")
    if review.due:
        recorded.append(f"Next review due by {long_date(review.due)}.")
    return _render("_page_info.html", recorded=recorded, change=change, current=current)


def withdrawn_notice(date: dt.date, reason: str, edition: str, home: str,
                     replacement: tuple[str, str] | None = None) -> Markup:
    """What a withdrawn chapter shows in place of its text. `replacement` is (title, href) of the
    chapter that replaces it; `edition` the edition it was withdrawn in ("" when not yet published)."""
    moved = {"title": replacement[0], "href": replacement[1]} if replacement else None
    reason = reason.strip()
    if reason and not reason.endswith((".", "!", "?")):
        reason += "."
    return _render("_withdrawn.html", date=long_date(date), reason=reason, edition=edition, home=home,
                   replacement=moved)


def document_control(hb: Handbook, chapters: list[Review], day: dt.date, links: Links) -> Markup:
    """The editors' list of every chapter and data record, with its review state on `day`."""
    policy = hb.review_policy
    order = {state: i for i, state in enumerate(STATES)}

    def rows(items, never: str):
        return [{"review": r, "state": r.state(day, policy),
                 "last": long_date(r.last_reviewed) if r.last_reviewed else never,
                 "due": long_date(r.due) if r.due else "Not set", "href": links(r.src_uri) if r.src_uri else ""}
                for r in sorted(items, key=lambda r: (order[r.state(day, policy)], r.due or dt.date.max,
                                                      r.kind, r.name))]

    chapter_rows, record_rows = rows(chapters, "Not recorded"), rows(hb.record_reviews, "Not yet")
    counts = {state: sum(1 for row in chapter_rows + record_rows if row["state"] == state) for state in STATES}
    return _render("_document_control.html", chapters=chapter_rows, records=record_rows, counts=counts,
                   chapters_not_set=sum(1 for row in chapter_rows if row["state"] == NOT_SET),
                   records_not_set=sum(1 for row in record_rows if row["state"] == NOT_SET),
                   today=long_date(day), policy=policy)


DECISION_KINDS = {"correction": "Corrects the source", "choice": "Chooses between sources",
                  "reading": "Read from the source"}


def decisions(hb: Handbook, chapters: list[Review], links: Links) -> Markup:
    """Every correction of a source and every choice between sources, from the data's and the
    pages' own `decisions`, with what each source says and why (the editors' Decisions list)."""
    found = [*hb.decisions, *(d for chapter in chapters for d in chapter.decisions)]
    rows = [{"decision": d, "kind": DECISION_KINDS[d.kind], "href": links(d.src_uri) if d.src_uri else ""}
            for d in sorted(found, key=lambda d: (not d.awaiting, list(DECISION_KINDS).index(d.kind), d.where))]
    return _render("_decisions.html", rows=rows)


def next_update(hb: Handbook, chapters: list[Review]) -> Markup:
    """The date of the handbook's next planned update: the earliest chapter review due."""
    day = next_planned_update(chapters)
    if day is None:
        raise LookupError("no chapter has a review_due date in its front matter.")
    return _render("_text.html", text=long_date(day))


def amendments(hb: Handbook, history: list[EditionAmendments], pages: set[str], links: Links) -> Markup:
    """Every edition's amendments, newest first (the amendments page and its PDF appendix)."""
    editions = [{"amendments": edition, "date": long_date(dt.date.fromisoformat(edition.date)),
                 "anchor": f"edition-{edition.edition.replace('.', '-')}" if edition.edition else "unpublished",
                 "rows": [{"item": item, "href": links(item.page) if item.page in pages else ""}
                           for item in edition.items]}
                for edition in history]
    return _render("_amendments.html", editions=editions, feed=links(FEED_FILE))


def check_list(hb: Handbook) -> Markup:
    """Every check of `handbook check` with its severity and advice (the editor guide), from the
    checks' own list, so the guide cannot fall behind them."""
    return _render("_check_list.html", checks=[(name, severity, code_spans(advice))
                                               for name, (severity, advice) in CHECKS.items()])


def code_spans(text: str) -> list[tuple[str, bool]]:
    """`text` split into (part, is code) at its backticks, so advice can show `{{ }}` as code."""
    return [(part, i % 2 == 1) for i, part in enumerate(text.split("`")) if part]


def build_messages(hb: Handbook) -> Markup:
    """Every kind of message that stops a build or a publication, with a real example (the editor
    guide), from the list the tests hold to what the build really prints."""
    from handbook.checks.build_messages import BUILD_MESSAGES, GROUPS

    groups = [({"name": group, "anchor": re.sub(r"[^a-z]+", "-", group.lower()).strip("-")},
               [{"title": m.title, "example": m.example, "advice": code_spans(m.advice),
                 "anchor": re.sub(r"[^a-z0-9]+", "-", m.source.split(":")[-1].lower())}
                for m in BUILD_MESSAGES if m.group == group])
              for group in GROUPS]
    return _render("_build_messages.html", groups=groups)
