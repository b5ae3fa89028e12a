"""Make every PDF of a build: the whole handbook and one per chapter, into site/pdf/.

Each chapter's pages are laid out once, for the handbook, and the chapter's own PDF is made from
them (chunked.py, extract.py); a cache of earlier builds' work (cache.py) means a rebuild prints
only what changed.

Also fills the sizes into the site's "Download ... (PDF)" links, which can only be known once
the files exist (MkDocs writes the pages before post-build, when the PDFs are made).
"""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
import threading
from importlib.resources import files
from pathlib import Path

from handbook.pdf.assemble import (
    TEMPLATES,
    BookInfo,
    book_bodies,
    book_document,
    extract_notice,
    extract_notice_document,
    footer_text,
    quick_reference_document,
)
from handbook.pdf.book import Book, Chunk
from handbook.pdf.cache import MAX_BYTES, PdfCache, default_root, engine_fingerprint, harfbuzz_subset_installed
from handbook.pdf.chunked import HandbookPrint, with_provisional_numbers
from handbook.pdf.documents import Document, provisional_footer
from handbook.pdf.pool import WarmUp
from handbook.pdf.results import PdfResult, save

BOOK_PDF = "early-help-handbook.pdf"
QUICK_REFERENCE_PDF = "quick-reference.pdf"  # one A4 page: the build stops if it takes more
PDF_DIR = "pdf"
log = logging.getLogger("mkdocs.plugins.handbook.pdf")
# What a build without HarfBuzz's subsetter says, once (fonts.py: fontTools subsets instead).
NO_SUBSETTER = ("PDF fonts: HarfBuzz's subsetting library (libharfbuzz-subset) is not installed, so fontTools "
                "subsets the fonts: each is still embedded once, but the PDFs are not byte for byte those of a "
                "build that has it. Install it (Debian: apt-get install libharfbuzz-subset0; make build does).")
_ID = re.compile(r'\bid="([^"]+)"')


def printed_furniture(info: BookInfo) -> dict[str, str]:
    """What the PDFs print besides the site's pages, as HTML, by where it is printed: the cover, the
    one-page quick reference, every page's footer and every chapter PDF's notice. The build checks
    these words before it prints (handbook.checks.claims), as it checks the built pages after."""
    return {
        f"{PDF_DIR}/{BOOK_PDF} (its cover)": TEMPLATES.get_template("print/_cover.html").render(info=info),
        f"{PDF_DIR}/{QUICK_REFERENCE_PDF}": quick_reference_document(info, ""),
        "the footer of every PDF page": html.escape(footer_text(info, info.live_url)),
        "the notice on every chapter PDF's pages": html.escape(" ".join(extract_notice(info))),
    }


def print_css() -> str:
    return files("handbook.pdf").joinpath("templates/print/print.css").read_text(encoding="utf-8")


_URL = re.compile(r"""url\(\s*["']?([^"')]+?)["']?\s*\)""")


def print_css_files() -> list[str]:
    """The site files the print stylesheet reads (its fonts), as paths in the site."""
    return sorted({url for url in _URL.findall(print_css()) if ":" not in url and not url.startswith("/")})


def warm_up(site_dir: Path, source_of) -> WarmUp | None:
    """Start a printing process for this build now, which parses the print stylesheet and loads its
    fonts while the site's pages are read (pool.WarmUp). The fonts are copied into the site first,
    from where the build will copy them (`source_of(path)` gives that file, or None), since the site
    is empty this early; MkDocs copies them again later, the same files. None if a file is not
    found: the printing then starts as usual, and reports it."""
    for relative in print_css_files():
        source = source_of(relative)
        if source is None:
            return None
        target = site_dir / relative
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    return WarmUp(site_dir, print_css())


def online_addresses(book: Book, bodies) -> dict[str, str | None]:
    """Every id in the book with the address online of the chapter it is in (None where that is
    not a web address), for a chapter's own PDF to send its readers to other chapters."""
    addresses: dict[str, str | None] = {}
    for page in book.pages:
        address = page.live_url if page.live_url.startswith("https://") else None
        addresses[page.slug] = address
        for anchor in _ID.findall(str(bodies[page.slug])):
            addresses[anchor] = address
    return addresses


class PdfBuild:
    """Every PDF of one build, printed beside the site's own build.

    start() makes the print documents, looks in the cache and starts the processes that print the
    rest, then returns: the MkDocs plugin calls it as soon as the site's static files (the fonts
    the PDFs embed) are in place, and the PDFs are laid out while MkDocs writes the pages.
    finish() waits for them, writes them to site/pdf/ and returns what it wrote. Any error is
    raised by finish(); stop() ends the processes early (a build that failed elsewhere).
    """

    def __init__(self, book: Book, info: BookInfo, site_dir: Path, forms: set[str], chapters: bool = True,
                 cache: PdfCache | None = None, warm: WarmUp | None = None):
        self.book, self.info, self.site_dir, self.forms, self.chapters = book, info, site_dir, forms, chapters
        self.warm = warm
        self.cache = cache if cache is not None else PdfCache(default_root())
        self.printing: HandbookPrint | None = None
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def start(self) -> None:
        try:
            self._start()
        except Exception as err:  # noqa: BLE001 (raised by finish(), where the plugin reports it)
            self.error = err

    def _start(self) -> None:
        css = print_css()
        engine = engine_fingerprint()
        if not harfbuzz_subset_installed():
            log.info(NO_SUBSETTER)
        bodies = book_bodies(self.book, self.cache, engine)

        def make_html(chunk: Chunk, digits: int) -> str:
            return with_provisional_numbers(
                book_document(self.book, self.info, css, self.forms, bodies, chunk, provisional_footer(digits)),
                digits)

        singles = [Document("quick-reference", f"{PDF_DIR}/{QUICK_REFERENCE_PDF}",
                            quick_reference_document(self.info, css), max_pages=1)]
        if self.chapters:
            singles.append(Document("notice", f"the extract notice of {PDF_DIR}/*.pdf",
                                    extract_notice_document(self.info, css)))
        # WeasyPrint's layout is pure Python and single-threaded, so the work is spread over one
        # process per core (measured: see BENCHMARKS.md).
        self.printing = HandbookPrint(self.book, bodies, make_html, self.site_dir, self.cache,
                                      max(1, os.cpu_count() or 1), self.chapters, online_addresses(self.book, bodies),
                                      f"{PDF_DIR}/{BOOK_PDF}", singles, engine, self.warm,
                                      {page.slug: footer_text(self.info, page.live_url) for page in self.book.pages})
        self.printing.prepare()
        # The processes do the work; this thread only hands it out and collects it, so the site's
        # build goes on in the main thread meanwhile.
        self.thread = threading.Thread(target=self._run, name="handbook-pdf", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.printing.run()
        except BaseException as err:  # noqa: BLE001 (raised by finish())
            self.error = err

    def finish(self) -> dict[str, PdfResult]:
        if self.thread is not None:
            self.thread.join()
        self.stop()
        if self.error is not None:
            raise self.error
        printing = self.printing
        out = self.site_dir / PDF_DIR
        results = {}
        save(printing.merged, out / BOOK_PDF)
        results[BOOK_PDF] = PdfResult(out / BOOK_PDF, printing.pages, len(printing.merged))
        quick_reference = printing.singles["quick-reference"].printed
        save(quick_reference.pdf, out / QUICK_REFERENCE_PDF)
        results[QUICK_REFERENCE_PDF] = PdfResult(out / QUICK_REFERENCE_PDF, quick_reference.pages,
                                                 len(quick_reference.pdf))
        if self.chapters:
            for job in printing.jobs:
                page = job.document.chunk.page
                if page is not None:
                    save(job.printed.extract, out / page.pdf_name)
                    results[page.pdf_name] = PdfResult(out / page.pdf_name, job.printed.pages,
                                                       len(job.printed.extract))
        removed = self.cache.prune_now_and_then(MAX_BYTES)
        where = self.cache.root.parent if self.cache.root is not None else "(off: HANDBOOK_PDF_CACHE=0)"
        pruned = (f"{removed} old files removed" if removed is not None
                  else "pruned less than an hour ago" if self.cache.root is not None else "nothing kept")
        log.info("PDF cache %s: %s; %s", where, printing.cache_summary(), pruned)
        return results

    def stop(self) -> None:
        if self.printing is not None:
            self.printing.stop()
        elif self.warm is not None:
            self.warm.stop()


def build_pdfs(book: Book, info: BookInfo, site_dir: Path, forms: set[str], chapters: bool = True,
               cache: PdfCache | None = None) -> dict[str, PdfResult]:
    """Make every PDF of a build, start to finish."""
    run = PdfBuild(book, info, site_dir, forms, chapters, cache)
    run.start()
    return run.finish()


def human_size(size: int) -> str:
    """1.2 MB, 350 KB: the style GOV.UK uses for file sizes in links."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} KB"


# "(PDF)" as the theme writes it, or with the size an earlier printing of the same site filled in.
_DOWNLOAD_LINK = re.compile(r'(<a [^>]*data-hb-pdf="([^"]+)"[^>]*>[^<]*)\(PDF(?:, [0-9.]+ [KM]B)?\)</a>')


def fill_download_sizes(site_dir: Path, results: dict[str, PdfResult]) -> None:
    def fill(match: re.Match) -> str:
        return f"{match.group(1)}(PDF, {human_size(results[match.group(2)].size)})</a>"

    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        filled = _DOWNLOAD_LINK.sub(fill, html)
        if filled != html:
            page.write_text(filled, encoding="utf-8")
