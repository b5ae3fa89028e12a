"""The site's search worker: Material's own, followed by the handbook's additions.

Material for MkDocs runs its search (lunr) in a web worker, whose address its template writes into
every page's configuration. The handbook's additions (`assets/search-worker.js`: typing mistakes,
the order of results) change that worker's lunr, so the two are written as one script beside
Material's, named by a hash of its content, and each page's configuration points to it instead.
One script, not a second one loaded with importScripts: opened from disk (the offline pack), the
worker runs in an iframe, where importScripts loads asynchronously and a query could arrive first.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

WORKERS = "assets/javascripts/workers"
# Material's worker ends by saying where its source map is; in the middle of a combined script the
# comment would claim the map covers all of it.
_SOURCE_MAP = re.compile(rb"^//# sourceMappingURL=.*$", re.MULTILINE)
# What the handbook's part needs from Material's: lunr, exposed for its language support.
_EXPOSES_LUNR = b"self.lunr="
_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.DOTALL)


class SearchWorkerError(Exception):
    pass


@dataclass(frozen=True)
class SearchWorker:
    material: str  # Material's worker, as a path in the site: assets/javascripts/workers/search.<hash>.min.js
    path: str  # the combined worker, as a path in the site
    source: bytes


def search_worker(theme_dirs: list[str]) -> SearchWorker:
    """Material's worker (found in the theme's folders) with the handbook's additions after it."""
    found = sorted({path.name: path for folder in theme_dirs
                    for path in (Path(folder) / WORKERS).glob("search.*.min.js")}.values())
    if len(found) != 1:
        raise SearchWorkerError(f"expected one search worker in Material's {WORKERS}/, found {len(found)}: "
                                "Material has changed, so handbook/web/search_worker.py must be updated to match it.")
    material = found[0].read_bytes()
    if _EXPOSES_LUNR not in material:
        raise SearchWorkerError(f"{found[0].name} no longer exposes lunr (self.lunr): Material's search has "
                                "changed, so handbook/web/assets/search-worker.js must be updated to match it.")
    own = files("handbook.web").joinpath("assets/search-worker.js").read_bytes()
    source = _SOURCE_MAP.sub(b"", material).rstrip() + b"\n;\n" + own
    digest = hashlib.sha256(source).hexdigest()[:8]
    return SearchWorker(f"{WORKERS}/{found[0].name}", f"{WORKERS}/handbook-search.{digest}.min.js", source)


def write_search_worker(worker: SearchWorker, site_dir: Path) -> None:
    target = site_dir / worker.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(worker.source)


def pages_not_using(worker: SearchWorker, site_dir: Path) -> list[str]:
    """Built pages whose configuration does not point the search at the combined worker: the
    theme override could no longer find Material's address in its template to replace."""
    wrong = []
    for page in sorted(site_dir.rglob("*.html")):
        match = _CONFIG.search(page.read_text(encoding="utf-8"))
        if match is None:
            continue
        address = str(json.loads(match.group(1)).get("search", ""))
        # The 404 page is served at any address, so its links start from the site's root.
        base = site_dir if address.startswith("/") else page.parent
        if (base / address.lstrip("/")).resolve() != (site_dir / worker.path).resolve():
            wrong.append(f"{page.relative_to(site_dir).as_posix()} (search worker: {address or 'none'})")
    return wrong
