"""`handbook new`: a handbook for another partnership, started from nothing but the engine.

The project it writes must build strictly and pass its own `make test` as it stands, with no
finding from `handbook check` but the warnings about its example records and pages; publishing
must refuse it until every example is replaced, and accept it once they are."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import HANDBOOK_TODAY, ROOT, SITE_COMMAND, SOURCE_DATE_EPOCH
from handbook.cli.new import NewProjectError, new_project
from handbook.data.validation import ENGINE_SCHEMAS

NAME = "Anytown Children's Early Help Handbook"
EXAMPLE_WARNING = re.compile(r"^(data|docs)/\S+:\d+: warning: .* is an example that `handbook new` wrote\. ")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HANDBOOK_")}
    return {**env, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
            "HANDBOOK_TODAY": HANDBOOK_TODAY, **extra}


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=_env(**env), capture_output=True, text=True, timeout=600)


def _handbook(project: Path, *args: str) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-m", "handbook.cli", *args], project)


def _git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org", *args], cwd=project,
                   check=True, capture_output=True)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("new") / "anytown"
    result = _run([sys.executable, "-m", "handbook.cli", "new", str(root), "--name", NAME], ROOT)
    assert result.returncode == 0, result.stderr
    assert "make test" in result.stdout
    return root


def test_the_new_project_has_only_what_a_partnership_owns(project):
    files = {p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()}
    assert {"mkdocs.yml", "Makefile", "README.md", "requirements.txt", ".gitignore",
            ".github/workflows/handbook.yml", "docs/index.md", "docs/handbook/getting-started.md",
            "data/contacts.yaml", "data/thresholds.yaml", "data/site.yaml"} <= files
    # The theme, the macros and the schemas are the engine's: nothing copied but the schemas for
    # editors' tools, which are the engine's own.
    assert not any(f.startswith(("overrides/", "macros/", "docs/assets/")) for f in files)
    assert {f.removeprefix("data/schema/") for f in files if f.startswith("data/schema/")} == \
        {p.name for p in ENGINE_SCHEMAS.glob("*.schema.json")}
    assert (project / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1] == \
        f"practice-handbook @ {ROOT.as_uri()}"
    assert yaml.safe_load((project / "data" / "site.yaml").read_text(encoding="utf-8"))["publication"]["title"] == NAME


def test_its_only_findings_are_the_examples(project):
    result = _handbook(project, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    findings, summary = result.stdout.splitlines(), result.stderr.strip()
    assert findings and all(EXAMPLE_WARNING.match(line) for line in findings), result.stdout
    assert summary == f"0 errors, {len(findings)} warnings."
    # Every data file with records and every page the starter wrote says it is an example.
    marked = {line.split(":", 1)[0] for line in findings}
    assert {"data/site.yaml", "data/contacts.yaml", "data/coordinators.yaml", "data/thresholds.yaml",
            "data/training.yaml", "docs/index.md", "docs/handbook/getting-started.md"} <= marked


def test_it_builds_strictly_with_its_pdfs(project, tmp_path):
    site = tmp_path / "site"
    result = _run([*SITE_COMMAND, "build", "--strict", "--site-dir", str(site)], project)
    assert result.returncode == 0, result.stdout + result.stderr
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert NAME in home.title.get_text()
    assert home.select_one(".hb-urgent") is not None  # the engine's theme, not copied into the project
    assert "0113 496 0000" in home.get_text()
    for pdf in ("early-help-handbook.pdf", "getting-started.pdf", "quick-reference.pdf"):
        assert (site / "pdf" / pdf).stat().st_size > 10_000, pdf


def test_its_own_make_test_passes(project, tmp_path):
    # The project's Makefile, run as it stands, with this engine's environment standing in for
    # the .venv it would otherwise create (which would install the same engine from requirements.txt).
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / "bin").symlink_to(Path(sys.executable).parent)
    (venv / ".installed").touch()
    result = _run(["make", "test", f"VENV={venv}"], project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The handbook checks and builds." in result.stdout
    assert not (project / ".test-site").exists()


def test_publishing_is_refused_until_every_example_is_replaced(tmp_path):
    project = new_project(tmp_path / "anytown", NAME).root
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "Started with handbook new")
    refused = _handbook(project, "publish", "2027.1")
    assert refused.returncode == 1
    assert "is an example that `handbook new` wrote" in refused.stderr
    assert subprocess.run(["git", "rev-parse", "--verify", "-q", "gh-pages"], cwd=project).returncode != 0

    # With the examples replaced (here only unmarked), nothing is left to report, and it publishes.
    for path in [*project.glob("data/*.yaml"), *project.rglob("docs/**/*.md")]:
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^\s*example: true\n", "", text), encoding="utf-8")
    check = _handbook(project, "check")
    assert (check.stdout, check.stderr.strip()) == ("", "0 errors, 0 warnings."), check.stdout
    _git(project, "commit", "-q", "-am", "Our own records")
    published = _handbook(project, "publish", "2027.1")
    assert published.returncode == 0, published.stderr


@pytest.mark.parametrize(("name", "message"), [
    ("   ", "Give the handbook a name"),
    ('The "Best" Handbook', "Leave them out"),
    ("{{ phone() }}", "Leave them out"),
])
def test_a_name_that_cannot_be_written_is_refused(tmp_path, name, message):
    with pytest.raises(NewProjectError, match=message):
        new_project(tmp_path / "x", name)
    assert not (tmp_path / "x").exists()


def test_an_existing_folder_is_never_overwritten(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(NewProjectError, match="is not empty"):
        new_project(tmp_path / "x", NAME)
    assert [p.name for p in (tmp_path / "x").iterdir()] == ["notes.txt"]


def test_this_handbook_uses_the_engine_as_a_new_project_does(project):
    ours = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    theirs = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    for config in (ours, theirs):
        assert "custom_dir" not in config["theme"] and "extra_css" not in config
        macros = next(p["macros"] for p in config["plugins"] if isinstance(p, dict) and "macros" in p)
        assert macros["modules"] == ["handbook.plugin.macros"] and "module_name" not in macros
    assert not any((ROOT / name).exists() for name in ("overrides", "macros", "docs/assets"))
    assert (ROOT / "data" / "schema").resolve() == ENGINE_SCHEMAS.resolve()


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_constructor("!ENV", lambda loader, node: "")


def test_an_engine_upgrade_refreshes_the_schema_copies(tmp_path):
    project = new_project(tmp_path / "anytown", NAME).root
    copy = project / "data" / "schema" / "training.schema.json"
    copy.write_text(copy.read_text(encoding="utf-8").replace('"minItems": 1', '"minItems": 2', 1), encoding="utf-8")
    stale = _handbook(project, "check")
    assert "data/schema/training.schema.json:1: warning: this copy is not the engine's schema" in stale.stdout
    refreshed = _run([sys.executable, "-m", "handbook.cli", "new", "--schemas-only", "."], project)
    assert refreshed.returncode == 0, refreshed.stderr
    assert copy.read_bytes() == (ENGINE_SCHEMAS / "training.schema.json").read_bytes()
    assert "not the engine's schema" not in _handbook(project, "check").stdout
