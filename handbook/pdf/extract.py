"""A chapter's own PDF, made from the pages the handbook PDF prints for it.

Each chapter of the handbook is laid out and drawn once, as a PDF of its own (chunked.py), and that
PDF becomes both the chapter's pages in the handbook and, finished here, the chapter's own PDF:
same pages, same page numbers, same tags, bookmarks and links within the chapter. What changes:

- every page says it is an extract of the handbook, with the edition, and that its page numbers
  are the handbook's (so "see page 12" stays true). The notice is a one-page PDF of its own
  (_extract_notice.html), drawn over each page as an artifact, like any running header: it is
  not part of the chapter's text, which the structure tree keeps as it was;
- the notice's words are set in the chapter's own copy of its font, with the few glyphs it
  lacks added (fonts.py), rather than in a second copy (14 KB a chapter);
- links to other chapters, which pointed at the next chunk of the handbook, point at that chapter
  online, or become plain text where it has no address online. None is left pointing at a page
  the extract does not have.
"""

from __future__ import annotations

import io

import pikepdf

from handbook.pdf.fonts import share_fonts
from handbook.pdf.results import PdfError

NOTICE = "/HbExtractNotice"


def make_extract(chapter_pdf: bytes, notice_pdf: bytes, online: dict[str, str | None], cross_chunk: str,
                 faces: dict[str, bytes]) -> bytes:
    """The chapter's own PDF. `online` maps each id the chapter links to in other chapters to
    that chapter's address online (None: no address, the link becomes text); `cross_chunk` is
    the stand-in address those links carry (chunked.CROSS_CHUNK); `faces` holds the whole font
    files of the chapter's fonts, by their name in the PDF, so that the notice's words use the
    chapter's copy of a font rather than a second one (fonts.py)."""
    with pikepdf.open(io.BytesIO(chapter_pdf)) as pdf, pikepdf.open(io.BytesIO(notice_pdf)) as notice:
        overlay = pdf.copy_foreign(notice.pages[0].as_form_xobject())
        save = pdf.make_indirect(pikepdf.Stream(pdf, b"q\n"))
        # Marked as an artifact: PDF/UA readers skip it, as they skip the running header.
        draw = pdf.make_indirect(pikepdf.Stream(pdf, f"Q\n/Artifact BMC\nq {NOTICE} Do Q\nEMC\n".encode("ascii")))
        for page in pdf.pages:
            resources = page.obj.Resources
            if "/XObject" not in resources:
                resources.XObject = pikepdf.Dictionary()
            resources.XObject[NOTICE] = overlay
            # WeasyPrint's page content leaves its coordinate system flipped: wrap it in q/Q.
            page.contents_add(save, prepend=True)
            page.contents_add(draw)
            _point_online(pdf, page, online, cross_chunk)
        share_fonts(pdf, faces)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _point_online(pdf: pikepdf.Pdf, page: pikepdf.Page, online: dict[str, str | None], cross_chunk: str) -> None:
    annots = page.obj.get("/Annots")
    if annots is None:
        return
    kept = []
    for annot in annots:
        action = annot.get("/A")
        uri = str(action.get("/URI", "")) if action is not None else ""
        if not uri.startswith(cross_chunk):
            kept.append(annot)
            continue
        anchor = uri[len(cross_chunk):]
        if anchor not in online:
            raise PdfError(f"a link in the chapter points to #{anchor}, which the handbook does not have.")
        address = online[anchor]
        if address:
            action.URI = pikepdf.String(address)
            annot.Contents = pikepdf.String(address)
            kept.append(annot)
        else:
            _untag(pdf, annot)
    page.obj.Annots = pikepdf.Array(kept)


def _untag(pdf: pikepdf.Pdf, annot: pikepdf.Dictionary) -> None:
    """Drop a link annotation's place in the structure tree: its words stay, tagged as before."""
    tree = pdf.Root.StructTreeRoot
    if "/StructParent" not in annot:
        return
    key = int(annot.StructParent)
    nums = list(tree.ParentTree.Nums)
    for i in range(0, len(nums), 2):
        if int(nums[i]) == key:
            element = nums[i + 1]
            element.K = pikepdf.Array([kid for kid in element.K
                                       if not (isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"
                                               and kid.Obj.objgen == annot.objgen)])
            del nums[i:i + 2]
            break
    tree.ParentTree.Nums = pikepdf.Array(nums)
