"""The PDF cache (handbook/pdf/cache.py) across whole builds of a small project: a rebuild reuses what
has not changed, prints again what has, and never changes a byte of what it writes."""

from __future__ import annotations

import re
import shutil

from conftest import FIXTURES, build, fixture_project
from handbook.plugin.theme import THEME_DIR


def _pdfs(site) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((site / "pdf").glob("*.pdf"))}


def _cache_line(output: str) -> str:
    lines = [line for line in output.splitlines() if "PDF cache " in line]
    assert len(lines) == 1, output
    return lines[0]


def test_a_rebuild_reuses_the_cache_byte_for_byte_and_prints_again_only_what_changed(tmp_path):
    project = fixture_project(FIXTURES / "base", tmp_path / "project")
    cache = str(tmp_path / "cache")

    cold = build(project, tmp_path / "cold", HANDBOOK_CACHE=cache)
    assert cold.returncode == 0, cold.output
    documents = int(re.search(r"0 of (\d+) documents reused", _cache_line(cold.output)).group(1))
    assert f"{documents} laid out now, the handbook merged now" in _cache_line(cold.output)
    first = _pdfs(cold.site)
    assert len(first) == 5  # the handbook, the quick reference and three chapters

    # Nothing changed: every PDF comes from the cache, and is the same to the byte.
    warm = build(project, tmp_path / "warm", HANDBOOK_CACHE=cache)
    assert warm.returncode == 0, warm.output
    assert f"{documents} of {documents} documents reused, 0 laid out now, the handbook reused" in \
        _cache_line(warm.output)
    assert _pdfs(warm.site) == first

    # A wording change in one chapter lays out that chapter alone.
    page = project / "docs" / "other.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nThis page now says a little more.\n", encoding="utf-8")
    edited = build(project, tmp_path / "edited", HANDBOOK_CACHE=cache)
    assert edited.returncode == 0, edited.output
    assert f"{documents - 1} of {documents} documents reused, 1 laid out now, the handbook merged now" in \
        _cache_line(edited.output)
    changed = _pdfs(edited.site)
    assert {name for name in first if changed[name] != first[name]} == {"other.pdf", "early-help-handbook.pdf"}

    # ...and gives what a build without the cache gives.
    fresh = build(project, tmp_path / "fresh", HANDBOOK_CACHE=str(tmp_path / "another-cache"))
    assert fresh.returncode == 0, fresh.output
    assert _pdfs(fresh.site) == changed

    # A file the layouts read (a font the print stylesheet declares) changed: nothing is reused. The
    # fonts are the engine theme's; a project's own file at the same address takes their place.
    font = project / "docs" / "assets" / "fonts" / "Inter-BoldItalic.otf"
    font.parent.mkdir(parents=True)
    shutil.copyfile(THEME_DIR / "assets" / "fonts" / "Inter-Italic.otf", font)
    refonted = build(project, tmp_path / "refonted", HANDBOOK_CACHE=cache)
    assert refonted.returncode == 0, refonted.output
    assert f"0 of {documents} documents reused, {documents} laid out now" in _cache_line(refonted.output)

    # A build without the chapters' own PDFs leaves the chunks it printed for the next build,
    # which makes the chapters' PDFs from them without laying anything out but their notice.
    other_cache = str(tmp_path / "third-cache")
    book_only = build(project, tmp_path / "book-only", HANDBOOK_CACHE=other_cache, HANDBOOK_CHAPTER_PDFS="0")
    assert book_only.returncode == 0, book_only.output
    assert sorted(_pdfs(book_only.site)) == ["early-help-handbook.pdf", "quick-reference.pdf"]
    finished = build(project, tmp_path / "finished", HANDBOOK_CACHE=other_cache)
    assert finished.returncode == 0, finished.output
    assert "1 laid out now, 3 chapter PDFs made from their cached pages" in _cache_line(finished.output)
    assert _pdfs(finished.site) == _pdfs(refonted.site)
