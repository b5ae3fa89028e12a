"""`handbook pdf SITE_DIR` prints every PDF of an already built site (handbook/pdf/from_site.py):
the same bytes as the build's own, and the same refusals."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import HANDBOOK_TODAY, ROOT, SOURCE_DATE_EPOCH
from handbook.pdf.from_site import CONTENT_END, CONTENT_START, MANIFEST


def _handbook_pdf(site, project=ROOT, **env):
    return subprocess.run(
        [sys.executable, "-m", "handbook.cli", "--project", str(project), "pdf", str(site)],
        env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "HANDBOOK_TODAY": HANDBOOK_TODAY, **env},
        capture_output=True, text=True, timeout=600)


@pytest.fixture
def copy(site, tmp_path):
    """The session's built site, without its PDFs."""
    target = tmp_path / "site"
    shutil.copytree(site.site, target)
    for pdf in (target / "pdf").glob("*.pdf"):
        pdf.unlink()
    return target


def test_it_prints_the_same_pdfs_as_the_build_and_the_same_pages(site, copy, tmp_path):
    result = _handbook_pdf(copy, HANDBOOK_CACHE=str(tmp_path / "cache"), HANDBOOK_PDF_CACHE="0")
    assert result.returncode == 0, result.stderr
    built = sorted(path.relative_to(site.site) for path in site.site.rglob("*") if path.is_file())
    assert built == sorted(path.relative_to(copy) for path in copy.rglob("*") if path.is_file())
    pdfs = [path for path in built if path.suffix == ".pdf"]
    assert len(pdfs) > 3 and f"{copy / 'pdf' / 'early-help-handbook.pdf'}: " in result.stdout
    for path in built:  # the PDFs, and the pages with their download links' sizes
        assert (site.site / path).read_bytes() == (copy / path).read_bytes(), path


def test_a_site_without_its_manifest_is_refused(copy):
    (copy / MANIFEST).unlink()
    result = _handbook_pdf(copy, HANDBOOK_PDF_CACHE="0")
    assert result.returncode == 1
    assert f"handbook pdf: {copy / MANIFEST} is missing: it is written by a build of the site" in result.stderr


def test_a_page_that_does_not_mark_its_content_is_refused(copy):
    page = copy / "handbook" / "principles" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace(CONTENT_END, ""), encoding="utf-8")
    result = _handbook_pdf(copy, HANDBOOK_PDF_CACHE="0")
    assert result.returncode == 1
    assert (f"handbook pdf: handbook/principles/index.html does not mark its content once with {CONTENT_START}"
            in result.stderr)


def test_the_print_checks_run_and_name_the_line_of_the_source(copy, tmp_path):
    # A picture without alt text in a built page: the check the build makes of the print HTML.
    page = copy / "handbook" / "principles" / "index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace(CONTENT_END, '<img src="../../assets/x.png">' + CONTENT_END), encoding="utf-8")
    result = _handbook_pdf(copy, HANDBOOK_CACHE=str(tmp_path / "cache"), HANDBOOK_PDF_CACHE="0")
    assert result.returncode == 1
    assert 'docs/handbook/principles.md:1: an image ("../../assets/x.png") has no alt text.' in result.stderr
    assert not list((copy / "pdf").glob("*.pdf"))
