"""The handbook's one layout for its YAML data files, which `handbook format` writes and `handbook
check` requires.

Whoever changes a data file, an editor in the browser (the CMS writes this same layout) or someone
in a text editor, a change then touches only the lines of the records it changes. The layout:

- a header: the line that points editors' tools at the file's schema, then the schema's own
  description of the file, as comments;
- fields in the order the schema lists them, nested two spaces deep;
- every text value in double quotes (so 01302 737777, 9:30 and "no" stay text), on one line;
- short lists of text in square brackets on the field's line; lists of records one field a line;
- a blank line between the file's top-level fields, and between the records of a top-level list.

Comments other than the header do not survive: what the data needs to say about where a value comes
from belongs in its record's `note` or `source` field, which the schema describes and the CMS shows.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from referencing import Registry

HEADER_WIDTH = 100
INDENT = "  "


@dataclass(frozen=True)
class FileLayout:
    """What the layout of one data file depends on besides its data."""

    schema_name: str  # e.g. "contacts": the header points at schema/contacts.schema.json
    schema: dict
    registry: Registry


def header(layout: FileLayout) -> list[str]:
    """The comment lines every data file starts with."""
    lines = [f"# yaml-language-server: $schema=schema/{layout.schema_name}.schema.json"]
    for paragraph in str(layout.schema.get("description", "")).split("\n\n"):
        lines.append("#")
        lines += ["# " + line for line in textwrap.wrap(" ".join(paragraph.split()), HEADER_WIDTH - 2)] or ["#"]
    return lines


def resolve(node: Any, registry: Registry, base: str) -> tuple[dict, str]:
    """A schema node with its $ref followed (within its own file, or into common.schema.json).
    Keywords beside the $ref (a description, an x-refers-to) say more about this use of the
    definition, so they win over the definition's own."""
    while isinstance(node, dict) and "$ref" in node:
        target, _, pointer = node["$ref"].partition("#")
        uri = target or base
        resolved = registry.resolver(base_uri=uri).lookup(f"{uri}#{pointer}")
        node = {**resolved.contents, **{k: v for k, v in node.items() if k != "$ref"}}
        base = uri
    return (node if isinstance(node, dict) else {}), base


def _order(keys: list[str], schema: dict) -> list[str]:
    """The schema's order first, then (for a file the check will reject anyway) the rest as written."""
    known = [key for key in schema.get("properties", {}) if key in keys]
    return known + [key for key in keys if key not in known]


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if value is None:
        return "null"
    # A JSON string is a YAML double-quoted string: the same escapes, and no surprises in its type.
    return json.dumps(str(value), ensure_ascii=False)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def _mapping(data: dict, schema: dict, base: str, registry: Registry, depth: int) -> list[str]:
    lines = []
    for key in _order(list(data), schema):
        field, field_base = resolve(schema.get("properties", {}).get(key, {}), registry, base)
        lines += _field(key, data[key], field, field_base, registry, depth)
    return lines


def _field(key: str, value: Any, schema: dict, base: str, registry: Registry, depth: int) -> list[str]:
    """The lines of one field. At the top of the file, a list's records are a blank line apart."""
    pad = INDENT * depth
    if _is_scalar(value):
        return [f"{pad}{key}: {_scalar(value)}"]
    if isinstance(value, list) and all(_is_scalar(item) for item in value):
        return [f"{pad}{key}: [{', '.join(_scalar(item) for item in value)}]"]
    if isinstance(value, dict):
        return [f"{pad}{key}:", *_mapping(value, schema, base, registry, depth + 1)]
    items, items_base = resolve(schema.get("items", {}), registry, base)
    lines = [f"{pad}{key}:"]
    for number, item in enumerate(value):
        if depth == 0 and number:
            lines.append("")
        lines += _item(item, items, items_base, registry, depth + 1)
    return lines


def _item(item: Any, schema: dict, base: str, registry: Registry, depth: int) -> list[str]:
    """One entry of a list that holds records: "- " before its first field."""
    pad = INDENT * depth
    if not isinstance(item, dict) or not item:
        return [f"{pad}- {_scalar(item) if _is_scalar(item) else json.dumps(item, ensure_ascii=False)}"]
    body = _mapping(item, schema, base, registry, depth + 1)
    first = body[0][len(INDENT * (depth + 1)):]
    return [f"{pad}- {first}", *body[1:]]


def format_data(data: dict, layout: FileLayout) -> str:
    """The text of a data file holding `data`, in the handbook's layout."""
    base = f"{layout.schema_name}.schema.json"
    lines = header(layout)
    for key in _order(list(data), layout.schema):
        field, field_base = resolve(layout.schema.get("properties", {}).get(key, {}), layout.registry, base)
        lines += ["", *_field(key, data[key], field, field_base, layout.registry, 0)]
    return "\n".join(lines) + "\n"


def format_front_matter(data: dict, schema: dict) -> str:
    """A page's front matter, from its first --- line to its last, in the same layout: the fields in
    the front-matter schema's order, text in double quotes (and no header: the schema is the engine's)."""
    lines = _mapping(data, schema, "front-matter.schema.json", Registry(), 0)
    return "---\n" + "\n".join(lines) + "\n---\n" if lines else ""


def first_difference(text: str, expected: str) -> int:
    """The first line (from 1) where `text` differs from the layout `expected`."""
    for number, (have, want) in enumerate(zip(text.splitlines(), expected.splitlines(), strict=False), start=1):
        if have != want:
            return number
    return min(len(text.splitlines()), len(expected.splitlines())) + 1


def format_file(path: Path, data: dict, layout: FileLayout) -> bool:
    """Write `path` in the layout; whether it changed."""
    expected = format_data(data, layout)
    if path.read_text(encoding="utf-8") == expected:
        return False
    path.write_text(expected, encoding="utf-8")
    return True
