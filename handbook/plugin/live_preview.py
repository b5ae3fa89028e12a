"""Live preview (`make serve`, `make edit`): how soon a saved change is seen.

MkDocs 1.6 looks for changed files every half second (a polling observer, which works on every
file system, where inotify does not: network folders, containers, some editors' saves). An editor
waiting for a change to show waits for that look, on average a quarter of a second and up to a
half, before the rebuild even starts. Looking every tenth of a second costs one stat() of each
watched file (a few hundred) ten times a second.
"""

from __future__ import annotations

import logging

from watchdog.observers.polling import PollingObserver

POLL_SECONDS = 0.1
log = logging.getLogger("mkdocs.plugins.handbook")


def look_for_changes_sooner(server) -> None:
    """Move the server's watches onto an observer that looks every POLL_SECONDS. MkDocs gives no
    setting for it: its watches are scheduled by the time plugins see the server, so each is
    unwatched and watched again. Leaves the server as it is if MkDocs no longer works this way."""
    observer = getattr(server, "observer", None)
    watched = getattr(server, "_watched_paths", None)
    if type(observer) is not PollingObserver or not isinstance(watched, dict) or observer.is_alive():
        log.debug("Live preview: MkDocs' file watching has changed; looking for changes at its own pace.")
        return
    counts = dict(watched)
    for path, count in counts.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = PollingObserver(timeout=POLL_SECONDS)
    for path, count in counts.items():
        for _ in range(count):
            server.watch(path)
