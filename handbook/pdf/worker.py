"""One process of the printing pool (pool.py): lays documents out, holds them, draws them, makes
a chapter's own PDF and merges the handbook, as the build's process asks (chunked.py).

The build's own process never imports this module, nor what it brings in (session, writer,
page_numbers, fetcher, merge, extract): WeasyPrint is loaded with it, once, by the printer
(printer.py), and each printing process is forked from that.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from weasyprint.text.ffi import pango
from weasyprint.text.fonts import get_hb_object_data

from handbook.pdf.documents import CROSS_CHUNK, Document
from handbook.pdf.extract import make_extract
from handbook.pdf.merge import Merger
from handbook.pdf.page_numbers import PageNumberError, fill_page_numbers
from handbook.pdf.results import PdfError, TooManyPages
from handbook.pdf.session import Session
from handbook.pdf.writer import WeasyPrintErrors, anchor_pages, draw_pdf


def _faces(document, known: dict[str, tuple[str, bytes]]) -> dict[str, tuple[str, bytes]]:
    """The fonts a drawn document embeds: by their name in the PDF, the hash of the whole font file
    (for the merge to find the file among the site's: fonts.share_fonts) and the file itself."""
    faces = {}
    for font in document.fonts.values():
        if font.bitmap:
            continue
        if font.hash not in known:
            face = get_hb_object_data(font.hb_face)
            known[font.hash] = (hashlib.sha256(face).hexdigest(), face)
        faces[font.name.decode("ascii", "replace").lstrip("/")] = known[font.hash]
    return faces


def _draw(held: tuple, spec: dict, notice: bytes | None, known_faces: dict) -> tuple:
    document, html_text, label = held
    with WeasyPrintErrors(label):
        try:
            fill_page_numbers(document, spec["pages"], spec["first"], spec["total"], spec["digits"])
        except PageNumberError as err:
            raise PdfError(f"{label}: {err}") from None
        pdf = draw_pdf(document, html_text)
    faces = _faces(document, known_faces)
    extract = None
    if spec["extract"] is not None:
        if notice is None:
            raise PdfError(f"{label}: the extract notice was not ready")
        extract = make_extract(pdf, notice, spec["extract"]["online"], CROSS_CHUNK,
                               {name: face for name, (_, face) in faces.items()}, spec["extract"]["footer"])
    return len(document.pages), pdf, extract, {name: sha for name, (sha, _) in faces.items()}


def _layout(session: Session, document: Document):
    with WeasyPrintErrors(document.label):
        laid_out, read = session.render(document.html, document.label)
    return (laid_out, document.html, document.label), sorted(read)


def process_facts() -> dict:
    """What the build's process checks a new printing process against (pool.py)."""
    return {"pango": pango.pango_version(), "environ": dict(os.environ)}


def _warmed_up(site_dir: Path, stylesheet: str) -> Session | None:
    """A session that has parsed the print stylesheet and loaded its fonts, as every chunk's first
    layout in a process would (about 0.1 s): done while the build is still reading the pages. None
    if that failed: the first real layout then meets the same problem and reports it, with the
    document it is in."""
    session = Session(site_dir)
    document = (f'<!DOCTYPE html><html lang="en-GB"><head><style>{stylesheet}</style></head>'
                "<body><p>Some text in <b>bold</b> and <i>italic</i>.</p></body></html>")
    try:
        with WeasyPrintErrors("the PDF printing processes' warm-up"):
            session.render(document, "the PDF printing processes' warm-up")
    except Exception:  # noqa: BLE001 (see above)
        return None
    return session


def serve(conn, site_dir: Path) -> None:
    """A process of the pool: lay out, hold, draw, as the parent asks; answer each message once.
    The first answer, unasked, is its process_facts()."""
    conn.send(("facts", "", process_facts()))
    session = None  # made on the first layout: a process that only merges needs no fonts
    held: dict[str, tuple] = {}
    notice: bytes | None = None
    known_faces: dict = {}
    mergers: dict[str, Merger] = {}
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        kind, name, *args = message
        if kind == "warm up":
            session = _warmed_up(site_dir, *args)
            conn.send(("warmed up", name, session is not None))
            continue
        if kind in ("layout", "layout and draw", "single") and session is None:
            session = Session(site_dir)
        try:
            if kind == "notice":
                notice = args[0]
                continue
            if kind == "drop":
                held.pop(name, None)
                if name in mergers:
                    mergers.pop(name).close()
                continue
            if kind == "merge part":  # not answered: an error is sent, and read with the next answer
                mergers.setdefault(name, Merger()).add(args[0])
                continue
            if kind == "layout":
                document, = args
                held[name], read = _layout(session, document)
                laid_out = held[name][0]
                conn.send(("laid out", name, len(laid_out.pages), anchor_pages(laid_out), read))
            elif kind == "draw":
                spec, = args
                conn.send(("drawn", name, *_draw(held.pop(name), spec, notice, known_faces)))
            elif kind == "layout and draw":
                document, spec, expected = args
                laid, read = _layout(session, document)
                facts = (len(laid[0].pages), anchor_pages(laid[0]), read)
                if list(facts) != expected:
                    raise PdfError(f"{document.label}: laid out differently from the cached layout of the "
                                   "same HTML. Delete the PDF cache and build again.")
                conn.send(("drawn", name, *_draw(laid, spec, notice, known_faces)))
            elif kind == "extract":
                pdf, extract_spec, font_paths = args
                if notice is None:
                    raise PdfError(f"{name}: the extract notice was not ready")
                fonts = {font: (site_dir / relative).read_bytes() for font, relative in font_paths.items()}
                conn.send(("extracted", name, make_extract(pdf, notice, extract_spec["online"], CROSS_CHUNK, fonts,
                                                           extract_spec["footer"])))
            elif kind == "merge finish":
                outline, font_paths = args
                fonts = {font: (site_dir / relative).read_bytes() for font, relative in font_paths.items()}
                conn.send(("merged", name, mergers.pop(name).finish(outline, fonts)))
            elif kind == "single":
                document, = args
                laid, read = _layout(session, document)
                pages = len(laid[0].pages)
                if document.max_pages is not None and pages > document.max_pages:
                    raise TooManyPages(document.label, pages, document.max_pages)
                with WeasyPrintErrors(document.label):
                    pdf = draw_pdf(laid[0], document.html)
                conn.send(("single", name, pages, pdf, read))
        except TooManyPages as err:
            conn.send(("too many", name, err.args))
        except PdfError as err:
            conn.send(("error", name, str(err)))
        except Exception as err:  # noqa: BLE001 (anything else is reported to the parent, not lost)
            conn.send(("error", name, f"{name}: {type(err).__name__}: {err}"))


