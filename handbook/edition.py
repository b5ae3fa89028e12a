"""Which edition a build is, for the PDF cover, footer and metadata.

A published edition (`HANDBOOK_EDITION`, set by the publishing step) has an id like 2026.1. Any
other build is a working copy named after its commit. The date is SOURCE_DATE_EPOCH when set, so
two builds of one commit are byte-identical; else the commit's date; else today.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Edition:
    id: str
    date: str  # for people, e.g. 23 November 2026
    iso_date: str  # 2026-11-23
    commit: str


def _git(project_dir: Path, *args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=project_dir, capture_output=True, text=True,
                              check=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def current_edition(project_dir: Path) -> Edition:
    commit = _git(project_dir, "rev-parse", "--short=10", "HEAD")
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        when = dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), dt.UTC).date()
    elif stamp := _git(project_dir, "log", "-1", "--format=%ct"):
        when = dt.datetime.fromtimestamp(int(stamp), dt.UTC).date()
    else:
        when = dt.date.today()
    edition_id = os.environ.get("HANDBOOK_EDITION", "").strip()
    if not edition_id:
        edition_id = f"working copy {commit}" if commit else "working copy"
    return Edition(id=edition_id, date=f"{when.day} {when:%B %Y}", iso_date=when.isoformat(), commit=commit)
