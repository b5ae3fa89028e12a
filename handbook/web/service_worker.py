"""The offline copy: the service worker (sw.js) that keeps a built site on the reader's device.

After the build, every file a reader needs offline (the pages, their styles, scripts and fonts, the
search index and search worker, and the PDFs) is listed with a hash of its content, and the list is
written into sw.js (`assets/service-worker.js`) beside Workbox's runtime. A browser that has
opened one page then saves the rest in the background; when a later build changes some files, it
downloads only those. `assets/offline.js`, on every page, registers the worker and tells the reader
when they are offline and when a newer copy has been saved.

The manifest is written here rather than by workbox-build (a Node.js tool), so that building the
handbook needs Python only; what reads it on the device is Workbox's own precaching.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

SW_FILE = "sw.js"
WORKBOX_DIR = "assets/vendor/workbox"
_PLACEHOLDER = "/* handbook:precache */[]"
# Files a reader never needs on the device.
LEAVE_OUT = (
    SW_FILE, f"{WORKBOX_DIR}/*",  # the worker and its runtime: the browser keeps these itself
    "*.map",  # source maps, for developers
    "sitemap.xml.gz",  # for search engines (Material reads sitemap.xml, which is kept)
    "assets/javascripts/lunr/*",  # Material's search in other languages
    "assets/fonts/*.otf", "assets/fonts/LICENSE.txt",  # the PDFs' fonts; the pages use the WOFF2 files
    "edition.json", "amendments.xml",  # for publishing, and for feed readers online
    "admin/*",  # the editors' form: for editors online, never for readers' devices
    "editors/images/*",  # the editor guide's screenshots: 0.4 MB no practitioner's phone needs
)


class ServiceWorkerError(Exception):
    pass


@dataclass(frozen=True)
class PrecacheEntry:
    url: str  # relative to sw.js, e.g. handbook/consent/index.html
    revision: str  # a hash of the content: a changed file is a changed revision
    size: int


def precache_entries(site_dir: Path, leave_out: tuple[str, ...] = ()) -> list[PrecacheEntry]:
    """Every file in `site_dir` a reader needs offline, in a stable order."""
    patterns = LEAVE_OUT + tuple(leave_out)
    entries = []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        url = path.relative_to(site_dir).as_posix()
        if any(fnmatch.fnmatchcase(url, pattern) for pattern in patterns):
            continue
        content = path.read_bytes()
        entries.append(PrecacheEntry(url, hashlib.sha256(content).hexdigest()[:16], len(content)))
    return entries


def service_worker_source(entries: list[PrecacheEntry]) -> str:
    template = files("handbook.web").joinpath("assets/service-worker.js").read_text(encoding="utf-8")
    if template.count(_PLACEHOLDER) != 1:
        raise ServiceWorkerError(f"handbook/web/assets/service-worker.js must hold {_PLACEHOLDER} exactly once.")
    manifest = json.dumps([{"url": e.url, "revision": e.revision} for e in entries], separators=(",", ":"))
    return template.replace(_PLACEHOLDER, manifest)


def write_service_worker(site_dir: Path, entries: list[PrecacheEntry]) -> None:
    """sw.js at the top of `site_dir`, and the Workbox runtime it loads."""
    runtime = site_dir / WORKBOX_DIR
    runtime.mkdir(parents=True, exist_ok=True)
    vendored = files("handbook").joinpath("vendor/workbox")
    for item in vendored.iterdir():
        (runtime / item.name).write_bytes(item.read_bytes())
    (site_dir / SW_FILE).write_text(service_worker_source(entries), encoding="utf-8")
