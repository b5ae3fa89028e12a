"""Which way the printing processes use WeasyPrint: the fast path, through some of its insides, or
the public path, through its documented API only. Chosen by a self-test, not a version string.

The fast path reaches into WeasyPrint where its public API has no way to do what the handbook
needs quickly (BENCHMARKS.md gives both paths' times):

- session.FastSession keeps each parsed <style> and each @font-face between documents, by standing
  in for `weasyprint.css.CSS` and overriding FontConfiguration.add_font_face;
- page_numbers.py writes the real page numbers into a laid-out chunk's box tree
  (weasyprint.formatting_structure.boxes, text.line_break, anchors), so a chunk is laid out once;
- worker.py finds the whole font file behind each embedded font (Document.fonts,
  text.fonts.get_hb_object_data), and reads Pango's version through text.ffi;
- writer.py memoises pydyf's PDF.page_references, which WeasyPrint's tagging reads once per tag.

The public path does the same with `HTML(...).render()`, `Document.pages` (each page's anchors)
and `write_pdf()`, then pikepdf and fontTools: each chunk is laid out again with its real numbers
in the HTML (documents.with_real_numbers), and the fonts are found by the PostScript names in the
PDF. It gives the same pages; it is slower.

The self-test lays a small known document out both ways, with a font made for it here, and checks
that the fast path gives what the public path gives: the same pages, the same places, the same
text in every line, the same link areas, the font file found, pydyf's references unchanged. Any
difference, or any of those insides missing, and the printing processes take the public path, and
the build says so in one line, naming what differed. It runs once in the printer (printer.py),
before the first printing process is forked from it, in about a tenth of a second.

HANDBOOK_PDF_PATH=public forces the public path (the tests run it on every run, and compare its
PDFs with the fast path's); HANDBOOK_PDF_PATH=fast makes a failed self-test stop the build instead.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
from dataclasses import dataclass

SETTING = "HANDBOOK_PDF_PATH"
CHOICES = ("auto", "fast", "public")


class SettingError(ValueError):
    pass


def setting(environ=None) -> str:
    """HANDBOOK_PDF_PATH as the build reads it: auto (the default), fast or public."""
    value = (environ if environ is not None else os.environ).get(SETTING, "").strip().lower() or "auto"
    if value not in CHOICES:
        raise SettingError(f'{SETTING} is "{value}". Set it to "public" (WeasyPrint\'s public API only), '
                           '"fast" (stop the build if the fast path\'s self-test fails) or leave it unset.')
    return value


@dataclass(frozen=True)
class Choice:
    fast: bool
    why: str  # what made the processes take the public path ("" for the fast path)


def choose(value: str, verdict: str | None) -> Choice:
    """The path for a printing process, given the setting and the self-test's verdict ("" if it
    passed, else what differed; None if it has not run, which only "public" may leave so)."""
    if value == "public":
        return Choice(False, f"{SETTING}=public")
    if verdict:
        return Choice(False, f"the fast path's self-test failed: {verdict}")
    return Choice(True, "")


def fast_faces(document, known: dict[str, tuple[str, bytes]]) -> dict[str, tuple[str, bytes]]:
    """The fonts a drawn document embeds: by their name in the PDF, the hash of the whole font file
    (for the merge to find the file among the site's: fonts.share_fonts) and the file itself.
    The fast path's: from WeasyPrint's own record of the fonts it drew with."""
    from weasyprint.text.fonts import get_hb_object_data

    faces = {}
    for font in document.fonts.values():
        if font.bitmap:
            continue
        if font.hash not in known:
            face = get_hb_object_data(font.hb_face)
            known[font.hash] = (hashlib.sha256(face).hexdigest(), face)
        faces[font.name.decode("ascii", "replace").lstrip("/")] = known[font.hash]
    return faces


# -- the self-test

_DIGITS = "0123456789"
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_PUNCTUATION = "().,"


def test_font() -> bytes:
    """A small TrueType font made here, so that the self-test depends on no font of the machine's
    or the site's: every glyph a box, digits and the figure space as wide as each other (as Inter's
    tabular figures are), so that page numbers can be padded as the fast path pads them."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    widths = {" ": 250, "\u2007": 600, **dict.fromkeys(_DIGITS, 600), **dict.fromkeys(_LETTERS, 500),
              **dict.fromkeys(_PUNCTUATION, 300)}
    names = {char: f"g{ord(char):04X}" for char in widths}
    order = [".notdef", *names.values()]
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        if name not in (names[" "], names["\u2007"]):
            pen.moveTo((50, 0))
            pen.lineTo((50, 700))
            pen.lineTo((250, 700))
            pen.lineTo((250, 0))
            pen.closePath()
        glyphs[name] = pen.glyph()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({ord(char): name for char, name in names.items()})
    builder.setupGlyf(glyphs)
    metrics = {name: (500, 50) for name in order}
    metrics.update({names[char]: (width, 50) for char, width in widths.items()})
    builder.setupHorizontalMetrics(metrics)
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Handbook Self Test", "styleName": "Regular",
                            "psName": "HandbookSelfTest-Regular"})
    builder.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def test_document(font: bytes) -> str:
    """A two-page chunk as the book's chunks are made (assemble.py, chunked.py): a contents line and
    a cross-reference with provisional two-digit numbers, the footer, a second page it points to."""
    source = "data:font/ttf;base64," + base64.b64encode(font).decode("ascii")
    return f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Self test</title>
<style>
@font-face {{ font-family: "Handbook Self Test"; src: url({source}); }}
@page {{ size: A6; margin: 12mm 12mm 18mm; @bottom-right {{ font: 8pt "Handbook Self Test"; }} }}
body {{ font: 10pt/1.4 "Handbook Self Test"; }}
a.hb-xref[data-page]::after {{ content: " (see page " attr(data-page) ")"; }}
.contents a::after {{ content: leader(".") attr(data-page); font-variant-numeric: tabular-nums; font-kerning: none; }}
h2 {{ break-before: page; font-size: 12pt; }}
</style>
<style>
@page {{ @bottom-right {{ content: "Page 88 of 88"; font-variant-numeric: tabular-nums; font-kerning: none; }} }}
</style></head><body>
<nav class="contents"><ol><li><a href="#two" data-hb-target="two" data-page="88">The second page</a></li></ol></nav>
<p id="one">See <a class="hb-xref" href="#two" data-hb-target="two" data-page="88">Two</a> and <b>this</b>.<br>
The words after a number move left on its line when it is shorter than the one laid out.</p>
<h2 id="two">Two</h2><p>The end.</p>
</body></html>"""


TEST_SPEC = {"first": 1, "total": 2, "digits": 2, "pages": {"two": 2}}


class _Differs(Exception):
    pass


_LEADER = re.compile(r"\.{2,}")


def _lines(document) -> list[list[str]]:
    """Each page's text, line by line, as the box tree holds it (figure spaces, the padding the
    fast path adds, left out)."""
    from weasyprint.formatting_structure import boxes

    from handbook.pdf.page_numbers import _descendants

    def walk(box, out):
        if isinstance(box, boxes.LineBox):
            out.append("".join(child.text for child in _descendants(box) if isinstance(child, boxes.TextBox)))
            return
        for child in getattr(box, "children", ()):
            walk(child, out)

    pages = []
    for page in document.pages:
        lines: list[str] = []
        walk(page._page_box, lines)
        # The contents' leader has as many dots as fit beside the number: fewer beside a padded one.
        pages.append([" ".join(_LEADER.sub(" ... ", line.replace("\u2007", " ")).split())
                      for line in lines if line.strip()])
    return pages


def _links(pdf: bytes) -> list[list[tuple]]:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [[tuple(round(float(value), 1) for value in annot.Rect) for annot in page.obj.get("/Annots", [])]
                for page in document.pages]


def _step(name: str, check) -> None:
    try:
        check()
    except _Differs as err:
        raise _Differs(f"{name}: {err}") from None
    except Exception as err:  # noqa: BLE001 (any failure of an inside is the answer the test looks for)
        raise _Differs(f"{name}: {type(err).__name__}: {err}") from None


def run() -> str:
    """The self-test: "" if the fast path gives what the public path gives, else what differed.
    Leaves the patches of the fast path installed only if it passed."""
    from handbook.pdf import session as sessions
    from handbook.pdf import writer

    try:
        _run(sessions, writer)
    except Exception as err:  # noqa: BLE001 (whatever fails, the printing must still go on, by the public path)
        sessions.uninstall()
        writer.forget_page_references()
        return str(err) if isinstance(err, _Differs) else f"the self-test itself: {type(err).__name__}: {err}"
    return ""


def _run(sessions, writer) -> None:
    from pathlib import Path

    from handbook.pdf.documents import with_real_numbers

    font = test_font()
    html = test_document(font)
    site = Path(os.devnull)  # holds no file: the document reads nothing but data: URIs
    state: dict = {}

    def imports():
        from weasyprint.anchors import rectangle_aabb  # noqa: F401
        from weasyprint.formatting_structure import boxes  # noqa: F401
        from weasyprint.text.ffi import pango  # noqa: F401
        from weasyprint.text.fonts import get_hb_object_data  # noqa: F401
        from weasyprint.text.line_break import Layout, line_size  # noqa: F401

        import handbook.pdf.page_numbers  # noqa: F401

    _step("WeasyPrint's insides the fast path imports", imports)

    def public():
        public_session = sessions.Session(site)
        real = with_real_numbers(html, TEST_SPEC)
        state["public"], _ = public_session.render(real, "the self-test")
        state["public pdf"] = writer.draw_pdf(state["public"], html)

    _step("the public path", public)

    def stylesheets():
        sessions.install()
        session = sessions.FastSession(site)
        first, _ = session.render(html, "the self-test")
        kept = len(session.sheets)
        if not kept:
            raise _Differs("WeasyPrint no longer parses a document's <style> through weasyprint.css.CSS")
        calls = sessions.original_css_calls()
        state["fast"], _ = session.render(html, "the self-test")
        if sessions.original_css_calls() != calls or len(session.sheets) != kept:
            raise _Differs("a second document parsed its <style> again instead of reusing it")
        if session.font_config.faces_registered() != 1:
            raise _Differs("the test font's @font-face was not registered through FontConfiguration.add_font_face")
        if len(first.pages) != len(state["fast"].pages):
            raise _Differs("the same document laid out twice gave different pages")

    _step("the stylesheet and font cache (weasyprint.css.CSS, FontConfiguration.add_font_face)", stylesheets)

    def numbers():
        from handbook.pdf.page_numbers import fill_page_numbers
        from handbook.pdf.writer import anchor_pages

        fast, public = state["fast"], state["public"]
        if anchor_pages(fast) != anchor_pages(public) or len(fast.pages) != len(public.pages):
            raise _Differs("the provisional and the real numbers gave different pages")
        fill_page_numbers(fast, TEST_SPEC["pages"], TEST_SPEC["first"], TEST_SPEC["total"], TEST_SPEC["digits"])
        if _lines(fast) != _lines(public):
            raise _Differs(f"the filled-in pages read {_lines(fast)}, the public path's {_lines(public)}")

    _step("page numbers written into the laid-out pages (the box tree)", numbers)

    def drawn():
        writer.memoise_page_references()
        writer.check_page_references()
        state["fast pdf"] = writer.draw_pdf(state["fast"], html)
        fast_links, public_links = _links(state["fast pdf"]), _links(state["public pdf"])
        if fast_links != public_links:
            raise _Differs(f"the link areas are {fast_links}, the public path's {public_links}")

    _step("the drawn PDF (pydyf's page references, link areas)", drawn)

    def fonts():
        sha = hashlib.sha256(font).hexdigest()
        found = {value for value, _ in fast_faces(state["fast"], {}).values()}
        if found != {sha}:
            raise _Differs("the embedded font was not traced back to its font file")

    _step("the font files behind the embedded fonts (Document.fonts, get_hb_object_data)", fonts)

    def pango():
        from weasyprint.text.ffi import pango as library

        # The number the printing processes report (worker.process_facts), which the build checks
        # against the Pango it finds itself (pool.Worker).
        number = library.pango_version()
        if not isinstance(number, int) or not 10000 <= number < 100000:
            raise _Differs(f"pango_version() gave {number!r}, not a Pango 1.x version number")

    _step("Pango's version (weasyprint.text.ffi)", pango)
