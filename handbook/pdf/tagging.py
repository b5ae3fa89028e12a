"""What PDF/UA-1 asks of a tagged PDF that WeasyPrint's own tags leave out, put right on every PDF
it draws (writer.draw_pdf), before the chunks are cached, merged or made into chapter PDFs.

WeasyPrint 70's pdf/ua-1 variant tags the document, but a Matterhorn-Protocol checker (the tests
run outloud: tests/pdf/test_pdf_ua.py) still finds, in any document with links, tables and running
footers (WeasyPrint tracks these gaps upstream, Kozea/WeasyPrint issue 2482):

- The running headers and footers (CSS margin boxes) are marked content with an MCID that no
  structure element holds: neither content nor artifact. They repeat on every page, so they are
  made artifacts of pagination (ISO 14289-1 7.8), and their MCIDs leave the parent tree.
- Every box inside a link (an abbreviation, the "see page N" after it, a line of a long address)
  gets a link annotation of its own, owned by that box's element rather than by the link's; a link
  that ends a line leaves one more of no width. Duplicates of the link's own annotation are
  removed, a part of the link on a line of its own is given to the link's /Link element, and
  annotations of no size are dropped (7.18.5: every link annotation in a /Link element).
- A /Link element inside another (the "see page N" of a cross-reference) becomes a /Span.
- A link with no text of its own, only a picture, takes the picture's /Alt.
- Annotations lack the Print flag, so a printed copy and the screen would differ (7.18.1).
- Header cells have no /Scope: column headers (in the table's head, or a row of headers) get
  /Column, a header at the start of a row of data gets /Row (7.5).
- A list item's text is not in an /LBody when its marker is inside the text (print.css puts
  markers in the text's flow, so that they are painted in the order they are read).
- Elements with nothing in them (the empty box of a printed tick box) are removed.

Only pikepdf's public API, over the PDF that WeasyPrint wrote: nothing here depends on
WeasyPrint's internals, and a PDF in which a margin box's content cannot be found stops the build.
"""

from __future__ import annotations

import io
import re

import pikepdf
from pikepdf import Array, Dictionary, Name

from handbook.pdf.results import PdfError

PRINT, HIDDEN, NO_VIEW = 4, 2, 32
# The element types that may be dropped when they hold nothing: never a table's or list's own
# parts, whose place in the grid or list is their meaning.
_REMOVABLE_WHEN_EMPTY = {"/Span", "/NonStruct", "/Div", "/P", "/Link", "/Lbl", "/LBody"}
_LIST_ITEM_PARTS = {"/Lbl", "/LBody"}
# WeasyPrint (through pydyf) writes a marked-content sequence's start as "/Span\n<</MCID 3>>\nBDC".
# The fast path rewrites those bytes; any other spelling is parsed as a content stream instead.
_BDC = re.compile(rb"/([A-Za-z]+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_ARTIFACT = b"/Artifact <</Type /Pagination>> BDC"


def _kids(element) -> list:
    k = element.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, Array) else [k]


def _is_element(item) -> bool:
    # Of what an element's /K may hold, only a structure element has a role (/S): marked content is
    # a number or an /MCR, an annotation an /OBJR.
    return isinstance(item, Dictionary) and "/S" in item


def _is_objr(item) -> bool:
    return isinstance(item, Dictionary) and item.get("/Type") == Name.OBJR


class _Tree:
    """The structure tree of one PDF: each element's parent, kids and role, and the parent tree as
    a dict.

    The passes below ask for an element's kids and role many times (7,321 elements in the
    87-page handbook), and each read through pikepdf crosses into C++: read once here and kept,
    they took fix_tags from 0.34 s to 0.22 s, with the same bytes out. So every change to an
    element's kids or role goes through set_kids and set_role, which write both."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self.root = pdf.Root.StructTreeRoot
        self.parent: dict[tuple, object] = {}
        self._kids: dict[tuple, list] = {}
        self._roles: dict[tuple, str] = {}
        self.elements: list = []  # in reading order
        stack = [(kid, self.root) for kid in reversed(_kids(self.root)) if _is_element(kid)]
        while stack:
            element, parent = stack.pop()
            self._add(element, parent)
            stack.extend((kid, element) for kid in reversed(self._kids[element.objgen]) if _is_element(kid))
        nums = list(self.root.ParentTree.Nums)
        self.parents: dict[int, object] = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}

    def _add(self, element, parent) -> None:
        key = element.objgen
        self.parent[key] = parent
        self._kids[key] = _kids(element)
        self._roles[key] = str(element.S)
        self.elements.append(element)

    def add(self, element, parent) -> None:
        """A new element, made indirect, whose kids are already in the tree."""
        self._add(element, parent)
        for kid in self._kids[element.objgen]:
            if self.is_element(kid):
                self.parent[kid.objgen] = element

    def kids(self, element) -> list:
        return self._kids[element.objgen]

    def set_kids(self, element, kids: list) -> None:
        element.K = Array(kids)
        self._kids[element.objgen] = list(kids)

    def role(self, element) -> str:
        return self._roles[element.objgen]

    def set_role(self, element, role: Name) -> None:
        element.S = role
        self._roles[element.objgen] = str(role)

    def is_element(self, item) -> bool:
        """Whether `item`, a kid of an element of the tree, is an element (not marked content or an
        object reference)."""
        return isinstance(item, Dictionary) and item.is_indirect and item.objgen in self._kids

    def ancestors(self, element):
        while True:
            element = self.parent.get(element.objgen)
            if element is None or element.objgen not in self._kids:
                return
            yield element

    def remove_kid(self, parent, kid) -> None:
        if parent.objgen in self._kids:
            self.set_kids(parent, [item for item in self._kids[parent.objgen] if not _same(item, kid)])
        else:  # the root
            _set_root_kids(parent, [item for item in _kids(parent) if not _same(item, kid)])

    def save_parent_tree(self) -> None:
        nums = Array()
        for number in sorted(self.parents):
            nums.append(number)
            nums.append(self.parents[number])
        self.root.ParentTree = self.pdf.make_indirect(Dictionary(Nums=nums))


def _set_root_kids(root, kids: list) -> None:
    root.K = Array(kids)


def _same(a, b) -> bool:
    if isinstance(a, pikepdf.Object) and isinstance(b, pikepdf.Object) and a.is_indirect and b.is_indirect:
        return a.objgen == b.objgen
    return a is b


def fix_tags(data: bytes) -> bytes:
    """`data` (a tagged PDF as WeasyPrint wrote it) with the tags PDF/UA-1 asks for."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/StructTreeRoot" not in pdf.Root:
            raise PdfError("a PDF was drawn without tags: PDF/UA needs WeasyPrint's pdf/ua-1 variant.")
        tree = _Tree(pdf)
        _margin_boxes_as_artifacts(pdf, tree)
        _links(pdf, tree)
        _nested_links(tree)
        _tables(tree)
        _header_ids(pdf, tree)
        _list_bodies(tree)
        _remove_empty(tree)
        _link_alternatives(tree)
        tree.save_parent_tree()
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


# -- running headers and footers


def _content(page: pikepdf.Page) -> bytes:
    contents = page.obj.Contents
    if isinstance(contents, Array):
        return b"\n".join(part.read_bytes() for part in contents)
    return contents.read_bytes()


def _margin_boxes_as_artifacts(pdf: pikepdf.Pdf, tree: _Tree) -> None:
    reachable = set(tree.parent)
    for index, page in enumerate(pdf.pages):
        if "/StructParents" not in page.obj:
            continue
        marks = tree.parents.get(int(page.obj.StructParents))
        if not isinstance(marks, Array):
            continue
        orphans = {mcid for mcid, owner in enumerate(marks)
                   if isinstance(owner, Dictionary) and owner.objgen not in reachable}
        if not orphans:
            continue
        page.obj.Contents = pdf.make_stream(as_artifacts(_content(page), orphans, index + 1))
        for mcid in orphans:
            marks[mcid] = None


def as_artifacts(content: bytes, mcids: set[int], page_number: int) -> bytes:
    """`content` with the marked-content sequences `mcids` made pagination artifacts.

    A regular expression over the bytes as pydyf writes them, which is ten times quicker than
    parsing the stream; if it does not find every one, the stream is parsed (pikepdf) instead."""
    found = set()

    def artifact(match: re.Match) -> bytes:
        mcid = int(match.group(2))
        if mcid not in mcids:
            return match.group(0)
        found.add(mcid)
        return _ARTIFACT

    rewritten = _BDC.sub(artifact, content)
    if found == mcids:
        return rewritten
    return _as_artifacts_parsed(content, mcids, page_number)


def _as_artifacts_parsed(content: bytes, mcids: set[int], page_number: int) -> bytes:
    with pikepdf.new() as scratch:
        instructions = pikepdf.parse_content_stream(scratch.make_stream(content))
        found, out = set(), []
        for operands, operator in instructions:
            if (str(operator) == "BDC" and len(operands) == 2 and isinstance(operands[1], Dictionary)
                    and int(operands[1].get("/MCID", -1)) in mcids):
                found.add(int(operands[1].MCID))
                operands = [Name.Artifact, Dictionary(Type=Name.Pagination)]
            out.append(pikepdf.ContentStreamInstruction(operands, operator))
        if found != mcids:
            missing = ", ".join(str(mcid) for mcid in sorted(mcids - found))
            raise PdfError(f"page {page_number}: the marked content {missing} of a running header or footer "
                           "was not found in the page's content, so it cannot be made an artifact.")
        return pikepdf.unparse_content_stream(out)


# -- links


def _rect(annot) -> tuple[float, float, float, float]:
    x1, y1, x2, y2 = (float(value) for value in annot.Rect)
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def _inside(inner, outer, slack: float = 0.5) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


def _target(annot) -> str:
    action = annot.get("/A")
    if action is not None:
        return "uri:" + str(action.get("/URI", ""))
    return "dest:" + str(annot.get("/Dest", ""))


def _links(pdf: pikepdf.Pdf, tree: _Tree) -> None:
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        owner_of: dict[tuple, object] = {}
        own: dict[tuple, list] = {}  # a /Link element's objgen: the annotations it holds itself
        for annot in annots:
            annot.F = (int(annot.get("/F", 0)) | PRINT) & ~(HIDDEN | NO_VIEW)
            if annot.get("/Subtype") != Name.Link or "/StructParent" not in annot:
                continue
            owner = tree.parents.get(int(annot.StructParent))
            if isinstance(owner, Dictionary):
                owner_of[annot.objgen] = owner
                if tree.role(owner) == "/Link":
                    own.setdefault(owner.objgen, []).append(annot)
        kept = []
        for annot in annots:
            owner = owner_of.get(annot.objgen)
            if owner is None:
                kept.append(annot)
                continue
            rect = _rect(annot)
            if rect[2] - rect[0] < 0.01 or rect[3] - rect[1] < 0.01:
                _drop(tree, annot, owner)
                continue
            link = next((element for element in reversed([owner, *tree.ancestors(owner)])
                         if tree.role(element) == "/Link"), None)
            if link is None or _same(link, owner):
                kept.append(annot)
                continue
            covering = [other for other in own.get(link.objgen, []) if _target(other) == _target(annot)]
            if any(_inside(rect, _rect(other)) for other in covering):
                _drop(tree, annot, owner)
                continue
            # Its own part of the link (a line of its own): the link's element holds it.
            objr = next(item for item in tree.kids(owner) if _is_objr(item) and _same(item.Obj, annot))
            tree.remove_kid(owner, objr)
            tree.set_kids(link, [*tree.kids(link), objr])
            tree.parents[int(annot.StructParent)] = link
            own.setdefault(link.objgen, []).append(annot)
            kept.append(annot)
        page.obj.Annots = Array(kept)


def _drop(tree: _Tree, annot, owner) -> None:
    tree.set_kids(owner, [item for item in tree.kids(owner) if not (_is_objr(item) and _same(item.Obj, annot))])
    tree.parents.pop(int(annot.StructParent), None)


def _nested_links(tree: _Tree) -> None:
    for element in tree.elements:
        if tree.role(element) == "/Link" and any(tree.role(a) == "/Link" for a in tree.ancestors(element)):
            tree.set_role(element, Name.Span)


def _text_mcids(tree: _Tree, element) -> bool:
    """Whether `element` or an element below it (other than a picture) holds marked content."""
    for kid in tree.kids(element):
        if isinstance(kid, int) or (isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR):
            return True
        if tree.is_element(kid) and tree.role(kid) != "/Figure" and _text_mcids(tree, kid):
            return True
    return False


def _link_alternatives(tree: _Tree) -> None:
    for element in tree.elements:
        if tree.role(element) != "/Link" or "/Alt" in element or _text_mcids(tree, element):
            continue
        alts = [str(kid.Alt) for kid in _descendants(tree, element) if tree.role(kid) == "/Figure" and "/Alt" in kid]
        if alts:
            element.Alt = pikepdf.String(" ".join(alts))


def _descendants(tree: _Tree, element):
    for kid in tree.kids(element):
        if tree.is_element(kid):
            yield kid
            yield from _descendants(tree, kid)


# -- tables and lists


def _attributes(element, owner: Name) -> Dictionary:
    """The element's attribute dictionary of `owner` (/Table), made if it has none."""
    attributes = element.get("/A")
    if isinstance(attributes, Dictionary):
        if attributes.get("/O") == owner:
            return attributes
        attributes = Array([attributes])
    if isinstance(attributes, Array):
        for item in attributes:
            if isinstance(item, Dictionary) and item.get("/O") == owner:
                return item
    else:
        attributes = Array()
    made = Dictionary(O=owner)
    attributes.append(made)
    element.A = attributes
    return made


def _tables(tree: _Tree) -> None:
    for element in tree.elements:
        if tree.role(element) != "/TH":
            continue
        row = tree.parent.get(element.objgen)
        group = tree.parent.get(row.objgen) if row is not None else None
        cells = [tree.role(kid) for kid in tree.kids(row) if tree.is_element(kid)] if tree.is_element(row) else []
        in_head = tree.is_element(group) and tree.role(group) == "/THead"
        scope = Name.Column if in_head or "/TD" not in cells else Name.Row
        attributes = _attributes(element, Name.Table)
        if "/Scope" not in attributes:
            attributes.Scope = scope


def _header_ids(pdf: pikepdf.Pdf, tree: _Tree) -> None:
    """Name each table header cell after the document and its place in the tags, and point the
    cells it heads at the new names. WeasyPrint 68 and 69 name a header cell by the Python id() of
    its box, which is another number in every run: the same sources would give other bytes."""
    document = bytes(pdf.trailer.ID[0]).hex()[:12] if "/ID" in pdf.trailer else "doc"
    names: dict[str, pikepdf.String] = {}
    for element in tree.elements:
        if tree.role(element) == "/TH" and "/ID" in element:
            names[bytes(element.ID).decode("latin-1")] = pikepdf.String(f"{document}-th{len(names) + 1}")
            element.ID = names[bytes(element.ID).decode("latin-1")]
    if not names:
        return
    for element in tree.elements:
        attributes = element.get("/A")
        for owner in (attributes if isinstance(attributes, Array) else [attributes]):
            if isinstance(owner, Dictionary) and "/Headers" in owner:
                owner.Headers = Array([names.get(bytes(name).decode("latin-1"), name) for name in owner.Headers])


def _list_bodies(tree: _Tree) -> None:
    for element in list(tree.elements):
        if tree.role(element) != "/LI":
            continue
        kids = tree.kids(element)
        loose = [kid for kid in kids if not (tree.is_element(kid) and tree.role(kid) in _LIST_ITEM_PARTS)]
        if not loose:
            continue
        if any(not tree.is_element(kid) for kid in loose):
            continue  # marked content straight in the item: never written by WeasyPrint, left alone
        body = tree.pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LBody, P=element, K=Array(loose)))
        if "/Pg" in element:
            body.Pg = element.Pg
        for kid in loose:
            kid.P = body
        tree.add(body, element)
        labels = [kid for kid in kids if tree.is_element(kid) and tree.role(kid) in _LIST_ITEM_PARTS]
        tree.set_kids(element, [*labels, body])


def _remove_empty(tree: _Tree) -> None:
    changed = True
    while changed:
        changed = False
        for element in tree.elements:
            if (tree.role(element) in _REMOVABLE_WHEN_EMPTY and not tree.kids(element)
                    and element.objgen in tree.parent and "/Alt" not in element and "/ActualText" not in element):
                parent = tree.parent.pop(element.objgen)
                tree.remove_kid(parent, element)
                changed = True
        tree.elements = [element for element in tree.elements if element.objgen in tree.parent]
