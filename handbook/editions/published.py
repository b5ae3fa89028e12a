"""The editions already published, read from the editions branch (gh-pages) of the local git repo.

`handbook publish` puts each edition in its own folder on that branch with mike, beside mike's
versions.json; each edition's folder holds edition.json (written by the build: its id, date,
source commit and amendments). Reading them needs no remote and no checkout: `git show`.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from handbook.editions.edition import edition_key
from handbook.editions.git import git_show

DEFAULT_BRANCH = "gh-pages"
EDITION_FILE = "edition.json"


@dataclass(frozen=True)
class PublishedEdition:
    id: str
    date: str  # YYYY-MM-DD
    commit: str  # the full source commit
    aliases: tuple[str, ...] = ()
    amendments: dict = field(default_factory=dict, compare=False)


def branch_exists(project_dir: Path, branch: str = DEFAULT_BRANCH) -> bool:
    result = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"], cwd=project_dir,
                            capture_output=True, text=True)
    return result.returncode == 0


def published_editions(project_dir: Path, branch: str = DEFAULT_BRANCH) -> list[PublishedEdition]:
    """Every published edition, oldest first. Empty when nothing has been published."""
    if not branch_exists(project_dir, branch):
        return []
    listing = git_show(project_dir, f"{branch}:versions.json")
    if listing is None:
        return []
    found = []
    for entry in json.loads(listing):
        version = str(entry["version"])
        stamp = git_show(project_dir, f"{branch}:{version}/{EDITION_FILE}")
        if stamp is None:
            raise ValueError(f"{branch}:{version}/{EDITION_FILE} is missing: {version} was not published by "
                             "`handbook publish`.")
        data = json.loads(stamp)
        found.append(PublishedEdition(version, data["date"], data["commit"], tuple(entry.get("aliases", [])),
                                      data.get("amendments", {})))
    return sorted(found, key=lambda e: edition_key(e.id))


def latest_edition(project_dir: Path, branch: str = DEFAULT_BRANCH) -> PublishedEdition | None:
    editions = published_editions(project_dir, branch)
    marked = [e for e in editions if "latest" in e.aliases]
    return marked[0] if marked else (editions[-1] if editions else None)
