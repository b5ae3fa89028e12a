"""The PDFs: the book planned from the contents and the pages as they were rendered, then the whole
handbook, one PDF per chapter (made from the handbook's own pages) and the one-page quick
reference, printed beside the rest of the build, with their sizes in the pages' download links."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError

from handbook.data import reviews
from handbook.data.contents import APPENDIX, FORM, LEAVE_OUT, Contents
from handbook.data.records import Handbook
from handbook.editions.edition import Edition
from handbook.findings import Finding, HandbookError
from handbook.pdf.assemble import BookInfo, PrintError
from handbook.pdf.book import Book, BookError, PrintPage, build_book
from handbook.pdf.build import BOOK_PDF, QUICK_REFERENCE_PDF, PdfBuild, fill_download_sizes
from handbook.pdf.build import warm_up as start_warm_up
from handbook.pdf.pool import WarmUp, start_printer
from handbook.pdf.results import PdfError, TooManyPages
from handbook.rendering import render

log = logging.getLogger("mkdocs.plugins.handbook")


def plan_book(contents: Contents, print_pages: dict[str, PrintPage]) -> Book:
    """The book in the contents' order, with the pages each page's front matter (`pdf:`) makes
    appendices or forms at the end, and those it leaves out left out."""
    try:
        return build_book(contents.groups(), print_pages, contents.printed_as(APPENDIX, FORM),
                          tuple(contents.printed_as(LEAVE_OUT)))
    except BookError as err:
        raise PluginError(str(err)) from None


def pdf_links(book: Book, chapter_pdfs: bool) -> dict:
    """What the theme links each page to: the book, and the page's own PDF."""
    chapters = {page.src_uri: page.pdf_name for page in book.pages} if chapter_pdfs else {}
    # The Quick reference page's own PDF is the one-page quick reference.
    chapters[render.QUICK_REFERENCE_PAGE] = QUICK_REFERENCE_PDF
    return {"enabled": True, "book": BOOK_PDF, "chapters": chapters}


def book_info(handbook: Handbook, edition: Edition, live_url: str, chapter_reviews, draft: bool) -> BookInfo:
    publication = handbook.publication
    return BookInfo(
        title=publication.title, subtitle=publication.subtitle, organisation=publication.organisation,
        live_url=live_url, edition=edition,
        urgent_html=render.urgent_block(handbook),
        urgent_footer=render.urgent_footer(handbook),
        quick_reference_html=render.quick_reference_print(handbook, edition, live_url),
        cover_contacts_html=render.cover_contacts(handbook),
        next_update=render.long_date(update) if (update := reviews.next_planned_update(chapter_reviews)) else "",
        draft=draft,
    )


def load_printer() -> None:
    """Start loading WeasyPrint in the process the printing processes are forked from (pool.py),
    while MkDocs reads the pages: called as soon as the build knows it will print."""
    start_printer()


def warm_up(files, site_dir: Path) -> WarmUp | None:
    """Start the first printing process while the pages are read (handbook/pdf/build.py), with the
    fonts from where MkDocs will copy them: a page's own file before the theme's."""
    def source_of(relative: str) -> Path | None:
        file = files.get_file_from_path(relative)
        return Path(file.abs_src_path) if file is not None and file.abs_src_path else None

    return start_warm_up(site_dir, source_of)


def start_pdfs(book: Book, info: BookInfo, site_dir: Path, forms: set[str], chapter_pdfs: bool,
               warm: WarmUp | None = None) -> PdfBuild:
    """Start printing beside the rest of the build: called when the first page is written, by when
    the fonts the PDFs embed are in site/ (MkDocs copies the static files first)."""
    pdf_build = PdfBuild(book, info, site_dir, forms, chapter_pdfs, warm=warm)
    pdf_build.start()
    return pdf_build


def finish_pdfs(pdf_build: PdfBuild, handbook: Handbook, site_dir: Path) -> None:
    try:
        results = pdf_build.finish()
    except PrintError as err:
        raise PluginError(str(HandbookError(err.findings))) from None
    except TooManyPages as err:
        settings = handbook.quick_reference
        raise PluginError(str(HandbookError([Finding(
            settings.file, settings.line,
            f"the quick reference does not fit on one A4 page: it takes {err.pages} pages, so "
            f"pdf/{QUICK_REFERENCE_PDF} cannot be made. Print less on it: fewer contacts or timeframes "
            "under quick_reference here, or a shorter short_response for a level in data/thresholds.yaml.",
        )]))) from None
    except PdfError as err:
        raise PluginError(f"The PDF cannot be built: {err}") from None
    fill_download_sizes(site_dir, results)
    for name, result in results.items():
        log.info("PDF %s: %d %s, %d KB", name, result.pages, "page" if result.pages == 1 else "pages",
                 result.size // 1000)
