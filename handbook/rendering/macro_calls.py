"""How a page calls a render function, shared by the build's macros and `handbook check`.

The build (handbook/plugin/macros.py, through mkdocs-macros) and the check must agree on which
functions a page may call, which arguments an editor passes and what a failed call says, or an
editor would see two different messages for one mistake. Both call `invoke`. The check finds the calls by parsing the
page with Jinja, the template engine mkdocs-macros uses, so it sees exactly the calls the build
will make, with their line numbers, without building.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable
from dataclasses import dataclass

import jinja2
from jinja2 import meta, nodes

from handbook.rendering import render

# The render functions pages may call, by name.
MACROS = (
    "phone", "email", "person", "hours", "contact", "coordinators", "people_by_locality", "locality_teams",
    "level", "level_summary", "levels_detail", "levels_diagram", "course", "courses",
    "timeframe", "timeframes", "family_outcomes", "commitments", "glossary", "contacts_directory",
    "to_confirm", "document_control", "decisions", "next_update", "amendments", "check_list",
    "build_messages", "quick_reference",
)
# What a render function gets from the build rather than from the editor, by parameter name.
INJECTED = ("links", "chapters", "day", "history", "pages", "edition", "live_url")


class MacroCallError(Exception):
    """A call that cannot work: its text says which call, and why, in the editor's terms."""


def call_text(name: str, args: tuple, kwargs: dict) -> str:
    shown = [repr(a).replace("'", '"') for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{name}({', '.join(shown)})"


def editor_signature(name: str) -> inspect.Signature:
    """The signature an editor sees: the render function's, without the data and what is injected."""
    params = inspect.signature(getattr(render, name)).parameters
    return inspect.Signature([p.replace(annotation=inspect.Parameter.empty) for n, p in params.items()
                              if n != "hb" and n not in INJECTED])


def invoke(hb, name: str, args: tuple, kwargs: dict, injected: dict[str, Callable[[], object]]):
    """Call the render function `name` as a page does. Any failure becomes a MacroCallError whose
    text is `{{ call }} failed: reason`."""
    func = getattr(render, name)
    try:
        signature = editor_signature(name)
        try:
            signature.bind(*args, **kwargs)
        except TypeError as err:
            raise TypeError(f"wrong arguments ({err}). Write it as {name}{signature}.") from None
        wanted = [n for n in inspect.signature(func).parameters if n in INJECTED]
        return func(hb, *args, **kwargs, **{n: injected[n]() for n in wanted})
    except Exception as err:  # every failure must be reported, with a message an editor can act on
        raise MacroCallError(f"{{{{ {call_text(name, args, kwargs)} }}}} failed: {err}") from err


@dataclass(frozen=True)
class MacroCall:
    name: str
    line: int
    args: tuple = ()
    kwargs: tuple = ()  # (name, value) pairs
    constant: bool = True  # False when an argument is worked out while the page renders


# mkdocs-macros' default delimiters; mkdocs.yml does not change them.
_JINJA = jinja2.Environment()
# What else mkdocs-macros gives a page, besides the handbook's macros and Jinja's own globals (its
# documentation, "Variables"). mkdocs.yml's `extra` values are for the theme, not for pages.
_MKDOCS_MACROS_NAMES = {"config", "page", "navigation", "files", "environment", "plugin", "git", "macros",
                        "filters", "filters_builtin", "context", "macros_info", "now", "fix_url"}


def calls_in(text: str) -> list[MacroCall]:
    """Every call of a render function in a page's source, at its line. Raises
    jinja2.TemplateSyntaxError when the page's {{ }} or {% %} are not written correctly."""
    found = []
    for call in _JINJA.parse(text).find_all(nodes.Call):
        if not isinstance(call.node, nodes.Name) or call.node.name not in MACROS:
            continue
        try:
            args = tuple(arg.as_const() for arg in call.args)
            kwargs = tuple((kw.key, kw.value.as_const()) for kw in call.kwargs)
        except nodes.Impossible:
            found.append(MacroCall(call.node.name, call.lineno, constant=False))
            continue
        if call.dyn_args is not None or call.dyn_kwargs is not None:
            found.append(MacroCall(call.node.name, call.lineno, constant=False))
            continue
        found.append(MacroCall(call.node.name, call.lineno, args, kwargs))
    return found


def unknown_names(text: str) -> list[tuple[int, str]]:
    """(line, message) for each name a page uses that is neither a macro nor a value mkdocs-macros
    provides: a misspelt macro, which the build would otherwise report as a Python traceback."""
    template = _JINJA.parse(text)
    known = set(MACROS) | _MKDOCS_MACROS_NAMES | set(_JINJA.globals)
    found = []
    for name in sorted(meta.find_undeclared_variables(template) - known):
        line = min(n.lineno for n in template.find_all(nodes.Name) if n.name == name)
        close = difflib.get_close_matches(name, MACROS, n=1, cutoff=0.6)
        hint = f' Did you mean "{close[0]}"?' if close else ""
        found.append((line, f"\"{name}\" is not one of the handbook's macros.{hint} The editor guide lists them."))
    return sorted(found)


def wording_to_confirm(text: str) -> list[tuple[int, str]]:
    """(line, wording) for each to_confirm("...") in a page's source: the passages rebuilt from a
    damaged source that the service must still confirm. A page whose {{ }} cannot be read has none
    here; the macro-call check reports it."""
    try:
        calls = calls_in(text)
    except jinja2.TemplateSyntaxError:
        return []
    return [(call.line, " ".join(str(call.args[0]).split())) for call in calls
            if call.name == "to_confirm" and call.constant and len(call.args) == 1]
