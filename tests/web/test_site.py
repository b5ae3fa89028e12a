"""The real handbook, built once per session, checked through a real HTML parser."""

from __future__ import annotations

import importlib.metadata
import json
import re
from urllib.parse import urljoin

from bs4 import BeautifulSoup
from mkdocs.utils.yaml import yaml_load

from conftest import EDITORS_PATHS, ROOT, SITE_TOOL
from handbook.data.load import load_handbook
from handbook.pdf.build import BOOK_PDF
from handbook.project import project_contents

HB = load_handbook(ROOT / "data")
NAV = project_contents(ROOT).nav()
CHAPTERS = sorted(p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs" / "handbook").glob("*.md"))


def _nav_files(items):
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            yield from _nav_files(value)
        else:
            yield value


def _page(pages, src: str):
    if src == "index.md" or src.endswith("/index.md"):
        return pages[src.removesuffix(".md") + ".html"]
    return pages[src.removesuffix(".md") + "/index.html"]


def test_every_page_was_built_by_the_program_the_tests_name(pages):
    """HANDBOOK_SITE_TOOL took effect (a ProperDocs run that built with MkDocs would prove nothing).
    Material names the program in each page's generator tag; ProperDocs gives its name with its
    version, where MkDocs gives the version alone, and that tag is the one difference between the
    pages the two build."""
    version = importlib.metadata.version(SITE_TOOL)
    program = {"mkdocs": f"mkdocs-{version}", "properdocs": f"mkdocs-ProperDocs {version}"}[SITE_TOOL]
    for name, page in pages.items():
        generator = page.select_one('meta[name="generator"]')
        assert generator is not None and generator["content"].startswith(f"{program}, mkdocs-material-"), name


def test_every_chapter_is_in_the_nav():
    assert set(CHAPTERS) <= set(_nav_files(NAV))


def test_every_chapter_is_in_the_built_navigation(pages):
    home = pages["index.html"]
    nav_links = {a.get("href") for a in home.select("nav.md-nav--primary a.md-nav__link")}
    for chapter in CHAPTERS:
        assert f"{chapter.removesuffix('.md')}/" in nav_links, chapter


def test_no_page_leaks_template_syntax_errors_or_none(pages):
    for name, soup in pages.items():
        if name.startswith("editors/"):
            # The editor guide shows macros and messages as code on purpose; only its prose is checked.
            soup = BeautifulSoup(str(soup), "html.parser")
            for code in soup.find_all("code"):
                code.decompose()
        text = soup.get_text(" ")
        for marker in ("{{", "{%", "Traceback", "Macro Rendering Error", "Macro Syntax Error"):
            assert marker not in text, f"{marker!r} in {name}"
        assert not re.search(r"\bNone\b", text), f"stray None in {name}"


def test_urgent_block_is_on_every_page_in_the_same_place(pages):
    for name, soup in pages.items():
        block = soup.select_one(".md-banner .hb-urgent")
        assert block is not None, name
        tels = [a["href"] for a in block.select("a[href^='tel:']")]
        assert tels == [f"tel:{line.phone.tel_uri.removeprefix('tel:')}" for line in HB.urgent.lines], name
        assert "tel:+441302737777" in tels and "tel:+441302796000" in tels and "tel:999" in tels


def test_every_phone_link_is_a_uk_number_from_the_data(pages):
    known = {phone.tel_uri for contact in HB.contacts for phone in contact.phones}
    for name, soup in pages.items():
        for link in soup.select("a[href^='tel:']"):
            assert link["href"] in known, (name, link["href"])


def test_contacts_page_lists_every_contact_and_person(pages):
    page = _page(pages, "contacts.md")
    text = page.select_one("article").get_text(" ")
    hrefs = {a["href"] for a in page.select("article a")}
    for contact in HB.contacts:
        for phone in contact.phones:
            assert phone.tel_uri in hrefs, phone.id
        for email in contact.emails:
            assert f"mailto:{email.address}" in hrefs, email.id
    for person in HB.people:
        assert person.name in text and f"mailto:{person.email}" in hrefs, person.id
    # Grouped by locality, each locality's people inside its own section.
    for locality in HB.localities:
        section = page.select_one(f"#locality-{locality.id}")
        assert section is not None
        for role in HB.roles:
            for person in HB.people_in(locality.id, role.id):
                assert person.name in section.get_text(" ")


def test_levels_page_lists_every_level_with_its_contacts(pages):
    page = _page(pages, "levels-of-need.md")
    for level in HB.levels:
        section = page.select_one(f"section#{level.id}")
        assert section is not None and level.name in section.get_text(" ")
        for contact_id in level.contacts:
            assert HB.contact(contact_id).name in section.get_text(" ")
    # A group named by its title and described by its desc (an image may not hold links); each
    # level's link is named by its visible text, level number and name, so colour is never the only cue.
    svg = page.select_one("figure.hb-levels-diagram svg")
    assert svg["role"] == "group"
    assert svg.find(id=svg["aria-labelledby"]).name == "title"
    assert svg.find(id=svg["aria-describedby"]).name == "desc"
    assert [a["href"] for a in svg.find_all("a")] == [f"#{level.id}" for level in HB.levels]
    for link, level in zip(svg.find_all("a"), HB.levels, strict=True):
        expected = f"Level {level.number} {level.name} {level.colour_name}"
        assert link.get_text(" ", strip=True).split() == expected.split()


def test_levels_diagram_names_only_the_colours_the_source_names(pages):
    # 003 names pink, blue and yellow for levels 1 to 3 and no colour for level 4 (the content review
    # of 2026-12-07, a7, found it called "grey"). The diagram draws every fill and names only those.
    assert [level.colour_name for level in HB.levels] == ["pink", "blue", "yellow", ""]
    for src in ("levels-of-need.md", "handbook/principles.md"):
        svg = _page(pages, src).select_one("figure.hb-levels-diagram svg")
        words = set(re.findall(r"[a-z]+", svg.get_text(" ").lower()))
        assert {"pink", "blue", "yellow"} <= words and not words & {"grey", "gray", "red", "purple"}, src
        assert "Level 4, Statutory Specialist/Child Protection Needs." in svg.desc.get_text(), src


def test_levels_page_labels_each_line_of_a_contact_with_several(pages):
    # Level 4 names Children's Social Care, whose referral line and professionals-only line have the
    # same hours: each number is shown with its label, so a reader can tell which line is which.
    page = _page(pages, "levels-of-need.md")
    checked = 0
    for level in HB.levels:
        section = page.select_one(f"section#{level.id}")
        for contact in (HB.contact(c) for c in level.contacts):
            if len(contact.phones) < 2:
                continue
            for phone in contact.phones:
                link = section.select_one(f"a[href='{phone.tel_uri}']")
                before = str(link.previous_sibling or "")
                assert before.rstrip().endswith(f"{phone.label}:"), (level.id, phone.id, before)
                checked += 1
    assert checked >= 3


def test_training_page_lists_every_course(pages):
    page = _page(pages, "training.md")
    for course in HB.courses:
        section = page.select_one(f"section#course-{course.id}")
        assert section is not None, course.id
        assert course.title in section.get_text(" ")
        assert section.select_one("a[href^='https://']") is not None


def test_pathway_at_a_glance_gives_screening_no_timeframe(pages):
    # 003's "within one working day" is for answering MASH phone messages, not for screening; 003
    # sets no screening timeframe, so the screening row must not borrow it.
    table = _page(pages, "handbook/pathway.md").select_one("article table")
    rows = {tr.find("td").get_text(" ", strip=True): tr for tr in table.select("tbody tr")}
    screening = rows["4. Screening"].get_text(" ", strip=True)
    assert "working day" not in screening and "telephone" not in screening, screening


def test_practitioner_pages_carry_no_notes_on_the_handbooks_making(pages):
    # Readers need what to do, not remarks about how this handbook was put together.
    notes = ("The handbook sets no timeframe", "The copy of the strategy used for this handbook",
             "could not be read at all", "Named in the handbook's terminology list", "carry on on")
    for name, soup in pages.items():
        if name.startswith("editors/"):
            continue
        text = " ".join(soup.select_one("article").get_text(" ").split()) if soup.select_one("article") else ""
        for note in notes:
            assert note not in text, (name, note)


def test_glossary_lists_every_term(pages):
    page = _page(pages, "glossary.md")
    for term in HB.terms:
        entry = page.select_one(f"#term-{term.id}")
        assert entry is not None and term.term in entry.get_text(" "), term.id


def test_abbreviations_show_their_expansion(pages):
    expansions = {t.abbreviation: t.term for t in HB.abbreviations()}
    chapter = _page(pages, "handbook/mash-and-step-up.md")
    abbrs = chapter.select("article abbr")
    assert any(a.get_text() == "MASH" for a in abbrs)
    for abbr in abbrs:
        assert abbr["title"] == expansions[abbr.get_text()]
    # Keyboard users reach each expansion once per page: the first use outside a link (a link is a
    # tab stop already, and may not hold another) is focusable.
    focusable = [a.get_text() for a in abbrs if a.get("tabindex") == "0"]
    outside_links = [a for a in abbrs if a.find_parent("a") is None]
    assert focusable and len(focusable) == len(set(focusable)) == len({a.get_text() for a in outside_links})
    assert outside_links[0].get("tabindex") == "0"
    for page in pages.values():
        assert page.select("a abbr[tabindex]") == []


def test_links_use_only_safe_schemes(pages):
    for name, soup in pages.items():
        for tag in soup.find_all(href=True):
            href = tag["href"]
            scheme = href.split(":", 1)[0].lower() if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", href) else ""
            assert scheme in ("", "https", "mailto", "tel"), (name, href)


def test_no_request_to_another_host(pages):
    for name, soup in pages.items():
        for tag in soup.find_all(["script", "link", "img", "iframe", "source", "video", "audio"]):
            url = tag.get("src") or tag.get("href") or ""
            assert not re.match(r"^(https?:)?//", url), (name, url)


def test_editor_notes_are_never_shown_to_practitioners(site, pages):
    hidden = [c.what for c in HB.confirmations]
    hidden += [c.verification.note for c in HB.contacts if c.verification.note]
    hidden += [p.verification.note for p in HB.people if p.verification.note]
    assert hidden
    for name, soup in pages.items():
        if name.startswith(("editors/", "document-control/")):
            continue  # editors' pages: document control lists what each record still needs confirmed
        text = " ".join(soup.get_text(" ").split())
        for note in hidden:
            assert " ".join(note.split())[:60] not in text, (name, note)
    # ...but every build tells editors what the service must confirm, with file:line.
    for item in HB.confirmations:
        assert f"{item.where}: {item.record_id}: {item.what}" in site.output


def test_every_chapter_starts_with_its_own_text_and_ends_with_its_pdfs_claiming_no_owner_or_review(pages):
    # On a phone the reader meets the chapter first: its title, then its first words. The PDF links
    # come after the text. No chapter records an owner or a planned or past review (no source gives
    # one), so no chapter states one: the content review of 2026-12-07 found an invented "Page
    # owner ... Next review due by" line on 33 pages.
    for chapter in CHAPTERS:
        article = _page(pages, chapter).select_one("article")
        h1 = article.find("h1")
        assert article.get_text(" ", strip=True).startswith(h1.get_text(" ", strip=True)), chapter
        furniture = {"hb-page-info", "hb-reviewed", "hb-amended", "hb-downloads"}
        assert not set(h1.find_next_sibling().get("class") or ()) & furniture, chapter
        assert article.select("div.hb-page-info, p.hb-reviewed") == [], chapter
        text = article.get_text(" ", strip=True)
        assert "Page owner" not in text and "Next review due" not in text, chapter
        downloads = article.select("p.hb-downloads")
        assert len(downloads) == 1 and "Download this page (PDF" in downloads[0].get_text(), chapter
        # Nothing of the chapter after it: only the page actions.
        later = [el for el in downloads[0].find_all_next() if el.find_parent("article") is article]
        assert {tuple(el.get("class") or ()) for el in later if el.parent is article} <= {("hb-page-actions",)}


def test_no_page_says_it_was_reviewed_when_no_review_is_recorded(pages):
    for name, page in pages.items():
        if name.startswith("editors/") or name.startswith("document-control/"):
            continue  # the editor guide and document control explain last_reviewed
        assert "Last reviewed" not in page.get_text(" ") and "last reviewed" not in page.get_text(" "), name


def test_document_control_lists_every_page_and_record_with_its_state(pages):
    page = _page(pages, "document-control.md")
    chapters, records = page.select("table.hb-document-control")
    listed = {a.get_text() for a in chapters.select("tbody td:first-child a")}
    titles = {_page(pages, chapter).select_one("article h1").get_text().rstrip("¶").strip() for chapter in CHAPTERS}
    assert titles <= listed
    assert len(records.select("tbody tr")) == len(HB.record_reviews)
    summary = page.select_one(".hb-document-control-summary").get_text()
    assert summary.startswith("On 23 November 2026, the day this copy was built: 0 overdue")
    # No record has been checked with its service, and those awaiting the service say so: none is
    # "Current" (the content review of 2026-12-07 found all 124 shown so, with a "Last verified"
    # date that was the day they were typed in).
    rows = {tr.select("td")[1].get_text(): [td.get_text() for td in tr.select("td")]
            for tr in records.select("tbody tr")}
    assert {row[3] for row in rows.values()} == {"Not yet"}
    assert {row[5].split(":")[0] for row in rows.values()} == {"Needs confirmation", "Not yet checked"}
    assert rows["ashleigh-chappell"][5].startswith("Needs confirmation: Confirm the address")
    assert rows["ashleigh-chappell"][6] == "003 (Your Early Help Coordinator Team)"
    asked = sum(1 for r in HB.record_reviews if r.needs_confirmation)
    assert f"{asked} records need confirmation by the service" in summary and "0 current" in summary
    # No chapter has a review recorded yet, and the list does not invent one.
    assert {td.get_text() for td in chapters.select("tbody td:nth-child(3)")} == {"Not recorded"}


def test_home_page_states_no_planned_update_that_no_record_shows(pages):
    # No chapter records a planned review, so the home page gives no date for the next update.
    text = " ".join(pages["index.html"].select_one("article").get_text(" ").split())
    assert "next planned update" not in text.lower() and "due by" not in text


def test_the_editor_guide_lists_every_check_from_the_checks_own_list(pages):
    from handbook.checks.kinds import CHECKS

    rows = _page(pages, "editors/checks.md").select("table.hb-check-list tbody tr")
    assert [row.get("id") for row in rows] == [f"check-{name}" for name in CHECKS]
    for row, (severity, advice) in zip(rows, CHECKS.values(), strict=True):
        assert row.select("td")[1].get_text() == severity.capitalize()
        assert row.select("td")[2].get_text() == advice.replace("`", "")
    guide = _page(pages, "editors/index.md")
    linked = {a["href"] for a in guide.select("article a[href]")}
    assert {"checks/", "publishing/", "change-contact/"} <= linked


def test_the_editor_guide_explains_every_message_that_stops_a_build(pages):
    from handbook.checks.build_messages import BUILD_MESSAGES, GROUPS

    listing = _page(pages, "editors/checks.md").select_one(".hb-build-messages")
    assert [h.get_text() for h in listing.select("h3")] == list(GROUPS)
    shown = [(h.get_text(), h.find_next("code").get_text(), h.find_next("code").find_next("p").get_text())
             for h in listing.select("h4")]
    assert shown == [(m.title, m.example, m.advice.replace("`", "")) for m in BUILD_MESSAGES]


def test_every_page_links_the_accessibility_statement_and_the_editors_pages_from_its_footer(pages):
    for name, page in pages.items():
        if name.startswith("search/"):
            continue
        links = [urljoin("/" + name.removesuffix("index.html"), a["href"])
                 for a in page.select(".md-footer .hb-footer-links a")]
        assert links == ["/accessibility/", "/editors/"], (name, links)


def test_the_accessibility_statement_has_what_the_regulations_ask_for(pages):
    page = _page(pages, "accessibility.md")
    headings = [h.get_text(" ", strip=True).removesuffix(" ¶") for h in page.select("article h2, article h3")]
    # The sections of the GOV.UK model statement, and its legally required sentences.
    for needed in ("How accessible this handbook is", "Reporting accessibility problems", "Enforcement procedure",
                   "Technical information about this handbook's accessibility", "Compliance status",
                   "Non-accessible content", "Non-compliance with the accessibility regulations",
                   "Preparation of this accessibility statement"):
        assert needed in headings, needed
    text = " ".join(page.select_one("article").get_text(" ").split())
    for sentence in ("This accessibility statement applies to the Doncaster Early Help Practice Handbook website",
                     "The handbook is built to meet the Public Sector Bodies "
                     "(Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018.",
                     "This website is partially compliant with the Web Content Accessibility Guidelines (WCAG) "
                     "version 2.2 AA standard, due to the non-compliances listed below.",
                     "The content listed below is non-accessible for the following reasons.",
                     "The Equality and Human Rights Commission (EHRC) is responsible for enforcing"):
        assert sentence in text, sentence
    assert "an automated PDF/UA-1 checker finds no errors in them, but no one has yet read them with a screen reader" \
        in " ".join(text.split())
    assert "Equality Advisory and Support Service" in text
    # No record says who runs the site, what they have committed to or how they take complaints
    # (the content review of 2026-12-07, a4): the statement names nobody, and says a contact is
    # still to be named, until the project gives a way to report a problem.
    assert "run by" not in text and "is committed" not in text
    assert page.select_one('article a[href^="https://dscp.org.uk"]') is None
    assert "No contact for accessibility problems has been named for this handbook yet." in text


# The pages for editors: the editor guide and document control, and the maintainers' platform plan
# (mkdocs.yml's not_in_nav).
def _docs_in(folder: str) -> list[str]:
    return sorted(p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs" / folder).glob("*.md"))


MAINTAINERS_PAGES = _docs_in("maintainers")
EDITORS_PAGES = sorted(["document-control.md", *MAINTAINERS_PAGES, *_docs_in("editors")])
# The built pages of those, by the folders they are in ("editors/", "document-control/", ...).
EDITORS_BUILT = tuple(path.removeprefix("/") for path in EDITORS_PATHS)


def _url(src: str) -> str:
    """The address a page is built at, from the site's root: "/editors/sign-in/"."""
    return "/" + src.removesuffix(".md").removesuffix("index").rstrip("/") + ("/" if src != "index.md" else "")


def _links(soup, name: str, selector: str) -> set[str]:
    """Where the links `selector` finds on the page built as `name` go, from the site's root, with
    no #anchor."""
    return {urljoin("/" + name, a["href"]).split("#")[0] for a in soup.select(selector) if a.get("href")}


def test_the_editors_pages_are_in_no_menu_and_no_previous_or_next_link(pages):
    # The content review (d17) found the 12 pages for editors in every practitioner's phone menu.
    assert len(EDITORS_PAGES) == 13 and "editors/index.md" in EDITORS_PAGES
    assert MAINTAINERS_PAGES == ["maintainers/platform-plan.md"]
    editors = {_url(src) for src in EDITORS_PAGES}
    for name, soup in pages.items():
        menus = _links(soup, name, "nav.md-nav--primary a, .md-tabs a, nav.md-footer a")
        assert not menus & editors, (name, sorted(menus & editors))
    # The menus are still there, with every chapter in them.
    menu = _links(pages["handbook/consent/index.html"], "handbook/consent/index.html", "nav.md-nav--primary a")
    assert {_url(chapter) for chapter in CHAPTERS} <= menu


def test_the_editors_pages_are_in_no_search_result(site, pages):
    index = json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    found = {"/" + doc["location"].split("#")[0] for doc in index["docs"]}
    editors = {_url(src) for src in EDITORS_PAGES}
    assert not found & editors, sorted(found & editors)
    # ...while every other page is found.
    others = {"/" + name.removesuffix("index.html") for name in pages if name != "404.html"} - editors
    assert others and others <= found, sorted(others - found)


def test_every_page_s_footer_has_one_link_to_the_editors_pages_which_link_each_other(pages):
    for name, soup in pages.items():
        links = soup.select("footer .md-copyright a")
        for_editors = [a for a in links if a.get_text(" ", strip=True) == "For editors"]
        assert len(for_editors) == 1, name
        assert urljoin("/" + name, for_editors[0]["href"]) == "/editors/", name
    guide = _links(pages["editors/index.html"], "editors/index.html", "article a")
    assert {_url(src) for src in EDITORS_PAGES} - {"/editors/"} <= guide
    for src in EDITORS_PAGES:  # each is still built
        assert _page(pages, src).select_one("article h1") is not None, src


def test_the_maintainers_platform_plan_is_built_but_kept_out_of_the_menus_search_and_pdfs(site, pages):
    # docs/maintainers/platform-plan.md (issue 25) is for the engine's maintainers: built and
    # linked from the editor guide, but kept as the editors' pages are (mkdocs.yml's not_in_nav,
    # and no section in the contents, so no PDF).
    src = "maintainers/platform-plan.md"
    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "/maintainers/" in config["not_in_nav"].split() and project_contents(ROOT).place_of(src) is None
    page = _page(pages, src)
    assert page.select_one("article h1").get_text().startswith("Platform plan")
    url = _url(src)
    for name, soup in pages.items():
        assert url not in _links(soup, name, "nav.md-nav--primary a, .md-tabs a, nav.md-footer a"), name
    index = json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [doc for doc in index["docs"] if ("/" + doc["location"]).startswith(url)]
    # No PDF of its own: its download links offer only the book, which leaves it out (tests/pdf).
    assert [a["data-hb-pdf"] for a in page.select("a[data-hb-pdf]")] == [BOOK_PDF]
    assert not (site.site / "pdf" / "platform-plan.pdf").exists()
    assert url in _links(pages["editors/index.html"], "editors/index.html", "article a")


def test_a_draft_says_so_in_plain_words_and_only_the_editors_pages_name_its_commit(site, pages):
    # The content review (d8): "Working copy (not a published edition), ..., commit 4282b2a15e" on
    # every page's footer; a commit means nothing to a practitioner.
    commit = json.loads((site.site / "edition.json").read_text(encoding="utf-8"))["commit"][:10]
    assert commit
    editors = {name for name in pages if name.startswith(EDITORS_BUILT)}
    assert len(editors) == len(EDITORS_PAGES)
    for name, soup in pages.items():
        stamp = soup.select_one("footer .hb-edition-stamp").get_text()
        if name in editors:
            assert stamp == f"Draft, not a published edition, 23 November 2025, commit {commit}", name
        else:
            assert stamp == "Draft, not a published edition, 23 November 2025", name
            assert commit not in str(soup), name


def test_every_label_names_a_control_on_its_page(pages):
    # Material labels a page's table of contents for the toggle it puts beside the page in the
    # menu; the editors' pages are in no menu, so the toggle is missing (theme_markup.py).
    for name, soup in pages.items():
        missing = [label["for"] for label in soup.select("label[for]") if soup.find(id=label["for"]) is None]
        assert not missing, (name, missing)


def test_materials_search_dialog_has_a_name_on_every_page(pages):
    # Material leaves its role="dialog" unnamed (axe-core's aria-dialog-name); 404.html included.
    assert "404.html" in pages
    for name, soup in pages.items():
        dialogs = soup.select("[role=dialog]")
        assert dialogs and all(d.get("aria-label") == "Search" for d in dialogs), name


def test_every_page_offers_the_offline_copy_and_says_which_edition_it_is(site, pages):
    # handbook/web/service_worker.py writes sw.js; each page registers it (assets/handbook/offline.js).
    assert (site.site / "sw.js").is_file() and (site.site / "assets" / "handbook" / "offline.js").is_file()
    for name, soup in pages.items():
        status = soup.select_one(".md-banner .hb-offline[role=status]")
        assert status is not None and status.get_text(strip=True) == "", name
        assert status["data-hb-offline"].startswith("You are offline. You are reading a draft of "), name
        assert status.has_attr("data-hb-service-worker") and not status.has_attr("data-hb-site-root"), name
        scripts = [s.get("src", "") for s in soup.find_all("script")]
        assert any(src.endswith("assets/handbook/offline.js") for src in scripts), name
        # The search index waits for the reader to go to search; this must run before Material's script.
        order = [i for i, src in enumerate(scripts) if "search-on-demand.js" in src or "bundle." in src]
        assert len(order) == 2 and "search-on-demand.js" in scripts[order[0]], name


def test_every_step_of_the_pathway_says_when(pages):
    # An empty "When" cell reads as "no time limit" or as a gap in the handbook: each step says what
    # the sources say about its timing, or says plainly that no timeframe is set.
    table = _page(pages, "handbook/pathway.md").select_one("article table")
    assert [th.get_text() for th in table.select("thead th")] == ["Stage", "What happens", "When"]
    rows = table.select("tbody tr")
    assert len(rows) == 8
    for row in rows:
        assert row.select("td")[-1].get_text(strip=True), row.select_one("td").get_text()


def test_the_levels_of_need_page_gives_each_descriptor_once(pages):
    # The diagram (names only) and one full version per level; no wide table repeating them.
    article = _page(pages, "levels-of-need.md").select_one("article")
    assert article.select_one("figure.hb-levels-diagram") is not None
    assert article.select_one("table") is None
    text = " ".join(article.get_text(" ").split())
    for level in HB.levels:
        assert text.count(" ".join(level.descriptor.split())) == 1, level.id


def test_the_support_chapter_lists_each_pathway_lead_once(pages):
    text = _page(pages, "handbook/support.md").select_one("article").get_text(" ")
    for person in HB.people:
        assert text.count(person.email) == 1, person.id


def test_the_contacts_page_shows_each_contact_card_once(pages):
    article = _page(pages, "contacts.md").select_one("article")
    names = [h.get_text() for h in article.select(".hb-contact__name")]
    assert len(names) == len(set(names)) == len(HB.contacts)


def test_wording_rebuilt_from_a_damaged_source_is_marked_and_listed_by_the_build(site, pages):
    from handbook.rendering.macro_calls import wording_to_confirm

    found = {src: wording_to_confirm((ROOT / "docs" / src).read_text(encoding="utf-8"))
             for src in (p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md"))}
    # The GP letter's body and declaration, and the consent form's unreadable rows (seed 003).
    assert len(found["handbook/gp-letter.md"]) == 4 and len(found["handbook/consent-form.md"]) == 5
    total = sum(len(uses) for uses in found.values())
    assert f"{total} passages of wording need confirmation by the service" in site.output
    for src, uses in found.items():
        marks = _page(pages, src).select("article .hb-to-confirm") if uses else []
        assert [" ".join(m.select_one(".hb-to-confirm__text").get_text().split()) for m in marks] == \
            [" ".join(BeautifulSoup(wording, "html.parser").get_text().split()) for _, wording in uses]
        for mark in marks:
            assert mark.select_one(".hb-to-confirm__label").get_text() == "Wording to be confirmed:"
        for line, wording in uses:
            assert f'docs/{src}:{line}: "{" ".join(wording.split()[:12])}' in site.output, (src, line)
    declaration = _page(pages, "handbook/gp-letter.md").find(string=re.compile("declare that I have received"))
    assert declaration.find_parent(class_="hb-to-confirm") is not None


def test_no_page_puts_the_level_descriptors_in_a_wide_table(pages):
    # Three columns of 40-60 word cells cannot be read on a phone; the diagram links to each level,
    # given in full once, on the levels of need page.
    for name, page in pages.items():
        for cell in page.select("article table td"):
            text = " ".join(cell.get_text(" ").split())
            assert not any(" ".join(level.descriptor.split()) in text for level in HB.levels), name
