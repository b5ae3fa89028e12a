"""Each page's Markdown converted to HTML once: a rebuild converts again only the pages whose
Markdown (after the macros) or whose surroundings changed.

MkDocs converts every page on every build (Page.render), a fifth of a second on this handbook,
and on the path a rebuild after an edit waits for: the PDFs start once every page is converted.
The conversion is a pure function of the page's Markdown, its place in the site, the list of the
site's files (links are resolved against it), the Markdown extensions with their settings, the
link-validation settings and the libraries' versions, so its results are kept in the memo
(handbook/cache.py) under a hash of all of those.

MkDocs has no event that can stand in for Page.render, so start() wraps it; the wrapper only acts
for the build whose configuration it was given, and otherwise calls MkDocs' own. It is used only
where the result is known to depend on nothing else:
- MkDocs is 1.6, whose Page.render this sets the same attributes as (content, toc, title, anchors
  and links to anchors); with another version every page is converted by MkDocs, every time. So is
  ProperDocs 1.6, which builds in MkDocs' place (as `mkdocs`: handbook.cache.site_tool()); each
  program's conversions are its own, since the two differ at the edges (ProperDocs reports a link
  it cannot parse where MkDocs stops, and collects links to anchors at every log level);
- every Markdown extension is one of PURE_EXTENSIONS (pymdownx.snippets, for one, reads other
  files), and every setting is plain data (not a Python function, whose behaviour no key names);
- a conversion that logged anything above debugging detail (a broken link, say) is never kept, so
  its messages are given again by every build; the loggers' levels are part of the key.
"""

from __future__ import annotations

import importlib.metadata
import logging
import threading

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from handbook.cache import Memo, key, site_tool

log = logging.getLogger("mkdocs.plugins.handbook")

# Extensions whose output depends only on the page's text and their settings.
PURE_EXTENSIONS = frozenset({
    "abbr", "admonition", "attr_list", "def_list", "fenced_code", "footnotes", "legacy_attrs",
    "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists", "smarty", "tables", "toc", "wikilinks",
    "pymdownx.betterem", "pymdownx.caret", "pymdownx.critic", "pymdownx.details", "pymdownx.escapeall",
    "pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.keys", "pymdownx.mark", "pymdownx.progressbar",
    "pymdownx.saneheaders", "pymdownx.smartsymbols", "pymdownx.superfences", "pymdownx.tabbed",
    "pymdownx.tasklist", "pymdownx.tilde",
})
_LIBRARIES = ("markdown", "pymdown-extensions", "Pygments")  # and MkDocs or ProperDocs: site_tool()
_SITE_TOOLS = ("mkdocs", "properdocs")

_original_render = Page.render  # MkDocs' own, or whatever stood in its place when start() first ran
_installed = False  # once per process: a wrapper another plugin put around ours stays around it
_active: _Conversions | None = None
_lock = threading.Lock()


def _tool_loggers() -> list[str]:
    """The loggers a conversion's messages reach, as the program's command line sets them up: each
    program logs under its own name, which passes nothing on to the root logger. ProperDocs' pages log
    to `properdocs.structure.pages` and so to `properdocs`, where MkDocs' `mkdocs` handler never sees
    them; a plugin's `mkdocs.*` logger passes its messages on to `properdocs` under ProperDocs."""
    return list(dict.fromkeys(["mkdocs", site_tool()["name"]]))


class _Logged(logging.Handler):
    """Notes whether the converting thread logged anything but debugging detail (which Python-Markdown
    logs for every extension it loads)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.thread = threading.get_ident()
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.seen = True


def _versions() -> dict[str, str]:
    versions = {}
    for name in _LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def settings_of(config) -> str | None:
    """A key for everything in `config` that a page's conversion depends on, or None if the
    conversion may depend on more than its key can name (an extension not known to be pure, or a
    setting that is not plain data)."""
    tool = site_tool()
    if tool["name"] not in _SITE_TOOLS or not tool["version"].startswith("1.6."):
        return None
    extensions = config["markdown_extensions"]
    if not all(isinstance(name, str) and name in PURE_EXTENSIONS for name in extensions):
        return None
    try:
        return key({
            "extensions": list(extensions), "settings": config["mdx_configs"] or {},
            "validation": _plain(config["validation"]), "versions": _versions(), "site tool": tool,
            # A message not logged at one level (-q) may be at another: see _Logged.
            "levels": [logging.getLogger(name).getEffectiveLevel()
                       for name in dict.fromkeys(("", *_tool_loggers(), "mkdocs.structure.pages", Page.__module__,
                                                  "MARKDOWN"))],
        })
    except (TypeError, ValueError):  # a setting that is not plain data
        return None


def _plain(value):
    """MkDocs' nested config objects as plain dicts."""
    if hasattr(value, "items"):
        return {str(name): _plain(item) for name, item in value.items()}
    return value


def _files_key(files) -> str:
    # Links are resolved against every file of the site, by its path and its address.
    return key(sorted([file.src_uri, file.dest_uri, file.url, str(file.inclusion)] for file in files))


class _Conversions:
    def __init__(self, config, settings: str, memo: Memo):
        self.config, self.settings, self.memo = config, settings, memo
        self.files: tuple[object, str] | None = None  # the build's files, and their key
        self.converted = self.remembered = 0

    def files_key(self, files) -> str:
        if self.files is None or self.files[0] is not files:
            self.files = (files, _files_key(files))
        return self.files[1]

    def render(self, page: Page, config, files) -> None:
        parts = [self.settings, self.files_key(files), page.file.src_uri, page.url, page.markdown]
        value = self.memo.recall("markdown", parts)
        if value is not None and _apply(page, value, files):
            self.remembered += 1
            return
        logged = _Logged()
        loggers = [logging.getLogger(), *map(logging.getLogger, _tool_loggers())]
        for logger in loggers:
            logger.addHandler(logged)
        try:
            _original_render(page, config, files)
        finally:
            for logger in loggers:
                logger.removeHandler(logged)
        self.converted += 1
        if not logged.seen:
            self.memo.keep("markdown", parts, _result(page))


def _toc_tokens(items) -> list[dict]:
    return [{"name": item.title, "id": item.id, "level": item.level, "children": _toc_tokens(item.children)}
            for item in items]


def _result(page: Page) -> dict:
    links = page.links_to_anchors
    return {
        "content": page.content, "toc": _toc_tokens(page.toc), "title": page._title_from_render,
        "anchors": sorted(page.present_anchor_ids or ()),
        "links": None if links is None else {file.src_uri: anchors for file, anchors in links.items()},
    }


def _apply(page: Page, value: dict, files) -> bool:
    """Set what Page.render would have set; False if a linked file is not in the site after all."""
    links = None
    if value["links"] is not None:
        links = {}
        for src_uri, anchors in value["links"].items():
            file = files.get_file_from_path(src_uri)
            if file is None:
                return False
            links[file] = anchors
    page.content = value["content"]
    page.toc = get_toc(value["toc"])
    page._title_from_render = value["title"]
    page.present_anchor_ids = set(value["anchors"])
    if links is not None:
        page.links_to_anchors = links
    return True


def _render(page: Page, config, files) -> None:
    conversions = _active
    if conversions is None or config is not conversions.config:
        return _original_render(page, config, files)
    return conversions.render(page, config, files)


def start(config, memo: Memo | None = None) -> _Conversions | None:
    """Convert the pages of the build of `config` through the memo (None if it cannot be used for
    this configuration: MkDocs' own conversion then runs, every time)."""
    global _active, _original_render, _installed
    settings = settings_of(config)
    with _lock:
        if not _installed:
            _original_render, Page.render, _installed = Page.render, _render, True
        _active = _Conversions(config, settings, memo or Memo()) if settings is not None else None
    if settings is None:
        log.debug("Every page's Markdown is converted afresh: the site is not built by MkDocs or ProperDocs 1.6, or "
                  "an extension or setting is not known to be pure.")
    return _active


def stop() -> None:
    global _active
    with _lock:
        if _active is not None:
            log.debug("Pages' Markdown: %d converted, %d remembered.", _active.converted, _active.remembered)
        _active = None
