"""Make every PDF of a build: the whole handbook and one per chapter, into site/pdf/.

Also fills the sizes into the site's "Download ... (PDF)" links, which can only be known once
the files exist (MkDocs writes the pages before post-build, when the PDFs are made).
"""

from __future__ import annotations

import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from importlib.resources import files
from pathlib import Path

from handbook.pdf.assemble import BookInfo, book_bodies, chapter_document, quick_reference_document
from handbook.pdf.book import Book
from handbook.pdf.chunked import render_book
from handbook.pdf.writer import PdfResult, write_pdf

BOOK_PDF = "early-help-handbook.pdf"
QUICK_REFERENCE_PDF = "quick-reference.pdf"  # one A4 page: the build stops if it takes more
PDF_DIR = "pdf"


def print_css() -> str:
    return files("handbook.pdf").joinpath("templates/print/print.css").read_text(encoding="utf-8")


def build_pdfs(book: Book, info: BookInfo, site_dir: Path, forms: set[str],
               chapters: bool = True) -> dict[str, PdfResult]:
    css = print_css()
    out = site_dir / PDF_DIR
    bodies = book_bodies(book)
    # WeasyPrint's layout is pure Python and single-threaded, so the work is spread over one
    # process per core (measured: see BENCHMARKS.md). Forked before any rendering in this
    # process, so no Pango or fontconfig state is shared.
    workers = max(1, os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        chapter_jobs = {}
        if chapters:
            chapter_jobs = {
                page.pdf_name: pool.submit(write_pdf, chapter_document(book, page, info, css, forms), site_dir,
                                           out / page.pdf_name, f"{PDF_DIR}/{page.pdf_name} (from docs/{page.src_uri})")
                for page in book.pages
            }
        quick_reference = pool.submit(write_pdf, quick_reference_document(info, css), site_dir,
                                      out / QUICK_REFERENCE_PDF, f"{PDF_DIR}/{QUICK_REFERENCE_PDF}", max_pages=1)
        # The whole book runs in processes of its own (chunked.py) alongside the chapters' pool.
        target = out / BOOK_PDF
        pages, size = render_book(book, info, css, forms, bodies, site_dir, target, f"{PDF_DIR}/{BOOK_PDF}",
                                  workers)
        results = {BOOK_PDF: PdfResult(target, pages, size), QUICK_REFERENCE_PDF: quick_reference.result()}
        results.update({name: future.result() for name, future in chapter_jobs.items()})
    return results


def human_size(size: int) -> str:
    """1.2 MB, 350 KB: the style GOV.UK uses for file sizes in links."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} KB"


_DOWNLOAD_LINK = re.compile(r'(<a [^>]*data-hb-pdf="([^"]+)"[^>]*>[^<]*)\(PDF\)</a>')


def fill_download_sizes(site_dir: Path, results: dict[str, PdfResult]) -> None:
    def fill(match: re.Match) -> str:
        return f"{match.group(1)}(PDF, {human_size(results[match.group(2)].size)})</a>"

    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        filled = _DOWNLOAD_LINK.sub(fill, html)
        if filled != html:
            page.write_text(filled, encoding="utf-8")
