"""The handbook in a real browser: Debian's Chromium driven by Playwright, against the built site
served on localhost. Accessibility (axe-core, keyboard), search, phones, contacts, print, the 404
page, and no request to any other host (every context refuses and records them)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from browser import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    assert_accessible,
    axe_violations,
    clipped_by_text_spacing,
    describe,
    focus_stop,
    guarded_context,
    on_first_screen,
    open_page,
    problems_on_each_page,
    tab_stops,
    without_motion,
)
from conftest import EDITORS_PATHS, FIXTURES, ROOT
from handbook.data.load import load_handbook

HB = load_handbook(ROOT / "data")
# A UK phone number as a reader sees it (01302 734110, 0300 123 4567, 999): our own pattern, as in
# handbook/checks/content.py, to find any number on a page that is not a tel: link.
PHONE_TEXT = re.compile(r"(?<![\w/.])(?:0\d{3,4}\s?\d{3}\s?\d{3,4}|999)(?![\w/])")


# Accessibility ---------------------------------------------------------------------------------

@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_every_page_has_no_wcag_violations(request, origin, site_paths, size):
    page = request.getfixturevalue(size).context.new_page()
    failures = problems_on_each_page(page, origin, site_paths, lambda page: describe(axe_violations(page)))
    assert not failures, "\n".join(f"{path}\n{text}" for path, text in failures.items())


@pytest.mark.parametrize("opened", ["Menu", "Search"])
def test_the_open_menu_and_search_have_no_wcag_violations_on_a_phone(phone, origin, opened):
    page = phone.context.new_page()
    open_page(page, origin + "/handbook/consent/")
    without_motion(page)
    page.get_by_role("button", name=opened).click()
    if opened == "Search":
        page.keyboard.type("consent")
        page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=10_000)
    assert_accessible(page, f"{opened} open on a phone")


def test_links_under_the_pointer_or_with_the_focus_keep_their_contrast(desktop, origin):
    # Material colours links and menu items under the pointer or with the focus in its accent
    # colour; axe-core judges the page as it is, so point at and focus each kind in turn.
    page = desktop.context.new_page()
    open_page(page, origin + "/handbook/consent/")
    without_motion(page)
    for link in (".md-sidebar--primary a.md-nav__link[href$='principles/']", "article a[href^='../']",
                 ".md-sidebar--secondary a.md-nav__link", ".md-banner a[href^='tel:']"):
        page.locator(link).first.hover()
        assert_accessible(page, f"pointing at {link}")
        page.mouse.move(0, 0)
        page.locator(link).first.focus()
        assert_accessible(page, f"focus on {link}")


def test_the_404_page_has_no_wcag_violations(desktop, origin):
    page = desktop.context.new_page()
    response = open_page(page, origin + "/no-such-page/")
    assert response.status == 404
    assert_accessible(page)


def test_search_results_have_no_wcag_violations(desktop, origin):
    page = desktop.context.new_page()
    _search(page, origin, "consent")
    assert_accessible(page, "search results for 'consent'")


def test_the_accessibility_test_fails_on_a_broken_page(desktop):
    # The fixture has a picture with no alt text and pale text: the same check must reject it.
    page = desktop.context.new_page()
    page.set_content((FIXTURES / "browser" / "inaccessible.html").read_text(encoding="utf-8"))
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, "the broken fixture")
    assert "image-alt" in str(failure.value) and "color-contrast" in str(failure.value)


def test_the_skip_link_is_the_first_tab_stop_and_moves_to_the_content(desktop, origin):
    page = desktop.context.new_page()
    open_page(page, origin + "/handbook/consent/")
    page.keyboard.press("Tab")
    focused = page.evaluate("({text: document.activeElement.textContent.trim(),"
                            " href: document.activeElement.getAttribute('href')})")
    assert focused["text"] == "Skip to content"
    # Material fades the link in once it has focus.
    page.wait_for_function("getComputedStyle(document.activeElement).opacity === '1'", timeout=5_000)
    page.keyboard.press("Enter")
    target = focused["href"].lstrip("#")
    # The address changes within the page, and Playwright hears of that a moment later: wait for it
    # (a time-out fails the test as an assertion would). The same below, for each link in a page.
    page.wait_for_url(lambda url: urlsplit(url).fragment == target, timeout=5_000)
    assert page.locator(f"#{target}").is_visible()


# Sizes a keyboard user may have: a desktop, a tablet or a narrow desktop window (where Material's
# menu becomes a drawer), a phone, and a 1280-pixel screen zoomed to 400%.
KEYBOARD_SIZES = {"desktop": DESKTOP, "tablet": {"width": 1024, "height": 768}, "phone": PHONE,
                  "zoom-400": {"width": 320, "height": 640}}


@pytest.mark.parametrize("size", KEYBOARD_SIZES)
def test_every_tab_stop_can_be_seen_going_forwards_and_backwards(browser, origin, size):
    for guarded in guarded_context(browser, origin, viewport=KEYBOARD_SIZES[size]):
        page = guarded.context.new_page()
        unseen = {}
        for path in ("/handbook/consent/", "/levels-of-need/", "/contacts/"):
            open_page(page, origin + path)
            stops = tab_stops(page, "Tab")
            assert len(stops) > 20, (path, stops)
            stops += tab_stops(page, "Shift+Tab")
            menu = page.get_by_role("button", name="Menu")
            if menu.is_visible():  # the drawer, from the item the menu button focuses to the page after it
                menu.focus()
                page.keyboard.press("Enter")
                stops += [focus_stop(page)] + tab_stops(page, "Tab")
            bad = [stop for stop in stops if not (stop["seen"] and stop["ring"] != "none" and stop["ring"] >= 3)]
            if bad:
                unseen[path] = bad
        assert not unseen, "\n".join(f"{path}: {len(bad)} stops, first {bad[:3]}" for path, bad in unseen.items())


def _tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the focus is on the element `selector` names."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


def _focused_name(page) -> str:
    return page.evaluate("document.activeElement.getAttribute('aria-label')"
                         " || document.activeElement.textContent.replace(/\\s+/g, ' ').trim()")


def _open_by_keyboard(page, url: str, button_name: str):
    """Open `url`, Tab to the header button named `button_name`, press Enter, and return the
    button, having checked that it says it was closed and is now open."""
    open_page(page, url)
    without_motion(page)
    button = page.get_by_role("button", name=button_name)
    assert button.get_attribute("aria-expanded") == "false"
    _tab_to(page, f"button[aria-label={button_name}]")
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    return button


def test_the_menu_works_with_the_keyboard_on_a_phone(phone, origin):
    page = phone.context.new_page()
    menu = _open_by_keyboard(page, origin + "/handbook/consent/", "Menu")
    # The drawer opens at this chapter's section, with the focus on the way back up.
    assert _focused_name(page) == "Back from Early help practice"
    page.keyboard.press("Enter")
    assert _focused_name(page) == "Early help practice"
    contacts = page.locator(".md-sidebar--primary a.md-nav__link[href$='contacts/']")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert _focused_name(page) == "Contacts" and focus_stop(page)["seen"]
    # Into a section and out again with the keyboard: Space, like Enter, works the labels.
    _tab_to(page, "label.md-nav__link[for^='__nav_']")
    page.keyboard.press(" ")
    assert _focused_name(page) == "Back from Early help practice" and focus_stop(page)["seen"]
    page.keyboard.press(" ")
    # Escape closes the drawer and gives the focus back to the menu button.
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    assert _focused_name(page) == "Menu"
    assert not contacts.is_visible()
    # Open again and follow a link, by keyboard alone.
    page.keyboard.press("Enter")
    _tab_to(page, ".md-sidebar--primary a.md-nav__link[href$='contacts/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == "/contacts/"


def test_the_menu_opens_this_page_s_contents_with_the_keyboard_on_a_phone(phone, origin):
    page = phone.context.new_page()
    _open_by_keyboard(page, origin + "/handbook/consent/", "Menu")
    _tab_to(page, "label[for='__toc']")
    assert _focused_name(page) == "Consent, refusal and competence: contents of this page"
    page.keyboard.press("Enter")
    assert _focused_name(page) == "Back from Table of contents"
    _tab_to(page, ".md-sidebar--primary a.md-nav__link[href='#gillick-competency-and-fraser-guidelines']")
    assert focus_stop(page)["seen"]
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).fragment == "gillick-competency-and-fraser-guidelines",
                      timeout=5_000)


def test_the_search_opens_with_the_keyboard_on_a_phone(phone, origin):
    page = phone.context.new_page()
    _open_by_keyboard(page, origin + "/handbook/introduction/", "Search")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    assert page.locator("input.md-search__input").is_visible()
    # Its focus ring is dark: the phone's search is white all over.
    assert page.evaluate("getComputedStyle(document.activeElement).outlineColor") == "rgb(11, 12, 12)"
    page.keyboard.type("Gillick")
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=10_000)
    # Escape closes the search and gives the focus back to its button, not to the page.
    page.keyboard.press("Escape")
    assert _focused_name(page) == "Search"
    assert not page.locator("input.md-search__input").is_visible()
    page.keyboard.press("Enter")
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=10_000)
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == "/handbook/consent/"


def test_single_key_shortcuts_do_nothing(desktop, origin):
    # WCAG 2.1.4: Material's own one-key shortcuts (n and . for the next page, p and , for the
    # previous one, s, f and / for search) are turned off by assets/accessibility.js.
    page = desktop.context.new_page()
    open_page(page, origin + "/handbook/consent/")
    for key in ("n", ".", "p", ",", "s", "f", "/"):
        page.keyboard.press(key)
        page.wait_for_timeout(150)  # Material acts on these at once; give it the chance to
        assert urlsplit(page.url).path == "/handbook/consent/", key
        assert page.evaluate("document.activeElement === document.body"), key
    # Typing into a box is untouched.
    page.locator("input.md-search__input").click()
    page.keyboard.type("n.p,sf/")
    assert page.locator("input.md-search__input").input_value() == "n.p,sf/"


def test_the_tab_stop_walk_fails_on_a_faint_focus_ring_and_a_link_off_the_screen(desktop):
    page = desktop.context.new_page()
    page.set_content((FIXTURES / "browser" / "hidden-focus.html").read_text(encoding="utf-8"))
    faint, off_screen = tab_stops(page)
    assert faint["text"] == "A faint focus ring" and faint["seen"] and faint["ring"] < 3
    assert off_screen["text"] == "Off the screen" and not off_screen["seen"]


def _search(page, origin: str, query: str) -> list[str]:
    """Type `query` into the site's search and return the result pages, best first."""
    open_page(page, origin + "/")
    # Typed key by key: Material's search reads the box on each key press, not on a pasted value.
    page.locator("input.md-search__input").press_sequentially(query)
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=10_000)
    links = page.locator(".md-search-result__list > .md-search-result__item > .md-search-result__link")
    return [urlsplit(href).path for href in links.evaluate_all("els => els.map(a => a.href)")]


@pytest.mark.parametrize(("query", "chapter"), [
    ("MASH", "/handbook/mash-and-step-up/"),
    ("Gillick", "/handbook/consent/"),
    ("Outcome Star", "/handbook/assessment/"),
    ("step down", "/handbook/when-is-it-early-help/"),
    ("consent", "/handbook/consent/"),
])
def test_search_puts_the_right_chapter_in_the_top_three(desktop, origin, query, chapter):
    results = _search(desktop.context.new_page(), origin, query)
    assert chapter in results[:3], results[:5]


def test_search_tells_screen_readers_how_many_results_it_found(desktop, origin):
    # WCAG 4.1.3: the count Material shows must be in a status region, which screen readers
    # announce without moving the focus; it is empty until a search is typed.
    page = desktop.context.new_page()
    open_page(page, origin + "/")
    status = page.locator(".md-search [role=status]")
    assert status.text_content(timeout=5_000) == ""
    _search(page, origin, "Gillick")
    expect_count = re.compile(r"^\d+ matching documents?$")
    page.wait_for_function("s => document.querySelector(s).textContent !== ''", arg=".md-search [role=status]")
    assert expect_count.match(status.text_content()), status.text_content()
    assert status.text_content() == page.locator(".md-search-result__meta").text_content().strip()


def test_search_puts_the_support_chapter_first_and_never_the_editor_guide(desktop, origin):
    # "Add or retire a coordinator" (editor guide) once came first for "coordinator".
    results = _search(desktop.context.new_page(), origin, "coordinator")
    assert results[0] == "/handbook/support/", results[:5]
    # The guide is for editors, reached from every page's footer, not from the search.
    published = _search(desktop.context.new_page(), origin, "publish")
    assert not [path for path in results + published if path.startswith(EDITORS_PATHS)]


@pytest.mark.parametrize(("query", "abbreviation", "expansion"), [
    ("team around the family", "TAF", "Team Around the Family"),
    ("GCP2", "GCP2", "Graded Care Profile 2"),
])
def test_search_finds_sections_by_an_abbreviation_or_its_expansion(desktop, origin, search_index, query,
                                                                   abbreviation, expansion):
    # Sections that use only the other form: before the index knew the expansions, this query
    # could not find them.
    searched_for_abbreviation = query == abbreviation
    only_other_form = set()
    for doc in search_index["docs"]:
        text = f"{doc['title']} {doc['text']}"
        has_abbreviation = re.search(rf"\b{re.escape(abbreviation)}\b", text) is not None
        has_expansion = expansion.casefold() in text.casefold()
        if (has_expansion and not has_abbreviation) if searched_for_abbreviation else (has_abbreviation and
                                                                                     not has_expansion):
            only_other_form.add(urlsplit("/" + doc["location"]).path)
    assert only_other_form
    page = desktop.context.new_page()
    _search(page, origin, query)
    found = {urlsplit(href).path for href in page.locator(".md-search-result__link").evaluate_all(
        "els => els.map(a => a.href)")}
    assert found & only_other_form, (sorted(found), sorted(only_other_form))


def test_search_works_with_the_keyboard_alone(desktop, origin):
    page = desktop.context.new_page()
    open_page(page, origin + "/")
    for _ in range(40):
        if page.evaluate("document.activeElement.classList.contains('md-search__input')"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached the search box")
    page.keyboard.type("Gillick")
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=10_000)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == "/handbook/consent/"


# Phones and small screens ------------------------------------------------------------------------

def test_every_page_fits_a_phone_with_the_urgent_contacts_on_the_first_screen(phone, origin, site_paths):
    def check(page) -> str:
        found = page.evaluate("""() => {
            const urgent = document.querySelector('.hb-urgent').getBoundingClientRect();
            return {scroll: document.documentElement.scrollWidth, width: window.innerWidth,
                    urgentTop: urgent.top, urgentBottom: urgent.bottom, height: window.innerHeight};
        }""")
        if found["scroll"] > found["width"]:
            return f"scrolls sideways: {found['scroll']}px wide in a {found['width']}px screen"
        if not (0 <= found["urgentTop"] and found["urgentBottom"] <= found["height"]):
            return f"urgent contacts not on the first screen: {found}"
        return ""

    problems = problems_on_each_page(phone.context.new_page(), origin, site_paths, check)
    assert not problems, problems


def _urgent_patterns() -> dict[str, str]:
    """Every phone number and mailbox of the urgent contacts (Children's Social Care's lines and
    mailbox, 999), as patterns of their digits with any spaces between, whole numbers only."""
    patterns = {}
    for contact in HB.contacts_for_topic("urgent"):
        for phone in contact.phones:
            digits = [d for d in phone.display if d.isdigit()]
            patterns[phone.display] = r"(?<!\d)" + r"\s*".join(digits) + r"(?!\d)"
        for email in contact.emails:
            patterns[email.address] = re.escape(email.address)
    return patterns


URGENT = _urgent_patterns()


@pytest.mark.parametrize("viewport", [{"width": 375, "height": 667}, {"width": 360, "height": 640}],
                         ids=["375x667", "360x640"])
def test_a_phone_s_first_screen_shows_each_urgent_number_once_at_most(browser, origin, practitioner_paths,
                                                                      viewport):
    # The banner gives the urgent numbers on every page; a page's own block must add to it, not
    # repeat it where both are on the screen at once (the content review's d1-d4).
    assert {"01302 737777", "01302 737033", "01302 796000", "999"} <= set(URGENT) and len(URGENT) == 5

    def repeated(page) -> dict:
        return {name: blocks for name, blocks in on_first_screen(page, URGENT).items() if len(blocks) > 1}

    for guarded in guarded_context(browser, origin, viewport=viewport, is_mobile=True, has_touch=True,
                                   device_scale_factor=2):
        problems = problems_on_each_page(guarded.context.new_page(), origin, practitioner_paths, repeated)
        assert not problems, problems


def test_the_first_screen_count_sees_a_number_only_where_it_is_painted(phone):
    # The count must see a repeat on the screen, and nothing below it, hidden or off to the side.
    page = phone.context.new_page()
    page.set_content('<p>Call 01302&nbsp;737777 or 01302 737777.</p><p hidden>01302 737777</p>'
                     '<p style="position:absolute;left:-9999px">01302 737777</p>'
                     '<p style="margin-top:2000px">01302 737777 and 999</p><p>0999 and 9990</p>')
    assert {name: len(blocks) for name, blocks in on_first_screen(page, URGENT).items()} == {"01302 737777": 2}


def test_pages_reflow_at_320_pixels_wide(browser, origin, site_paths):
    # 320 CSS pixels is a 1280-pixel screen zoomed to 400% (WCAG 1.4.10 Reflow).
    for guarded in guarded_context(browser, origin, viewport={"width": 320, "height": 640}):
        wide = problems_on_each_page(guarded.context.new_page(), origin, site_paths, lambda page: max(
            0, page.evaluate("document.documentElement.scrollWidth") - 320))
        assert not wide, f"pixels wider than the screen: {wide}"


def test_every_phone_number_on_every_page_is_a_tel_link(desktop, origin, site_paths):
    def untappable_numbers(page) -> list[str]:
        texts = page.evaluate("""() => {
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            const found = [];
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const parent = node.parentElement;
                // .hb-quoted: the editors' Decisions list quotes what a source said, old numbers too.
                const skipped = 'a[href^="tel:"], script, style, code, pre, .hb-edition-stamp, .hb-quoted';
                if (parent.closest(skipped)) continue;
                found.push(node.textContent);
            }
            return found;
        }""")
        return [m.group(0) for text in texts for m in PHONE_TEXT.finditer(text)]

    untappable = problems_on_each_page(desktop.context.new_page(), origin, site_paths, untappable_numbers)
    assert not untappable, untappable


# Text spacing and tooltips ------------------------------------------------------------------------

@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_reader_s_own_text_spacing_cuts_nothing_off(request, origin, site_paths, size):
    # WCAG 1.4.12: with wider lines, letters, words and paragraphs, no text is cut off and no page
    # scrolls sideways.
    def check(page) -> dict:
        clipped = clipped_by_text_spacing(page)
        scroll, width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        return {"cut off": clipped, "page width": scroll, "screen width": width} if clipped or scroll > width else {}

    problems = problems_on_each_page(request.getfixturevalue(size).context.new_page(), origin, site_paths, check)
    assert not problems, problems


def test_the_text_spacing_test_fails_on_a_box_too_tight_for_it(desktop):
    page = desktop.context.new_page()
    page.set_content((FIXTURES / "browser" / "tight-box.html").read_text(encoding="utf-8"))
    assert clipped_by_text_spacing(page) == ["p: Call the duty line first, then email the"]


def test_escape_hides_an_abbreviation_s_meaning_without_moving_the_focus(desktop, origin):
    # WCAG 1.4.13: Material's tooltip covers the text below it, so Escape must hide it, whether it
    # came from the keyboard focus or the pointer.
    page = desktop.context.new_page()
    open_page(page, origin + "/handbook/consent/")
    abbr = page.locator("article abbr[tabindex]").first
    meaning = abbr.get_attribute("title")  # Material moves it into the tooltip
    shown = "id => document.getElementById(id)?.classList.contains('md-tooltip2--active')"
    abbr.focus()
    page.wait_for_function("() => document.activeElement.hasAttribute('aria-describedby')")
    tooltip = abbr.get_attribute("aria-describedby")
    page.wait_for_function(shown, arg=tooltip)
    assert page.locator(f"#{tooltip}").text_content().strip() == meaning
    page.keyboard.press("Escape")
    assert not page.evaluate(shown, tooltip)
    assert page.evaluate("document.activeElement.tagName") == "ABBR"
    # By pointer: the focus elsewhere, the pointer on the abbreviation, which it does not leave.
    page.evaluate("document.activeElement.blur()")
    page.mouse.move(0, 0)
    page.wait_for_function(f"!({shown})({tooltip!r})")
    box = abbr.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function(shown, arg=tooltip)
    page.keyboard.press("Escape")
    assert not page.evaluate(shown, tooltip)


# The contacts directory ------------------------------------------------------------------------------

def _visible_texts(page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all(
        "els => els.filter(e => e.offsetParent !== null).map(e => e.textContent.trim())")


def test_the_contacts_directory_filters_by_locality(desktop, origin):
    page = desktop.context.new_page()
    open_page(page, origin + "/contacts/")
    everything = _visible_texts(page, ".hb-contact__name")
    north = HB.locality("north")
    page.get_by_label("Show contacts for").select_option(north.id)
    assert _visible_texts(page, ".hb-locality h3") == [north.name]
    shown = _visible_texts(page, ".hb-contact__name")
    for contact in HB.contacts:
        if contact.locality and contact.locality != north.id:
            assert contact.name not in shown
        elif contact.topics:
            assert contact.name in shown
    assert len(shown) < len(everything)
    assert page.locator(".hb-filter [role=status]").inner_text().startswith(f"Showing {north.name}")
    page.get_by_label("Show contacts for").select_option("")
    assert _visible_texts(page, ".hb-contact__name") == everything


def test_the_contacts_directory_is_complete_without_javascript(no_script, origin):
    page = no_script.context.new_page()
    page.goto(origin + "/contacts/")
    assert not page.locator(".hb-filter").is_visible()
    shown = _visible_texts(page, ".hb-contact__name")
    for contact in HB.contacts:
        if contact.topics:
            assert contact.name in shown, contact.id
    assert _visible_texts(page, ".hb-locality h3") == [loc.name for loc in HB.localities]


# The levels of need explorer -------------------------------------------------------------------------

def test_each_level_in_the_diagram_leads_to_what_to_do_and_who_to_contact(desktop, origin):
    page = desktop.context.new_page()
    open_page(page, origin + "/levels-of-need/")
    for level in HB.levels:
        page.locator("figure.hb-levels-diagram svg a", has_text=f"Level {level.number}").click()
        page.wait_for_url(lambda url, level=level: urlsplit(url).fragment == level.id, timeout=5_000)
        section = page.locator(f"section#{level.id}")
        assert section.is_visible()
        assert "What to do" in section.inner_text() and "Who to contact" in section.inner_text()


# Printing ----------------------------------------------------------------------------------------

def test_printing_a_page_gives_a_clean_chapter(desktop, origin):
    page = desktop.context.new_page()
    open_page(page, origin + "/handbook/introduction/")
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"):
        assert not page.locator(chrome).first.is_visible(), chrome
    urgent, article = page.locator(".hb-urgent"), page.locator("article h1")
    assert urgent.is_visible()
    assert urgent.bounding_box()["y"] < article.bounding_box()["y"]
    written_out = page.locator("article a[href^='https:']").evaluate_all(
        "els => els.map(a => [a.getAttribute('href'), getComputedStyle(a, '::after').content,"
        " a.classList.contains('hb-url-in-text')])")
    assert written_out
    for href, after, in_text in written_out:
        assert (after == "none") if in_text else (href in after), (href, after)


# The page-not-found page ----------------------------------------------------------------------------

def test_the_404_page_offers_search_and_the_urgent_contacts(desktop, origin):
    page = desktop.context.new_page()
    open_page(page, origin + "/handbook/no-such-chapter/")
    assert page.locator(".hb-urgent").is_visible()
    assert all(href.startswith("tel:") for href in page.locator(".hb-urgent a").evaluate_all(
        "els => els.map(a => a.getAttribute('href'))"))
    page.get_by_label("Search the handbook").fill("Gillick")
    page.get_by_role("button", name="Search").click()
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=10_000)
    links = page.locator(".md-search-result__link").evaluate_all("els => els.map(a => a.href)")
    assert "/handbook/consent/" in [urlsplit(href).path for href in links]


# Screenshots for people to look at ----------------------------------------------------------------------

@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_screenshots_of_the_home_page_a_chapter_and_the_levels(request, origin, size):
    guarded = request.getfixturevalue(size)
    page = guarded.context.new_page()
    ARTIFACTS.mkdir(exist_ok=True)
    for name, path in (("home", "/"), ("chapter", "/handbook/consent/"), ("levels", "/levels-of-need/")):
        open_page(page, origin + path)
        target = ARTIFACTS / f"{name}-{size}.png"
        page.screenshot(path=str(target), full_page=False)
        assert target.stat().st_size > 10_000
    # The diagram itself, which on a phone is below the first screen.
    target = ARTIFACTS / f"levels-diagram-{size}.png"
    page.locator("figure.hb-levels-diagram").screenshot(path=str(target))
    assert target.stat().st_size > 10_000
