"""Merge the handbook's chunk PDFs into one with pikepdf (qpdf): pages, the structure tree (PDF/UA
tags, renumbering each chunk's parent-tree keys), named destinations, links between chunks (printed
as stand-in URIs and turned back into links to named destinations here), each font embedded once
(fonts.py), and bookmarks for parts, chapters and sections."""

from __future__ import annotations

import io
import warnings

import pikepdf

from handbook.pdf.documents import CROSS_CHUNK
from handbook.pdf.fonts import share_fonts
from handbook.pdf.results import PdfError


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


class Merger:
    """A merge taken one part at a time, in order, as each part is printed: the parts before the
    last one printed are merged while it is being printed. The same steps in the same order as
    all at once (merge()), so the same bytes."""

    def __init__(self) -> None:
        self.pdf: pikepdf.Pdf | None = None
        self.sources: list[pikepdf.Pdf] = []  # kept open until saved: copied objects are resolved lazily

    def add(self, part: bytes) -> None:
        if self.pdf is None:
            self.pdf = pikepdf.open(io.BytesIO(part))
            self.tree = self.pdf.Root.StructTreeRoot
            self.document = self.tree.K[0]
            self.nums = list(self.tree.ParentTree.Nums)
            self.next_key = max(int(self.nums[i]) for i in range(0, len(self.nums), 2)) + 1
            self.dests = pikepdf.NameTree(self.pdf.Root.Names.Dests)
            return
        pdf, document, nums = self.pdf, self.document, self.nums
        src = pikepdf.open(io.BytesIO(part))
        self.sources.append(src)
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
        offset = self.next_key
        for i in range(0, len(src_nums), 2):
            nums.extend([int(src_nums[i]) + offset, _copy(pdf, src_nums[i + 1])])
        self.next_key = offset + max(int(src_nums[i]) for i in range(0, len(src_nums), 2)) + 1
        for page in pdf.pages[first_new:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + offset
        for name, dest in pikepdf.NameTree(src.Root.Names.Dests).items():
            self.dests[name] = _copy(pdf, dest)

    def finish(self, outline: list, font_files: dict[str, bytes]) -> bytes:
        """The merged PDF: links between parts, one copy of each font, bookmarks."""
        pdf = self.pdf
        try:
            self.tree.ParentTree = pikepdf.Dictionary(Nums=pikepdf.Array(self.nums))
            self.tree.ParentTreeNextKey = self.next_key
            known = set(self.dests.keys())
            for page in pdf.pages:
                for annot in page.obj.get("/Annots", []):
                    action = annot.get("/A")
                    if action is not None and str(action.get("/URI", "")).startswith(CROSS_CHUNK):
                        anchor = str(action.URI)[len(CROSS_CHUNK):]
                        if anchor not in known:
                            raise PdfError(f"the link to #{anchor} points to nothing in the handbook PDF.")
                        del annot["/A"]
                        annot.Dest = pikepdf.String(anchor)
                        annot.Contents = pikepdf.String(anchor)  # as WeasyPrint names a link within a document
            share_fonts(pdf, font_files)
            _bookmarks(pdf, outline)
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True, compress_streams=True,
                     object_stream_mode=pikepdf.ObjectStreamMode.generate)
            return out.getvalue()
        finally:
            self.close()

    def close(self) -> None:
        for src in self.sources:
            src.close()
        if self.pdf is not None:
            self.pdf.close()
        self.pdf, self.sources = None, []


def merge(parts: list[bytes], outline: list, font_files: dict[str, bytes]) -> bytes:
    """Stitch chunk PDFs into one: pages, tags, destinations, links, fonts, bookmarks."""
    merger = Merger()
    for part in parts:
        merger.add(part)
    return merger.finish(outline, font_files)


def _bookmarks(pdf: pikepdf.Pdf, outline: list) -> None:
    def item(title: str, page: int, children: list) -> pikepdf.OutlineItem:
        entry = pikepdf.OutlineItem(title, page - 1)
        entry.children.extend(item(*child) for child in children)
        return entry

    with pdf.open_outline() as tree:
        tree.root.clear()
        tree.root.extend(item(*entry) for entry in outline)
