"""Published editions end to end, in a temporary git repository (handbook/editions/publish.py and the plugin).

Two editions are published with a data change and a chapter change between them; then the tests
check the editions branch, the PDFs, the amendments, the old-edition notice in a real browser,
refusals that must leave everything as it was, the export and the offline pack.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from bs4 import BeautifulSoup
from mkdocs.utils.yaml import yaml_load
from pypdf import PdfReader

from browser import says_offline, serve
from conftest import HANDBOOK_TODAY, ROOT

GIT_ENV = {"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org"}
CHANGED_PERSON = ("nina.hilton@doncaster.gov.uk", "nina.hilton2@doncaster.gov.uk")
WITHDRAWN = 'withdrawn:\n  date: "2026-11-20"\n  reason: "Its strategies are out of date."\n'


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, **GIT_ENV, "NO_MKDOCS_2_WARNING": "1", "HANDBOOK_TODAY": HANDBOOK_TODAY, **extra}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=_env(), check=True, capture_output=True, text=True).stdout


def handbook(repo: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "handbook.cli", *args], cwd=repo, env=_env(**env),
                          capture_output=True, text=True, timeout=600)


def _tree(repo: Path, ref: str) -> str:
    return git(repo, "rev-parse", ref).strip()


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A project with editions 2026.1 and 2026.2 published; between them a coordinator's email and
    a consent chapter section changed, the FAQ moved to the front of its section, and the
    background chapter withdrawn."""
    repo = tmp_path_factory.mktemp("editions") / "project"
    repo.mkdir()
    for name in ("mkdocs.yml", ".gitignore"):
        shutil.copy2(ROOT / name, repo / name)
    for name in ("docs", "data"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
    # This partnership has planned the consent chapter's next review (ours has planned none).
    consent = repo / "docs" / "handbook" / "consent.md"
    planned = consent.read_text(encoding="utf-8").replace("order: 50\n", 'order: 50\nreview_due: "2027-11-23"\n', 1)
    consent.write_text(planned, encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "First edition")
    first = handbook(repo, "publish", "2026.1")
    assert first.returncode == 0, first.stdout + first.stderr

    coordinators = repo / "data" / "coordinators.yaml"
    coordinators.write_text(coordinators.read_text(encoding="utf-8").replace(*CHANGED_PERSON), encoding="utf-8")
    text = consent.read_text(encoding="utf-8")
    text = text.replace('review_due: "2027-11-23"\n',
                        'review_due: "2027-11-23"\nchanges: "Keep a copy of the refusal."\n', 1)
    heading = "## Keep a chronology of worries\n"
    text = text.replace(heading, f"{heading}\nKeep a copy of any refusal.\n", 1)
    consent.write_text(text, encoding="utf-8")
    # The FAQ moves to the front of its section: its front matter alone changes.
    faq = repo / "docs" / "handbook" / "faq.md"
    faq.write_text(faq.read_text(encoding="utf-8").replace("order: 130\n", "order: 5\n", 1), encoding="utf-8")
    # The background chapter is withdrawn: its file stays, so that its address keeps answering.
    background = repo / "docs" / "handbook" / "background.md"
    background.write_text(background.read_text(encoding="utf-8").replace(
        'menu_title: "Background"\n', f'menu_title: "Background"\n{WITHDRAWN}', 1), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "Second edition")
    second = handbook(repo, "publish", "2026.2")
    assert second.returncode == 0, second.stdout + second.stderr
    return repo


@pytest.fixture(scope="module")
def exported(repo, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("export") / "public"
    result = handbook(repo, "export", str(target), HANDBOOK_REPO_URL="https://github.com/partnership/handbook",
                      HANDBOOK_CMS_AUTH_URL="https://sign-in.example.org")
    assert result.returncode == 0, result.stderr
    assert "with the editors' form at admin/" in result.stdout
    return target


def _page(root: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((root / path).read_text(encoding="utf-8"), "html.parser")


def test_versions_lists_both_editions_with_latest_on_the_newer(repo):
    versions = json.loads(git(repo, "show", "gh-pages:versions.json"))
    assert [(v["version"], v["aliases"]) for v in versions] == [("2026.2", ["latest"]), ("2026.1", [])]
    root = git(repo, "show", "gh-pages:index.html")
    assert "latest/" in root  # the site root sends readers to the latest edition


def test_each_edition_has_its_pdfs_stamped_with_its_own_id_and_commit(exported, repo):
    for edition in ("2026.1", "2026.2"):
        stamp = json.loads((exported / edition / "edition.json").read_text())
        commit = stamp["commit"][:10]
        book = PdfReader(exported / edition / "pdf" / "early-help-handbook.pdf")
        cover = " ".join(book.pages[0].extract_text().split())
        # The commit only in the metadata, where an edition is traced: a practitioner reads none.
        assert f"Edition {edition}" in cover and commit not in cover and "Commit" not in cover
        assert f"Edition {edition}" in book.metadata["/Subject"] and f"commit {commit}" in book.metadata["/Subject"]
        # A published edition names its publisher, from data/site.yaml, on the cover and as the
        # PDF's author (a working copy names none: tests/pdf/test_pdf.py).
        organisation = yaml_load((repo / "data" / "site.yaml").read_text())["publication"]["organisation"]
        assert f"Published by {organisation}" in cover and book.metadata["/Author"] == organisation
        footer = " ".join(book.pages[4].extract_text().split())
        assert f"Edition {edition}, " in footer and commit not in footer
        chapter = PdfReader(exported / edition / "pdf" / "consent.pdf")
        assert f"Edition {edition}, " in " ".join(chapter.pages[0].extract_text().split())
        # The site's footer names the same edition and date; the editors' pages add the commit:
        # the site and the PDF come from one source.
        footer_html = _page(exported, f"{edition}/handbook/consent/index.html").select_one(".hb-edition-stamp")
        day = dt.date.fromisoformat(stamp["date"])
        date = f"{day.day} {day:%B %Y}"
        assert footer_html.get_text() == f"Edition {edition}, {date}"
        assert f"Edition {edition}, {date}" in footer
        traced = _page(exported, f"{edition}/document-control/index.html").select_one(".hb-edition-stamp")
        assert traced.get_text() == f"Edition {edition}, {date}, commit {commit}"
    assert json.loads((exported / "2026.1" / "edition.json").read_text())["commit"] != \
        json.loads((exported / "2026.2" / "edition.json").read_text())["commit"]


def test_the_amendments_name_the_changed_record_and_chapter(exported):
    page = _page(exported, "2026.2/amendments/index.html")
    items = [li.get_text(" ", strip=True) for li in page.select("ul.hb-amendments li")]
    assert any(item.startswith("North Early Help Coordinator Nina Hilton: email changed from "
                               f'"{CHANGED_PERSON[0]}" to "{CHANGED_PERSON[1]}"') for item in items), items
    assert any('Page "Consent, refusal and competence" changed: Keep a chronology of worries' in item
               and "Keep a copy of the refusal." in item for item in items), items
    assert page.select_one("#edition-2026-1") is not None  # the whole history, newest first
    # In the PDF too, as an appendix.
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(
        exported / "2026.2" / "pdf" / "early-help-handbook.pdf").pages).split())
    assert "North Early Help Coordinator Nina Hilton: email changed" in text


MOVED = 'Page "Frequently asked questions" moved: now first in "Early help practice"'


def test_a_chapter_moved_in_the_contents_moves_in_the_menu_and_the_pdf_and_the_amendments_say_so(exported):
    items = [li.get_text(" ", strip=True) for li in _page(exported, "2026.2/amendments/index.html")
             .select("ul.hb-amendments li")]
    assert MOVED in items, items
    assert not any("Introduction" in item for item in items)  # the chapters it went past did not move
    # The feed's entry holds the list as HTML, escaped once more as the entry's text.
    entries = ET.parse(exported / "2026.2" / "amendments.xml").getroot().iter("{http://www.w3.org/2005/Atom}content")
    assert any(MOVED in html.unescape(entry.text or "") for entry in entries)

    def practice(edition: str) -> list[str]:
        menu = _page(exported, f"{edition}/index.html").select_one("nav.md-nav--primary")
        section = next(item for item in menu.select("li.md-nav__item--nested")
                       if "Early help practice" in item.get_text(" ", strip=True))
        return [a.get_text(" ", strip=True) for a in section.select("a.md-nav__link")][:2]

    assert practice("2026.1")[0] == "Introduction"
    assert practice("2026.2")[0] == "Frequently asked questions"

    def bookmarks(edition: str) -> list[str]:
        reader = PdfReader(exported / edition / "pdf" / "early-help-handbook.pdf")
        outline = reader.outline
        part = next(item for item in outline if not isinstance(item, list) and item.title == "Early help practice")
        children = outline[outline.index(part) + 1]
        return [child.title for child in children if not isinstance(child, list)][:2]

    assert bookmarks("2026.1")[0] == "Introduction"
    assert bookmarks("2026.2")[:2] == ["Frequently asked questions", "Introduction"]


def test_a_withdrawn_chapter_answers_in_every_edition_and_the_amendments_say_so(exported):
    withdrawn = 'Page "Background: Doncaster\'s early help strategies" withdrawn. Its strategies are out of date.'
    items = [" ".join(li.get_text().split()) for li in _page(exported, "2026.2/amendments/index.html")
             .select("ul.hb-amendments li")]
    assert withdrawn in items, items
    # The feed's entries are HTML, escaped once more in the XML.
    feed = html.unescape(html.unescape((exported / "2026.2" / "amendments.xml").read_text()))
    assert f"<li>{withdrawn}</li>" in feed
    # The edition before still has the chapter; the new one, and latest, answer with the notice.
    assert "The current strategy is" in _page(exported, "2026.1/handbook/background/index.html").get_text()
    for edition in ("2026.2", "latest"):
        page = _page(exported, f"{edition}/handbook/background/index.html")
        notice = " ".join(page.select_one(".hb-withdrawn").get_text(" ", strip=True).split())
        assert ("It was withdrawn on 20 November 2026, in edition 2026.2 of the handbook. Its strategies are out "
                "of date.") in notice
        assert "The current strategy is" not in page.get_text()
        menu = _page(exported, f"{edition}/index.html").select_one("nav.md-nav--primary").get_text(" ", strip=True)
        assert "Background" not in menu
        index = json.loads((exported / edition / "search" / "search_index.json").read_text())
        assert not [d for d in index["docs"] if d["location"].startswith("handbook/background/")]
        assert '"handbook/background/index.html"' in (exported / edition / "sw.js").read_text()
    assert not (exported / "2026.2" / "pdf" / "background.pdf").exists()
    assert (exported / "2026.1" / "pdf" / "background.pdf").is_file()


def test_a_page_of_the_last_edition_gone_without_a_record_blocks_publishing(repo):
    (repo / "docs" / "handbook" / "introduction.md").unlink()
    with _refused(repo, "A chapter deleted") as result:
        assert _explained("test_a_page_of_the_last_edition_gone_without_a_record_blocks_publishing") in result.stderr


def test_the_atom_feed_lists_each_edition(exported):
    feed = (exported / "2026.2" / "amendments.xml").read_text()
    assert feed.count("<entry>") == 2 and "Edition 2026.2" in feed and "Nina Hilton: email changed" in feed
    head = _page(exported, "2026.2/index.html").select_one('link[rel=alternate][type="application/atom+xml"]')
    assert head is not None and (exported / "2026.2" / head["href"]).resolve().is_file()


def test_new_and_updated_marks_show_only_in_the_edition_that_changed(exported):
    new = _page(exported, "2026.2/handbook/consent/index.html")
    assert new.select_one("p.hb-amended").get_text().startswith("Updated in edition 2026.2")
    assert new.select('.md-nav .md-status--updated')
    old = _page(exported, "2026.1/handbook/consent/index.html")
    assert old.select_one("p.hb-amended") is None and not old.select(".md-status")


def _explained(test_name: str) -> str:
    """The example the editor guide gives for the message this test provokes (handbook.build_messages)."""
    from handbook.checks.build_messages import BUILD_MESSAGES

    return next(m.example for m in BUILD_MESSAGES if m.source == f"publish:{test_name}")


@contextlib.contextmanager
def _refused(repo: Path, message: str):
    """The working copy's change committed, and `handbook publish 2026.3` of it refused: the result,
    for the test's own assertions; then the editions branch as it was, and the commit undone."""
    before = _tree(repo, "gh-pages")
    try:
        git(repo, "commit", "-q", "-am", message)
        result = handbook(repo, "publish", "2026.3")
        assert result.returncode == 1
        yield result
        assert _tree(repo, "gh-pages") == before
    finally:
        git(repo, "reset", "-q", "--hard", "HEAD~1")


def test_the_editor_guide_explains_what_these_tests_provoke():
    from handbook.checks.build_messages import BUILD_MESSAGES

    provoking = {m.source.removeprefix("publish:") for m in BUILD_MESSAGES if m.source.startswith("publish:")}
    assert provoking <= set(globals()), provoking - set(globals())


def test_publishing_an_existing_edition_fails_and_changes_nothing(repo):
    before = _tree(repo, "gh-pages"), _tree(repo, "gh-pages:2026.1")
    result = handbook(repo, "publish", "2026.1")
    assert result.returncode == 1
    assert "edition 2026.1 is already published" in result.stderr and "2026.3" in result.stderr
    assert _explained("test_publishing_an_existing_edition_fails_and_changes_nothing") in result.stderr
    assert (_tree(repo, "gh-pages"), _tree(repo, "gh-pages:2026.1")) == before


@pytest.mark.parametrize("edition", ["2026", "v2026.3", "2026.0"])
def test_an_edition_id_must_be_year_dot_number(repo, edition):
    result = handbook(repo, "publish", edition)
    assert result.returncode == 1 and "is not an edition id" in result.stderr


def test_a_failing_build_publishes_nothing(repo):
    contacts = repo / "data" / "contacts.yaml"
    good = contacts.read_text(encoding="utf-8")
    contacts.write_text(good.replace('"01302 734110"', '"01302 73411"', 1), encoding="utf-8")
    with _refused(repo, "A broken number") as result:
        assert "the build failed, so nothing was published" in result.stderr
        assert _explained("test_a_failing_build_publishes_nothing") in result.stderr
        assert "data/contacts.yaml:" in result.stderr
        assert "not a valid phone number in the United Kingdom (GB)" in result.stderr


def test_overdue_reviews_block_publishing(repo):
    before = _tree(repo, "gh-pages")
    result = handbook(repo, "publish", "2026.3", HANDBOOK_TODAY="2028-06-01")
    assert result.returncode == 1
    assert ('docs/handbook/consent.md:4: the page "Consent, refusal and competence" was due for review by'
            in result.stderr)
    assert _explained("test_overdue_reviews_block_publishing") in result.stderr
    assert _tree(repo, "gh-pages") == before


def test_example_records_block_publishing(repo):
    # A project made by `handbook new` starts with example records; none may reach readers.
    commitments = repo / "data" / "commitments.yaml"
    good = commitments.read_text(encoding="utf-8")
    line = '    text: "Never do nothing"\n'
    commitments.write_text(good.replace(line, line + "    example: true\n", 1), encoding="utf-8")
    with _refused(repo, "An example left in") as result:
        assert _explained("test_example_records_block_publishing") in result.stderr


def test_uncommitted_changes_are_refused(repo):
    (repo / "docs" / "index.md").write_text("changed", encoding="utf-8")
    try:
        result = handbook(repo, "publish", "2026.3")
        assert result.returncode == 1 and "not committed" in result.stderr
        assert _explained("test_uncommitted_changes_are_refused") in result.stderr
    finally:
        git(repo, "checkout", "--", "docs/index.md")


def _local_targets(root: Path, page: Path, soup: BeautifulSoup):
    for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
        for element in soup.find_all(tag):
            value = element.get(attr)
            if not value or value.startswith(("#", "mailto:", "tel:", "data:")):
                continue
            parsed = urlparse(value)
            if parsed.scheme or value.startswith("//"):
                continue
            yield value, (page.parent / unquote(parsed.path)).resolve()


def test_export_is_a_tree_with_no_symlinks_whose_pages_and_pdfs_all_exist(exported):
    assert not [p for p in exported.rglob("*") if p.is_symlink()]
    assert (exported / "latest" / "edition.json").read_text() == (exported / "2026.2" / "edition.json").read_text()
    pages = list(exported.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        if page.parent == exported or page.name == "404.html":
            continue  # mike's redirect page at the root; 404 pages link from the host's root by design
        for value, target in _local_targets(exported, page, BeautifulSoup(page.read_text(encoding="utf-8"),
                                                                          "html.parser")):
            if target.is_dir():  # a directory URL: the server sends its index.html
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(exported)} links {value}"
    for edition in ("2026.1", "2026.2", "latest"):
        assert (exported / edition / "pdf" / "early-help-handbook.pdf").stat().st_size > 100_000


def test_the_editors_form_is_at_the_root_of_the_export_and_in_no_edition(exported):
    settings = json.loads((exported / "admin" / "handbook-cms.json").read_text(encoding="utf-8"))
    # The published form saves through GitHub, by pull request; never to a local decap-server.
    assert settings["config"]["backend"] == {"name": "github", "repo": "partnership/handbook", "branch": "main",
                                             "squash_merges": True, "base_url": "https://sign-in.example.org"}
    assert settings["config"]["publish_mode"] == "editorial_workflow"
    assert "local_backend" not in settings["config"]
    assert (exported / "admin" / "decap-cms.js").is_file()
    for edition in ("2026.1", "2026.2", "latest"):
        assert (exported / edition / "index.html").is_file() and not (exported / edition / "admin").exists()


def test_without_a_sign_in_service_the_export_leaves_the_form_out_and_says_so(repo, tmp_path):
    result = handbook(repo, "export", str(tmp_path / "public"), HANDBOOK_CMS_AUTH_URL="")
    assert result.returncode == 0, result.stderr
    assert ("The editors' form: it is left out until HANDBOOK_REPO_URL and HANDBOOK_CMS_AUTH_URL are set"
            in result.stdout)
    assert not (tmp_path / "public" / "admin").exists() and (tmp_path / "public" / "latest" / "index.html").is_file()


def test_when_the_form_cannot_be_made_the_editions_still_go_out(repo, tmp_path, monkeypatch):
    from handbook.editions.publish import export
    from handbook.editors import decap

    def unreachable():
        raise decap.DecapError("Decap CMS 3.16.3 could not be downloaded (no network).")

    monkeypatch.setattr(decap, "ensure", unreachable)
    monkeypatch.setenv("HANDBOOK_REPO_URL", "https://github.com/partnership/handbook")
    monkeypatch.setenv("HANDBOOK_CMS_AUTH_URL", "https://sign-in.example.org")
    message = export(repo, tmp_path / "public")
    assert message.endswith("The editors' form: it is left out: Decap CMS 3.16.3 could not be downloaded (no network).")
    assert not (tmp_path / "public" / "admin").exists()
    assert (tmp_path / "public" / "latest" / "index.html").is_file()


def test_a_failed_export_leaves_the_previous_export_untouched(repo, exported, tmp_path):
    snapshot = {p.relative_to(exported): p.stat().st_mtime_ns for p in exported.rglob("*")}
    result = handbook(repo, "--branch", "no-such-branch", "export", str(exported))
    assert result.returncode == 1 and "no edition has been published" in result.stderr
    assert {p.relative_to(exported): p.stat().st_mtime_ns for p in exported.rglob("*")} == snapshot


@pytest.fixture(scope="module")
def served(exported):
    with serve(exported) as origin:
        yield origin


def test_an_old_edition_shows_the_notice_linking_the_same_page_in_the_latest(browser, served):
    page = browser.new_page()
    page.goto(f"{served}/2026.1/handbook/consent/")
    notice = page.locator(".hb-old-edition")
    notice.wait_for(state="visible", timeout=10_000)
    assert "This is an old edition (2026.1)" in notice.inner_text()
    link = notice.locator("a")
    page.wait_for_function("document.querySelector('.hb-old-edition a').href.includes('/2026.2/handbook/consent/')",
                           timeout=10_000)
    assert link.inner_text() == "2026.2"
    # Material's edition selector, fed by mike's versions.json, offers both editions.
    page.locator(".md-version__current").wait_for(state="visible", timeout=10_000)
    assert page.locator(".md-version__current").inner_text() == "2026.1"
    assert set(page.locator(".md-version__link").all_inner_texts()) >= {"2026.1", "2026.2"}
    page.close()


@pytest.mark.parametrize("path", ["2026.2/handbook/consent/", "latest/handbook/consent/", "2026.2/"])
def test_the_latest_edition_shows_no_notice(browser, served, path):
    page = browser.new_page()
    page.goto(f"{served}/{path}", wait_until="networkidle")
    assert page.locator(".hb-old-edition").is_hidden()
    page.close()


@pytest.fixture(scope="module")
def offline_site(repo, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("offline")
    result = handbook(repo, "offline", "--output", str(out / "pack.zip"))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out / "pack.zip") as pack:
        pack.extractall(out)
    return out / "handbook-2026.2"


def test_the_offline_pack_is_the_latest_edition_with_its_pdf(offline_site):
    stamp = _page(offline_site, "index.html").select_one(".hb-edition-stamp").get_text()
    assert stamp.startswith("Edition 2026.2, ")
    assert (offline_site / "pdf" / "early-help-handbook.pdf").is_file()
    assert (offline_site / "search" / "search_index.js").is_file()


def test_offline_pages_need_no_server_and_fetch_nothing_from_the_internet(offline_site):
    for page in offline_site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for element in soup.find_all(["script", "link", "img"]):
            source = element.get("src") or (element.get("href") if element.name == "link" else None)
            assert not source or not urlparse(source).scheme, f"{page.name} loads {source}"
        for value, target in _local_targets(offline_site, page, soup):
            assert target.is_file(), f"{page.relative_to(offline_site)} links {value}, not a file"


def test_offline_search_works_from_disk(browser, offline_site):
    # Opened from disk, the worker runs in an iframe (Material's offline plugin); the handbook's
    # additions run there too: a misspelt word still finds its chapter.
    page = browser.new_page()
    page.goto((offline_site / "index.html").as_uri())
    page.locator("input.md-search__input").click()  # in the header at desktop width
    page.keyboard.type("neglet")
    first = page.locator(".md-search-result__item .md-search-result__link").first
    first.wait_for(state="visible", timeout=15_000)
    assert "handbook/assessment" in first.get_attribute("href")
    page.close()


def test_a_published_editions_search_forgives_typing_mistakes(browser, served):
    page = browser.new_page()
    page.goto(f"{served}/latest/", wait_until="load")
    page.locator("input.md-search__input").click()
    page.keyboard.type("chronolgy")
    first = page.locator(".md-search-result__item .md-search-result__link").first
    first.wait_for(state="visible", timeout=15_000)
    assert "handbook/consent/" in first.get_attribute("href")
    page.close()


# Offline on a phone, across editions ------------------------------------------------------------

@pytest.fixture(scope="module")
def first_export(repo, tmp_path_factory) -> Path:
    """The published site as it was before edition 2026.2: the editions branch at its last commit
    that knew only 2026.1."""
    for commit in git(repo, "rev-list", "gh-pages").split():
        if [v["version"] for v in json.loads(git(repo, "show", f"{commit}:versions.json"))] == ["2026.1"]:
            git(repo, "branch", "-f", "only-the-first-edition", commit)
            break
    target = tmp_path_factory.mktemp("export-first") / "public"
    result = handbook(repo, "--branch", "only-the-first-edition", "export", str(target))
    assert result.returncode == 0, result.stderr
    return target


def _saved(page, scope: str) -> None:
    """Wait until the edition's own worker (not the site root's) has saved it and took the page over."""
    page.wait_for_function("scope => navigator.serviceWorker.controller !== null && "
                           "navigator.serviceWorker.controller.scriptURL === scope + 'sw.js'", arg=scope,
                           timeout=60_000)


def _publish_into(served: Path, export: Path) -> None:
    shutil.rmtree(served, ignore_errors=True)
    shutil.copytree(export, served)


def test_editions_open_offline_and_a_newer_edition_is_announced_once_known(browser, first_export, exported,
                                                                            tmp_path):
    from browser import PHONE, guarded_context

    served = tmp_path / "host"
    _publish_into(served, first_export)
    requested: list[str] = []
    with serve(served, requested) as origin:
        for guarded in guarded_context(browser, origin, viewport=PHONE, is_mobile=True, has_touch=True):
            context = guarded.context
            page = context.new_page()
            # One visit through the site's address (sent on to latest/), and one to the edition itself.
            page.goto(f"{origin}/", wait_until="load")
            page.wait_for_url(f"{origin}/latest/", timeout=10_000)
            _saved(page, f"{origin}/latest/")
            page.goto(f"{origin}/2026.1/handbook/consent/", wait_until="load")
            _saved(page, f"{origin}/2026.1/")
            page.wait_for_function(f"""navigator.serviceWorker.getRegistration('{origin}/')
                .then(r => Boolean(r && r.scope === '{origin}/' && r.active))""", timeout=60_000)

            requested.clear()
            context.set_offline(True)
            for path in ("2026.1/handbook/pathway/", "latest/contacts/", ""):
                response = page.goto(f"{origin}/{path}", wait_until="load")
                assert response is not None and response.ok, path
                if says_offline(page):  # tests/browser.py says when a browser cannot tell
                    status = page.locator(".hb-offline").inner_text()
                    assert status.startswith("You are offline. You are reading edition 2026.1 of "), (path, status)
            # The site's own address sent the reader to the latest edition saved on the phone.
            assert page.url == f"{origin}/latest/"
            assert requested == []

            # Edition 2026.2 is published; back online, the reader opens a page of 2026.1 again.
            _publish_into(served, exported)
            context.set_offline(False)
            page.goto(f"{origin}/2026.1/handbook/consent/", wait_until="load")
            notice = page.locator(".hb-old-edition")
            notice.wait_for(state="visible", timeout=10_000)
            assert "This is an old edition (2026.1)" in notice.inner_text()
            page.wait_for_function("document.querySelector('.hb-old-edition a').href.endsWith("
                                   "'/2026.2/handbook/consent/')", timeout=10_000)
            # Offline again, the saved copy of 2026.1 still says that 2026.2 exists.
            context.set_offline(True)
            page.reload(wait_until="load")
            assert page.locator(".hb-old-edition").is_visible()
            assert page.locator(".hb-old-edition a").inner_text() == "2026.2"

            # The latest address moved on to 2026.2: its saved copy is replaced, and the page says so.
            context.set_offline(False)
            page.goto(f"{origin}/latest/handbook/consent/", wait_until="load")
            page.locator(".hb-offline [data-kind='updated']").wait_for(timeout=60_000)
            page.get_by_role("button", name="Reload the page").click()
            page.wait_for_load_state("load")
            assert page.locator(".hb-edition-stamp").inner_text().startswith("Edition 2026.2, ")
            assert page.locator(".hb-old-edition").is_hidden()
            page.close()
