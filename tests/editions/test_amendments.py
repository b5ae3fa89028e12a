"""Amendments in words from two versions of the source (handbook/editions/amendments.py, handbook/editions/feed.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from handbook.data.records import Publication
from handbook.editions.amendments import (
    Amendment,
    EditionAmendments,
    data_amendments,
    menu_order,
    moved_amendments,
    page_amendments,
)
from handbook.editions.feed import amendments_feed

FRONT = '---\nowner: "DSCP"\nlast_reviewed: "2026-11-23"\nreview_due: "2027-11-23"\n---\n'
PAGE = FRONT + "# Consent\n\nOpening words.\n\n## Getting consent\n\nAsk the family.\n\n## Refusal\n\nRecord it.\n"


def _texts(found):
    return [a.text for a in found]


def test_a_changed_section_is_named_and_an_untouched_one_is_not():
    changed = PAGE.replace("Record it.", "Record it in Mosaic.")
    found = page_amendments({"consent.md": PAGE}, {"consent.md": changed})
    assert _texts(found) == ['Page "Consent" changed: Refusal']
    assert found[0].page == "consent.md" and found[0].change == "changed"


def test_added_removed_and_renamed_headings_are_reported():
    changed = PAGE.replace("## Refusal", "## When a family refuses").replace("Opening words.", "New opening.")
    (found,) = page_amendments({"consent.md": PAGE}, {"consent.md": changed})
    assert found.headings == ("the opening text", "When a family refuses", "Refusal (removed)")


def test_pages_added_and_removed():
    found = page_amendments({"old.md": PAGE.replace("Consent", "Old")}, {"new.md": PAGE.replace("Consent", "New")})
    assert sorted(_texts(found)) == ['Page "New" added', 'Page "Old" removed']


def test_a_page_only_redated_after_review_has_not_changed():
    redated = PAGE.replace('last_reviewed: "2026-11-23"', 'last_reviewed: "2027-01-05"')
    assert page_amendments({"consent.md": PAGE}, {"consent.md": redated}) == []


def test_recording_a_first_review_is_not_a_change_to_the_page():
    unreviewed = PAGE.replace('last_reviewed: "2026-11-23"\n', "")
    assert unreviewed != PAGE
    assert page_amendments({"consent.md": unreviewed}, {"consent.md": PAGE}) == []


def test_the_editors_changes_note_is_carried_when_it_is_new():
    noted = PAGE.replace("---\n#", 'changes: "Clearer advice on refusal."\n---\n#', 1)
    (found,) = page_amendments({"consent.md": PAGE}, {"consent.md": noted})
    assert found.note == "Clearer advice on refusal."
    # The same note in the next edition, with no other change, is not a new amendment.
    assert page_amendments({"consent.md": noted}, {"consent.md": noted}) == []


def test_a_code_block_heading_is_not_a_section():
    fenced = PAGE + "\n```md\n## Not a heading\n```\n"
    (found,) = page_amendments({"consent.md": PAGE}, {"consent.md": fenced})
    assert found.headings == ("Refusal",)


def _person(email="jane.smith@doncaster.gov.uk", **extra):
    return {"id": "jane-smith", "name": "Jane Smith", "role": "early-help-coordinator", "locality": "north",
            "email": email, "owner": "Team", "last_verified": "2026-11-23", "source": "003", **extra}


ROLES = [{"id": "early-help-coordinator", "name": "Early Help Coordinator"}]
LOCALITIES = [{"id": "north", "name": "North"}]


def test_a_changed_record_is_named_in_words_with_old_and_new_values():
    old = {"coordinators": {"roles": ROLES, "localities": LOCALITIES, "people": [_person()]}}
    moved = _person("jane.smith2@doncaster.gov.uk")
    new = {"coordinators": {"roles": ROLES, "localities": LOCALITIES, "people": [moved]}}
    assert _texts(data_amendments(old, new)) == [
        'North Early Help Coordinator Jane Smith: email changed from "jane.smith@doncaster.gov.uk" to '
        '"jane.smith2@doncaster.gov.uk"']


def test_a_person_is_named_by_the_role_and_locality_names_of_the_data():
    roles = [{"id": "early-help-coordinator", "name": "Family Practitioner"}]
    localities = [{"id": "north", "name": "North Valley"}]
    old = {"coordinators": {"roles": ROLES, "localities": LOCALITIES, "people": [_person()]}}
    new = {"coordinators": {"roles": roles, "localities": localities, "people": []}}
    # A person who has gone is named by the newest names there are; a role renamed is an amendment too.
    assert _texts(data_amendments(old, new)) == [
        'Role "Family Practitioner": name changed from "Early Help Coordinator" to "Family Practitioner"',
        'Locality "North Valley": name changed from "North" to "North Valley"',
        "North Valley Family Practitioner Jane Smith removed"]
    # An edition from before the data had roles: the person's role is named from the newer data.
    old = {"coordinators": {"people": [_person()]}}
    assert "North Valley Family Practitioner Jane Smith removed" in _texts(data_amendments(old, new))


def test_editor_only_fields_are_not_amendments():
    old = {"coordinators": {"people": [_person()]}}
    new = {"coordinators": {"people": [_person(last_verified="2027-01-01", note="Checked by phone.")]}}
    assert data_amendments(old, new) == []


def test_search_words_are_for_reviewers_not_for_readers():
    # data/search.yaml never reaches a page: an edition's amendments leave it out, a reviewer sees it.
    old = {"search": {"synonyms": []}}
    new = {"search": {"synonyms": [{"id": "out-of-hours", "page_words": ["outside office hours"],
                                    "typed_words": ["evenings and weekends"]}]}}
    assert data_amendments(old, new) == []
    assert _texts(data_amendments(old, new, for_readers=False)) == ['Search words "out-of-hours" added']


def test_records_added_and_removed_and_phones_inside_a_contact():
    course = {"id": "outcome-star", "title": "Outcome Star", "provider": "x", "audience": "y", "summary": "z",
              "booking": "b", "listed_in": ["003"], "last_verified": "2026-11-23"}
    contact = {"id": "mash", "name": "MASH Early Help", "phones": [{"id": "main", "label": "Main line",
                                                                    "number": "01302 734110"}]}
    moved = {**contact, "phones": [{"id": "main", "label": "Main line", "number": "01302 737777"}]}
    found = data_amendments({"training": {"courses": []}, "contacts": {"contacts": [contact]}},
                            {"training": {"courses": [course]}, "contacts": {"contacts": [moved]}})
    assert _texts(found) == [
        'Contact "MASH Early Help": phone "Main line" number changed from "01302 734110" to "01302 737777"',
        'Course "Outcome Star" added',
    ]
    assert _texts(data_amendments({"training": {"courses": [course]}}, {"training": {"courses": []}})) == [
        'Course "Outcome Star" removed']


def test_the_feed_has_one_entry_per_published_edition_newest_first():
    history = [
        EditionAmendments("2026.2", "2026-12-01", "2026.1", (Amendment("data", "added", 'Course "<b>X</b>" added'),)),
        EditionAmendments("2026.1", "2026-11-23", ""),
    ]
    publication = Publication("Handbook", "Sub", "DSCP", "https://dscp.org.uk/professionals/early-help", ())
    feed = ET.fromstring(amendments_feed(history, publication, "https://handbook.example.org/latest/"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert [e.find("a:title", ns).text for e in entries] == ["Edition 2026.2", "Edition 2026.1"]
    assert entries[0].find("a:link", ns).get("href") == "https://handbook.example.org/latest/amendments/#edition-2026-2"
    content = entries[0].find("a:content", ns).text
    assert "&lt;b&gt;X&lt;/b&gt;" in content and "<b>" not in content  # data is escaped inside the HTML
    assert feed.find("a:updated", ns).text.startswith("2026-12-01")


def test_a_settings_block_added_or_changed_is_named():
    old = {"site": {"review": {"cycle_months": 12, "due_soon_days": 30}}}
    new = {"site": {"review": {"cycle_months": 6, "due_soon_days": 30}, "checks": {"allowed_capitals": ["NOT"]}}}
    assert _texts(data_amendments(old, new)) == [
        'Setting "review": cycle months changed from "12" to "6"', 'Setting "checks" added']


def test_the_feed_names_an_author_only_for_published_editions_and_claims_no_domain():
    # Only `handbook publish` records that the organisation publishes the handbook (the content
    # review of 2026-12-07, a3, found a working copy's feed naming DSCP, with tag:dscp.org.uk ids).
    ns = {"a": "http://www.w3.org/2005/Atom"}
    publication = Publication("Handbook", "Sub", "DSCP", "https://dscp.org.uk/professionals/early-help", ())
    working = ET.fromstring(amendments_feed([EditionAmendments("", "2026-12-07", "")], publication, ""))
    assert working.find("a:author", ns) is None and working.findall("a:entry", ns) == []
    history = [EditionAmendments("2026.1", "2026-11-23", "")]
    published = ET.fromstring(amendments_feed(history, publication, ""))
    assert published.find("a:author/a:name", ns).text == "DSCP"
    ids = [published.find("a:id", ns).text, published.find("a:entry/a:id", ns).text]
    assert all(i.startswith("urn:uuid:") for i in ids) and ids[0] != ids[1]
    assert ids == [ET.fromstring(amendments_feed(history, publication, "")).find(path, ns).text
                   for path in ("a:id", "a:entry/a:id")]  # the same on every build


# ---- pages moved in the contents -----------------------------------------------------------------

SECTIONS = {"sections": [{"id": "start", "title": "Start here", "grouped": False},
                         {"id": "practice", "title": "Early help practice"},
                         {"id": "end", "title": "About", "grouped": False}]}


def _placed(places: dict[str, tuple[str, int]]) -> dict[str, str]:
    return {uri: f'---\nsection: "{section}"\norder: {order}\n---\n# {uri.removesuffix(".md").capitalize()}\n'
            for uri, (section, order) in places.items()}


def _moved(old: dict, new: dict) -> list[str]:
    old_pages, new_pages = _placed(old), _placed(new)
    return _texts(moved_amendments(menu_order(old_pages, SECTIONS), menu_order(new_pages, SECTIONS), new_pages))


BEFORE = {"index.md": ("start", 10), "a.md": ("practice", 10), "b.md": ("practice", 20), "c.md": ("practice", 30),
          "d.md": ("practice", 40), "z.md": ("end", 10)}


def test_a_page_moved_within_its_section_is_the_only_one_said_to_have_moved():
    # c goes before a: a, b and d kept their order among themselves, so only c moved.
    assert _moved(BEFORE, {**BEFORE, "c.md": ("practice", 5)}) == ['Page "C" moved: now first in "Early help practice"']
    assert _moved(BEFORE, {**BEFORE, "a.md": ("practice", 35)}) == [
        'Page "A" moved: now after "C" in "Early help practice"']


def test_a_page_moved_to_another_section_says_where_it_is_now():
    assert _moved(BEFORE, {**BEFORE, "d.md": ("end", 20)}) == ['Page "D" moved: now after "Z"']
    assert _moved(BEFORE, {**BEFORE, "z.md": ("start", 20)}) == [
        'Page "Z" moved: now after "Index"']
    assert _moved(BEFORE, {**BEFORE, "index.md": ("end", 5)}) == [
        'Page "Index" moved: now after the section "Early help practice"']


def test_renumbering_adding_and_taking_out_pages_moves_nothing():
    renumbered = {uri: (section, order * 3) for uri, (section, order) in BEFORE.items()}
    assert _moved(BEFORE, renumbered) == []
    added = {**BEFORE, "new.md": ("practice", 15)}
    assert _moved(BEFORE, added) == []
    assert _moved(added, BEFORE) == []


def test_the_menu_of_a_version_from_before_the_contents_were_data_is_read_from_its_nav():
    pages = _placed(BEFORE)
    nav = ("site_url: !ENV [HANDBOOK_SITE_URL, \"\"]\nnav:\n  - Home: index.md\n  - Early help practice:\n"
           "      - a.md\n      - b.md\n      - c.md\n      - d.md\n  - z.md\n")
    assert menu_order(pages, {}, nav) == menu_order(pages, SECTIONS)
    assert moved_amendments(menu_order(pages, {}, nav), menu_order(pages, SECTIONS), pages) == []


# ---- pages withdrawn and renamed -----------------------------------------------------------------

def _withdrawn(page: str, **fields: str) -> str:
    lines = "".join(f'  {name}: "{value}"\n' for name, value in fields.items())
    return page.replace("---\n#", f"withdrawn:\n{lines}---\n#", 1)


def test_a_withdrawn_page_is_said_to_be_withdrawn_once_with_why():
    withdrawn = _withdrawn(PAGE, date="2026-12-01", reason="Its guidance is out of date.")
    (found,) = page_amendments({"handbook/consent.md": PAGE}, {"handbook/consent.md": withdrawn})
    assert (found.change, found.text, found.note, found.page) == (
        "withdrawn", 'Page "Consent" withdrawn', "Its guidance is out of date.", "handbook/consent.md")
    # In the next edition it is still withdrawn: nothing new for readers, even if its old text changes.
    assert page_amendments({"handbook/consent.md": withdrawn},
                           {"handbook/consent.md": withdrawn.replace("Ask the family.", "Ask.")}) == []


def test_a_page_replaced_by_another_is_said_to_be_renamed():
    new = PAGE.replace("# Consent", "# Consent and refusal")
    old_pages = {"handbook/consent.md": PAGE}
    new_pages = {"handbook/consent.md": _withdrawn(PAGE, date="2026-12-01", replaced_by="consent-and-refusal"),
                 "handbook/consent-and-refusal.md": new}
    found = page_amendments(old_pages, new_pages)
    assert sorted((a.change, a.text) for a in found) == [
        ("added", 'Page "Consent and refusal" added'),
        ("renamed", 'Page "Consent" renamed: now "Consent and refusal"')]


def test_a_withdrawn_page_leaves_the_menu_without_moving_the_others():
    pages = _placed(BEFORE)
    withdrawn = {**pages, "b.md": _withdrawn(pages["b.md"], date="2026-12-01")}
    assert [uri for uri, _ in menu_order(withdrawn, SECTIONS)] == ["index.md", "a.md", "c.md", "d.md", "z.md"]
    assert moved_amendments(menu_order(pages, SECTIONS), menu_order(withdrawn, SECTIONS), withdrawn) == []
