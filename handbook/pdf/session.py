"""Lay out many print documents in one process, and note every file each layout reads.

The print cache (cache.py) must know every file a layout read, so that a changed font or picture
invalidates it: the fetcher reports each file to the innermost open record.

Session lays each document out through WeasyPrint's public API alone: `HTML(...).render()`, with a
FontConfiguration of its own (the public path: fast_path.py).

FastSession is the fast path's. The handbook is printed one chapter at a time (chunked.py) so that
a rebuild lays out only what changed. Each chapter is a document of its own, and WeasyPrint parses
every document's <style> and loads its @font-face fonts afresh: cProfile put that at about a third
of the layout time of a typical chapter. A FastSession keeps one FontConfiguration (so each font is
read and registered once) and keeps each parsed <style> block, keyed by its text; a stylesheet or
font face served from memory replays the files read when it was first made. That reaches into
WeasyPrint (the name `weasyprint.css.CSS` that find_stylesheets calls, FontConfiguration's
add_font_face, css.counters.CounterStyle): install() puts the stand-in for weasyprint.css.CSS in
place only once fast_path.py's self-test has shown it works, and uninstall() takes it out again.
"""

from __future__ import annotations

from pathlib import Path

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from handbook.pdf.fetcher import SiteOnlyFetcher, note_read, recording


class Session:
    """One process's layouts of documents of the same built site, through the public API."""

    def __init__(self, site_dir: Path):
        self.site_dir = site_dir

    def _options(self) -> dict:
        return {"font_config": FontConfiguration()}

    def render(self, html: str, label: str):
        """Lay `html` out. Returns the document and the site files it read (relative paths)."""
        with recording() as read:
            document = HTML(
                string=html, base_url=self.site_dir.resolve().as_uri() + "/",
                url_fetcher=SiteOnlyFetcher(self.site_dir, label),
            ).render(presentational_hints=True, **self._options())
        return document, frozenset(read)


def _replay(paths: frozenset[str]) -> None:
    for path in paths:
        note_read(path)


class _RecordingFontConfiguration(FontConfiguration):
    """Registers each @font-face once; a later document using the face still notes its files."""

    def __init__(self) -> None:
        super().__init__()
        self._face_files: dict[str, frozenset[str]] = {}

    def faces_registered(self) -> int:
        return len(self._face_files)

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


_ORIGINAL_CSS = None
_ACTIVE: list[FastSession] = []
_CALLS = [0]  # sheets parsed by WeasyPrint's own CSS while a fast session lays out (for the self-test)


def original_css_calls() -> int:
    return _CALLS[0]


def _css(*args, string=None, font_config=None, counter_style=None, color_profiles=None, page_rules=None,
         layers=None, **kwargs):
    """Stands in for weasyprint.css.CSS while a fast session is laying out one of its documents."""
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
        _CALLS[0] += 1
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


def install() -> None:
    """Put the stand-in for weasyprint.css.CSS in place (fast_path.py's self-test, once it passes)."""
    global _ORIGINAL_CSS
    import weasyprint.css

    if _ORIGINAL_CSS is None:
        _ORIGINAL_CSS = weasyprint.css.CSS
        weasyprint.css.CSS = _css


def uninstall() -> None:
    global _ORIGINAL_CSS
    import weasyprint.css

    if _ORIGINAL_CSS is not None:
        weasyprint.css.CSS = _ORIGINAL_CSS
        _ORIGINAL_CSS = None


class FastSession(Session):
    """The fast path's session: each stylesheet parsed and each font face registered once."""

    def __init__(self, site_dir: Path):
        from weasyprint.css.counters import CounterStyle

        super().__init__(site_dir)
        self.font_config = _RecordingFontConfiguration()
        self.counter_style = CounterStyle()
        self.sheets: dict[tuple, tuple] = {}

    def _options(self) -> dict:
        return {"font_config": self.font_config, "counter_style": self.counter_style}

    def render(self, html: str, label: str):
        if _ORIGINAL_CSS is None:
            raise RuntimeError("the fast path's stylesheet cache is not installed (session.install())")
        _ACTIVE.append(self)
        try:
            return super().render(html, label)
        finally:
            _ACTIVE.remove(self)
