"""Lay out many print documents in one process, parsing the print stylesheet and loading its fonts
once, and note every file each layout reads.

The handbook is printed one chapter at a time (chunked.py) so that a rebuild lays out only what
changed. Each chapter is a document of its own, and WeasyPrint parses every document's <style>
and loads its @font-face fonts afresh: cProfile put that at about a third of the layout time of
a typical chapter. A session keeps one FontConfiguration (so each font is read and registered
once) and keeps each parsed <style> block, keyed by its text.

The print cache (cache.py) must know every file a layout read, so that a changed font or picture
invalidates it: the fetcher reports each file to the innermost open record, and a stylesheet or
font face served from the session's memory replays the files read when it was first made.

This reaches into WeasyPrint (the name `weasyprint.css.CSS` that find_stylesheets calls, and
FontConfiguration.add_font_face), which pyproject pins to 70.x; tests/pdf/test_pdf_pipeline.py checks
that a document laid out with a warm session gives the same bytes as one laid out alone.
"""

from __future__ import annotations

from pathlib import Path

import weasyprint
import weasyprint.css
from weasyprint import HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.text.fonts import FontConfiguration

from handbook.pdf.fetcher import SiteOnlyFetcher, note_read, recording


def _replay(paths: frozenset[str]) -> None:
    for path in paths:
        note_read(path)


class _RecordingFontConfiguration(FontConfiguration):
    """Registers each @font-face once; a later document using the face still notes its files."""

    def __init__(self) -> None:
        super().__init__()
        self._face_files: dict[str, frozenset[str]] = {}

    def add_font_face(self, rule_descriptors, url_fetcher):
        key = str(rule_descriptors)
        if key in self._face_files:
            _replay(self._face_files[key])
            return super().add_font_face(rule_descriptors, url_fetcher)
        with recording() as read:
            result = super().add_font_face(rule_descriptors, url_fetcher)
        self._face_files[key] = frozenset(read)
        _replay(self._face_files[key])
        return result


_ORIGINAL_CSS = weasyprint.css.CSS
_ACTIVE: list[Session] = []


def _css(*args, string=None, font_config=None, counter_style=None, color_profiles=None, page_rules=None,
         layers=None, **kwargs):
    """Stands in for weasyprint.css.CSS while a session is laying out one of its documents."""
    session = _ACTIVE[-1] if _ACTIVE else None
    if args or string is None or session is None or font_config is not session.font_config:
        return _ORIGINAL_CSS(*args, string=string, font_config=font_config, counter_style=counter_style,
                             color_profiles=color_profiles, page_rules=page_rules, layers=layers, **kwargs)
    # Colour profiles stay the document's own (drawing adds to them): a sheet that declares one is
    # not kept.
    key = (string, kwargs.get("base_url"), kwargs.get("media_type"))
    cached = session.sheets.get(key)
    if cached is None:
        profiles = dict(color_profiles or {})
        with recording() as read:
            # Its own lists of @page rules and layers rather than the document's: WeasyPrint only
            # reads them through each sheet, in source order, which gives the same cascade.
            sheet = _ORIGINAL_CSS(string=string, font_config=font_config, counter_style=counter_style,
                                  color_profiles=color_profiles, page_rules=[], layers=[], **kwargs)
        if (color_profiles or {}) != profiles:
            return sheet  # it declared a colour profile, which belongs to this document alone
        cached = session.sheets[key] = (sheet, frozenset(read))
    _replay(cached[1])
    return cached[0]


weasyprint.css.CSS = _css


class Session:
    """One process's WeasyPrint state for laying out documents of the same built site."""

    def __init__(self, site_dir: Path):
        self.site_dir = site_dir
        self.font_config = _RecordingFontConfiguration()
        self.counter_style = CounterStyle()
        self.sheets: dict[tuple, tuple] = {}

    def render(self, html: str, label: str):
        """Lay `html` out. Returns the document and the site files it read (relative paths)."""
        _ACTIVE.append(self)
        try:
            with recording() as read:
                document = HTML(
                    string=html, base_url=self.site_dir.resolve().as_uri() + "/",
                    url_fetcher=SiteOnlyFetcher(self.site_dir, label),
                ).render(font_config=self.font_config, counter_style=self.counter_style,
                         presentational_hints=True)
        finally:
            _ACTIVE.remove(self)
        return document, frozenset(read)


if not weasyprint.__version__.startswith("70."):
    raise ImportError("handbook/pdf/session.py reaches into WeasyPrint 70's internals; check it against "
                      f"WeasyPrint {weasyprint.__version__} before using that version")
