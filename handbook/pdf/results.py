"""What a PDF build gives back, its files and its errors, as both the build's process and the
printing processes (pool.py) see them. Nothing here loads WeasyPrint, so the build's own process
never has to (importing it takes about 0.4 s, a sixth of a one-chapter rebuild)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class PdfError(Exception):
    pass


class TooManyPages(PdfError):
    """A document that must fit on `limit` pages took `pages`. Nothing was written."""

    def __init__(self, label: str, pages: int, limit: int):
        super().__init__(label, pages, limit)  # all in args, so that it crosses a process pool intact
        self.label, self.pages, self.limit = label, pages, limit

    def __str__(self) -> str:
        return f"{self.label} takes {self.pages} pages, where it must fit on {self.limit}."


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int
    size: int


def save(pdf: bytes, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pdf)
