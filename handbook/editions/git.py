"""Running git for the publishing and change-summary commands, with its error as plain text."""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitError(Exception):
    pass


def git(repo: Path, *args: str, binary: bool = False):
    """git's output (bytes with `binary`); GitError with git's own message if it fails."""
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=not binary)
    if result.returncode != 0:
        error = result.stderr if not binary else result.stderr.decode(errors="replace")
        raise GitError(f"git {' '.join(args)} failed: {error.strip()}")
    return result.stdout


def git_show(repo: Path, ref: str) -> str | None:
    """The text of `ref` (commit:path), or None when there is no such file."""
    try:
        return git(repo, "show", ref)
    except GitError:
        return None
