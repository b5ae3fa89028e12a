"""`handbook changes [BASE] [HEAD]`: what a change does to the handbook, as Markdown for a reviewer.

BASE defaults to where the branch left main (git merge-base), HEAD to the working tree. The
summary lists data records added, removed and changed field by field; pages added, removed,
changed (with the sections touched) or moved in the contents, in the same words as the
amendments list (handbook/editions/amendments.py); and the `handbook check` findings the change
brings in.
"""

from __future__ import annotations

import io
import tarfile
import tempfile
from pathlib import Path

import yaml

from handbook.checks.check import CheckFinding, run_checks
from handbook.data.validation import DATA_FILES
from handbook.editions.amendments import data_amendments, menu_order, moved_amendments, page_amendments
from handbook.editions.git import git

WORKING_TREE = ""


def default_base(repo: Path, main: str = "main") -> str:
    return git(repo, "merge-base", main, "HEAD").strip()


def _tree(repo: Path, revision: str, into: Path) -> Path:
    """The project as it was at `revision` (or as it is now, for the working tree)."""
    if revision == WORKING_TREE:
        return repo
    archive = git(repo, "archive", "--format=tar", revision, binary=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="tar")
    return into


def _pages(project: Path, docs: str) -> dict[str, str]:
    root = project / docs
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.md"))}


def _data(project: Path, data: str) -> dict[str, dict]:
    loaded = {}
    for name, filename in DATA_FILES.items():
        path = project / data / filename
        try:
            loaded[name] = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        except yaml.YAMLError:
            loaded[name] = {}  # broken YAML is reported by the check findings below
    return loaded


def _key(finding: CheckFinding) -> tuple[str, str, str]:
    # Lines move when text is added above a finding: compare without them.
    return finding.finding.file, finding.severity, finding.finding.message


def summarise(repo: Path, base: str, head: str = WORKING_TREE, docs: str = "docs", data: str = "data",
              exempt: tuple[str, ...] = ()) -> str:
    repo = Path(repo).resolve()
    with tempfile.TemporaryDirectory(prefix="handbook-changes-") as tmp:
        before = _tree(repo, base, Path(tmp) / "base")
        after = _tree(repo, head, Path(tmp) / "head")
        old_data, new_data = _data(before, data), _data(after, data)
        records = data_amendments(old_data, new_data, for_readers=False)
        old_pages, new_pages = _pages(before, docs), _pages(after, docs)
        old_config = before / "mkdocs.yml"
        old_menu = menu_order(old_pages, old_data.get("sections"),
                              old_config.read_text(encoding="utf-8") if old_config.is_file() else None)
        pages = page_amendments(old_pages, new_pages) + moved_amendments(
            old_menu, menu_order(new_pages, new_data.get("sections")), new_pages)
        try:
            old_findings = {_key(f) for f in run_checks(before, docs, data, exempt)}
            unchecked = False
        except (KeyError, TypeError, ValueError, OSError):
            # A base from before the data's current shape (a field or a whole data file missing):
            # list every finding of the new version.
            old_findings, unchecked = set(), True
        new_findings = [f for f in run_checks(after, docs, data, exempt) if _key(f) not in old_findings]
    head_name = "the working tree" if head == WORKING_TREE else f"`{head[:10]}`"
    lines = ["## What this change does to the handbook", "",
             f"Compared with `{base[:10]}`, {head_name}:", ""]
    lines += ["### Data", ""] + ([f"- {a.text}" for a in records] or ["No data records changed."]) + [""]
    lines += ["### Pages", ""]
    lines += [f"- {a.text}" + (f". Note for readers: {a.note}" if a.note else "") for a in pages] or \
        ["No pages changed."]
    lines += ["", "### New findings from `handbook check`", ""]
    if unchecked:
        lines += [f"`{base[:10]}` is too old for these checks, so every finding is listed.", ""]
    lines += [f"- `{f.finding.file}:{f.finding.line}` {f.severity}: {f.finding.message}" for f in new_findings] or \
        ["None: the change brings in no errors or warnings."]
    return "\n".join(lines) + "\n"
