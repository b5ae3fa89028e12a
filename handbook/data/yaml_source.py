"""Strict, line-aware YAML loading for the handbook's data files.

PyYAML on its own is unsafe for hand-edited contact data: it keeps the last of two equal keys without
a word, turns an unquoted 01302737777 into the integer 185319423, `no` into False and `9:30` into 570
(base 60). We compose the node tree ourselves so that every value keeps its line number and its
original text, and so that the validator can explain those surprises to an editor in plain English.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


class YamlSourceError(Exception):
    """A data file that cannot be read as YAML at all (syntax error, duplicate key, ...)."""

    def __init__(self, path: str, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


@dataclass(frozen=True)
class ScalarOrigin:
    """Where a value came from and how it was written, for error messages."""

    line: int
    text: str
    plain: bool  # written without quotes, so YAML guessed its type


@dataclass
class SourceMap:
    """Maps a JSON-pointer-like path (a tuple of keys and indexes) to its line in the file."""

    path: str
    lines: dict[tuple, int] = field(default_factory=dict)
    scalars: dict[tuple, ScalarOrigin] = field(default_factory=dict)

    def line_of(self, location: tuple) -> int:
        """The line of `location`, or of its nearest ancestor that has one."""
        location = tuple(location)
        while location not in self.lines and location:
            location = location[:-1]
        return self.lines.get(location, 1)


def describe_guess(origin: ScalarOrigin, value: Any) -> str | None:
    """Explain how YAML reinterpreted an unquoted value, or None if it did not."""
    if not origin.plain:
        return None
    if isinstance(value, bool):
        kind = "true/false"
    elif isinstance(value, int):
        kind = "a whole number"
    elif isinstance(value, float):
        kind = "a decimal number"
    elif value is None:
        kind = "an empty value"
    else:
        return None
    shown = "nothing" if value is None else repr(value)
    return (
        f"`{origin.text}` is not in quotes, so YAML read it as {kind} ({shown}), not as text. "
        f'Put it in double quotes: "{origin.text}"'
    )


# libyaml's parser where PyYAML was built with it (its wheels are): the same nodes and marks as the
# pure-Python one, about nine times faster, which every build and live-preview rebuild feels.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _construct(node: yaml.Node, location: tuple, source: SourceMap, loader: yaml.SafeLoader) -> Any:
    source.lines[location] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        first_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlSourceError(
                    source.path, key_node.start_mark.line + 1, "keys must be plain names"
                )
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in first_seen:
                raise YamlSourceError(
                    source.path,
                    line,
                    f"the key `{key}` appears twice in the same record (lines "
                    f"{first_seen[key]} and {line}). YAML would silently keep only the last one. "
                    "Delete or rename one of them.",
                )
            first_seen[key] = line
            result[key] = _construct(value_node, location + (key,), source, loader)
            # Point a field's errors at its key's line, which is where an editor looks.
            source.lines.setdefault(location + (key,), line)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, location + (i,), source, loader) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.ScalarNode):
        plain = node.style in (None, "")  # libyaml's composer marks a plain scalar "", PyYAML's None
        if node.tag == "tag:yaml.org,2002:timestamp":
            # Dates are validated as text (format "date"), so keep what the editor wrote.
            value: Any = node.value
        else:
            value = loader.construct_object(node, deep=True)
        source.scalars[location] = ScalarOrigin(node.start_mark.line + 1, node.value, plain)
        return value
    raise YamlSourceError(source.path, node.start_mark.line + 1, "unsupported YAML construct")


def load_yaml(path: Path, display_path: str | None = None) -> tuple[Any, SourceMap]:
    """Load one YAML document with line numbers. Raises YamlSourceError on any problem."""
    shown = display_path or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise YamlSourceError(shown, 1, "the file is missing. Restore it from git or create it.") from None
    except UnicodeDecodeError as err:
        raise YamlSourceError(shown, 1, f"the file is not UTF-8 text ({err.reason}). Save it as UTF-8.") from None
    return load_yaml_text(text, shown)


def load_yaml_text(text: str, shown: str, first_line: int = 1,
                   empty_message: str = "the file is empty. It must hold the records described in its schema.",
                   ) -> tuple[Any, SourceMap]:
    """Load YAML text that starts on line `first_line` of the file `shown` (front matter starts on 2)."""
    source = SourceMap(shown)
    # Blank lines in front keep every mark's line number true to the file.
    loader = _Loader("\n" * (first_line - 1) + text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlSourceError(shown, first_line, empty_message)
        if isinstance(node, yaml.Node) and any(
            isinstance(n, yaml.Node) and n.tag.startswith("!") for n in _walk(node)
        ):
            raise YamlSourceError(shown, first_line, "custom YAML tags (starting with !) are not allowed.")
        data = _construct(node, (), source, loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        problem = err.problem or "invalid YAML"
        raise YamlSourceError(
            shown,
            line,
            f"this is not valid YAML ({problem}). Check the indentation and that text containing "
            "a colon or # is in double quotes.",
        ) from None
    finally:
        loader.dispose()
    return data, source


def _walk(node: yaml.Node):
    yield node
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _walk(key)
            yield from _walk(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item)


@dataclass
class LoadedFile:
    """A data file as read: its data, and where in the file each value was written."""

    name: str
    display_path: str
    data: Any
    source: SourceMap

    def line(self, location: Iterable) -> int:
        return self.source.line_of(tuple(location))
