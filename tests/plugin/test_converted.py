"""A page's Markdown converted once (handbook/plugin/converted.py): what comes from the memo is what
MkDocs' own conversion gives, and any change to what the conversion depends on converts again."""

from __future__ import annotations

import logging
import os

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

from handbook import cache
from handbook.cache import Memo
from handbook.plugin import converted

PAGE = """# Working together {#together}

The TAF meets each month. See [the other page](other.md#second) and [below](#later).

## Later

!!! note
    An admonition, with a [link back](index.md).

*[TAF]: Team Around the Family
"""
OTHER = "# Other\n\n## Second\n\nText.\n"


def project(tmp_path, *, extensions: str = "[abbr, admonition, attr_list, toc]", directory_urls: str = "true",
            pages: dict[str, str] | None = None):
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    for name, text in (pages or {"index.md": PAGE, "other.md": OTHER}).items():
        (docs / name).write_text(text, encoding="utf-8")
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(f"site_name: Test\nuse_directory_urls: {directory_urls}\n"
                           f"markdown_extensions: {extensions}\n", encoding="utf-8")
    config = load_config(config_file=str(config_file))
    return config, get_files(config)


def converted_page(config, files, uri: str = "index.md", mkdocs_own: bool = False) -> Page:
    """The page converted as a build would, or by MkDocs' own Page.render, past the memo."""
    page = Page(None, files.get_file_from_path(uri), config)
    page.read_source(config)
    if mkdocs_own:
        converted._original_render(page, config, files)
    else:
        page.render(config, files)
    return page


def facts(page: Page) -> dict:
    return {"content": page.content, "toc": str(page.toc), "title": page.title,
            "anchors": page.present_anchor_ids,
            "links": {file.src_uri: anchors for file, anchors in (page.links_to_anchors or {}).items()},
            "first entry active": getattr(next(iter(page.toc)), "active", False)}


@pytest.fixture
def memo(tmp_path):
    cache._MEMORY.clear()  # this process's memory of results, shared by every test
    yield Memo(tmp_path / "memo")
    converted.stop()


def test_a_page_from_the_memo_is_the_page_mkdocs_converts(tmp_path, memo):
    config, files = project(tmp_path)
    mkdocs_own = facts(converted_page(config, files))
    assert mkdocs_own["links"] and mkdocs_own["anchors"] >= {"together", "later"}

    conversions = converted.start(config, memo)
    first = facts(converted_page(config, files))
    assert (conversions.converted, conversions.remembered) == (1, 0)
    again = facts(converted_page(config, files))
    assert (conversions.converted, conversions.remembered) == (1, 1)
    assert first == mkdocs_own
    assert again == mkdocs_own
    links = converted_page(config, files).links_to_anchors
    assert all(file is files.get_file_from_path(file.src_uri) for file in links)


def test_a_later_build_reads_it_from_the_cache_folder(tmp_path, memo):
    config, files = project(tmp_path)
    converted.start(config, memo)
    expected = facts(converted_page(config, files))
    cache._MEMORY.clear()  # a new process: only the folder remains
    config, files = project(tmp_path)
    conversions = converted.start(config, Memo(tmp_path / "memo"))
    assert facts(converted_page(config, files)) == expected
    assert conversions.remembered == 1


@pytest.mark.parametrize("change", ["the page's text", "the page's address", "the site's files",
                                    "an extension's setting", "the extensions"])
def test_a_change_to_anything_the_conversion_depends_on_converts_again(tmp_path, memo, change):
    config, files = project(tmp_path)
    converted.start(config, memo)
    converted_page(config, files)
    if change == "the page's text":
        (tmp_path / "docs" / "index.md").write_text(PAGE.replace("each month", "every month"), encoding="utf-8")
    elif change == "the page's address":
        config, files = project(tmp_path, directory_urls="false")
    elif change == "the site's files":
        # Links are resolved against them: a file that appears may be a link's target.
        config, files = project(tmp_path, pages={"index.md": PAGE, "other.md": OTHER, "new.md": "# New\n"})
    elif change == "an extension's setting":
        config, files = project(tmp_path, extensions="[abbr, admonition, attr_list, {toc: {permalink: true}}]")
    elif change == "the extensions":
        config, files = project(tmp_path, extensions="[admonition, attr_list, toc]")
    mkdocs_own = facts(converted_page(config, files, mkdocs_own=True))
    conversions = converted.start(config, memo)
    assert facts(converted_page(config, files)) == mkdocs_own
    assert (conversions.converted, conversions.remembered) == (1, 0)


def test_a_conversion_that_logs_a_message_is_not_kept(tmp_path, memo, caplog):
    config, files = project(tmp_path, pages={"index.md": "# Home\n\nSee [a page](missing.md).\n"})
    conversions = converted.start(config, memo)
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        converted_page(config, files)
        converted_page(config, files)
    messages = [record.getMessage() for record in caplog.records if "missing.md" in record.getMessage()]
    assert len(messages) == 2, messages
    assert (conversions.converted, conversions.remembered) == (2, 0)


def test_only_pure_extensions_with_plain_settings_are_remembered(tmp_path, memo):
    config, _ = project(tmp_path)
    assert converted.settings_of(config) is not None
    config, files = project(tmp_path, extensions="[toc, pymdownx.snippets]")
    assert converted.settings_of(config) is None
    assert converted.start(config, memo) is None
    assert "TAF" in converted_page(config, files).content  # MkDocs' own conversion
    config, _ = project(tmp_path, extensions="[toc]")
    config["mdx_configs"]["toc"] = {"slugify": lambda text, separator: text}
    assert converted.settings_of(config) is None


def test_another_version_of_mkdocs_converts_every_page_itself(tmp_path, memo, monkeypatch):
    config, _ = project(tmp_path)
    monkeypatch.setattr("mkdocs.__version__", "1.7.0")
    assert converted.settings_of(config) is None


def test_another_configuration_is_converted_by_mkdocs(tmp_path, memo):
    config, files = project(tmp_path)
    conversions = converted.start(config, memo)
    other_config, other_files = project(tmp_path)
    converted_page(other_config, other_files)
    assert (conversions.converted, conversions.remembered) == (0, 0)
    converted.stop()
    converted_page(config, files)
    assert (conversions.converted, conversions.remembered) == (0, 0)


def test_a_page_converted_by_one_site_tool_is_converted_again_by_the_other(tmp_path, memo, monkeypatch):
    """ProperDocs builds in MkDocs' place, as the module `mkdocs`: its conversions are its own."""
    import mkdocs

    config, files = project(tmp_path)
    conversions = converted.start(config, memo)
    converted_page(config, files)
    assert (conversions.converted, conversions.remembered) == (1, 0)
    by_mkdocs = converted.settings_of(config)
    monkeypatch.setattr(mkdocs, "__name__", "properdocs")
    assert converted.settings_of(config) not in (None, by_mkdocs)
    conversions = converted.start(config, memo)
    converted_page(config, files)
    assert (conversions.converted, conversions.remembered) == (1, 0)
    monkeypatch.setattr(mkdocs, "__name__", "somedocs")  # a program the memo knows nothing of
    assert converted.settings_of(config) is None


# A page with a broken link converted twice through the memo, in a process set up as ProperDocs'
# command line sets itself up: its logger, `properdocs`, passes nothing on to the root logger.
UNDER_PROPERDOCS = """
import pathlib, sys
import properdocs.__main__
state = properdocs.__main__.State()
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page
from handbook.cache import Memo
from handbook.plugin import converted
config = load_config(config_file="mkdocs.yml")
files = get_files(config)
conversions = converted.start(config, Memo(pathlib.Path(sys.argv[1])))
for _ in range(2):
    page = Page(None, files.get_file_from_path("index.md"), config)
    page.read_source(config)
    page.render(config, files)
print("under", type(page).__module__, "converted", conversions.converted, "remembered", conversions.remembered)
"""


def test_under_properdocs_a_conversion_that_logs_a_message_is_not_kept(tmp_path):
    import subprocess
    import sys

    pytest.importorskip("properdocs", reason="pyproject.toml's test extras install ProperDocs")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nSee [a page](missing.md).\n", encoding="utf-8")
    # ProperDocs has no theme of its own.
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\ntheme: material\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", UNDER_PROPERDOCS, str(tmp_path / "memo")], cwd=tmp_path,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "under properdocs.structure.pages converted 2 remembered 0", result.stderr
    assert result.stderr.count("contains a link 'missing.md'") == 2, result.stderr
