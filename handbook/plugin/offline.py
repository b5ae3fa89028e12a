"""The offline copy: every file of the built site listed, with a hash of its content, in sw.js."""

from __future__ import annotations

import logging
from pathlib import Path

from handbook.web.search_worker import SearchWorker
from handbook.web.service_worker import precache_entries, write_service_worker

log = logging.getLogger("mkdocs.plugins.handbook")
# The engine's own scripts for every page, in its theme (handbook/web/theme/assets/handbook/).
OFFLINE_SCRIPT = "assets/handbook/offline.js"


def write_offline_copy(site_dir: Path, worker: SearchWorker | None) -> None:
    # Material's own worker is replaced by the handbook's in every page, so it is not saved.
    entries = precache_entries(site_dir, leave_out=(worker.material,) if worker else ())
    write_service_worker(site_dir, entries)
    log.info("Offline copy for readers' devices: %d files, %.2f MB (sw.js)", len(entries),
             sum(e.size for e in entries) / 1e6)
