"""mkdocs-macros module: wiring only.

Registers the handbook's render functions (handbook.render) as macros, bound to the validated data
and to the page being rendered. Every macro failure (an unknown id, a wrong argument, an error
inside a render function) is re-raised as MacroError naming the page, the line and the call, with
the nearest ids; mkdocs.yml sets on_error_fail so that the build then stops instead of printing the
error into the page.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from handbook.data import reviews
from handbook.rendering import render
from handbook.rendering.macro_calls import MACROS, MacroCallError, invoke


class MacroError(Exception):
    pass


def _line_of_call(markdown: str, name: str, args: tuple) -> int:
    """Best-effort line of the macro call in the page source, for the error message. (`handbook
    check`, run at the start of every build, finds calls with their exact lines; this is for calls
    only rendering reveals, such as one built from a variable.)"""
    lines = markdown.splitlines()
    first = str(args[0]) if args else ""
    for number, text in enumerate(lines, start=1):
        if f"{name}(" in text and first in text:
            return number
    for number, text in enumerate(lines, start=1):
        if f"{name}(" in text:
            return number
    return 1


def define_env(env) -> None:
    config = env.conf
    project_dir = Path(config["config_file_path"]).parent
    # The handbook plugin (listed before macros in mkdocs.yml) has already loaded and validated
    # the data for this build; use its copy so both see the same records.
    plugin = config["plugins"].get("handbook")
    if plugin is None or not hasattr(plugin, "handbook"):
        raise RuntimeError("mkdocs.yml must list the `handbook` plugin before `macros`.")
    hb = plugin.handbook
    docs_prefix = Path(config["docs_dir"]).resolve().relative_to(project_dir.resolve()).as_posix()

    def page_href(target: str, anchor: str = "") -> str:
        """A URL for docs path `target` relative to the page being rendered."""
        page = env.page
        target_url = File(target, config["docs_dir"], config["site_dir"], config["use_directory_urls"]).url
        if target_url == page.url and anchor:
            return f"#{anchor}"
        href = get_relative_url(target_url, page.url)
        return f"{href}#{anchor}" if anchor else href

    links = render.Links(page_href)
    # What a render function gets from the build rather than from the editor (INJECTED), by
    # parameter name. Read when the macro runs: the plugin reads the chapters' front matter after
    # this module loads.
    injected = {
        "links": lambda: links,
        "chapters": lambda: plugin.chapter_reviews,
        "day": reviews.today,
        "history": lambda: plugin.amendment_history,
        "pages": lambda: plugin.page_uris,
        "edition": lambda: plugin.edition,
        # The live handbook as the PDFs name it (handbook/plugin/plugin.py, on_config).
        "live_url": lambda: plugin.live_url,
    }

    def register(name: str):
        def macro(*args, **kwargs):
            try:
                return invoke(hb, name, args, kwargs, injected)
            except MacroCallError as err:  # stop the build, naming the page and line
                page_file = env.page.file
                # Search the file as written (front matter included) so the line matches the editor's.
                line = _line_of_call(page_file.content_string, name, args)
                raise MacroError(f"{docs_prefix}/{page_file.src_uri}:{line}: {err}") from err.__cause__

        macro.__name__ = macro.__qualname__ = name
        macro.__doc__ = getattr(render, name).__doc__
        env.macro(macro, name)

    for name in MACROS:
        register(name)


