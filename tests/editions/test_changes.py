"""`handbook changes` between two commits of a fixture repository (handbook/editions/changes.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, HANDBOOK_TODAY, ROOT

GIT_ENV = {"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org"}

# Records as `handbook format` lays them out: after a blank line, fields in the schema's order.
SECOND_PERSON = '''
  - id: "b-person"
    name: "B Person"
    role: "early-help-coordinator"
    locality: "north"
    email: "b.person@partnership.example"
    owner: "A team"
    last_verified: "2026-11-23"
    source: "fixture"
'''
NEW_COURSE = '''
  - id: "outcome-star"
    title: "Outcome Star"
    provider: "A team"
    audience: "Lead practitioners"
    summary: "Using the Outcome Star."
    booking: "buy"
    listed_in: ["003"]
    last_verified: "2026-11-23"
'''


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, check=True,
                          capture_output=True, text=True).stdout


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _changes(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "handbook.cli", "changes", *args], cwd=repo,
                          env={**os.environ, "HANDBOOK_TODAY": HANDBOOK_TODAY}, capture_output=True, text=True)


def test_changes_between_two_commits_are_described_in_words(tmp_path):
    repo = tmp_path / "project"
    shutil.copytree(FIXTURES / "base", repo)
    shutil.copytree(ROOT / "data" / "schema", repo / "data" / "schema")
    people = repo / "data" / "coordinators.yaml"
    people.write_text(people.read_text(encoding="utf-8") + SECOND_PERSON, encoding="utf-8")
    levels = "Levels: {{ level(1) }}."
    _edit(repo / "docs" / "other.md", levels, f"{levels}\n\n## Referrals\n\nAsk first.")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    base = _git(repo, "rev-parse", "HEAD").strip()

    _edit(people, '"a.person@partnership.example"', '"a.person2@partnership.example"')
    _edit(people, SECOND_PERSON, "")
    training = repo / "data" / "training.yaml"
    training.write_text(training.read_text(encoding="utf-8") + NEW_COURSE, encoding="utf-8")
    _edit(repo / "docs" / "other.md", "Ask first.", "Ask the family first, then the lead practitioner.")
    _git(repo, "commit", "-q", "-am", "change")

    result = _changes(repo, base, "HEAD")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "## What this change does to the handbook"
    for expected in [
        '- North Early Help Coordinator A Person: email changed from "a.person@partnership.example" to '
        '"a.person2@partnership.example"',
        "- North Early Help Coordinator B Person removed",
        '- Course "Outcome Star" added',
        '- Page "Other page" changed: Referrals',
        "None: the change brings in no errors or warnings.",
    ]:
        assert expected in lines, f"{expected!r} not in:\n{result.stdout}"

    # Uncommitted work is described against the commit, with the findings it brings in.
    _edit(repo / "docs" / "other.md", "Ask the family first", "Ask the XYZ first")
    working = _changes(repo, "HEAD")
    assert '- Page "Other page" changed: Referrals' in working.stdout.splitlines()
    assert '- `docs/other.md:15` warning: "XYZ" is not in the glossary.' in working.stdout


def test_a_base_from_before_a_data_file_existed_is_still_compared(tmp_path):
    # The engine gained data/search.yaml: a pull request against a main without it must still get
    # its summary (every finding listed, as for any base the checks cannot read).
    repo = tmp_path / "project"
    shutil.copytree(FIXTURES / "base", repo)
    shutil.copytree(ROOT / "data" / "schema", repo / "data" / "schema")
    search = (repo / "data" / "search.yaml").read_text(encoding="utf-8")
    (repo / "data" / "search.yaml").unlink()
    (repo / "data" / "schema" / "search.schema.json").unlink()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "before search words")
    base = _git(repo, "rev-parse", "HEAD").strip()
    shutil.copy2(ROOT / "data" / "schema" / "search.schema.json", repo / "data" / "schema")
    (repo / "data" / "search.yaml").write_text(search.replace("synonyms: []", """synonyms:
  - id: "out-of-hours"
    page_words: ["outside office hours"]
    typed_words: ["evenings and weekends"]"""), encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "search words")

    result = _changes(repo, base, "HEAD")
    assert result.returncode == 0, result.stderr
    assert '- Search words "out-of-hours" added' in result.stdout.splitlines()
    assert "is too old for these checks, so every finding is listed." in result.stdout

