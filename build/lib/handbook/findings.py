"""A finding is one problem in the handbook's sources, reported as `file:line: message`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    message: str
    field: str = ""  # the path of the field inside the file, e.g. contacts[2].phones[0].number

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{self.file}:{self.line}: {where}{self.message}"


class HandbookError(Exception):
    """Raised when the sources have problems. Its text lists every finding, one per line."""

    def __init__(self, findings: list[Finding]):
        self.findings = sorted(findings)
        count = len(self.findings)
        heading = f"The handbook cannot be built: {count} problem{'s' if count != 1 else ''} found."
        super().__init__("\n".join([heading, *map(str, self.findings)]))


def field_path(location: tuple) -> str:
    """Turn ('contacts', 2, 'phones', 0, 'number') into contacts[2].phones[0].number."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
