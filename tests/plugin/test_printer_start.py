"""The PDF printer is started as the plugin is imported only by a `mkdocs build` (or `properdocs
build`) that prints; only such a process skips the garbage collection at its exit."""

from __future__ import annotations

import os

import pytest

import handbook.plugin


@pytest.mark.parametrize(("argv", "switch", "expected"), [
    (["/venv/bin/mkdocs", "build"], None, True),
    (["/venv/bin/mkdocs", "build", "--strict", "-d", "site"], "1", True),
    ([os.path.join("/venv/lib/site-packages", "mkdocs", "__main__.py"), "build"], None, True),
    # ProperDocs, the continuation of MkDocs 1.x, builds the same mkdocs.yml with this plugin.
    (["/venv/bin/properdocs", "build", "--strict"], None, True),
    ([os.path.join("/venv/lib/site-packages", "properdocs", "__main__.py"), "build"], None, True),
    (["/venv/bin/properdocs", "build"], "0", False),
    (["/venv/bin/properdocs", "serve"], None, False),
    (["/venv/bin/mkdocs", "build"], "0", False),  # the benchmark's site-only builds
    (["/venv/bin/mkdocs", "serve"], None, False),  # a live preview prints only when asked, in on_config
    (["/venv/bin/pytest", "build"], None, False),  # a program calling MkDocs: on_config decides
    ([], None, False),
])
def test_only_a_printing_build_starts_the_printer_early(monkeypatch, argv, switch, expected):
    monkeypatch.setattr("sys.argv", argv)
    if switch is None:
        monkeypatch.delenv("HANDBOOK_PDF", raising=False)
    else:
        monkeypatch.setenv("HANDBOOK_PDF", switch)
    assert handbook.plugin._building_with_pdfs() is expected


def test_only_a_process_that_is_the_build_leaves_its_objects_for_the_system_at_exit(monkeypatch):
    monkeypatch.setenv("HANDBOOK_PDF", "0")
    for program in ("/venv/bin/mkdocs", "/venv/bin/properdocs"):
        monkeypatch.setattr("sys.argv", [program, "build"])
        assert handbook.plugin._mkdocs_build() and not handbook.plugin._building_with_pdfs()
    for argv in (["/venv/bin/mkdocs", "serve"], ["/venv/bin/properdocs", "serve"], ["/venv/bin/pytest", "build"],
                 ["/venv/bin/notproperdocs", "build"], [os.path.join("/venv", "notmkdocs", "__main__.py"), "build"],
                 []):
        monkeypatch.setattr("sys.argv", argv)
        assert not handbook.plugin._mkdocs_build()
