"""The engine's theme, which every handbook uses without copying it: Material's templates with the
handbook's blocks (the "Worried about a child?" block, the edition, the PDF links, the offline and
old-edition notices, the 404 page), its stylesheet, scripts and fonts (handbook/web/theme/)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from mkdocs.config.config_options import ExtraScriptValue

THEME_DIR = Path(str(files("handbook.web").joinpath("theme")))
# In every page, before any the project adds: the stylesheet (contrast, focus, target sizes, print),
# the contacts directory's locality filter, and keyboard and screen reader access to Material's
# header, menu and search. Every page works without the scripts.
STYLESHEETS = ("assets/handbook.css",)
SCRIPTS = ("assets/contacts-filter.js", "assets/accessibility.js")


def use_engine_theme(config) -> None:
    """Put the engine's theme between the project's own `custom_dir`, which may still replace a
    partial, and Material's. Its static files (assets/...) are copied into the site by MkDocs like
    any theme's."""
    theme_dir = str(THEME_DIR)
    dirs = config.theme.dirs
    if theme_dir not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, theme_dir)
    config.extra_css[:0] = [s for s in STYLESHEETS if s not in config.extra_css]
    present = {str(script) for script in config.extra_javascript}
    config.extra_javascript[:0] = [ExtraScriptValue(s) for s in SCRIPTS if s not in present]
