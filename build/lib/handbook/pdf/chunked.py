"""Make the whole-handbook PDF in parallel chunks, then stitch them into one tagged PDF.

WeasyPrint lays a document out in one thread, and its page-number cross-references
(target-counter) make it lay out again every page that points forward. So the handbook is printed
in chunks of whole chapters, each in its own process (one per core):

1. Each process lays its chunk out once, with provisional page numbers as wide as the book's
   last page number, and reports how many pages it has and on which of them every id falls.
   Chapters always start on a new page, so a chunk's pagination does not depend on the chunks
   before it.
2. With every chunk's pages known, each process is sent the real numbers, writes them into its
   laid-out pages ("see page 12", the contents, "Page 12 of 87": page_numbers.py) and draws its
   PDF. Nothing is laid out twice.

The chunks are merged with pikepdf (qpdf): pages, the structure tree (PDF/UA tags, renumbering
each chunk's parent-tree keys), named destinations, and links between chunks, which are printed
as stand-in URIs and turned back into links to named destinations here. The bookmarks for
parts, chapters and sections are built for the whole book at the end.
"""

from __future__ import annotations

import html
import logging
import multiprocessing
import re
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from markupsafe import Markup

from handbook.pdf.assemble import BookInfo, book_document
from handbook.pdf.book import Book
from handbook.pdf.page_numbers import PageNumberError, fill_page_numbers, provisional, provisional_footer
from handbook.pdf.writer import PdfError, Rendering, anchor_pages, draw_pdf, save

log = logging.getLogger("mkdocs.plugins.handbook.pdf")

# Links that leave a chunk are printed as this URI plus the target id, then rewritten in the merge.
CROSS_CHUNK = "https://handbook.invalid/#"
_TARGET = re.compile(r'data-hb-target="([^"]+)"')
_ID = re.compile(r'\bid="([^"]+)"')
_LOCAL_HREF = re.compile(r'href="#([^"]+)"')
_H2 = re.compile(r'<h2\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</h2>', re.S)
_TAG = re.compile(r"<[^>]+>")
# A first guess at how many digits the last page number has: about 2,500 characters of print HTML
# a page, measured on this handbook. A wrong guess costs a second layout, never a wrong number.
_HTML_PER_PAGE = 2500


@dataclass(frozen=True)
class Chunk:
    slugs: tuple[str, ...]
    front: bool


def plan_chunks(book: Book, bodies: dict[str, Markup], count: int) -> list[Chunk]:
    """Split the chapters into `count` runs of roughly equal size, in order."""
    slugs = [page.slug for page in book.pages]
    sizes = [len(bodies[slug]) for slug in slugs]
    target = sum(sizes) / max(1, count)
    chunks: list[list[str]] = [[]]
    running = 0.0
    for slug, size in zip(slugs, sizes, strict=True):
        if chunks[-1] and running + size / 2 > target * len(chunks) and len(chunks) < count:
            chunks.append([])
        chunks[-1].append(slug)
        running += size
    return [Chunk(tuple(run), front=(i == 0)) for i, run in enumerate(chunks)]


def with_provisional_numbers(html: str, digits: int) -> str:
    """Give every numbered link a provisional number, and point links that leave the chunk at a
    stand-in URI (merge() turns those back into links inside the book)."""
    local_ids = set(_ID.findall(html))
    number = provisional(digits)

    def href(match: re.Match) -> str:
        anchor = match.group(1)
        return match.group(0) if anchor in local_ids else f'href="{CROSS_CHUNK}{anchor}"'

    numbered = _TARGET.sub(lambda m: f'{m.group(0)} data-page="{number}"', html)
    return _LOCAL_HREF.sub(href, numbered)


def _print_chunk(conn, html: str, digits: int, site_dir: Path, path: Path, label: str) -> None:
    """In a child process: lay the chunk out, report its pages, wait for the numbers, draw it."""
    try:
        with Rendering(html, site_dir, label) as document:
            conn.send(("laid out", len(document.pages), anchor_pages(document)))
            numbers = conn.recv()
            if numbers is None:  # the parent gave up on this layout
                return
            pages_of, first_page, total = numbers
            fill_page_numbers(document, pages_of, first_page, total, digits)
            pdf = draw_pdf(document, html)
        save(pdf, path)
        conn.send(("printed", len(document.pages), len(pdf)))
    except (PdfError, PageNumberError) as err:
        conn.send(("error", f"{label}: {err}" if isinstance(err, PageNumberError) else str(err)))
    except Exception as err:  # noqa: BLE001 (anything else is reported to the parent, not lost)
        conn.send(("error", f"{label}: {type(err).__name__}: {err}"))
    finally:
        conn.close()


class _ChunkProcess:
    def __init__(self, html: str, digits: int, site_dir: Path, path: Path, label: str):
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_print_chunk, args=(child, html, digits, site_dir, path, label),
                                       daemon=True)
        self.process.start()
        child.close()  # so that a crashed child shows as EOF here rather than a hang

    def receive(self, expected: str) -> tuple:
        try:
            message = self.conn.recv()
        except EOFError:
            self.process.join()
            raise PdfError(f"the process printing part of the handbook stopped (exit code "
                           f"{self.process.exitcode}).") from None
        if message[0] == "error":
            raise PdfError(message[1])
        assert message[0] == expected, message
        return message[1:]

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.conn.close()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def render_book(book: Book, info: BookInfo, css: str, forms: set[str], bodies: dict[str, Markup],
                site_dir: Path, target: Path, label: str, workers: int) -> tuple[int, int]:
    """Write the whole handbook to `target`. Returns (pages, bytes)."""
    chunks = plan_chunks(book, bodies, workers)
    started = time.perf_counter()
    part_paths = [target.with_name(f"{target.stem}.part{i}.pdf") for i in range(len(chunks))]
    digits = len(str(sum(len(body) for body in bodies.values()) // _HTML_PER_PAGE + 1))
    processes: list[_ChunkProcess] = []
    try:
        while True:
            for i, chunk in enumerate(chunks):
                document = book_document(book, info, css, forms, bodies, set(chunk.slugs), chunk.front,
                                         provisional_footer=provisional_footer(digits))
                processes.append(_ChunkProcess(with_provisional_numbers(document, digits), digits, site_dir,
                                               part_paths[i], f"{label} (part {i + 1})"))
            layouts = [process.receive("laid out") for process in processes]
            total = sum(count for count, _ in layouts)
            if len(str(total)) <= digits:
                break
            # More pages than guessed: lay out again with room for the wider numbers.
            for process in processes:
                process.stop()
            processes, digits = [], len(str(total))
        laid_out = time.perf_counter()
        pages_of = _global_pages(layouts)
        for process, first in zip(processes, _first_pages(layouts), strict=True):
            process.conn.send((pages_of, first, total))
        for process in processes:
            process.receive("printed")
        printed_at = time.perf_counter()
        size = merge(part_paths, target, book, bodies, pages_of)
    finally:
        for process in processes:
            process.stop()
        for path in part_paths:
            path.unlink(missing_ok=True)
    log.info("%s: %d chunks; layout %.1f s, numbers and drawing %.1f s, merge %.1f s", label, len(chunks),
             laid_out - started, printed_at - laid_out, time.perf_counter() - printed_at)
    return total, size


def _first_pages(layouts: list[tuple[int, dict[str, int]]]) -> list[int]:
    firsts, page = [], 1
    for count, _ in layouts:
        firsts.append(page)
        page += count
    return firsts


def _global_pages(layouts: list[tuple[int, dict[str, int]]]) -> dict[str, int]:
    """Each id's page number in the whole book (1-based) from each chunk's local page index."""
    pages: dict[str, int] = {}
    for first, (_, anchors) in zip(_first_pages(layouts), layouts, strict=True):
        for anchor, index in anchors.items():
            pages[anchor] = first + index
    return pages


def _copy(pdf: pikepdf.Pdf, obj):
    """Copy `obj` from another PDF into `pdf`. Indirect objects go through qpdf's copier, which
    maps each source object once, so references to pages already copied land on the copies."""
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        return pdf.copy_foreign(obj)
    if isinstance(obj, pikepdf.Array):
        return pikepdf.Array([_copy(pdf, item) for item in obj])
    if isinstance(obj, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copy(pdf, value) for key, value in obj.items()})
    return obj


def merge(parts: list[Path], target: Path, book: Book, bodies: dict[str, Markup],
          pages_of: dict[str, int]) -> int:
    """Stitch chunk PDFs into `target`: pages, tags, destinations, links, bookmarks."""
    with pikepdf.open(parts[0]) as pdf:
        tree = pdf.Root.StructTreeRoot
        document = tree.K[0]
        nums = list(tree.ParentTree.Nums)
        next_key = max(int(nums[i]) for i in range(0, len(nums), 2)) + 1
        dests = pikepdf.NameTree(pdf.Root.Names.Dests)
        sources = []
        for part in parts[1:]:
            src = pikepdf.open(part)
            sources.append(src)  # kept open until saved: copied objects are resolved lazily
            first_new = len(pdf.pages)
            with warnings.catch_warnings():
                # pikepdf warns that named destinations are not carried over: we merge them below.
                warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                pdf.pages.extend(src.pages)
            src_tree = src.Root.StructTreeRoot
            for kid in src_tree.K[0].K:
                kid = _copy(pdf, kid)
                kid.P = document
                document.K.append(kid)
            src_nums = list(src_tree.ParentTree.Nums)
            offset = next_key
            for i in range(0, len(src_nums), 2):
                nums.extend([int(src_nums[i]) + offset, _copy(pdf, src_nums[i + 1])])
            next_key = offset + max(int(src_nums[i]) for i in range(0, len(src_nums), 2)) + 1
            for page in pdf.pages[first_new:]:
                if "/StructParents" in page.obj:
                    page.obj.StructParents = int(page.obj.StructParents) + offset
                for annot in page.obj.get("/Annots", []):
                    if "/StructParent" in annot:
                        annot.StructParent = int(annot.StructParent) + offset
            for name, dest in pikepdf.NameTree(src.Root.Names.Dests).items():
                dests[name] = _copy(pdf, dest)
        tree.ParentTree = pikepdf.Dictionary(Nums=pikepdf.Array(nums))
        tree.ParentTreeNextKey = next_key

        known = set(dests.keys())
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                action = annot.get("/A")
                if action is not None and str(action.get("/URI", "")).startswith(CROSS_CHUNK):
                    anchor = str(action.URI)[len(CROSS_CHUNK):]
                    if anchor not in known:
                        raise PdfError(f"the link to #{anchor} points to nothing in the handbook PDF.")
                    del annot["/A"]
                    annot.Dest = pikepdf.String(anchor)

        _bookmarks(pdf, book, bodies, pages_of)
        pdf.save(target, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        for src in sources:
            src.close()
    return target.stat().st_size


def _bookmarks(pdf: pikepdf.Pdf, book: Book, bodies: dict[str, Markup], pages_of: dict[str, int]) -> None:
    """Parts, chapters and their sections (three levels at most); not the cover or contents."""
    def item(title: str, anchor: str) -> pikepdf.OutlineItem:
        return pikepdf.OutlineItem(title, pages_of[anchor] - 1)

    def sections(page) -> list[pikepdf.OutlineItem]:
        # A regular expression, not a parser: the bodies were written by assemble.py, and parsing
        # them all again took 1.5 s of a 2.5 s merge on the 10x benchmark handbook.
        return [item(" ".join(html.unescape(_TAG.sub("", inner)).split()).rstrip("¶").strip(), anchor)
                for anchor, inner in _H2.findall(str(bodies[page.slug]))]

    with pdf.open_outline() as outline:
        outline.root.clear()
        for index, part in enumerate(book.parts, start=1):
            chapters = []
            for page in part.pages:
                chapter = item(page.title, page.slug)
                chapter.children.extend(sections(page))
                chapters.append(chapter)
            if part.title:
                heading = item(part.title, f"part-{index}")
                heading.children.extend(chapters)
                outline.root.append(heading)
            else:
                outline.root.extend(chapters)
