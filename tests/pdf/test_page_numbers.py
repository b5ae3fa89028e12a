"""Page numbers written into an already laid-out chunk (handbook/pdf/page_numbers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from handbook.pdf.build import print_css
from handbook.pdf.documents import provisional_footer
from handbook.pdf.page_numbers import FIGURE_SPACE, PageNumberError, fill_page_numbers

ROOT = Path(__file__).resolve().parents[2]

DOCUMENT = """<!DOCTYPE html><html lang="en-GB"><head><style>{css}</style>
<style>@page {{ @bottom-right {{ content: "{footer}"; font-variant-numeric: tabular-nums; font-kerning: none; }} }}
</style>
</head><body>
<p>Read <a class="hb-xref" href="#target" data-hb-target="target" data-page="888">the chapter</a>
 and then
the rest of this sentence.</p>
<nav class="contents"><ol><li class="toc-part toc-single">
<a href="#target" data-hb-target="target" data-page="888">A chapter</a></li></ol></nav>
<h2 id="target" style="break-before: page">Target</h2>
</body></html>"""


def _laid_out():
    html = DOCUMENT.format(css=print_css(), footer=provisional_footer(3))
    return HTML(string=html, base_url=(ROOT / "docs").as_uri() + "/").render()


def _text_boxes(box):
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TextBox):
            yield child
        yield from _text_boxes(child)


def _page_texts(document, index):
    return list(_text_boxes(document.pages[index]._page_box))


def test_numbers_are_written_in_and_the_rest_of_the_line_closes_up():
    document = _laid_out()
    before = {box.text: box.position_x for box in _page_texts(document, 0)}
    fill_page_numbers(document, {"target": 5}, first_page=10, total=12, digits=3)
    texts = _page_texts(document, 0)
    by_text = {box.text: box for box in texts}

    xref = by_text[" (see page 5)"]
    after = next(box for box in texts if box.text.startswith(" and then"))
    # The cross-reference got narrower and the words after it moved left to meet it.
    assert after.position_x < before[after.text]
    assert after.position_x == pytest.approx(xref.position_x + xref.width, abs=0.01)
    # Right-aligned numbers keep their width: padded on the left with figure spaces.
    assert FIGURE_SPACE * 2 + "Page 10 of 12" in by_text
    contents_page = {box.text for box in _page_texts(document, 1)}
    assert FIGURE_SPACE * 2 + "5" in contents_page
    assert FIGURE_SPACE * 2 + "Page 11 of 12" in contents_page
    assert not any("888" in box.text for page in range(len(document.pages)) for box in _page_texts(document, page))


def test_the_link_area_follows_the_shortened_reference():
    document = _laid_out()
    fill_page_numbers(document, {"target": 5}, first_page=10, total=12, digits=3)
    xref_links = [(rect, box) for kind, target, rect, box in document.pages[0].links
                  if box.element_tag == "a::after" and "hb-xref" in box.element.get("class", "")]
    assert xref_links
    for (x1, _, x2, _), box in xref_links:
        assert x1 == pytest.approx(box.position_x, abs=0.01)
        assert x2 - x1 == pytest.approx(box.width, abs=0.01)


def test_a_number_for_a_missing_target_or_too_wide_fails():
    with pytest.raises(PageNumberError, match="#target, which is not in it"):
        fill_page_numbers(_laid_out(), {}, first_page=1, total=2, digits=3)
    with pytest.raises(PageNumberError, match="wider than the 3 digits"):
        fill_page_numbers(_laid_out(), {"target": 1234}, first_page=1, total=2, digits=3)
