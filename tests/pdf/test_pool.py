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


def test_a_printing_process_that_dies_is_reported_not_waited_for(tmp_path):
    workers = pool.Pool(tmp_path, 1)
    workers.start(1)
    try:
        worker, = workers.workers
        os.kill(worker.pid, signal.SIGKILL)
        workers.send(("single", "doc", None))
        with pytest.raises(PdfError, match="stopped unexpectedly"):
            workers.receive()
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
