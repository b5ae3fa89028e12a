"""A handbook project's settings as its mkdocs.yml gives them, for the commands that work on the
project without building it (`handbook check`, `handbook format`, `handbook export`)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.utils.yaml import yaml_load


def project_settings(project_dir: Path) -> tuple[dict, dict]:
    """mkdocs.yml's settings, and the handbook plugin's among them ({} when it has none)."""
    config = yaml_load((project_dir / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    plugin = next((p["handbook"] for p in config.get("plugins", []) if isinstance(p, dict) and "handbook" in p), {})
    return config, plugin or {}
