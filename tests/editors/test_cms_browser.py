"""The editors' form, driven as an editor drives it: Decap CMS in Debian's Chromium, saving through
decap-server (as `make edit` runs it) into a temporary copy of the repository. Four everyday
changes, then the file differences and `handbook check`; the form refusing two mistyped emails
and a mistyped phone number (for the project's phone_region) with the check's own messages; and a
new chapter made and moved, another withdrawn in favour of a third, and a picture added, then the
site and its PDF built from what the form saved. The
screenshots it takes are the editor guide's (docs/editors/images/form-*.png):
HANDBOOK_UPDATE_SCREENSHOTS=1 writes them there."""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from browser import axe_violations, describe, serve
from conftest import ROOT, build, copy_project
from handbook.data.rules import allowed_domain_message
from handbook.data.validation import FORMATS, format_checker
from handbook.editors.admin import write_admin
from handbook.editors.cms_config import Backend
from handbook.project import project_contents

DECAP_SERVER = ROOT / "node_modules" / ".bin" / "decap-server"
GUIDE_IMAGES = ROOT / "docs" / "editors" / "images"
SCREEN = {"width": 1280, "height": 860}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


@contextlib.contextmanager
def _decap_server(repo: Path, port: int):
    # As `make edit` starts it (Makefile), on a port of its own.
    process = subprocess.Popen([str(DECAP_SERVER)], env={**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1",
                                                         "GIT_REPO_DIRECTORY": str(repo), "LOG_LEVEL": "warn"},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1", data=b'{"action":"info"}',
                                         headers={"Content-Type": "application/json"})
        for _ in range(100):
            try:
                with urllib.request.urlopen(request, timeout=2) as response:
                    assert json.load(response)["type"] == "local_fs"
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("decap-server did not start")
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def editing(tmp_path_factory, browser):
    """A repository copy, the form built from it and served, and decap-server saving into it."""
    repo = copy_project(tmp_path_factory.mktemp("repo"))
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "-q", "-m", "start")
    served = tmp_path_factory.mktemp("served")
    port = _free_port()
    nav = project_contents(repo).nav()
    write_admin(served / "admin", repo, repo / "docs", repo / "data", nav,
                Backend(repo="", local=True, local_url=f"http://127.0.0.1:{port}/api/v1"), "Handbook")
    with _decap_server(repo, port), serve(served) as origin:
        context = browser.new_context(viewport=SCREEN)
        elsewhere: list[str] = []
        # Nothing from another host: decap-server on this machine is the only other address.
        context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/]).*"),
                      lambda route: (elsewhere.append(route.request.url), route.abort()))
        page = context.new_page()
        # Leaving an entry with unsaved changes asks first: the tests go on. Coming back, Decap offers
        # the unsaved try from its local backup: the tests start from the file as saved.
        page.on("dialog", lambda dialog: dialog.dismiss() if "local backup" in dialog.message else dialog.accept())
        errors: list[str] = []
        # Decap rejects its save with no reason when a field is invalid (the field shows why):
        # that rejection is the form working, every other error in the page is not.
        page.on("pageerror", lambda error: errors.append(str(error)) if str(error) != "undefined" else None)
        page.goto(f"{origin}/admin/")
        page.get_by_role("button", name="Login").wait_for()
        _accessible(page, "the sign-in screen")
        page.get_by_role("button", name="Login").click()
        page.get_by_role("link", name="Chapters").first.wait_for()
        _accessible(page, "the list of what can be changed")
        yield repo, origin, page
        assert not elsewhere, elsewhere
        assert not errors, errors
        context.close()


def _accessible(page, where: str) -> None:
    """WCAG 2.2 A and AA by axe-core, as for every page of the site (Decap's own gaps are filled by
    handbook/editors/assets/accessibility.js and admin.css)."""
    page.wait_for_timeout(200)  # the control names are added on the next frame after Decap draws
    violations = axe_violations(page)
    assert not violations, f"{where}\n{describe(violations)}"


def _shot(page, name: str) -> None:
    folder = GUIDE_IMAGES if os.environ.get("HANDBOOK_UPDATE_SCREENSHOTS") == "1" else ROOT / "test-artifacts" / "form"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"form-{name}.png"))


def _open(page, address: str) -> None:
    """An entry, loaded afresh: after a save, Decap does not always load the next entry's file when
    only the address's #fragment changes."""
    page.goto(address)
    page.reload()


def _record(page, name: str):
    """The list entry whose summary line is `name`, opened."""
    entry = page.locator("[class*=SortableListItem]").filter(
        has=page.locator("[class*=NestedObjectLabel]", has_text=re.compile(f"^{re.escape(name)}$")))
    entry.wait_for(state="attached")
    if not entry.get_by_label("Id", exact=True).is_visible():
        entry.locator("button").first.click()
    return entry


def _type(field, value: str) -> None:
    """Replace a field's text key by key, as a person does. (Playwright's fill() sets the text in one
    go, which Decap's text field, restoring its caret, turns into an addition after a refusal.)"""
    for _ in range(3):
        field.click()
        field.press("Control+a")
        field.press("Backspace")
        field.press_sequentially(value)
        # Decap draws the form again just after it refuses a save, and a key pressed while it does
        # can be lost (a title typed as "Contacts" read back "Cons"): type it again, as a person would.
        if field.input_value() == value:
            return
        field.page.wait_for_timeout(300)
    raise AssertionError(f"the field holds {field.input_value()!r}, not {value!r}")


def _publish(page) -> None:
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Publish now").click()


def _saved(page) -> None:
    page.get_by_text("Changes saved").wait_for()


def _error_under(entry, label: str) -> str:
    control = entry.locator("[class*=ControlContainer]").filter(has=entry.page.get_by_text(label, exact=True))
    return control.locator("li, [class*=ControlErrorsList] *").first.inner_text()


def _format_message(value: str, kind: str) -> str:
    try:
        FORMATS.check(value, kind)
    except Exception as err:  # jsonschema.FormatError, whose cause carries the message
        return str(err.cause)
    raise AssertionError(f"{value!r} passes the {kind} check")


def test_the_form_refuses_mistyped_emails_with_the_checks_messages(editing):
    repo, origin, page = editing
    allowed = yaml.safe_load((repo / "data" / "site.yaml").read_text(encoding="utf-8"))["allowed_email_domains"]
    _open(page, f"{origin}/admin/#/collections/coordinators/entries/coordinators")
    laura = _record(page, "Laura Brown")
    email = laura.get_by_label("Email")
    # One mistake, then another in the same form: each is refused with its own message.
    for typed, expected, shot in (
        ("laura brown@doncaster.gov.uk", _format_message("laura brown@doncaster.gov.uk", "email"), "refused-space"),
        ("laura.brown@doncaster.gvo.uk", allowed_domain_message("laura.brown@doncaster.gvo.uk", set(allowed)),
         "refused-domain"),
    ):
        _type(email, typed)
        _publish(page)
        laura.get_by_text(expected, exact=True).wait_for()
        email.scroll_into_view_if_needed()
        _shot(page, shot)
        _accessible(page, f"a record with the message for {typed}")
        assert _git(repo, "status", "--porcelain") == "", "a refused value was saved"


def test_the_form_refuses_a_mistyped_number_for_the_projects_country(editing):
    # The country comes from data/site.yaml's phone_region, through the form's settings: the message
    # is the check's for that country.
    repo, origin, page = editing
    region = yaml.safe_load((repo / "data" / "site.yaml").read_text(encoding="utf-8"))["phone_region"]
    _open(page, f"{origin}/admin/#/collections/contacts/entries/contacts")
    social_care = page.locator("[class*=SortableListItem]").filter(has=page.locator(
        "[class*=NestedObjectLabel]", has_text=re.compile(r"^Children's Social Care Referral .*\)$"))).first
    social_care.wait_for(state="attached")
    if not social_care.get_by_label("Id", exact=True).first.is_visible():
        social_care.locator("button").first.click()
    line = social_care.locator("[class*=SortableListItem]").filter(
        has=page.locator("[class*=NestedObjectLabel]", has_text=re.compile("^Professionals-only line$")))
    if not line.get_by_label("Number", exact=True).is_visible():
        line.locator("button").first.click()
    number = line.get_by_label("Number", exact=True)
    try:
        format_checker(region).check("01302 73703", "phone")
    except Exception as err:  # jsonschema.FormatError, whose cause carries the message
        expected = str(err.cause)
    assert "is not a valid phone number in the United Kingdom (GB)" in expected
    _type(number, "01302 73703")
    _publish(page)
    line.get_by_text(expected, exact=True).wait_for()
    assert _git(repo, "status", "--porcelain") == "", "a refused value was saved"


def test_four_everyday_changes_touch_only_their_lines_and_pass_the_check(editing):
    repo, origin, page = editing
    # 1. A coordinator's new email address.
    _open(page, f"{origin}/admin/#/collections/coordinators/entries/coordinators")
    laura = _record(page, "Laura Brown")
    _type(laura.get_by_label("Email"), "l.brown@doncaster.gov.uk")
    laura.get_by_label("Email").scroll_into_view_if_needed()
    _shot(page, "change-email")
    _accessible(page, "the Coordinators form")
    assert page.get_by_role("button", name="Remove Laura Brown").count() == 1
    # 2. A coordinator who has left: their record removed (the last button on its bar).
    jody = page.locator("[class*=SortableListItem]").filter(
        has=page.locator("[class*=NestedObjectLabel]", has_text=re.compile("^Jody Holland$")))
    # As a screen reader finds it: by its name.
    jody.get_by_role("button", name="Remove Jody Holland").click()
    _publish(page)
    _saved(page)

    # 3. A new course, its booking chosen from the booking list.
    _open(page, f"{origin}/admin/#/collections/training/entries/training")
    # The file's courses first: a course added before they load would be the only one.
    page.get_by_text("Introduction to Early Help in Doncaster", exact=True).first.wait_for(state="attached")
    page.get_by_role("button", name=re.compile("^Add courses")).click()
    course = page.locator("[class*=SortableListItem]").filter(has=page.get_by_label("Audience", exact=True)).last
    if not course.get_by_label("Id", exact=True).is_visible():
        course.locator("button").first.click()
    course.get_by_label("Id", exact=True).fill("working-with-fathers")
    course.get_by_label("Title", exact=True).fill("Working with fathers")
    course.get_by_label("Provider", exact=True).fill("Early Help Coordinator team")
    course.get_by_label("Audience", exact=True).fill("Lead practitioners")
    course.get_by_label("Summary", exact=True).fill("How to involve fathers and male carers in early help.")
    course.get_by_label("Booking", exact=True).fill("buy")
    page.get_by_role("option").first.click()
    course.get_by_role("button", name=re.compile(r"^Add listed in", re.I)).click()
    course.get_by_label("Item", exact=True).last.fill("003")
    course.get_by_label("Title", exact=True).scroll_into_view_if_needed()
    _shot(page, "add-course")
    _accessible(page, "the Training form with a new course")
    _publish(page)
    _saved(page)

    # 4. A sentence of a chapter.
    _open(page, f"{origin}/admin/#/collections/chapters/entries/consent")
    body = page.get_by_label("Text of the chapter")
    page.wait_for_function("() => (document.querySelector('textarea') || {value: ''}).value.length")
    old = "Early help is voluntary and based on consent."
    new = "Early help is voluntary and always based on the family's consent."
    body.fill(body.input_value().replace(old, new))
    # The top of the page's text, where the changed sentence is, under its label.
    body.evaluate("e => { e.scrollIntoView({block: 'start'}); window.scrollBy(0, -120); }")
    _shot(page, "edit-chapter")
    _accessible(page, "a chapter's form")
    _publish(page)
    _saved(page)

    # Added and removed lines per file: Laura's email (1 for 1); Jody's record, its 7 lines and the
    # blank line before the next (8); the course, a blank line and its 7 fields (no last_verified:
    # nobody has checked it with its provider); one line of the chapter.
    changed = _git(repo, "diff", "--numstat").splitlines()
    assert sorted(changed) == ["1\t1\tdocs/handbook/consent.md", "1\t9\tdata/coordinators.yaml",
                               "8\t0\tdata/training.yaml"], changed
    people = _git(repo, "diff", "-U0", "data/coordinators.yaml")
    assert '+    email: "l.brown@doncaster.gov.uk"' in people and '-    email: "laura.brown@doncaster.gov.uk"' in people
    assert '-  - id: "jody-holland"' in people
    training = _git(repo, "diff", "-U0", "data/training.yaml")
    assert '+  - id: "working-with-fathers"' in training and '+    booking: "buy-doncaster"' in training
    assert '+    listed_in: ["003"]' in training
    chapter = _git(repo, "diff", "-U0", "docs/handbook/consent.md")
    assert f"-{old}" in chapter and f"+{new}" in chapter
    check = subprocess.run([sys.executable, "-m", "handbook.cli", "check"], cwd=repo, capture_output=True, text=True,
                           timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr


def _practice_menu(site: Path) -> list[str]:
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    section = next(item for item in soup.select("nav.md-nav--primary li.md-nav__item--nested")
                   if "Early help practice" in item.get_text(" ", strip=True))
    return [a.get_text(" ", strip=True) for a in section.select("a.md-nav__link[href]")]


def _menu_text(site: Path) -> str:
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    return soup.select_one("nav.md-nav--primary").get_text(" ", strip=True)


def _alt_texts(node) -> list[str]:
    """Every /Alt in a PDF's structure tree: what a screen reader says for each figure."""
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        return [alt for child in node for alt in _alt_texts(child)]
    if not hasattr(node, "get"):
        return []
    return ([str(node["/Alt"])] if "/Alt" in node else []) + _alt_texts(node.get("/K", []))


def _practice_bookmarks(pdf: Path) -> list[str]:
    outline = PdfReader(pdf).outline
    part = next(item for item in outline if not isinstance(item, list) and item.title == "Early help practice")
    return [child.title for child in outline[outline.index(part) + 1] if not isinstance(child, list)]


def test_chapters_made_moved_and_withdrawn_in_the_form_reach_the_menu_search_and_pdf(editing, tmp_path):
    repo, origin, page = editing
    _open(page, f"{origin}/admin/#/collections/chapters/new")
    title = page.get_by_label("Title", exact=True)
    title.wait_for()
    before = _git(repo, "status", "--porcelain", "--untracked-files=all")
    # A title whose address is another chapter's is refused before anything is saved, and so is
    # one whose PDF would have another page's name.
    for taken, words in (("Consent", "There is already a chapter called this, at handbook/consent/"),
                         ("Contacts", "would be saved as contacts.pdf, the name of the PDF of docs/contacts.md")):
        _type(title, taken)
        _publish(page)
        page.get_by_text(re.compile(re.escape(words))).wait_for()
        assert _git(repo, "status", "--porcelain", "--untracked-files=all") == before, "a refused chapter was saved"
    _shot(page, "refused-title")
    _type(title, "Working with fathers")
    page.get_by_label("Section", exact=True).fill("Early help")
    page.get_by_role("option", name="Early help practice").click()
    page.get_by_label("Place in the section", exact=True).fill("55")
    page.get_by_label(re.compile(r"^Owner")).fill("Early Help Coordinator team")
    page.get_by_label("Text of the chapter").fill(
        "This chapter is about involving fathers and male carers in early help.\n")
    title.scroll_into_view_if_needed()
    # The notes of the refused saves closed, as an editor closes them.
    for close in page.locator(".Toastify__close-button").all():
        close.click()
    page.locator(".Toastify__toast").first.wait_for(state="detached")
    _shot(page, "new-chapter")
    _accessible(page, "a new chapter's form")
    _publish(page)
    _saved(page)
    # Decap then opens the new chapter at its address: after that, the next entry can be opened.
    page.wait_for_url(re.compile(r"/entries/working-with-fathers$"))
    made = repo / "docs" / "handbook" / "working-with-fathers.md"
    assert made.read_text(encoding="utf-8") == (
        '---\nsection: "practice"\norder: 55\nowner: "Early Help Coordinator team"\n---\n'
        "# Working with fathers\n\nThis chapter is about involving fathers and male carers in early help.\n")

    # The new chapter moved to the top of its section: one line of its file.
    _open(page, f"{origin}/admin/#/collections/chapters/entries/working-with-fathers")
    place = page.get_by_label("Place in the section", exact=True)
    # The file's own value first: a value typed before the entry has loaded is replaced by it.
    page.wait_for_function("() => document.querySelector('input[type=number]')?.value === '55'")
    place.fill("5")
    _publish(page)
    # The last save's "Changes saved" may still be showing: wait for the file itself.
    for _ in range(100):
        if "order: 5\n" in made.read_text(encoding="utf-8"):
            break
        page.wait_for_timeout(100)
    assert made.read_text(encoding="utf-8").startswith('---\nsection: "practice"\norder: 5\nowner: ')

    # The background chapter withdrawn: its Withdrawn fields, and nothing else, change in its file.
    _open(page, f"{origin}/admin/#/collections/chapters/entries/background")
    page.get_by_label("Title", exact=True).wait_for()
    page.wait_for_function("() => document.querySelector('input')?.value.startsWith('Background')")
    _type(page.get_by_label(re.compile(r"^Withdrawn on")), "2026-12-0")
    _publish(page)
    expected = _format_message("2026-12-0", "date")
    page.get_by_text(expected, exact=True).wait_for()
    _type(page.get_by_label(re.compile(r"^Withdrawn on")), "2026-12-01")
    _type(page.get_by_label(re.compile(r"^Why")), "Its strategies are out of date.")
    # Its guidance is now in the introduction, picked from the chapters by its title.
    page.get_by_label(re.compile(r"^Replaced by")).fill("Intro")
    page.get_by_role("option", name="Introduction", exact=True).click()
    page.get_by_label(re.compile(r"^Withdrawn on")).scroll_into_view_if_needed()
    _shot(page, "withdraw-chapter")
    _accessible(page, "a chapter being withdrawn")
    _publish(page)
    background = repo / "docs" / "handbook" / "background.md"
    for _ in range(100):
        if "withdrawn:" in background.read_text(encoding="utf-8"):
            break
        page.wait_for_timeout(100)
    assert _git(repo, "diff", "--numstat", "docs/handbook/background.md") == "4\t0\tdocs/handbook/background.md\n"
    assert ('withdrawn:\n  date: "2026-12-01"\n  reason: "Its strategies are out of date."\n'
            '  replaced_by: "introduction"\n---\n') in background.read_text(encoding="utf-8")

    # A picture uploaded under Media, then shown in the new chapter: refused with no alt text and
    # with only its file name, saved with one.
    _open(page, f"{origin}/admin/#/collections/chapters")
    page.get_by_role("button", name="Media").click()
    page.locator("input[type=file]").set_input_files(str(GUIDE_IMAGES / "form-new-chapter.png"))
    page.get_by_text("form-new-chapter.png").first.wait_for()
    picture = repo / "docs" / "assets" / "images" / "form-new-chapter.png"
    assert picture.read_bytes() == (GUIDE_IMAGES / "form-new-chapter.png").read_bytes()
    page.keyboard.press("Escape")
    _open(page, f"{origin}/admin/#/collections/chapters/entries/working-with-fathers")
    text = page.get_by_label("Text of the chapter")
    page.wait_for_function("() => (document.querySelector('textarea') || {value: ''}).value.length")
    written = text.input_value()
    for alt, words in (("", 'an image ("../assets/images/form-new-chapter.png") has no alt text.'),
                       ("form-new-chapter", 'is only "form-new-chapter", which does not say what it shows.')):
        text.fill(f"{written}\n![{alt}](../assets/images/form-new-chapter.png)\n")
        _publish(page)
        page.get_by_text(re.compile(re.escape(words))).wait_for()
        assert "form-new-chapter" not in made.read_text(encoding="utf-8"), "a refused picture was saved"
    text.evaluate("e => { e.scrollIntoView({block: 'start'}); window.scrollBy(0, -120); }")
    _shot(page, "refused-picture")
    _accessible(page, "a chapter with a picture refused")
    alt = "The form for a new chapter, with its title, section and place"
    text.fill(f"{written}\n![{alt}](../assets/images/form-new-chapter.png)\n")
    _publish(page)
    for _ in range(100):
        if alt in made.read_text(encoding="utf-8"):
            break
        page.wait_for_timeout(100)
    assert made.read_text(encoding="utf-8").endswith(f"![{alt}](../assets/images/form-new-chapter.png)\n")

    # Nothing else to do: no mkdocs.yml to change. The menu, the search, and the PDF follow.
    assert _git(repo, "status", "--porcelain", "mkdocs.yml") == ""
    built = build(repo, tmp_path / "site")
    assert built.returncode == 0, built.output
    menu = _practice_menu(built.site)
    assert menu[0] == "Working with fathers" and "Frequently asked questions" in menu
    index = json.loads((built.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any(doc["location"] == "handbook/working-with-fathers/" and doc["title"] == "Working with fathers"
               for doc in index["docs"])
    bookmarks = _practice_bookmarks(built.site / "pdf" / "early-help-handbook.pdf")
    assert bookmarks[0] == "Working with fathers" and bookmarks[1] == "Introduction"
    book = PdfReader(built.site / "pdf" / "early-help-handbook.pdf")
    contents = book.pages[1].extract_text() + book.pages[2].extract_text()
    assert "Working with fathers" in contents
    chapter = PdfReader(built.site / "pdf" / "working-with-fathers.pdf")
    assert "involving fathers and male carers" in "".join(p.extract_text() for p in chapter.pages)
    # The picture, with its alt text, in the chapter's page and in its PDF.
    shown = BeautifulSoup((built.site / "handbook" / "working-with-fathers" / "index.html").read_text(
        encoding="utf-8"), "html.parser").select_one("article img")
    assert shown["alt"] == alt and (built.site / "handbook" / "working-with-fathers" / shown["src"]).resolve() == (
        built.site / "assets" / "images" / "form-new-chapter.png")
    pictures = sum(len(p.images) for p in chapter.pages)
    assert pictures == sum(len(p.images) for p in PdfReader(built.site / "pdf" / "faq.pdf").pages) + 1
    assert alt in _alt_texts(chapter.trailer["/Root"]["/StructTreeRoot"])
    # The withdrawn chapter's address answers with its notice, from no menu, search or PDF.
    notice = BeautifulSoup((built.site / "handbook" / "background" / "index.html").read_text(encoding="utf-8"),
                           "html.parser").select_one(".hb-withdrawn")
    said = " ".join(notice.get_text(" ").split())
    assert "It moved on 1 December 2026. Its strategies are out of date. Its guidance is now in Introduction" in said
    assert notice.a["href"] == "../introduction/"
    assert "Background" not in _menu_text(built.site)
    assert not [d for d in index["docs"] if d["location"].startswith("handbook/background/")]
    assert not (built.site / "pdf" / "background.pdf").exists()
