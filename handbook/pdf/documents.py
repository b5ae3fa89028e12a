"""The print documents a build makes, as both the build's process (chunked.py) and the printing
processes (worker.py) see them: what is sent to be printed, and what comes back."""

from __future__ import annotations

import re
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


class PageNumberError(Exception):
    pass


_NUMBERED = re.compile(r'(data-hb-target="([^"]+)") data-page="8+"')


def with_real_numbers(html: str, spec: dict) -> str:
    """A chunk's print HTML with the real page numbers of its drawing spec (chunked.py) where it was
    laid out with provisional ones: for the public path (fast_path.py), which lays it out again
    with them, where the fast path writes them into the laid-out pages (page_numbers.py). The
    running footer counts its pages from the chunk's first page in the whole book."""
    footer = f'@page {{ @bottom-right {{ content: "{provisional_footer(spec["digits"])}";'
    if footer not in html:
        raise PageNumberError("no page numbers were found to fill in")
    counted = (f'@page :first {{ counter-reset: page {spec["first"]}; }} '
               f'@page {{ @bottom-right {{ content: "Page " counter(page) " of {spec["total"]}";')

    def number(match: re.Match) -> str:
        anchor = match.group(2)
        if anchor not in spec["pages"]:
            raise PageNumberError(f"a link in the handbook PDF points to #{anchor}, which is not in it.")
        return f'{match.group(1)} data-page="{spec["pages"][anchor]}"'

    return _NUMBERED.sub(number, html.replace(footer, counted, 1))


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
