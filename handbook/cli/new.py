"""`handbook new DIR --name "..."`: start a handbook for another partnership.

Writes a complete project that builds and passes `make test` as it stands: mkdocs.yml, the
generated pages and a starter chapter, data files whose records are schema-valid examples marked
`example: true` (`handbook check` lists each, and no edition can be published while one remains),
copies of the engine's schemas for editors' tools, the Makefile, a CI workflow and a README. The
project holds only what is particular to a partnership: the theme, the macros, the checks and the
schemas come from the engine, named in its requirements.txt.

The starter files are in starter/ beside this module, the data files in the layout `handbook format`
writes. A few values are filled in: the handbook's name, and a year from today for the example pages'
`review_due`, so that nothing is overdue on the first day. No record gets a `last_verified` date:
nobody has checked an example with a service, and document control says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import metadata
from importlib.resources import files
from pathlib import Path

from handbook.data.validation import ENGINE_SCHEMAS

DISTRIBUTION = "practice-handbook"
STARTER = files("handbook.cli").joinpath("starter")
# Folders and files whose real names start with a dot, which the package keeps without one.
DOT_NAMES = {"gitignore": ".gitignore", "github": ".github"}


class NewProjectError(Exception):
    pass


@dataclass(frozen=True)
class Written:
    root: Path
    files: tuple[str, ...]


def engine_requirement() -> str:
    """The line of requirements.txt that installs this engine: its source folder when it runs from
    one (a checkout, installed for editing), otherwise its release on the package index."""
    source = Path(__file__).resolve().parents[2]
    if (source / "pyproject.toml").is_file() and (source / "handbook" / "__init__.py").is_file():
        return f"{DISTRIBUTION} @ {source.as_uri()}"
    return f"{DISTRIBUTION}=={metadata.version(DISTRIBUTION)}"


def _starter_files(folder=STARTER, prefix: str = ""):
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name == "__pycache__":
            continue
        name = DOT_NAMES.get(entry.name, entry.name) if not prefix else entry.name
        if entry.is_dir():
            yield from _starter_files(entry, f"{prefix}{name}/")
        else:
            yield f"{prefix}{name}", entry.read_text(encoding="utf-8")


def write_schemas(project: Path) -> list[str]:
    """The engine's schemas copied into data/schema/, where each data file's first line points
    editors' tools. Also what an engine upgrade refreshes."""
    target = project / "data" / "schema"
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for schema in sorted(ENGINE_SCHEMAS.glob("*.schema.json")):
        (target / schema.name).write_text(schema.read_text(encoding="utf-8"), encoding="utf-8")
        written.append(f"data/schema/{schema.name}")
    return written


def new_project(target: Path, name: str, engine: str | None = None, today: dt.date | None = None) -> Written:
    name = " ".join(name.split())
    if not name:
        raise NewProjectError("Give the handbook a name: handbook new DIR --name \"Our Early Help Handbook\".")
    if any(ch in name for ch in '{}<>"\\'):
        # Pages would read braces and angle brackets as code, and quotes and backslashes would end
        # or escape the YAML strings the name is written into.
        raise NewProjectError(f"The name {name!r} has one of {{ }} < > \" \\ in it. Leave them out.")
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise NewProjectError(f"{target} is not empty. Start a new handbook in a new folder.")
    today = today or dt.date.today()
    try:
        review_due = today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        review_due = today.replace(year=today.year + 1, day=28)
    values = {
        "__HANDBOOK_NAME__": name,
        "__REVIEW_DUE__": review_due.isoformat(),
    }
    written = []
    for relative, text in _starter_files():
        for token, value in values.items():
            text = text.replace(token, value)
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(relative)
    (target / "requirements.txt").write_text(
        "# The handbook engine. To upgrade it, change this line and run `make test` (see README.md).\n"
        f"{engine or engine_requirement()}\n", encoding="utf-8")
    written.append("requirements.txt")
    written += write_schemas(target)
    return Written(target, tuple(sorted(written)))
