"""One process of the printing pool (pool.py): lays documents out, holds them, draws them, makes
a chapter's own PDF and merges the handbook, as the build's process asks (chunked.py).

The build's own process never imports this module, nor what it brings in (session, writer,
page_numbers, fetcher, merge, extract): WeasyPrint is loaded with it, once, by the printer
(printer.py), and each printing process is forked from that.
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

from handbook.pdf.documents import CROSS_CHUNK, Document, PageNumberError, with_real_numbers
from handbook.pdf.extract import make_extract
from handbook.pdf.fast_path import Choice, fast_faces
from handbook.pdf.merge import Merger
from handbook.pdf.results import PdfError, TooManyPages
from handbook.pdf.session import FastSession, Session
from handbook.pdf.writer import WeasyPrintErrors, anchor_pages, draw_pdf

# The path this process prints by (fast_path.py): set by the printer before it serves.
CHOICE = Choice(False, "not chosen")
_SFNT = (b"OTTO", b"\0\1\0\0", b"true")


def _postscript_name(program: bytes) -> str | None:
    from fontTools.ttLib import TTFont

    try:
        return TTFont(io.BytesIO(program), lazy=True)["name"].getDebugName(6)
    except Exception:  # noqa: BLE001 (a font fontTools cannot read is left as WeasyPrint embedded it)
        return None


def public_faces(pdf: bytes, read, site_dir: Path, known: dict) -> dict[str, tuple[str, bytes]]:
    """What fast_faces() gives, found from the PDF alone: each embedded font's PostScript name (kept
    in the subset WeasyPrint embeds) matched with a font file the layout read. A font found in no
    file is left out, and stays embedded as WeasyPrint embedded it (fonts.share_fonts)."""
    import pikepdf

    files = {}
    for relative in sorted(read):
        if relative not in known:
            data = (site_dir / relative).read_bytes()
            name = _postscript_name(data) if data[:4] in _SFNT else None
            known[relative] = (name, hashlib.sha256(data).hexdigest(), data)
        name, sha, data = known[relative]
        if name is not None:
            files.setdefault(name, (sha, data))
    faces = {}
    seen: set[tuple[int, int]] = set()

    def collect(resources) -> None:
        # The pages' fonts and those of the forms they draw (a picture with text, a draft's watermark).
        if resources is None or (resources.is_indirect and resources.objgen in seen):
            return
        if resources.is_indirect:
            seen.add(resources.objgen)
        for font in resources.get("/Font", {}).values():
            if font.get("/Subtype") != "/Type0" or str(font.BaseFont).lstrip("/") in faces:
                continue
            descriptor = font.DescendantFonts[0].FontDescriptor
            stream = next((descriptor[key] for key in ("/FontFile3", "/FontFile2", "/FontFile")
                           if key in descriptor), None)
            name = _postscript_name(stream.read_bytes()) if stream is not None else None
            if name in files:
                faces[str(font.BaseFont).lstrip("/")] = files[name]
        for xobject in resources.get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Form":
                collect(xobject.get("/Resources"))

    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            collect(page.obj.get("/Resources"))
    return faces


def _finish(pdf: bytes, pages: int, spec: dict, notice: bytes | None, faces: dict, label: str) -> tuple:
    extract = None
    if spec["extract"] is not None:
        if notice is None:
            raise PdfError(f"{label}: the extract notice was not ready")
        extract = make_extract(pdf, notice, spec["extract"]["online"], CROSS_CHUNK,
                               {name: face for name, (_, face) in faces.items()}, spec["extract"]["footer"])
    return pages, pdf, extract, {name: sha for name, (sha, _) in faces.items()}


def _draw(held: tuple, spec: dict, notice: bytes | None, known_faces: dict) -> tuple:
    """The fast path: the real numbers written into the held layout, then drawn."""
    from handbook.pdf.page_numbers import fill_page_numbers

    document, html_text, label = held
    with WeasyPrintErrors(label):
        try:
            fill_page_numbers(document, spec["pages"], spec["first"], spec["total"], spec["digits"])
        except PageNumberError as err:
            raise PdfError(f"{label}: {err}") from None
        pdf = draw_pdf(document, html_text)
    return (*_finish(pdf, len(document.pages), spec, notice, fast_faces(document, known_faces), label), None)


def _draw_public(session: Session, html_text: str, label: str, site_dir: Path, spec: dict,
                 notice: bytes | None, known_faces: dict) -> tuple:
    """The public path: laid out again with the real numbers in its HTML, then drawn. Its pages
    and ids are answered with it, for the build to check against the ones its numbers came from
    (a shorter number can move text: chunked.py lays out again what moved)."""
    with WeasyPrintErrors(label):
        try:
            real = with_real_numbers(html_text, spec)
        except PageNumberError as err:
            raise PdfError(f"{label}: {err}") from None
        document, read = session.render(real, label)
        # Identified by the HTML it was laid out from, numbers aside, as the fast path's is.
        pdf = draw_pdf(document, html_text)
    faces = public_faces(pdf, read, site_dir, known_faces)
    facts = [len(document.pages), anchor_pages(document), sorted(read)]
    return (*_finish(pdf, len(document.pages), spec, notice, faces, label), facts)


def _draw_held(session: Session, held: tuple, site_dir: Path, spec: dict, notice: bytes | None,
               known_faces: dict) -> tuple:
    if CHOICE.fast:
        return _draw(held, spec, notice, known_faces)
    return _draw_public(session, held[1], held[2], site_dir, spec, notice, known_faces)


def _layout(session: Session, document: Document):
    with WeasyPrintErrors(document.label):
        laid_out, read = session.render(document.html, document.label)
    return (laid_out, document.html, document.label), sorted(read)


def process_facts() -> dict:
    """What the build's process checks a new printing process against (pool.py), and the path it
    prints by."""
    if CHOICE.fast:
        from weasyprint.text.ffi import pango

        pango_number = pango.pango_version()
    else:
        from handbook.pdf.cache import pango_number as number
        from handbook.pdf.cache import pango_version

        pango_number = number(pango_version())
    return {"pango": pango_number, "environ": dict(os.environ), "fast": CHOICE.fast, "why": CHOICE.why}


def _session(site_dir: Path) -> Session:
    return FastSession(site_dir) if CHOICE.fast else Session(site_dir)


def _warmed_up(site_dir: Path, stylesheet: str) -> Session | None:
    """A session that has parsed the print stylesheet and loaded its fonts, as every chunk's first
    layout in a process would (about 0.1 s): done while the build is still reading the pages. None
    if that failed: the first real layout then meets the same problem and reports it, with the
    document it is in."""
    session = _session(site_dir)
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
            session = _session(site_dir)
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
                laid, read = _layout(session, document)
                laid_out = laid[0]
                # The public path lays the chunk out again to draw it: only its HTML is kept.
                held[name] = laid if CHOICE.fast else (None, *laid[1:])
                conn.send(("laid out", name, len(laid_out.pages), anchor_pages(laid_out), read))
            elif kind == "draw":
                spec, = args
                conn.send(("drawn", name, *_draw_held(session, held.pop(name), site_dir, spec, notice,
                                                      known_faces)))
            elif kind == "layout and draw":
                document, spec, expected = args
                if not CHOICE.fast:  # the build checks the pages it answers with (chunked.py)
                    conn.send(("drawn", name, *_draw_public(session, document.html, document.label, site_dir,
                                                            spec, notice, known_faces)))
                    continue
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


