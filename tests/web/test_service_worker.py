"""The offline copy's list of files and its service worker (handbook/web/service_worker.py), and the copy of
Workbox it loads (handbook/vendor/workbox/, from the npm packages package.json pins)."""

from __future__ import annotations

import json
import sys

import pytest

from conftest import ROOT
from handbook.web.service_worker import (
    SW_FILE,
    WORKBOX_DIR,
    ServiceWorkerError,
    precache_entries,
    service_worker_source,
    write_service_worker,
)

sys.path.insert(0, str(ROOT / "tools"))
from vendor_workbox import VENDOR, vendored_files  # noqa: E402
from vendoring import vendored_text  # noqa: E402


def _site(tmp_path, files: dict[str, bytes]):
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return tmp_path


def _manifest(source: str) -> list[dict]:
    return json.loads(source.split("var PRECACHE = ", 1)[1].split(";\n", 1)[0])


def test_the_copy_lists_what_a_reader_needs_with_a_hash_of_each(tmp_path):
    site = _site(tmp_path, {
        "index.html": b"<p>home</p>", "handbook/consent/index.html": b"<p>consent</p>", "pdf/consent.pdf": b"%PDF-",
        "assets/fonts/Inter-Regular.woff2": b"w", "assets/fonts/Inter-Regular.otf": b"o",
        "assets/javascripts/bundle.min.js.map": b"{}", "assets/javascripts/lunr/min/lunr.de.min.js": b"de",
        "sitemap.xml": b"<urlset/>", "sitemap.xml.gz": b"gz", "edition.json": b"{}", "amendments.xml": b"<feed/>",
        "assets/javascripts/workers/search.abc.min.js": b"material", "search/search_index.json": b"{}",
        SW_FILE: b"old", f"{WORKBOX_DIR}/workbox-sw.js": b"wb",
    })
    entries = precache_entries(site, leave_out=("assets/javascripts/workers/search.abc.min.js",))
    assert [e.url for e in entries] == ["assets/fonts/Inter-Regular.woff2", "handbook/consent/index.html",
                                        "index.html", "pdf/consent.pdf", "search/search_index.json", "sitemap.xml"]
    assert {e.url: e.size for e in entries}["index.html"] == len(b"<p>home</p>")
    # The revision is the content's: the same content, the same revision; a change, a new one.
    again = {e.url: e.revision for e in precache_entries(site)}
    (site / "index.html").write_bytes(b"<p>home, changed</p>")
    changed = {e.url: e.revision for e in precache_entries(site)}
    assert again["index.html"] != changed["index.html"]
    assert again["pdf/consent.pdf"] == changed["pdf/consent.pdf"]


def test_the_worker_holds_the_list_and_loads_workbox_from_the_site(tmp_path):
    site = _site(tmp_path, {"index.html": b"<p>home</p>"})
    entries = precache_entries(site)
    write_service_worker(site, entries)
    source = (site / SW_FILE).read_text(encoding="utf-8")
    assert _manifest(source) == [{"url": "index.html", "revision": entries[0].revision}]
    assert 'importScripts("assets/vendor/workbox/workbox-sw.js")' in source
    assert 'modulePathPrefix: "assets/vendor/workbox/"' in source and "debug: false" in source
    assert "storage.googleapis.com" not in source
    assert sorted(p.name for p in (site / WORKBOX_DIR).iterdir()) == sorted(vendored_files())


def test_a_template_without_its_place_for_the_list_stops_the_build(monkeypatch):
    import handbook.web.service_worker as module

    class Broken:
        def joinpath(self, *_):
            return self

        def read_text(self, encoding):
            return "importScripts('x');"

    monkeypatch.setattr(module, "files", lambda _package: Broken())
    with pytest.raises(ServiceWorkerError, match="exactly once"):
        service_worker_source([])


def test_the_copy_of_workbox_is_the_version_package_json_pins():
    # node_modules comes from package-lock.json (make test runs npm ci); tools/vendor_workbox.py copies it.
    for name, source in vendored_files().items():
        kept = (VENDOR / name).read_text(encoding="utf-8")
        assert kept == vendored_text(source), f"{name} differs: run tools/vendor_workbox.py"
    # The loader would otherwise fetch the modules from Google's servers.
    assert "storage.googleapis.com" in (VENDOR / "workbox-sw.js").read_text(encoding="utf-8")
    assert sorted(p.name for p in VENDOR.iterdir()) == sorted(vendored_files())
