"""What goes into the PDF, in what order: parts and chapters taken from the handbook's contents
(handbook/data/contents.py), with the pages printed as appendices moved to an Appendices part at
the end."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PrintPage:
    """One page of the site as the PDF needs it: its rendered content HTML, not the theme's page."""

    src_uri: str  # e.g. handbook/faq.md
    title: str
    url: str  # the page's URL in the site, e.g. handbook/faq/
    html: str
    live_url: str  # where readers find this page online
    source: str = ""  # the Markdown as written, to give findings a line number

    @property
    def slug(self) -> str:
        """A prefix unique in the merged document: handbook/faq.md -> handbook-faq."""
        return self.src_uri.removesuffix(".md").replace("/", "-").replace("_", "-")

    @property
    def pdf_name(self) -> str:
        """The file name of this chapter's own PDF, e.g. faq.pdf."""
        return posixpath.basename(self.src_uri).removesuffix(".md") + ".pdf"


@dataclass
class Part:
    title: str | None  # None for a chapter that stands on its own at the top level
    pages: list[PrintPage] = field(default_factory=list)


@dataclass
class Book:
    parts: list[Part]

    @property
    def pages(self) -> list[PrintPage]:
        return [page for part in self.parts for page in part.pages]


@dataclass(frozen=True)
class Chunk:
    """What one print document of the handbook holds (chunked.py lays each out on its own): the
    cover and contents, the title page of part number `part` (1-based, counting every part), or
    one chapter."""

    name: str  # "front", "part-2", or the chapter's slug
    front: bool = False
    part: int | None = None
    page: PrintPage | None = None


def chunks_of(book: Book) -> list[Chunk]:
    """The handbook's chunks in print order. A chapter is a chunk of its own, so that a change to it
    lays out only that chapter again, and its PDF is the chapter's own; a part's title page is one
    too, so that no chapter's PDF starts with another page."""
    chunks = [Chunk("front", front=True)]
    for index, part in enumerate(book.parts, start=1):
        if part.title:
            chunks.append(Chunk(f"part-{index}", part=index))
        chunks += [Chunk(page.slug, page=page) for page in part.pages]
    return chunks


class BookError(ValueError):
    pass


def build_book(nav_items: list, pages: dict[str, PrintPage], appendices: list[str],
               leave_out: tuple[str, ...] = ("index.md",)) -> Book:
    """`nav_items` is a list of (section title or None, [src_uri, ...]) in the contents' order."""
    missing = [uri for uri in appendices if uri not in pages]
    if missing:
        raise BookError(f"the PDF's appendices name pages that are not in the site: {', '.join(missing)}")
    parts: list[Part] = []
    for title, uris in nav_items:
        chosen = [pages[u] for u in uris if u in pages and u not in appendices and u not in leave_out]
        if not chosen:
            continue
        if title is None:
            parts.extend(Part(None, [page]) for page in chosen)
        else:
            parts.append(Part(title, chosen))
    if appendices:
        parts.append(Part("Appendices", [pages[u] for u in appendices]))
    book = Book(parts)
    names: dict[str, str] = {}
    for page in book.pages:
        if page.pdf_name in names:
            raise BookError(f"{page.src_uri} and {names[page.pdf_name]} would both be saved as pdf/{page.pdf_name}. "
                            "Rename one of the pages.")
        names[page.pdf_name] = page.src_uri
    return book
