"""The print documents a build makes, as both the build's process (chunked.py) and the printing
processes (worker.py) see them: what is sent to be printed, and what comes back."""

from __future__ import annotations

from dataclasses import dataclass

from handbook.pdf.book import Chunk

# Links that leave a chunk are printed as this URI plus the target id, then rewritten in the merge
# (and, in a chapter's own PDF, pointed online).
CROSS_CHUNK = "https://handbook.invalid/#"


def provisional(digits: int) -> str:
    """The page number a chunk is laid out with before the real ones are known (page_numbers.py)."""
    return "8" * digits


def provisional_footer(digits: int) -> str:
    return f"Page {provisional(digits)} of {provisional(digits)}"


@dataclass(frozen=True)
class Document:
    """A print document to make: `chunk` of the handbook, or one on its own (chunk None)."""

    name: str  # names it in the cache's log
    label: str  # names it in errors: the file it ends up in
    html: str
    chunk: Chunk | None = None
    max_pages: int | None = None


@dataclass
class Printed:
    pages: int
    pdf: bytes
    extract: bytes | None = None
