"""mkdocs-macros module: wiring only.

Registers the handbook's render functions (handbook.render) as macros, bound to the validated data
and to the page being rendered. Every macro failure (an unknown id, a wrong argument, an error
inside a render function) is re-raised as MacroError naming the page, the line and the call, with
the nearest ids; mkdocs.yml sets on_error_fail so that the build then stops instead of printing the
error into the page.
"""

from __future__ import annotations

import functools
import inspect
from pathlib import Path

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from handbook import render, reviews

# The render functions chapters may call, by name.
MACROS = (
    "phone", "email", "person", "hours", "contact", "coordinators", "pathway_leads", "ypyf_mailboxes",
    "level", "level_summary", "levels_table", "levels_detail", "levels_diagram", "course", "courses",
    "timeframe", "timeframes", "family_outcomes", "commitments", "glossary", "contacts_directory",
    "document_control", "next_update", "amendments", "check_list",
)


class MacroError(Exception):
    pass


def _call_text(name: str, args: tuple, kwargs: dict) -> str:
    shown = [repr(a).replace("'", '"') for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{name}({', '.join(shown)})"


def _line_of_call(markdown: str, name: str, args: tuple) -> int:
    """Best-effort line of the macro call in the page source, for the error message."""
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
    # What a render function gets from the build rather than from the editor, by parameter name.
    # Read when the macro runs: the plugin reads the chapters' front matter after this module loads.
    injected = {
        "links": lambda: links,
        "chapters": lambda: plugin.chapter_reviews,
        "day": reviews.today,
        "history": lambda: plugin.amendment_history,
        "pages": lambda: plugin.page_uris,
    }

    def register(name: str):
        func = getattr(render, name)
        params = inspect.signature(func).parameters
        wanted = [n for n in params if n in injected]
        # The signature an editor sees: the render function's, without the data and what is injected.
        editor_signature = inspect.Signature(
            [p.replace(annotation=inspect.Parameter.empty) for n, p in params.items()
             if n != "hb" and n not in injected]
        )

        @functools.wraps(func)
        def macro(*args, **kwargs):
            call = _call_text(name, args, kwargs)
            try:
                try:
                    editor_signature.bind(*args, **kwargs)
                except TypeError as err:
                    raise TypeError(f"wrong arguments ({err}). Write it as {name}{editor_signature}.") from None
                kwargs.update({n: injected[n]() for n in wanted})
                return func(hb, *args, **kwargs)
            except Exception as err:  # every failure must stop the build, with a message an editor can act on
                page_file = env.page.file
                # Search the file as written (front matter included) so the line matches the editor's.
                line = _line_of_call(page_file.content_string, name, args)
                raise MacroError(f"{docs_prefix}/{page_file.src_uri}:{line}: {{{{ {call} }}}} failed: {err}") from err

        env.macro(macro, name)

    for name in MACROS:
        register(name)


