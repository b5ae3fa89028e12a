"""Render print HTML to PDF with WeasyPrint, safely and reproducibly.

- Only the built site and data: URIs can be read (SiteOnlyFetcher).
- WeasyPrint logs problems (a missing image, a missing lang) and still writes the PDF; any
  error-level record here fails the build instead.
- Tagged PDF/UA-1 with the document language and metadata from the HTML head.
- A fixed document identifier derived from the content, so with SOURCE_DATE_EPOCH set the same
  commit gives byte-identical files.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pydyf
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from handbook.pdf.fetcher import SiteOnlyFetcher
from handbook.pdf.results import PdfError, PdfResult, TooManyPages, save
from handbook.pdf.tagging import fix_tags


def _memoised_page_references(self):
    """pydyf's PDF.page_references, computed once per page count instead of on every access.

    WeasyPrint's PDF/UA tagging reads page_references once per tagged element, and pydyf rebuilds
    the whole tuple each time: cProfile of the 676-page benchmark handbook put 15 s of an 18 s
    write_pdf there (49 million generator steps). Pages are only ever appended to Kids, so the
    tuple for a given length never changes. The fast path's (fast_path.py): put in place by
    memoise_page_references() once check_page_references() agrees with pydyf's own.
    """
    kids = self.pages["Kids"]
    cached = self.__dict__.get("_handbook_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        self.__dict__["_handbook_page_references"] = cached
    return cached[1]


_PYDYF_PAGE_REFERENCES = pydyf.PDF.__dict__.get("page_references")


def memoise_page_references() -> None:
    pydyf.PDF.page_references = property(_memoised_page_references)


def forget_page_references() -> None:
    if _PYDYF_PAGE_REFERENCES is not None:
        pydyf.PDF.page_references = _PYDYF_PAGE_REFERENCES


def check_page_references() -> None:
    """Raise unless the memoised page references are pydyf's own, as pages are added."""
    if not isinstance(_PYDYF_PAGE_REFERENCES, property):
        raise ValueError("pydyf.PDF.page_references is no longer a property")
    pdf = pydyf.PDF()
    for count in range(3):
        if count:
            pdf.add_page(pydyf.Dictionary({"Type": "/Page", "Parent": pdf.pages.reference,
                                           "MediaBox": pydyf.Array([0, 0, 10, 10])}))
        if _memoised_page_references(pdf) != tuple(_PYDYF_PAGE_REFERENCES.fget(pdf)):
            raise ValueError(f"memoised, pydyf's page references differ with {count} page(s)")


class _ErrorCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class WeasyPrintErrors:
    """Error-level log records from WeasyPrint while the block runs become a PdfError naming
    `label`, and so does a refused fetch. Used around each step (layout, drawing) separately, so
    that a process holding several laid-out documents blames the right one."""

    def __init__(self, label: str):
        self.label = label
        self.collector = _ErrorCollector()
        self.logger = logging.getLogger("weasyprint")

    def __enter__(self):
        self.logger.addHandler(self.collector)
        return self

    def __exit__(self, kind, error, traceback):
        self.logger.removeHandler(self.collector)
        if isinstance(error, FatalURLFetchingError):
            raise PdfError(str(error)) from None  # the fetcher's message already names the PDF
        if kind is None and self.collector.messages:
            raise PdfError(f"{self.label}: WeasyPrint reported errors:\n  " + "\n  ".join(self.collector.messages))
        return False


class Rendering:
    """One WeasyPrint layout, as a context manager giving the laid-out document.

    Error-level log records from WeasyPrint during the block (layout and drawing) become a PdfError.
    """

    def __init__(self, html: str, site_dir: Path, label: str):
        self.html, self.site_dir, self.label = html, site_dir, label
        self.errors = WeasyPrintErrors(label)

    def __enter__(self):
        self.errors.__enter__()
        try:
            return HTML(
                string=self.html, base_url=self.site_dir.resolve().as_uri() + "/",
                url_fetcher=SiteOnlyFetcher(self.site_dir, self.label),
            ).render(presentational_hints=True)
        except BaseException as err:
            self.errors.__exit__(type(err), err, None)  # a refused fetch becomes a PdfError here
            raise

    def __exit__(self, kind, error, traceback):
        return self.errors.__exit__(kind, error, traceback)


def anchor_pages(document) -> dict[str, int]:
    """On which page (0-based) each id of the document falls."""
    pages: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            # An element split over pages is listed on each: its place is where it starts.
            pages.setdefault(anchor, index)
    return pages


def draw_pdf(document, html: str) -> bytes:
    """A laid-out document (from Rendering) as tagged PDF/UA-1, with what WeasyPrint's tags leave
    out put right (tagging.py). Write it out only once the Rendering block has ended without
    errors.

    WeasyPrint writes it uncompressed: fix_tags rewrites every page's content and compresses every
    stream as it saves, so compressing here first only made it inflate them again (0.4 s of the
    87-page handbook's 1.7 s)."""
    return fix_tags(document.write_pdf(
        pdf_variant="pdf/ua-1",
        uncompressed_pdf=True,
        pdf_identifier=hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii"),
    ))


def write_pdf(html: str, site_dir: Path, target: Path, label: str, max_pages: int | None = None) -> PdfResult:
    """Render `html` (a whole print document) into `target`. `label` names it in errors. With
    `max_pages`, a document laid out on more pages raises TooManyPages and nothing is written."""
    with Rendering(html, site_dir, label) as document:
        if max_pages is not None and len(document.pages) > max_pages:
            raise TooManyPages(label, len(document.pages), max_pages)
        pdf = draw_pdf(document, html)
    save(pdf, target)
    return PdfResult(target, len(document.pages), len(pdf))
