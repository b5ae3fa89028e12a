"""Which edition a build is: stamped into the site footer, the PDF cover, footers and metadata.

A published edition has an id like 2026.1, set by `handbook publish` through HANDBOOK_EDITION
(and its publication date through HANDBOOK_EDITION_DATE). Any other build is a draft of its
commit, and says so in plain words. Every build records its commit where an edition is traced
(edition.json, the PDFs' metadata, the editors' pages), so a site and a PDF of one edition can be
shown to come from the same source; the pages and printed footers practitioners read name only the
edition and its date, since a commit means nothing to them. The date is HANDBOOK_EDITION_DATE,
else SOURCE_DATE_EPOCH when set (two builds of one commit are then byte-identical), else the
commit's date, else today.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

EDITION_ID = re.compile(r"^(\d{4})\.([1-9]\d*)$")


@dataclass(frozen=True)
class Edition:
    id: str  # "2026.1"; empty for a working copy
    date: str  # for people, e.g. 23 November 2026
    iso_date: str  # 2026-11-23
    commit_sha: str  # the source commit; empty outside git

    @property
    def commit(self) -> str:
        return self.commit_sha[:10]

    @property
    def published(self) -> bool:
        return bool(self.id)

    @property
    def name(self) -> str:
        return f"Edition {self.id}" if self.id else "Draft, not a published edition"

    @property
    def described(self) -> str:
        """The edition in a sentence: "edition 2026.2 of 1 December 2026"."""
        if self.id:
            return f"edition {self.id} of {self.date}"
        return f"a draft of {self.date}, not a published edition"

    @property
    def stamp(self) -> str:
        """One line naming the edition and its date, for the footers practitioners read: "Draft,
        not a published edition, 6 December 2026"."""
        return f"{self.name}, {self.date}"

    @property
    def traced(self) -> str:
        """The stamp with the source commit, where an edition is traced (the PDFs' metadata, the
        editors' pages): "Edition 2026.1, 23 November 2026, commit 4282b2a15e"."""
        return f"{self.stamp}, commit {self.commit}" if self.commit else self.stamp


def edition_key(edition_id: str) -> tuple[int, int]:
    """2026.10 sorts after 2026.9."""
    match = EDITION_ID.match(edition_id)
    if not match:
        raise ValueError(f'"{edition_id}" is not an edition id. Write the year, a dot and a number, '
                         'for example 2026.1.')
    return int(match.group(1)), int(match.group(2))


def _git(project_dir: Path, *args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=project_dir, capture_output=True, text=True,
                              check=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def current_edition(project_dir: Path) -> Edition:
    commit = _git(project_dir, "rev-parse", "HEAD")
    if fixed := os.environ.get("HANDBOOK_EDITION_DATE", "").strip():
        when = dt.date.fromisoformat(fixed)
    elif os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        when = dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), dt.UTC).date()
    elif stamp := _git(project_dir, "log", "-1", "--format=%ct"):
        when = dt.datetime.fromtimestamp(int(stamp), dt.UTC).date()
    else:
        when = dt.date.today()
    edition_id = os.environ.get("HANDBOOK_EDITION", "").strip()
    if edition_id:
        edition_key(edition_id)  # refuse anything that is not an edition id before it reaches a page
    return Edition(id=edition_id, date=f"{when.day} {when:%B %Y}", iso_date=when.isoformat(), commit_sha=commit)
