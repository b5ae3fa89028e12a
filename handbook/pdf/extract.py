"""A chapter's own PDF, made from the pages the handbook PDF prints for it.

Each chapter of the handbook is laid out and drawn once, as a PDF of its own (chunked.py), and that
PDF becomes both the chapter's pages in the handbook and, finished here, the chapter's own PDF:
same pages, same page numbers, same tags, bookmarks and links within the chapter. What changes:

- every page says it is an extract of the handbook, with the edition, and that its page numbers
  are the handbook's (so "see page 12" stays true). The notice is a one-page PDF of its own
  (_extract_notice.html), drawn over each page like a running header, before the page's own
  content. On the first page it is read as the chapter's first paragraph; on the others it is an
  artifact, as running headers are;
- the first page's running footer (the urgent numbers, the edition and where the live handbook
  is), an artifact on every page of the handbook (tagging.py), is read once, at the end of the
  first page, where it is printed: a reader of one chapter's PDF hears the urgent numbers once, as
  a reader of the handbook does on its cover;
- the notice's words are set in the chapter's own copy of its font, with the few glyphs it
  lacks added (fonts.py), rather than in a second copy (14 KB a chapter);
- links to other chapters, which pointed at the next chunk of the handbook, point at that chapter
  online, or become plain text where it has no address online. None is left pointing at a page
  the extract does not have.
"""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Dictionary, Name

from handbook.pdf.fonts import cid_widths, share_fonts, to_unicode
from handbook.pdf.results import PdfError

NOTICE = "/HbExtractNotice"
_MARKS = {"BDC", "BMC", "EMC"}


def make_extract(chapter_pdf: bytes, notice_pdf: bytes, online: dict[str, str | None], cross_chunk: str,
                 faces: dict[str, bytes], footer: str) -> bytes:
    """The chapter's own PDF. `online` maps each id the chapter links to in other chapters to
    that chapter's address online (None: no address, the link becomes text); `cross_chunk` is
    the stand-in address those links carry (chunked.CROSS_CHUNK); `faces` holds the whole font
    files of the chapter's fonts, by their name in the PDF, so that the notice's words use the
    chapter's copy of a font rather than a second one (fonts.py); `footer` is the text of the first
    page's running footer (assemble.footer_text), which is found there and tagged."""
    with pikepdf.open(io.BytesIO(chapter_pdf)) as pdf, pikepdf.open(io.BytesIO(notice_pdf)) as notice:
        overlay = pdf.copy_foreign(_untagged_form(notice))
        tree = pdf.Root.StructTreeRoot
        document = tree.K[0]
        marks = _page_marks(tree)
        # Marked as an artifact: PDF/UA readers skip it, as they skip the running header.
        header = pdf.make_indirect(pikepdf.Stream(
            pdf, f"/Artifact <</Type /Pagination /Subtype /Header>> BDC\nq {NOTICE} Do Q\nEMC\nq\n".encode("ascii")))
        restore = pdf.make_indirect(pikepdf.Stream(pdf, b"Q\n"))
        for number, page in enumerate(pdf.pages):
            resources = page.obj.Resources
            if "/XObject" not in resources:
                resources.XObject = Dictionary()
            resources.XObject[NOTICE] = overlay
            # WeasyPrint's page content leaves its coordinate system flipped: wrap it in q/Q, after
            # the notice, which is painted first since it is read first.
            if number == 0:
                page_marks = marks[int(page.obj.StructParents)]
                footer_element = _tag_footer(pdf, page, page_marks, document, footer)
                mcid = len(page_marks)
                notice_element = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.P, P=document,
                                                              Pg=page.obj, K=mcid))
                page_marks.append(notice_element)
                page.contents_add(pdf.make_stream(
                    f"/P <</MCID {mcid}>> BDC\nq {NOTICE} Do Q\nEMC\nq\n".encode("ascii")), prepend=True)
                # The notice first; the footer where it is painted, after the rest of the page.
                kids = list(document.K)
                end = next((i for i, kid in enumerate(kids) if "/Pg" in kid and kid.Pg.objgen != page.obj.objgen),
                           len(kids))
                document.K = Array([notice_element, *kids[:end], footer_element, *kids[end:]])
            else:
                page.contents_add(header, prepend=True)
            page.contents_add(restore)
            _point_online(pdf, page, online, cross_chunk)
        share_fonts(pdf, faces)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _untagged_form(notice: pikepdf.Pdf) -> pikepdf.Stream:
    """The notice's page as a form, without its own marked content: on the first page the whole
    form is one paragraph of the chapter's tags, elsewhere one artifact."""
    form = notice.pages[0].as_form_xobject()
    kept = [instruction for instruction in pikepdf.parse_content_stream(form)
            if str(instruction.operator) not in _MARKS]
    form.write(pikepdf.unparse_content_stream(kept))
    return form


def _page_marks(tree) -> dict[int, Array]:
    nums = tree.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2) if isinstance(nums[i + 1], Array)}


def _text(operands, operator: str, to_unicode: dict[int, str]) -> str:
    """The text a TJ or Tj shows, through the font's ToUnicode map (two bytes a glyph, Identity-H,
    as WeasyPrint writes it)."""
    strings = [item for item in operands[0] if isinstance(item, pikepdf.String)] if operator == "TJ" else operands[:1]
    out = []
    for string in strings:
        data = bytes(string)
        out += [to_unicode.get(int.from_bytes(data[i:i + 2], "big"), "") for i in range(0, len(data) - 1, 2)]
    return "".join(out)


def _times(m, n) -> tuple:
    """The matrix m x n (PDF's row-vector order: m applies first)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _tag_footer(pdf: pikepdf.Pdf, page: pikepdf.Page, page_marks: Array, document, footer: str):
    """Find the running footer among the first page's pagination artifacts, by its text, and make
    it one paragraph of the chapter's tags, with a link over the live handbook's address at its end.
    Returns that paragraph's element."""
    fonts = page.obj.Resources.get("/Font", Dictionary())
    maps: dict[str, dict[int, str]] = {}
    widths: dict[str, dict[int, float]] = {}
    instructions = list(pikepdf.parse_content_stream(page))
    runs: list[tuple[int, str]] = []  # (the index of an artifact's BDC, the text it shows)
    boxes: dict[int, list[float]] = {}  # the same BDC's index: the box its text is painted in
    font, size, depth, start = None, 0.0, 0, None
    # The graphics state as far as placing text needs it: the current matrix and the text matrix.
    ctm, saved, tm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), [], (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for index, (operands, operator) in enumerate(instructions):
        operator = str(operator)
        if operator == "q":
            saved.append(ctm)
        elif operator == "Q":
            ctm = saved.pop() if saved else ctm
        elif operator == "cm":
            ctm = _times(tuple(float(v) for v in operands), ctm)
        elif operator == "BT":
            tm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        elif operator == "Tm":
            tm = tuple(float(v) for v in operands)
        elif operator == "Tf":
            font, size = str(operands[0]), float(operands[1])
        elif operator in ("BDC", "BMC"):
            depth += 1
            if (depth == 1 and operator == "BDC" and operands[0] == Name.Artifact
                    and isinstance(operands[1], Dictionary) and operands[1].get("/Type") == Name.Pagination):
                start = index
                runs.append((index, ""))
        elif operator == "EMC":
            depth -= 1
            if depth == 0:
                start = None
        elif operator in ("TJ", "Tj") and start is not None and font is not None:
            if font not in maps:
                cmap = fonts[font].get("/ToUnicode") if font in fonts else None
                maps[font] = to_unicode(cmap) if cmap is not None else {}
                widths[font] = ({glyph: float(width) for glyph, width in
                                 cid_widths(fonts[font].DescendantFonts[0].get("/W", Array())).items()}
                                if font in fonts and "/DescendantFonts" in fonts[font] else {})
            runs[-1] = (start, runs[-1][1] + _text(operands, operator, maps[font]))
            advance = 0.0
            for item in (operands[0] if operator == "TJ" else operands[:1]):
                if isinstance(item, pikepdf.String):
                    data = bytes(item)
                    advance += sum(widths[font].get(int.from_bytes(data[i:i + 2], "big"), 0.0)
                                   for i in range(0, len(data) - 1, 2)) * size / 1000
                else:
                    advance -= float(item) * size / 1000
            matrix = _times(tm, ctm)
            corners = [(x * matrix[0] + y * matrix[2] + matrix[4], x * matrix[1] + y * matrix[3] + matrix[5])
                       for x in (0.0, advance) for y in (-0.25 * size, 0.95 * size)]
            xs, ys = [x for x, _ in corners], [y for _, y in corners]
            if start in boxes:  # a run painted in parts: the box around them all
                xs, ys = xs + boxes[start][0::2], ys + boxes[start][1::2]
            boxes[start] = [min(xs), min(ys), max(xs), max(ys)]
            tm = _times((1.0, 0.0, 0.0, 1.0, advance, 0.0), tm)
    wanted = "".join(footer.split())
    address = footer.split()[-1]
    address_from = len(wanted) - len(address)
    found, at, linked = [], 0, []
    for index, text in runs:
        text = "".join(text.split())
        if text and at < len(wanted) and wanted.startswith(text, at):
            found.append(index)
            at += len(text)
            if at > address_from and address.startswith("https://"):
                linked.append(index)
    if at != len(wanted):
        shown = " | ".join(text for _, text in runs if text.strip())
        raise PdfError(f"the running footer of the chapter's first page was not found in its PDF, so it cannot be "
                       f"tagged. Expected: {footer!r}; the page's running headers and footers: {shown!r}")
    first = len(page_marks)
    element = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.P, P=document, Pg=page.obj, K=Array()))
    # The lines that show the live handbook's address are a link to it, as any address in the text is.
    link = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Link, P=element, Pg=page.obj, K=Array()))
    for mcid, index in enumerate(found, start=first):
        instructions[index] = pikepdf.ContentStreamInstruction([Name.Span, Dictionary(MCID=mcid)],
                                                               pikepdf.Operator("BDC"))
        owner = link if index in linked else element
        owner.K.append(mcid)
        page_marks.append(owner)
    if linked:
        element.K.append(link)
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        key = max(int(nums[i]) for i in range(0, len(nums), 2)) + 1
        for index in linked:
            annot = pdf.make_indirect(Dictionary(
                Type=Name.Annot, Subtype=Name.Link, Rect=Array(boxes[index]), BS=Dictionary(W=0), F=4,
                Contents=pikepdf.String(address), StructParent=key,
                A=Dictionary(Type=Name.Action, S=Name.URI, URI=pikepdf.String(address))))
            link.K.append(Dictionary(Type=Name.OBJR, Obj=annot, Pg=page.obj))
            nums.append(key)
            nums.append(link)
            key += 1
            if "/Annots" not in page.obj:
                page.obj.Annots = Array()
            page.obj.Annots.append(annot)
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
    return element


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
    """Drop a link annotation's place in the structure tree: its words stay, tagged as before, in
    a /Span once the /Link holds no annotation."""
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
            if not any(isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR" for kid in element.K):
                element.S = Name.Span
            del nums[i:i + 2]
            break
    tree.ParentTree.Nums = pikepdf.Array(nums)
