"""What the benchmarks share: a line naming the machine, and writing a block of BENCHMARKS.md."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"


def machine() -> str:
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def write_block(marker: str, text: str) -> None:
    """Replace what is between <!-- MARKER:START --> and <!-- MARKER:END --> in BENCHMARKS.md with
    `text`, stamped with the time and the machine."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    block = f"<!-- {marker}:START -->\nMeasured {stamp} on {machine()}.\n\n{text}\n<!-- {marker}:END -->"
    content = BENCHMARKS.read_text(encoding="utf-8")
    pattern = re.compile(rf"<!-- {marker}:START -->.*<!-- {marker}:END -->", re.S)
    if not pattern.search(content):
        raise SystemExit(f"BENCHMARKS.md has no <!-- {marker}:START --> ... <!-- {marker}:END --> block to fill in.")
    BENCHMARKS.write_text(pattern.sub(lambda _: block, content), encoding="utf-8")
