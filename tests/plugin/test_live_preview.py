"""Live preview looks for saved changes every tenth of a second, not MkDocs' half second."""

from __future__ import annotations

import time

import pytest
from mkdocs.livereload import LiveReloadServer

from handbook.plugin.live_preview import POLL_SECONDS, look_for_changes_sooner


@pytest.fixture
def make_server(tmp_path):
    made = []

    def make():
        # MkDocs makes its server with bind_and_activate=False: nothing listens until serve().
        made.append(LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path)))
        return made[-1]

    yield make
    for server in made:
        server.server_close()


def test_every_watch_moves_to_an_observer_that_looks_every_tenth_of_a_second(tmp_path, make_server):
    docs, config = tmp_path / "docs", tmp_path / "mkdocs.yml"
    docs.mkdir()
    config.write_text("site_name: x\n")
    server = make_server()
    server.watch(str(docs))
    server.watch(str(docs))  # watched twice (docs_dir and a `watch:` entry): unwatched twice later
    server.watch(str(config))
    assert server.observer.timeout == 0.5  # MkDocs' own, which this test would otherwise not notice change
    before = sorted(emitter.watch.path for emitter in server.observer.emitters)

    look_for_changes_sooner(server)

    assert server.observer.timeout == POLL_SECONDS == 0.1
    assert sorted(emitter.watch.path for emitter in server.observer.emitters) == before
    assert len(before) == 2
    assert all(emitter.timeout == POLL_SECONDS for emitter in server.observer.emitters)
    server.unwatch(str(docs))
    assert str(docs) in server._watched_paths  # still counted once more
    server.unwatch(str(docs))
    server.unwatch(str(config))


def test_the_new_observer_sees_a_saved_change_and_asks_for_a_rebuild(tmp_path, make_server):
    docs = tmp_path / "docs"
    docs.mkdir()
    page = docs / "index.md"
    page.write_text("# One\n")
    server = make_server()
    server.watch(str(docs))
    look_for_changes_sooner(server)
    server.observer.start()
    try:
        time.sleep(0.3)  # the observer's first look, which records how things are
        page.write_text("# Two, and longer\n")
        with server._rebuild_cond:
            asked = server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=10)  # a hang guard
        assert asked
    finally:
        server.observer.stop()
        server.observer.join()


def test_a_server_it_does_not_know_is_left_as_it_is(tmp_path):
    class Other:
        observer = object()

    other = Other()
    look_for_changes_sooner(other)
    assert other.observer is Other.observer
