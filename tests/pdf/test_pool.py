"""The printing processes (handbook/pdf/pool.py): forked from the printer, never from the build,
which itself never loads WeasyPrint; each checked against what the build assumes of it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from handbook.pdf import pool
from handbook.pdf.results import PdfError


def test_the_builds_own_process_never_loads_weasyprint():
    # Everything a build's process imports (the plugin brings in every stage), then the PDF build.
    code = ("import sys, handbook.plugin, handbook.pdf.build, handbook.pdf.chunked, handbook.cli.main; "
            "print(sorted(name for name in sys.modules if name.split('.')[0] == 'weasyprint'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_printing_process_starts_with_the_builds_environment_as_it_is_then(tmp_path, monkeypatch):
    pool.start_printer()  # as a build does first: its environment is the build's at that moment
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv("HANDBOOK_TEST_MARK", "set after the printer started")
    worker = pool.Worker(tmp_path)
    try:
        assert worker.facts["environ"]["SOURCE_DATE_EPOCH"] == "1700000000"
        assert worker.facts["environ"]["HANDBOOK_TEST_MARK"] == "set after the printer started"
        assert worker.facts["environ"] == dict(os.environ)
    finally:
        worker.stop()


def test_a_printing_process_with_another_pango_than_the_cache_key_names_stops_the_build(tmp_path, monkeypatch):
    monkeypatch.setattr(pool, "pango_version", lambda: "1.2.3")
    with pytest.raises(PdfError, match=r"WeasyPrint lays text out with Pango \d+, but the PDF cache was keyed "
                                       r"by Pango 1\.2\.3"):
        pool.Worker(tmp_path)


def test_a_pango_that_this_process_cannot_find_stops_the_build_with_a_message(tmp_path, monkeypatch):
    monkeypatch.setattr(pool, "pango_version", lambda: "absent")
    with pytest.raises(PdfError, match="keyed by Pango absent"):
        pool.Worker(tmp_path)


def test_a_printing_process_that_dies_is_reported_not_waited_for(tmp_path):
    workers = pool.Pool(tmp_path, 1)
    workers.start(1)
    try:
        worker, = workers.workers
        os.kill(worker.pid, signal.SIGKILL)
        # Sending may already meet the closed pipe, or the answer never comes: either is reported.
        with pytest.raises(PdfError, match="stopped unexpectedly"):
            workers.send(("single", "doc", None))
            workers.receive()
    finally:
        workers.stop()


def test_a_message_to_a_process_whose_pipe_is_closed_is_reported(tmp_path):
    workers = pool.Pool(tmp_path, 1)
    workers.start(1)
    try:
        worker, = workers.workers
        real_conn = worker.conn

        class Closed:
            def send(self, message):
                raise BrokenPipeError(32, "Broken pipe")

        worker.conn = Closed()
        with pytest.raises(PdfError, match="stopped unexpectedly"):
            workers.send(("single", "doc", None))
        worker.conn = real_conn
    finally:
        workers.stop()


def test_a_printer_that_has_stopped_is_started_again(tmp_path):
    printer = pool.start_printer()
    printer.process.kill()
    printer.process.wait()
    again = pool.start_printer()
    assert again is not printer and again.alive()
    worker = pool.Worker(tmp_path)
    worker.stop()


def _print_with(worker: pool.Worker, html: str) -> bytes:
    from handbook.pdf.documents import Document

    worker.conn.send(("single", "doc", Document("doc", "test.pdf", html)))
    reply = worker.conn.recv()
    assert reply[0] == "single", reply
    return reply[3]


def test_a_warmed_up_process_prints_the_same_bytes_as_a_fresh_one():
    from handbook.pdf.build import print_css
    from handbook.plugin.theme import THEME_DIR  # holds assets/fonts/, which print.css embeds

    html = (f'<!DOCTYPE html><html lang="en-GB"><head><title>T</title><style>{print_css()}</style></head>'
            "<body><h1>Early help</h1><p>Call <b>01302 737777</b> <i>now</i>.</p></body></html>")
    warm = pool.WarmUp(THEME_DIR, print_css()).take()
    fresh = pool.Worker(THEME_DIR)
    try:
        assert warm is not None
        assert _print_with(warm, html) == _print_with(fresh, html)
    finally:
        for worker in (warm, fresh):
            if worker is not None:
                worker.stop()


def test_the_warm_up_copies_the_print_fonts_into_the_empty_site_or_does_nothing_without_them(tmp_path):
    from handbook.pdf.build import print_css_files, warm_up
    from handbook.plugin.theme import THEME_DIR

    assert print_css_files() and all(name.startswith("assets/fonts/") for name in print_css_files())
    site = tmp_path / "site"
    started = warm_up(site, lambda relative: THEME_DIR / relative)
    try:
        assert started is not None
        for name in print_css_files():
            assert (site / name).read_bytes() == (THEME_DIR / name).read_bytes()
    finally:
        started.stop()
    assert warm_up(tmp_path / "other", lambda relative: None) is None
    assert not (tmp_path / "other").exists()


def test_a_process_merges_parts_sent_one_at_a_time_into_the_same_bytes_as_one_merge():
    from handbook.pdf.build import print_css
    from handbook.pdf.merge import merge
    from handbook.plugin.theme import THEME_DIR

    worker = pool.Worker(THEME_DIR)
    try:
        parts = [_print_with(worker, f'<!DOCTYPE html><html lang="en-GB"><head><title>T</title><style>{print_css()}'
                                     f'</style></head><body><article class="chapter" id="c{n}"><h1>Part {n}</h1>'
                                     f'<p>Text <a href="#c{n}">here</a>.</p></article></body></html>')
                 for n in range(3)]
        outline = [[f"Part {n}", n + 1, []] for n in range(3)]
        for part in parts:
            worker.conn.send(("merge part", "book", part))  # not answered
        worker.conn.send(("merge finish", "book", outline, {}))
        kind, name, merged = worker.conn.recv()
        assert (kind, name) == ("merged", "book")
        assert merged == merge(parts, outline, {})
        worker.conn.send(("merge part", "other", parts[0]))
        worker.conn.send(("drop", "other"))  # a merge no longer wanted is let go
        worker.conn.send(("merge finish", "other", outline, {}))
        assert worker.conn.recv()[0] == "error"
    finally:
        worker.stop()
