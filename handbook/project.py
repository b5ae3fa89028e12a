"""A handbook project's settings as its mkdocs.yml gives them, for the commands that work on the
project without building it (`handbook check`, `handbook format`, `handbook export`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mkdocs.utils.yaml import yaml_load
from pathspec import GitIgnoreSpec


def project_settings(project_dir: Path) -> tuple[dict, dict]:
    """mkdocs.yml's settings, and the handbook plugin's among them ({} when it has none)."""
    config = yaml_load((project_dir / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    plugin = next((p["handbook"] for p in config.get("plugins", []) if isinstance(p, dict) and "handbook" in p), {})
    return config, plugin or {}


def not_in_nav_rule(patterns) -> Callable[[str], bool]:
    """Whether mkdocs.yml's not_in_nav keeps a page (its src_uri, e.g. editors/index.md) out of the
    menu. `patterns` is the setting's text, or MkDocs' own compiled setting; matched the way MkDocs
    matches them (gitignore-style patterns, mkdocs.structure.files.set_exclusions)."""
    if not patterns:
        return lambda uri: False
    spec = patterns if hasattr(patterns, "match_file") else GitIgnoreSpec.from_lines(str(patterns).splitlines())
    return lambda uri: bool(spec.match_file(uri))


def project_contents(project_dir: Path):
    """The project's contents (handbook/data/contents.py), for the commands that work on it without
    building it; its findings are `handbook check`'s to report."""
    from handbook.data.contents import read_contents
    from handbook.data.load import load_handbook

    config, plugin = project_settings(project_dir)
    docs = project_dir / config.get("docs_dir", "docs")
    handbook = load_handbook(project_dir / plugin.get("data_dir", "data"), display_root=project_dir)
    uris = [p.relative_to(docs).as_posix() for p in docs.rglob("*.md")]
    contents, _, _ = read_contents(docs, config.get("docs_dir", "docs"), uris, handbook.sections,
                                   not_in_nav_rule(config.get("not_in_nav")))
    return contents
