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
from dataclasses import dataclass
from pathlib import Path

import pydyf
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from handbook.pdf.fetcher import SiteOnlyFetcher


class PdfError(Exception):
    pass


def _memoised_page_references(self):
    """pydyf's PDF.page_references, computed once per page count instead of on every access.

    WeasyPrint's PDF/UA tagging reads page_references once per tagged element, and pydyf rebuilds
    the whole tuple each time: cProfile of the 676-page benchmark handbook put 15 s of an 18 s
    write_pdf there (49 million generator steps). Pages are only ever appended to Kids, so the
    tuple for a given length never changes.
    """
    kids = self.pages["Kids"]
    cached = self.__dict__.get("_handbook_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        self.__dict__["_handbook_page_references"] = cached
    return cached[1]


pydyf.PDF.page_references = property(_memoised_page_references)


class _ErrorCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int
    size: int


def write_pdf(html: str, site_dir: Path, target: Path, label: str) -> PdfResult:
    """Render `html` (a whole print document) into `target`. `label` names it in errors."""
    collector = _ErrorCollector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        document = HTML(
            string=html, base_url=site_dir.resolve().as_uri() + "/",
            url_fetcher=SiteOnlyFetcher(site_dir, label),
        ).render(presentational_hints=True)
        pdf = document.write_pdf(
            pdf_variant="pdf/ua-1",
            pdf_identifier=hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii"),
        )
    except FatalURLFetchingError as err:
        raise PdfError(str(err)) from None  # the fetcher's message already names the PDF
    finally:
        logger.removeHandler(collector)
    if collector.messages:
        raise PdfError(f"{label}: WeasyPrint reported errors:\n  " + "\n  ".join(collector.messages))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pdf)
    return PdfResult(target, len(document.pages), len(pdf))
