"""The handbook on a phone with no network: after one visit, a built site opens, searches and shows
its PDFs from the copy its service worker keeps (handbook/web/service_worker.py, assets/offline.js).

The site is served from a folder of the host (some/folder/), as `make build`'s site may be; each
test has its own copy, so a test can change it. With the network cut, the host's log must show
that nothing more was asked of it: everything came from the device.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from browser import PHONE, assert_accessible, guarded_context, open_page, says_offline, serve
from handbook.web.service_worker import SW_FILE, WORKBOX_DIR, precache_entries, write_service_worker

FOLDER = "some/folder/"
FIRST_VIEW_BUDGET = 500_000  # bytes a chapter's first view may cost a phone (the target)
CACHE_BUDGET = 5_000_000  # bytes the whole offline copy may take on the device


@pytest.fixture
def hosted(site, tmp_path):
    """A copy of the built site, served from some/folder/ of a local host that logs every request."""
    host = tmp_path / "host"
    shutil.copytree(site.site, host / FOLDER)
    requested: list[str] = []
    with serve(host, requested) as origin:
        yield {"base": f"{origin}/{FOLDER}", "origin": origin, "site": host / FOLDER, "requested": requested}


@pytest.fixture
def phone_with_worker(browser, hosted):
    for guarded in guarded_context(browser, hosted["origin"], viewport=PHONE, is_mobile=True, has_touch=True):
        yield guarded.context


def _saved(page) -> None:
    """Wait until the page's service worker has saved the copy and took the page over."""
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null",
                           timeout=60_000)


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix().removesuffix("index.html")
                  for p in site.rglob("*.html")
                  # The editors' form is never saved for offline use (tests/editors/test_cms.py).
                  if p.name != "404.html" and p.relative_to(site).parts[0] != "admin")


def test_after_one_visit_every_page_opens_and_searches_with_no_network(hosted, phone_with_worker):
    page = phone_with_worker.new_page()
    open_page(page, hosted["base"] + "handbook/consent/")
    _saved(page)
    hosted["requested"].clear()
    phone_with_worker.set_offline(True)
    status = page.locator(".hb-offline")
    status.get_by_text("You are offline.").wait_for(timeout=5_000)  # said as soon as the network goes

    unstyled, missing = [], []
    for path in _pages(hosted["site"]):
        response = page.goto(hosted["base"] + path, wait_until="load")
        if response is None or not response.ok or not response.from_service_worker:
            missing.append(path)
            continue
        page.evaluate("document.fonts.ready.then(() => true)")
        styled = page.evaluate("""() => getComputedStyle(document.querySelector('.md-header')).position === 'sticky'
            && [...document.fonts].some(font => font.family.replace(/"/g, '') === 'Inter'
                                                 && font.status === 'loaded')""")
        if not styled:
            unstyled.append(path)
        if says_offline(page):
            assert status.inner_text().startswith("You are offline. You are reading a draft of "), path
    assert not missing and not unstyled, (missing, unstyled)

    # The search, its index and its worker come from the device too; a typing mistake is still forgiven.
    page.goto(hosted["base"], wait_until="load")
    page.get_by_role("button", name="Search").click()
    page.keyboard.type("neglet")
    first = page.locator(".md-search-result__item .md-search-result__link").first
    first.wait_for(timeout=15_000)
    assert "handbook/assessment/" in first.get_attribute("href")

    # Every PDF, the whole handbook's and each chapter's, byte for byte.
    pdfs = sorted(p.name for p in (hosted["site"] / "pdf").glob("*.pdf"))
    assert "early-help-handbook.pdf" in pdfs and len(pdfs) > 10
    fetched = page.evaluate("""names => Promise.all(names.map(name => fetch('pdf/' + name)
        .then(r => r.arrayBuffer()).then(b => [name, b.byteLength, new TextDecoder().decode(b.slice(0, 5))])))""",
                            pdfs)
    assert fetched == [[name, (hosted["site"] / "pdf" / name).stat().st_size, "%PDF-"] for name in pdfs]
    assert hosted["requested"] == []  # nothing reached the host: everything came from the phone

    assert_accessible(page, "offline, with the offline message")
    phone_with_worker.set_offline(False)
    page.wait_for_function("!document.querySelector('.hb-offline').textContent.trim()", timeout=5_000)


def test_without_the_service_worker_the_pages_do_not_open_offline(browser, hosted):
    # The same visit with service workers blocked: the test above would fail.
    for guarded in guarded_context(browser, hosted["origin"], viewport=PHONE, service_workers="block"):
        page = guarded.context.new_page()
        open_page(page, hosted["base"] + "handbook/consent/")
        guarded.context.set_offline(True)
        with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
            page.goto(hosted["base"] + "handbook/pathway/")


def test_a_newer_build_downloads_only_what_changed_and_says_so(hosted, phone_with_worker):
    page = phone_with_worker.new_page()
    open_page(page, hosted["base"] + "handbook/consent/")
    _saved(page)
    # A newer build at the same address: one chapter changed.
    site = hosted["site"]
    chapter = site / "handbook" / "pathway" / "index.html"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "</h1>", "</h1>\n<p id='hb-test-newer'>Changed in the newer build.</p>", 1), encoding="utf-8")
    write_service_worker(site, precache_entries(site, leave_out=_materials_worker(site)))
    hosted["requested"].clear()

    page.reload(wait_until="load")
    updated = page.locator(".hb-offline [data-kind='updated']")
    updated.wait_for(timeout=60_000)
    assert updated.inner_text().startswith("A newer copy of the handbook has been saved on this device")
    saved = {path.split("?")[0].removeprefix(f"/{FOLDER}") for path in hosted["requested"]}
    # The new sw.js and the Workbox scripts it loads (the browser fetches a new worker's scripts),
    # then the one changed page, and nothing else of the site.
    runtime = {path for path in saved if path == SW_FILE or path.startswith(f"{WORKBOX_DIR}/")}
    assert SW_FILE in runtime and saved - runtime == {"handbook/pathway/index.html"}, sorted(saved)
    assert_accessible(page, "the new-copy message")

    page.get_by_role("button", name="Reload the page").click()
    page.wait_for_load_state("load")
    page.goto(hosted["base"] + "handbook/pathway/", wait_until="load")
    assert page.locator("#hb-test-newer").is_visible()


def _materials_worker(site: Path) -> tuple[str, ...]:
    """Material's own search worker, which the site does not use (the build leaves it out)."""
    return tuple(p.relative_to(site).as_posix() for p in (site / "assets/javascripts/workers").glob("search.*.min.js"))


def test_a_chapters_first_view_and_the_whole_offline_copy_keep_to_their_budgets(hosted, phone_with_worker):
    page = phone_with_worker.new_page()
    sizes: dict[str, int] = {}

    def note(response):
        if response.request.service_worker is None:  # the page's own requests, not the worker's saving
            sizes[response.url] = len(response.body())

    page.on("response", note)
    open_page(page, hosted["base"] + "handbook/consent/")
    page.wait_for_timeout(1_000)
    first_view = sum(sizes.values())
    assert first_view <= FIRST_VIEW_BUDGET, sorted(sizes.items(), key=lambda item: -item[1])[:8]
    assert not any("search_index.json" in url for url in sizes)  # loaded when the reader goes to search

    manifest = json.loads((hosted["site"] / SW_FILE).read_text(encoding="utf-8").split("var PRECACHE = ", 1)[1]
                          .split(";\n", 1)[0])
    listed = {entry["url"] for entry in manifest}
    cache = sum((hosted["site"] / url).stat().st_size for url in listed)
    assert cache <= CACHE_BUDGET, cache
    # What a reader needs is there; what they do not is not.
    assert {"index.html", "handbook/consent/index.html", "search/search_index.json", "pdf/early-help-handbook.pdf",
            "assets/fonts/Inter-Regular.woff2"} <= listed
    assert not [url for url in listed if url.endswith((".map", ".otf")) or url.startswith("assets/javascripts/lunr/")]
