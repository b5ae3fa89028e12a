"""Render functions are plain Python over typed records: tested here without MkDocs."""

from __future__ import annotations

import dataclasses

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from handbook.data.load import load_handbook
from handbook.data.records import UnknownIdError
from handbook.rendering import render

HB = load_handbook(ROOT / "data")
LINKS = render.Links(lambda page, anchor="": f"/{page}#{anchor}")


def soup(html) -> BeautifulSoup:
    return BeautifulSoup(str(html), "html.parser")


def test_phone_is_national_format_with_international_tel_link():
    link = soup(render.phone(HB, "mash-early-help")).a
    assert link.get_text() == "01302 734110"
    assert link["href"] == "tel:+441302734110"


def test_emergency_number_is_dialled_as_written():
    link = soup(render.phone(HB, "emergency")).a
    assert (link.get_text(), link["href"]) == ("999", "tel:999")


def test_email_is_a_mailto_link():
    link = soup(render.email(HB, "short-breaks")).a
    assert link["href"] == "mailto:shortbreaksteam@doncaster.gov.uk"


def test_unknown_id_suggests_the_nearest():
    with pytest.raises(UnknownIdError) as caught:
        render.phone(HB, "mash-earlyhelp")
    assert 'Did you mean "mash-early-help"' in str(caught.value)


def test_html_in_a_data_value_is_escaped():
    contact = HB.contact("short-breaks-team")
    hostile = dataclasses.replace(contact, name='<script>alert("x")</script>', purpose="<b onmouseover=x>bold</b>")
    hb = dataclasses.replace(HB, contacts=tuple(hostile if c.id == contact.id else c for c in HB.contacts))
    html = str(render.contact(hb, "short-breaks-team"))
    parsed = soup(html)
    assert parsed.find("script") is None and parsed.find("b") is None
    assert '<script>alert("x")</script>' in parsed.get_text()
    assert "&lt;script&gt;" in html


def test_level_links_to_its_section():
    link = soup(render.level(HB, 2, LINKS)).a
    assert link["href"] == "/levels-of-need.md#level-2"
    assert link.get_text() == "Level 2 (Targeted Additional Needs)"


def test_unknown_level_explains_how_to_write_it():
    with pytest.raises(LookupError, match="no quotes"):
        render.level(HB, "2", LINKS)


def test_levels_diagram_has_text_for_every_level():
    svg = soup(render.levels_diagram(HB, LINKS)).svg
    text = svg.get_text(" ")
    for level in HB.levels:
        assert f"Level {level.number}" in text
    assert len(svg.find_all("a")) == len(HB.levels)


def test_block_output_has_no_blank_lines():
    # Python-Markdown ends a raw HTML block at a blank line; the rest would be parsed as Markdown.
    for html in (render.contacts_directory(HB), render.courses(HB), render.levels_detail(HB),
                 render.coordinators(HB), render.glossary(HB)):
        assert "\n\n" not in str(html)


def test_coordinators_for_one_locality():
    section = soup(render.coordinators(HB, "central"))
    text = section.get_text(" ")
    assert "Natasha Watts" in text and "Laura Brown" in text and "Lindsey Swain" in text
    assert "Jackie Ward" not in text


def test_abbreviation_definitions_cover_every_abbreviation():
    lines = render.abbreviation_definitions(HB).splitlines()
    expanded = [t for t in HB.abbreviations() if t.term != t.abbreviation]
    assert len(lines) == len(expanded) and expanded
    mash = HB.abbreviations()[[t.abbreviation for t in HB.abbreviations()].index("MASH")]
    assert f"*[MASH]: {mash.term}" in lines


def test_an_emergency_number_never_shows_a_teams_office_hours():
    team = HB.contact("childrens-social-care")
    with_999 = dataclasses.replace(team, phones=(*team.phones, HB.phone("emergency")))
    hb = dataclasses.replace(HB, contacts=tuple(with_999 if c.id == team.id else c for c in HB.contacts))
    lines = [li.get_text(" ", strip=True) for li in soup(render.contact(hb, team.id)).find_all("li")]
    assert any(line.endswith("01302 737777 (8.30am to 5pm, Monday to Friday)") for line in lines)
    assert any(line.endswith(": 999") for line in lines), lines


def test_a_tick_boxs_text_goes_inside_its_label():
    item = ('<li class="task-list-item"><label class="task-list-control"><input type="checkbox" disabled/>'
            '<span class="task-list-indicator"></span></label> One parent has <abbr title="x">EHA</abbr></li>')
    label = soup(render.label_task_list_items(item)).find("label")
    assert label.get_text(" ", strip=True) == "One parent has EHA" and label.find("input")
    nested = item.replace("</li>", "<ul><li>more</li></ul></li>")
    assert render.label_task_list_items(nested) == nested


def test_a_link_whose_text_is_its_address_is_marked_so_print_does_not_repeat_it():
    html = ('<a href="https://dscp.org.uk/professionals/">dscp.org.uk/professionals</a> '
            '<a href="https://dscp.org.uk/">the partnership</a>')
    links = soup(render.mark_links_that_show_their_address(html)).find_all("a")
    assert [link.get("class") for link in links] == [["hb-url-in-text"], None]


def test_an_abbreviation_inside_a_link_is_never_made_focusable():
    html = '<a href="x/"><abbr title="Hub">MASH</abbr></a> then <abbr title="Hub">MASH</abbr>'
    abbrs = soup(render.focusable_first_abbreviations(html)).find_all("abbr")
    assert [a.get("tabindex") for a in abbrs] == [None, "0"]


def test_the_directory_shows_a_contact_with_several_topics_once_and_links_to_it_from_the_others():
    directory = soup(render.contacts_directory(HB))
    for contact in HB.contacts:
        cards = directory.select(f"div.hb-contact#contact-{contact.id}")
        assert len(cards) == 1, contact.id
        assert cards[0].find_parent("section")["id"] == f"topic-{contact.topics[0]}"
        for topic in contact.topics[1:]:
            link = directory.select_one(f'#topic-{topic} a[href="#contact-{contact.id}"]')
            assert link is not None and link.get_text() == contact.name, (contact.id, topic)
    assert any(len(c.topics) > 1 for c in HB.contacts)  # the duty line is under two topics


def test_coordinators_can_leave_out_a_role():
    leads = [p.name for p in HB.people if p.role == "pathway-lead"]
    assert all(name in soup(render.coordinators(HB)).get_text(" ") for name in leads)
    without = soup(render.coordinators(HB, leave_out=["pathway-lead"])).get_text(" ")
    assert not any(name in without for name in leads) and "Early Help Pathway Lead" not in without
    assert all(p.name in without for p in HB.people if p.role == "early-help-coordinator")
    # One id in quotes does for a list of one.
    assert str(render.coordinators(HB, leave_out="pathway-lead")) == str(render.coordinators(
        HB, leave_out=["pathway-lead"]))


def test_a_contact_card_can_leave_out_the_lines_the_page_gives_already():
    # The introduction shows Children's Social Care's card without the two lines every page's
    # "Worried about a child?" banner gives, so a phone's first screen does not show them twice.
    full = soup(render.contact(HB, "childrens-social-care")).get_text(" ")
    card = soup(render.contact(HB, "childrens-social-care", leave_out=["csc-referral", "csc-out-of-hours"]))
    text = card.get_text(" ")
    assert "01302 737777" in full and "01302 796000" in full
    assert "01302 737777" not in text and "01302 796000" not in text
    assert "Professionals-only line" in text and "01302 737033" in text
    assert [a["href"] for a in card.select("a")] == ["tel:+441302737033", "mailto:" + HB.email("csc").address]
    assert str(render.contact(HB, "childrens-social-care", leave_out="csc")) == str(render.contact(
        HB, "childrens-social-care", leave_out=["csc"]))


@pytest.mark.parametrize("leave_out, message", [
    (["mash-early-help"], 'the contact "childrens-social-care" has no phone or email "mash-early-help". '
                          "Its ids are: csc-referral, csc-professionals, csc-out-of-hours, csc."),
    ({"csc": 1}, 'leave_out must be a list of phone or email ids in quotes and square brackets, for example '
                 'leave_out=["csc-referral"]'),
])
def test_a_contact_card_refuses_to_leave_out_what_it_does_not_have(leave_out, message):
    with pytest.raises((LookupError, TypeError)) as caught:
        render.contact(HB, "childrens-social-care", leave_out=leave_out)
    assert message in str(caught.value)


def test_coordinators_show_the_roles_in_the_order_of_the_roles_list_with_their_names_from_data():
    section = soup(render.coordinators(HB, "north"))
    shown = [dt.get_text() for dt in section.find_all("dt")]
    names = [role.name for role in HB.roles]
    assert [name for name in shown if name in names] == names


@pytest.mark.parametrize("leave_out, message", [
    (["pathway-leads"], 'there is no role with the id "pathway-leads". Did you mean "pathway-lead"'),
    (False, 'leave_out must be a list of role ids in quotes and square brackets, for example leave_out=["'),
    ([1], "leave_out must be a list of role ids"),
])
def test_coordinators_refuse_a_role_that_is_not_in_the_roles_list(leave_out, message):
    with pytest.raises((LookupError, TypeError)) as caught:
        render.coordinators(HB, leave_out=leave_out)
    assert message in str(caught.value)


def test_people_by_locality_lists_one_roles_people_with_the_roles_name_as_the_heading():
    table = soup(render.people_by_locality(HB, "pathway-lead"))
    assert table.div["class"] == ["hb-table", "hb-people-by-locality"]
    assert [th.get_text() for th in table.select("thead th")] == ["Locality", "Early Help Pathway Lead", "Email"]
    rows = [[cell.get_text() for cell in row.find_all(["th", "td"])] for row in table.select("tbody tr")]
    leads = [p for p in HB.people if p.role == "pathway-lead"]
    by_locality = [(HB.locality(p.locality).name, p.name,
                    p.email + (" (to be confirmed)" if "email" in p.unconfirmed else ""))
                   for loc in HB.localities for p in leads if p.locality == loc.id]
    assert [tuple(row) for row in rows] == by_locality and len(rows) == 4


def test_a_corrected_or_inferred_detail_is_marked_to_be_confirmed_until_the_service_confirms_it():
    # 003 prints ashleigh.chappel@doncater.gov.uk; the handbook corrects it, and gives Central's Your
    # Place Your Family contact a name read from the address (the content review of 2026-12-07, a8, a9).
    ashleigh, christian = HB.person("ashleigh-chappell"), HB.person("christian-brownless")
    assert (ashleigh.unconfirmed, christian.unconfirmed) == (("email",), ("name",))
    marked = soup(render.person(HB, "ashleigh-chappell")).select_one(".hb-person")
    assert marked.get_text() == "Ashleigh Chappell (ashleigh.chappell@doncaster.gov.uk (to be confirmed))"
    listed = soup(render.coordinators(HB, "central")).get_text(" ")
    assert "Christian Brownless (to be confirmed) :" in " ".join(listed.split())
    # A choice between sources (Nina Hilton, the third North name) is not marked: the record is the
    # source's own words.
    assert "to be confirmed" not in soup(render.person(HB, "nina-hilton")).get_text()
    confirmed = dataclasses.replace(HB, people=tuple(dataclasses.replace(p, unconfirmed=()) for p in HB.people))
    assert "to be confirmed" not in soup(render.coordinators(confirmed)).get_text()


def test_the_decisions_list_gives_every_source_reading_the_choice_and_the_reason():
    table = soup(render.decisions(HB, [], lambda page, anchor="": page))
    rows = {row.select("td")[0].get_text(): row for row in table.select("tbody tr")}
    ashleigh = rows["ashleigh-chappell in coordinators.yaml: email"]
    cells = [td.get_text(" ", strip=True) for td in ashleigh.select("td")]
    assert cells[1] == "Corrects the source"
    assert "ashleigh.chappel@doncater.gov.uk" in cells[2] and cells[3] == "ashleigh.chappell@doncaster.gov.uk"
    assert cells[5].startswith("Confirm the address") and cells[6].startswith("data/coordinators.yaml:")
    assert len(rows) == len(HB.decisions)
    # Waiting for the service first.
    waiting = [bool(d.awaiting) for d in sorted(HB.decisions, key=lambda d: not d.awaiting)]
    assert [row.select("td")[5].get_text() != "Nothing recorded" for row in table.select("tbody tr")] == waiting
    assert "No decision is recorded" in soup(render.decisions(dataclasses.replace(HB, decisions=()), [],
                                                               lambda page, anchor="": page)).get_text()


def test_contact_lists_say_where_their_details_come_from_until_each_is_checked():
    text = soup(render.contacts_directory(HB)).select_one(".hb-provenance").get_text()
    assert text == ("These details were copied from the Early Help Practice Handbook and Doncaster Council's Early "
                    "Help page for professionals (February 2024). They have not yet been checked with each service.")
    checked = dataclasses.replace(HB, contacts=tuple(
        dataclasses.replace(c, verification=dataclasses.replace(c.verification, last_verified="2026-12-01"))
        for c in HB.contacts), people=tuple(
        dataclasses.replace(p, verification=dataclasses.replace(p.verification, last_verified="2026-12-01"))
        for p in HB.people))
    html = soup(render.contacts_directory(checked))
    assert html.select_one(".hb-provenance") is None
    assert "Checked with the service on 1 December 2026." in html.get_text()


def test_people_by_locality_fails_on_an_unknown_role_or_one_nobody_holds():
    with pytest.raises(UnknownIdError, match='there is no role with the id "pathway_lead". Did you mean'):
        render.people_by_locality(HB, "pathway_lead")
    nobody = dataclasses.replace(HB, people=tuple(p for p in HB.people if p.role != "pathway-lead"))
    with pytest.raises(LookupError, match='nobody in data/coordinators.yaml has the role "pathway-lead"'):
        render.people_by_locality(nobody, "pathway-lead")


def test_page_information_gives_the_owner_and_next_review_and_a_last_review_only_once_recorded():
    from handbook.data.reviews import chapter_review

    front = 'owner: "DSCP"\nreview_due: "2027-11-23"\n'
    unreviewed, _ = chapter_review(f"---\n{front}---\n# A\n", "a.md", "docs/a.md")
    block = soup(render.page_information(unreviewed))
    assert block.div["class"] == ["hb-page-info"]
    assert block.get_text(" ", strip=True) == "Page owner: DSCP. Next review due by 23 November 2027."
    reviewed, _ = chapter_review(f'---\n{front}last_reviewed: "2027-01-05"\n---\n# A\n', "a.md", "docs/a.md")
    assert "Last reviewed 5 January 2027." in soup(render.page_information(reviewed)).get_text(" ")


def test_page_information_states_only_what_the_front_matter_records():
    from handbook.data.reviews import chapter_review

    nothing, _ = chapter_review("# A\n", "a.md", "docs/a.md")
    assert str(render.page_information(nothing)).strip() == ""
    only_reviewed, _ = chapter_review('---\nlast_reviewed: "2027-01-05"\n---\n# A\n', "a.md", "docs/a.md")
    assert soup(render.page_information(only_reviewed)).get_text(" ", strip=True) == "Last reviewed 5 January 2027."
    owned, _ = chapter_review('---\nowner: "<b>Team</b>"\n---\n# A\n', "a.md", "docs/a.md")
    block = soup(render.page_information(owned))
    assert block.p.get_text() == "Page owner: <b>Team</b>." and block.b is None  # escaped, not markup


def test_wording_to_be_confirmed_is_marked_in_words_and_escaped():
    mark = soup(render.to_confirm(HB, "I, [name of GP], <b>declare</b>\n that ..."))
    label = mark.select_one(".hb-to-confirm > strong.hb-to-confirm__label")
    assert label.get_text() == "Wording to be confirmed:"  # in words, not by colour or line alone
    assert mark.select_one(".hb-to-confirm__text").get_text() == "I, [name of GP], <b>declare</b> that ..."
    assert mark.find("b") is None and "\n" not in str(render.to_confirm(HB, "a\nb"))  # one line: fits a table cell
    with pytest.raises(ValueError, match="in quotes"):
        render.to_confirm(HB, "  ")


def test_the_wording_to_confirm_is_found_at_its_line():
    from handbook.rendering.macro_calls import wording_to_confirm

    page = '---\nowner: "T"\n---\n# A\n\n| {{ to_confirm("Related  person") }} | |\n\n{{ phone("x") }}\n'
    assert wording_to_confirm(page) == [(6, "Related person")]
    assert wording_to_confirm("{{ to_confirm(") == []  # the macro-call check reports this one


def test_locality_teams_heads_its_column_with_the_datas_label():
    table = soup(render.locality_teams(HB))
    assert table.div["class"] == ["hb-table", "hb-locality-teams"]
    assert [th.get_text() for th in table.select("thead th")] == ["Locality", HB.team_label]
    assert HB.team_label == "Your Place Your Family team"
    rows = [tuple(cell.get_text() for cell in row.find_all("td")) for row in table.select("tbody tr")]
    assert rows == [(loc.name, ", ".join(e.address for e in HB.contact(loc.team).emails)) for loc in HB.localities]


def test_without_teams_the_coordinators_show_none_and_locality_teams_fails_with_what_to_do():
    no_teams = dataclasses.replace(HB, localities=tuple(dataclasses.replace(loc, team="") for loc in HB.localities))
    assert "mailto:" + HB.contact(HB.locality("north").team).emails[0].address not in str(
        render.coordinators(no_teams, "north"))
    assert "Jackie Ward" not in str(render.coordinators(no_teams, "north"))  # she is South's
    with pytest.raises(LookupError, match="no locality in data/coordinators.yaml has a team"):
        render.locality_teams(no_teams)
    with pytest.raises(LookupError, match='has no team_label.*for example team_label: "Locality team"'):
        render.locality_teams(dataclasses.replace(HB, team_label=""))
