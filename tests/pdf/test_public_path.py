"""The public path (handbook/pdf/fast_path.py: WeasyPrint's documented API only, then pikepdf) gives
the PDFs the fast path gives: the real handbook built both ways, compared file by file and page by
page. `make test` also runs every PDF test on the public path (HANDBOOK_PDF_PATH=public)."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from conftest import ROOT, build
from handbook.pdf.fast_path import SETTING


@pytest.fixture(scope="module")
def public(site, tmp_path_factory):
    if "public API only" in site.output:
        pytest.skip("the session's site was itself printed on the public path: nothing to compare it with")
    tmp = tmp_path_factory.mktemp("public")
    result = build(ROOT, tmp / "site", **{SETTING: "public", "HANDBOOK_CACHE": str(tmp / "cache")})
    assert result.returncode == 0, result.output
    return result


_LEADER = re.compile(r"\.{2,}")


def _text(page) -> str:
    # The fast path pads the contents' numbers with figure spaces where the public path's leader
    # has more dots: the words and numbers are the same.
    return " ".join(_LEADER.sub(" ... ", page.extract_text().replace("\u2007", " ")).split())


def _outline(reader: PdfReader, items=None) -> list:
    out = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            out.append(_outline(reader, item))
        else:
            out.append((item.title, reader.get_destination_page_number(item)))
    return out


def _links(page) -> list:
    links = []
    for annot in page.get("/Annots") or []:
        annot = annot.get_object()
        action = annot.get("/A")
        links.append(str(annot.get("/Dest")) if action is None else str(action.get("/URI")))
    return links


def test_the_public_path_says_so_in_one_line(public):
    said = [line for line in public.output.splitlines() if "public API" in line]
    assert said == ["INFO    -  PDFs: printed through WeasyPrint's public API only (HANDBOOK_PDF_PATH=public): each "
                    "chunk is laid out again with its page numbers, which is slower; the pages are the same."]


def test_the_public_path_prints_the_same_pdfs_page_for_page(site, public):
    fast_files = sorted(path.name for path in (site.site / "pdf").glob("*.pdf"))
    assert fast_files == sorted(path.name for path in (public.site / "pdf").glob("*.pdf"))
    assert len(fast_files) > 3
    for name in fast_files:
        fast, slow = PdfReader(site.site / "pdf" / name), PdfReader(public.site / "pdf" / name)
        assert len(fast.pages) == len(slow.pages), name
        for number, (one, other) in enumerate(zip(fast.pages, slow.pages, strict=True), start=1):
            assert _text(one) == _text(other), f"{name}, page {number}"
            assert _links(one) == _links(other), f"{name}, page {number}"
        assert _outline(fast) == _outline(slow), name
        assert fast.metadata.title == slow.metadata.title
