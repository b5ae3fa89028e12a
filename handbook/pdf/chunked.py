"""Make the whole-handbook PDF in parallel chunks, then stitch them into one tagged PDF.

WeasyPrint lays a document out in one thread, and its page-number cross-references
(target-counter) make it lay out again every page that points forward. So the handbook is printed
in chunks of whole chapters, one per core, in two rounds:

1. Layout only, with provisional page numbers of the right width: how many pages each chunk
   has, and on which of its pages every id falls. Chapters always start on a new page, so a
   chunk's pagination does not depend on the chunks before it.
2. Print each chunk with its real page numbers written in ("see page 12", the contents, "Page 12
   of 87"), then check that every id landed where round 1 said; if a number's width moved a line,
   print again with the corrected numbers.

The chunks are merged with pikepdf (qpdf): pages, the structure tree (PDF/UA tags, renumbering
each chunk's parent-tree keys), named destinations, and links between chunks, which are printed
as stand-in URIs and turned back into links to named destinations here. The bookmarks for
parts, chapters and sections are built for the whole book at the end.
"""

from __future__ import annotations

import html
import logging
import re
import time
import warnings
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from markupsafe import Markup

from handbook.pdf.assemble import BookInfo, book_document
from handbook.pdf.book import Book
from handbook.pdf.writer import PdfError, layout_pages, write_pdf

log = logging.getLogger("mkdocs.plugins.handbook.pdf")

# Links that leave a chunk are printed as this URI plus the target id, then rewritten in the merge.
CROSS_CHUNK = "https://handbook.invalid/#"
_TARGET = re.compile(r'data-hb-target="([^"]+)"')
_ID = re.compile(r'\bid="([^"]+)"')
_LOCAL_HREF = re.compile(r'href="#([^"]+)"')
_H2 = re.compile(r'<h2\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</h2>', re.S)
_TAG = re.compile(r"<[^>]+>")
# Running heads and footers sit in the page margins and never move the text, so the layout round
# leaves them out (about a tenth of WeasyPrint's layout time).
_NO_MARGIN_BOXES = ("<style>@page { @top-left { content: none; } @top-right { content: none; } "
                    "@bottom-left { content: none; } @bottom-right { content: none; } }</style></head>")


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


def _fill_numbers(html: str, numbers: dict[str, str], provisional: str | None, local_ids: set[str]) -> str:
    def number(match: re.Match) -> str:
        if provisional is not None:
            return f'data-page="{provisional}"'
        if match.group(1) not in numbers:
            raise PdfError(f"a link in the handbook PDF points to #{match.group(1)}, which is not in it.")
        return f'data-page="{numbers[match.group(1)]}"'

    def href(match: re.Match) -> str:
        anchor = match.group(1)
        return match.group(0) if anchor in local_ids else f'href="{CROSS_CHUNK}{anchor}"'

    return _LOCAL_HREF.sub(href, _TARGET.sub(number, html))


@dataclass
class _Prepared:
    chunk: Chunk
    html: str  # with data-hb-target still in place
    ids: set[str]


def render_book(book: Book, info: BookInfo, css: str, forms: set[str], bodies: dict[str, Markup],
                site_dir: Path, target: Path, label: str, pool: Executor, workers: int) -> tuple[int, int]:
    """Write the whole handbook to `target`. Returns (pages, bytes)."""
    chunks = plan_chunks(book, bodies, workers)

    def document(chunk: Chunk, first_page: int = 1, total: int | str = "") -> str:
        return book_document(book, info, css, forms, bodies, set(chunk.slugs), chunk.front, first_page, total)

    prepared = []
    for chunk in chunks:
        html = document(chunk)
        prepared.append(_Prepared(chunk, html, set(_ID.findall(html))))

    # Round 1: layout only, with provisional numbers as wide as the final numbers will be. The width is
    # guessed from the size (about 2,500 characters of HTML a page, measured on this handbook) and
    # corrected if the guess was wrong.
    started = time.perf_counter()
    digits = len(str(sum(len(p.html) for p in prepared) // 2500 + 1))
    while True:
        layouts = list(pool.map(_layout, [
            (_fill_numbers(p.html, {}, "8" * digits, p.ids).replace("</head>", _NO_MARGIN_BOXES, 1), site_dir, label)
            for p in prepared]))
        total = sum(count for count, _ in layouts)
        if len(str(total)) <= digits:
            break
        digits = len(str(total))

    pages_of = _global_pages(layouts)
    laid_out = time.perf_counter()
    part_paths = [target.with_name(f"{target.stem}.part{i}.pdf") for i in range(len(prepared))]
    try:
        # Round 2: print with the real numbers; again if any id moved (a number's width can move a
        # line), with the numbers from that print.
        for attempt in range(1, 4):  # noqa: B007 (the last value is logged below)
            first_pages = _first_pages(layouts)
            numbers = {anchor: str(page) for anchor, page in pages_of.items()}
            jobs = [(_fill_numbers(document(p.chunk, first, total), numbers, None, p.ids), site_dir, path,
                     f"{label} (part {i + 1})")
                    for i, (p, first, path) in enumerate(zip(prepared, first_pages, part_paths, strict=True))]
            printed = [(count, anchors) for count, anchors, _ in pool.map(_write, jobs)]
            if _global_pages(printed) == pages_of and [c for c, _ in printed] == [c for c, _ in layouts]:
                break
            layouts, pages_of = printed, _global_pages(printed)
            total = sum(count for count, _ in layouts)
        else:
            raise PdfError(f"{label}: the page numbers did not settle after 3 prints.")
        printed_at = time.perf_counter()
        size = merge(part_paths, target, book, bodies, pages_of)
    finally:
        for path in part_paths:
            path.unlink(missing_ok=True)
    log.info("%s: %d chunks; layout %.1f s, print %.1f s (%d round%s), merge %.1f s", label, len(chunks),
             laid_out - started, printed_at - laid_out, attempt, "" if attempt == 1 else "s",
             time.perf_counter() - printed_at)
    return total, size


def _layout(args) -> tuple[int, dict[str, int]]:
    html, site_dir, label = args
    return layout_pages(html, site_dir, label)


def _write(args) -> tuple[int, dict[str, int], Path]:
    html, site_dir, path, label = args
    result, anchors = write_pdf(html, site_dir, path, label, with_anchors=True)
    return result.pages, anchors, path


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
