"""The site's search: the glossary's abbreviations and expansions and practitioners' own words added
to Material's index, and Material's worker followed by the handbook's additions."""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.exceptions import PluginError

from handbook.data.records import Handbook
from handbook.plugin.sources import fail
from handbook.web.search_index import add_search_terms, unused_synonyms
from handbook.web.search_worker import (
    SearchWorker,
    SearchWorkerError,
    pages_not_using,
    search_worker,
    write_search_worker,
)


def worker_for(config) -> SearchWorker | None:
    """The worker each page's search is pointed at, when the site has Material's search."""
    # Material registers its search plugin as "material/search".
    if not any(name == "search" or name.endswith("/search") for name in config.plugins):
        return None
    try:
        return search_worker(config.theme.dirs)
    except SearchWorkerError as err:
        raise PluginError(f"The site's search cannot be built: {err}") from None


def finish_search(site_dir: Path, handbook: Handbook, worker: SearchWorker | None) -> None:
    # Material's search plugin, listed before this one, has written its index by now.
    search_index = site_dir / "search" / "search_index.json"
    if search_index.is_file():
        index = json.loads(search_index.read_text(encoding="utf-8"))
        fail(unused_synonyms(index, handbook.synonyms))
        try:
            add_search_terms(index, handbook.terms, handbook.synonyms)
        except ValueError as err:
            raise PluginError(f"search/search_index.json: {err}") from None
        search_index.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    if worker is not None:
        write_search_worker(worker, site_dir)
        wrong = pages_not_using(worker, site_dir)
        if wrong:
            raise PluginError("These pages would search without the handbook's additions, because "
                              "handbook/web/theme/main.html no longer finds Material's search worker in "
                              "its template: " + ", ".join(wrong[:5]) + (" ..." if len(wrong) > 5 else ""))
