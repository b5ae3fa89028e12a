"""Each font is embedded once in every PDF, in the same bytes on every machine with `make build`'s
set-up; a machine without HarfBuzz's subsetter says so in one line and still embeds each font once.

The subsetter is hidden the way a machine that never installed it lacks it: in a private mount
namespace (unshare, as root: CI runs as root), /dev/null is bound over the shared library, so that
neither WeasyPrint nor handbook/pdf/fonts.py can load it."""

from __future__ import annotations

import ctypes
import io
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pytest

from conftest import FIXTURES, SITE_COMMAND, SOURCE_DATE_EPOCH, build, fixture_project
from handbook.pdf.build import NO_SUBSETTER
from handbook.pdf.cache import SUBSET_LIBRARIES


def font_programs(data: bytes) -> Counter:
    """How many embedded font programs each font has in a PDF, by its name without the subset tag."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return Counter(str(obj.FontName).split("+")[-1] for obj in pdf.objects
                       if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor"
                       and any(key in obj for key in ("/FontFile", "/FontFile2", "/FontFile3")))


def _pdfs(site: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((site / "pdf").glob("*.pdf"))}


def _subset_library() -> Path:
    """Where the loaded HarfBuzz subsetter lives on this machine."""
    ctypes.CDLL(SUBSET_LIBRARIES[0])
    for line in Path("/proc/self/maps").read_text().splitlines():
        if "libharfbuzz-subset" in line:
            return Path(line.split()[-1])
    raise AssertionError("the HarfBuzz subsetter is loaded but not mapped")


def test_two_cold_builds_and_a_warm_one_give_the_same_bytes_with_each_font_embedded_once(tmp_path):
    project = fixture_project(FIXTURES / "base", tmp_path / "project")
    first = build(project, tmp_path / "cold-1", HANDBOOK_CACHE=str(tmp_path / "cache-1"))
    second = build(project, tmp_path / "cold-2", HANDBOOK_CACHE=str(tmp_path / "cache-2"))
    warm = build(project, tmp_path / "warm", HANDBOOK_CACHE=str(tmp_path / "cache-1"))
    for result in (first, second, warm):
        assert result.returncode == 0, result.output
        assert NO_SUBSETTER not in result.output  # make build's set-up installs the subsetter
    pdfs = _pdfs(first.site)
    assert len(pdfs) == 5 and pdfs == _pdfs(second.site) == _pdfs(warm.site)
    for name, data in pdfs.items():
        programs = font_programs(data)
        assert programs and set(programs.values()) == {1}, (name, programs)


@pytest.mark.skipif(shutil.which("unshare") is None or os.geteuid() != 0,
                    reason="hiding a library needs unshare and root (CI has both)")
def test_without_harfbuzzs_subsetter_the_build_says_so_once_and_still_embeds_each_font_once(tmp_path):
    project = fixture_project(FIXTURES / "base", tmp_path / "project")
    library = _subset_library()
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
           "HANDBOOK_CACHE": str(tmp_path / "cache"), "LIBRARY": str(library)}
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", 'mount --bind /dev/null "$LIBRARY" && exec "$@"', "sh",
         *SITE_COMMAND, "build", "--strict", "--config-file", str(project / "mkdocs.yml"), "--site-dir", str(site)],
        cwd=project, env=env, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert output.count(NO_SUBSETTER) == 1, output
    pdfs = _pdfs(site)
    assert len(pdfs) == 5
    for name, data in pdfs.items():
        programs = font_programs(data)
        assert programs and set(programs.values()) == {1}, (name, programs)
    # Not the bytes a build with the subsetter gives: that is why the build said so.
    usual = build(project, tmp_path / "usual", HANDBOOK_CACHE=str(tmp_path / "cache"))
    assert usual.returncode == 0, usual.output
    assert _pdfs(usual.site)["early-help-handbook.pdf"] != pdfs["early-help-handbook.pdf"]
