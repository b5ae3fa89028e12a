"""Write the real page numbers into a chunk of the handbook that WeasyPrint has already laid out.

Each chunk is laid out once with provisional numbers ("888", as many digits as the book's last
page), which gives its page count and the page of every id. Once every chunk is laid out the real
numbers are known, and this module puts them into the laid-out pages before the PDF is drawn,
instead of laying the chunk out a second time (a second layout was 40% of the PDF time on the
10x benchmark handbook; see BENCHMARKS.md).

Three places carry numbers:

- the contents ("Chapter ........ 12") and the footer ("Page 12 of 676") are right-aligned, so the
  number is padded on the left with figure spaces to the provisional width: with tabular figures
  and no kerning (print.css), a figure space is exactly as wide as a digit, so nothing moves;
- "(see page 12)" after a cross-reference sits in running text, so the text is set with the real
  number, measured, and everything after it on the same line moves left by the difference (the
  text is left-aligned, so the line just ends a little earlier), with the link areas to match.

This reaches into WeasyPrint's box tree (TextBox.text, its deactivated Pango layout, positions),
which is not a public API: it is the fast path's, taken only once fast_path.py's self-test has
shown it gives what laying the chunk out again with the real numbers gives (the public path), and
tests/pdf/test_pdf.py checks every number in the built PDF against the page its target is on.
"""

from __future__ import annotations

from weasyprint.anchors import rectangle_aabb
from weasyprint.formatting_structure import boxes
from weasyprint.text.line_break import Layout, line_size

from handbook.pdf.documents import PageNumberError, provisional, provisional_footer

FIGURE_SPACE = "\u2007"


def _padded(text: str, width: int) -> str:
    if len(text) > width:
        raise PageNumberError(f"page number {text} is wider than the {width} digits laid out for it")
    return FIGURE_SPACE * (width - len(text)) + text


def _text_width(text: str, box: boxes.TextBox) -> float:
    layout = Layout(box.style, box.justification_spacing)
    layout.set_text(text)
    line, _ = layout.get_first_line()
    width, _ = line_size(line, box.style)
    layout.deactivate()
    return width


def _set_text(box: boxes.TextBox, text: str) -> None:
    # The layout is deactivated after line breaking and rebuilt from .text when drawn.
    box.text = text
    box.pango_layout.text = text


def _text_boxes(box, line=None, path=()):
    """Every text box under `box`, with its nearest line box and the boxes from there down."""
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TextBox):
            yield child, line, path
        elif isinstance(child, boxes.LineBox):
            yield from _text_boxes(child, child, ())
        elif line is not None:
            yield from _text_boxes(child, line, (*path, child))
        else:
            yield from _text_boxes(child)


def _shorten(box: boxes.TextBox, line: boxes.LineBox, path: tuple, delta: float, moved: set[int]) -> None:
    """Make `box` `delta` narrower and move what follows it on its line left to close the gap."""
    box.width -= delta
    chain = [line, *path, box]
    for parent, child in zip(reversed(chain[:-1]), reversed(chain[1:]), strict=True):
        after = False
        for sibling in parent.children:
            if after:
                sibling.translate(-delta, 0)
                moved.update(id(b) for b in _descendants(sibling))
            after = after or sibling is child
        if parent is line:
            break
        parent.width -= delta
        moved.add(id(parent))


def _descendants(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)


def fill_page_numbers(document, pages_of: dict[str, int], first_page: int, total: int, digits: int) -> None:
    """Put real numbers in place of the provisional ones in a laid-out chunk.

    `pages_of` maps each id to its page in the whole book; `first_page` is this chunk's first page.
    """
    laid_out, footer = provisional(digits), provisional_footer(digits)
    filled = 0
    for index, page in enumerate(document.pages):
        moved: set[int] = set()
        for box, line, path in list(_text_boxes(page._page_box)):
            if box.text == footer:
                _set_text(box, _padded(f"Page {first_page + index} of {total}", len(footer)))
                filled += 1
                continue
            if box.element_tag != "a::after" or laid_out not in box.text:
                continue
            anchor = box.element.get("data-hb-target")
            if anchor not in pages_of:
                raise PageNumberError(f"a link in the handbook PDF points to #{anchor}, which is not in it.")
            number = str(pages_of[anchor])
            if "hb-xref" in (box.element.get("class") or "").split():
                old_width = _text_width(box.text, box)
                _set_text(box, box.text.replace(laid_out, number))
                delta = old_width - _text_width(box.text, box)
                if delta and line is not None:
                    _shorten(box, line, path, delta, moved)
                    moved.add(id(box))
            else:
                _set_text(box, box.text.replace(laid_out, _padded(number, digits)))
            filled += 1
        if moved:
            # Link areas were measured when the pages were made; measure the ones that moved again.
            page.links = [(kind, target, rectangle_aabb(None, *box.hit_area()) if id(box) in moved else rectangle, box)
                          for kind, target, rectangle, box in page.links]
    if not filled:
        raise PageNumberError("no page numbers were found to fill in")
