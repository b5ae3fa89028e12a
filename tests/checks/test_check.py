"""`handbook check`: one fixture project per kind of finding, each with its exact output.

Each folder in tests/fixtures/checks/ overlays one problem on the clean project in
tests/fixtures/base/; expected.txt holds every line `handbook check` must print, and nothing else.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, HANDBOOK_TODAY, ROOT, fixture_project
from handbook.checks.kinds import CHECKS, ERROR

CASES = sorted(p for p in (FIXTURES / "checks").iterdir() if p.is_dir())


def _project(tmp_path: Path, case: Path | None = None) -> Path:
    return fixture_project(case or FIXTURES / "base", tmp_path / "project")


def _check(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "handbook.cli", "--project", str(project), "check", *args],
                          env={**os.environ, "HANDBOOK_TODAY": HANDBOOK_TODAY}, capture_output=True, text=True)


def test_a_clean_project_has_no_findings(tmp_path):
    result = _check(_project(tmp_path), "--strict")
    assert result.returncode == 0, result.stdout
    assert result.stdout == "" and "0 errors, 0 warnings." in result.stderr


def test_every_kind_of_check_has_a_fixture():
    covered = {case.name for case in CASES}
    assert covered == set(CHECKS)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_finding_is_reported_at_its_line(case, tmp_path):
    result = _check(_project(tmp_path, case))
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    assert result.stdout == expected
    severity = CHECKS[case.name][0]
    assert f": {severity}: " in expected
    # Errors fail the check; warnings fail it only with --strict.
    assert result.returncode == (1 if severity == ERROR else 0)
    if severity != ERROR:
        assert _check(_project(tmp_path / "strict", case), "--strict").returncode == 1


def test_the_real_handbook_has_no_errors(tmp_path):
    result = subprocess.run([sys.executable, "-m", "handbook.cli", "--project", str(ROOT), "check"],
                            env={**os.environ, "HANDBOOK_TODAY": HANDBOOK_TODAY}, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert ": error: " not in result.stdout


AT_ONCE = FIXTURES / "every-mistake-at-once"


def test_every_mistake_is_reported_in_one_run(tmp_path):
    # A schema error in one data file (a space in an email), a cross-record error in another (an
    # email on a misspelt domain) and a page error (a typed phone number): before, the check stopped
    # at the schema error, and each of the others appeared only once the one before was fixed.
    result = _check(_project(tmp_path, AT_ONCE))
    assert result.returncode == 1
    assert result.stdout == (AT_ONCE / "expected.txt").read_text(encoding="utf-8")


def test_the_build_reports_every_mistake_in_one_run_too(tmp_path):
    from conftest import build

    project = _project(tmp_path, AT_ONCE)
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    for line in (AT_ONCE / "expected.txt").read_text(encoding="utf-8").splitlines():
        assert line.replace(": error: ", ": ", 1) in result.output, f"{line}\n{result.output}"


def test_a_picture_over_the_size_limit_is_refused_and_one_under_it_is_not(tmp_path):
    from handbook.checks.check import MAX_IMAGE_BYTES

    project = _project(tmp_path)
    page = project / "docs" / "other.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n![The four levels of need](big.png)\n", encoding="utf-8")
    (project / "docs" / "big.png").write_bytes(b"\x89PNG" + bytes(MAX_IMAGE_BYTES - 4))
    assert _check(project).returncode == 0
    (project / "docs" / "big.png").write_bytes(b"\x89PNG" + bytes(MAX_IMAGE_BYTES))
    result = _check(project)
    assert result.returncode == 1
    assert (f'docs/other.md:13: error: the picture "big.png" is {(MAX_IMAGE_BYTES + 4) // 1000} KB, more than the '
            f"{MAX_IMAGE_BYTES // 1000} KB a picture may be") in result.stdout
