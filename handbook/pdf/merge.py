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


def merge(parts: list[bytes], outline: list, font_files: dict[str, bytes]) -> bytes:
    """Stitch chunk PDFs into one: pages, tags, destinations, links, fonts, bookmarks."""
    with pikepdf.open(io.BytesIO(parts[0])) as pdf:
        tree = pdf.Root.StructTreeRoot
        document = tree.K[0]
        nums = list(tree.ParentTree.Nums)
        next_key = max(int(nums[i]) for i in range(0, len(nums), 2)) + 1
        dests = pikepdf.NameTree(pdf.Root.Names.Dests)
        sources = []
        for part in parts[1:]:
            src = pikepdf.open(io.BytesIO(part))
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
                    annot.Contents = pikepdf.String(anchor)  # as WeasyPrint names a link within a document

        share_fonts(pdf, font_files)
        _bookmarks(pdf, outline)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        for src in sources:
            src.close()
    return out.getvalue()


def _bookmarks(pdf: pikepdf.Pdf, outline: list) -> None:
    def item(title: str, page: int, children: list) -> pikepdf.OutlineItem:
        entry = pikepdf.OutlineItem(title, page - 1)
        entry.children.extend(item(*child) for child in children)
        return entry

    with pdf.open_outline() as tree:
        tree.root.clear()
        tree.root.extend(item(*entry) for entry in outline)
