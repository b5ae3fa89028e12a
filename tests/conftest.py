"""Shared test set-up: build the real site once per session, and build fixture projects."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# The program every build in the tests runs: MkDocs, the handbook's own (the default), or ProperDocs,
# the continuation of MkDocs 1.x that a partnership may build with instead. HANDBOOK_SITE_TOOL
# chooses (`make test-properdocs` sets it); anything else stops the run before a test, since a test
# run that quietly built with the other program would prove nothing about the one it names.
SITE_TOOLS = ("mkdocs", "properdocs")


def _site_tool() -> str:
    name = os.environ.get("HANDBOOK_SITE_TOOL", "") or "mkdocs"
    if name not in SITE_TOOLS:
        raise pytest.UsageError(f"HANDBOOK_SITE_TOOL={name!r}: the tests build with {' or '.join(SITE_TOOLS)} "
                                "(mkdocs when it is not set).")
    if importlib.util.find_spec(name) is None:
        raise pytest.UsageError(f"HANDBOOK_SITE_TOOL={name}, but {name} is not installed in {sys.prefix} "
                                "(pyproject.toml's test extras install it: make test-properdocs).")
    return name


SITE_TOOL = _site_tool()
SITE_COMMAND = [sys.executable, "-m", SITE_TOOL]  # `python -m properdocs` is ProperDocs' command line too
# A fixed build time, so that builds of one commit can be compared byte for byte.
SOURCE_DATE_EPOCH = "1763856000"
# The day review states are judged on, so that a chapter falling due does not change a test's result.
HANDBOOK_TODAY = "2026-11-23"


@dataclass
class Build:
    project: Path
    site: Path
    returncode: int
    output: str

    def pages(self) -> dict[str, BeautifulSoup]:
        """The site's pages; not the editors' form (admin/), which tests/test_cms*.py test."""
        return {
            str(path.relative_to(self.site)): BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            for path in sorted(self.site.rglob("*.html")) if path.relative_to(self.site).parts[0] != "admin"
        }


def build(project: Path, site: Path, **extra_env: str) -> Build:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1",
           "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "HANDBOOK_TODAY": HANDBOOK_TODAY, **extra_env}
    result = subprocess.run(
        [*SITE_COMMAND, "build", "--strict", "--config-file", str(project / "mkdocs.yml"), "--site-dir", str(site)],
        cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )
    return Build(project, site, result.returncode, result.stdout + result.stderr)


def copy_project(destination: Path, *, docs: bool = True) -> Path:
    """A copy of the real project (config, data, and the docs if asked): all a handbook holds, since
    the theme and macros are the engine's."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml",):
        shutil.copy2(ROOT / name, destination / name)
    for name in ("data",) + (("docs",) if docs else ()):
        shutil.copytree(ROOT / name, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
    return destination


def fixture_project(case: Path, destination: Path) -> Path:
    """The tiny base fixture with the real schemas, and `case` laid over it."""
    shutil.copytree(FIXTURES / "base", destination)
    shutil.copytree(ROOT / "data" / "schema", destination / "data" / "schema")
    for path in case.rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            target = destination / path.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    return destination


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Build:
    """The real handbook, built once for the whole test session."""
    tmp = tmp_path_factory.mktemp("real")
    result = build(ROOT, tmp / "site")
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="session")
def pages(site) -> dict[str, BeautifulSoup]:
    return site.pages()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright, for the whole session (tests/browser.py)."""
    from browser import chromium  # here: tests/browser.py imports this module

    with chromium() as launched:
        yield launched


@pytest.fixture(scope="session")
def origin(site):
    """The built site, served on localhost (tests/browser.py)."""
    from browser import serve

    with serve(site.site) as url:
        yield url


@pytest.fixture(scope="session")
def site_paths(site) -> list[str]:
    """Every page of the built site, as the path a reader opens. The editors' form (admin/) is not a
    page for readers: tests/editors/test_cms_browser.py tests it."""
    return ["/" + html.relative_to(site.site).as_posix().removesuffix("index.html")
            for html in sorted(site.site.rglob("*.html"))
            if html.name != "404.html" and html.relative_to(site.site).parts[0] != "admin"]


# The pages for editors (the editor guide and document control), and the maintainers' platform plan:
# not in the practitioners' menus or search (mkdocs.yml's not_in_nav), reached from every page's
# footer through the editor guide.
EDITORS_PATHS = ("/editors/", "/document-control/", "/maintainers/")


@pytest.fixture(scope="session")
def practitioner_paths(site_paths) -> list[str]:
    """Every page a practitioner reads: every page but the editors' and the maintainers'."""
    return [path for path in site_paths if not path.startswith(EDITORS_PATHS)]


@pytest.fixture(scope="session")
def search_index(site) -> dict:
    return json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))


@pytest.fixture
def desktop(browser, origin):
    from browser import DESKTOP, guarded_context

    yield from guarded_context(browser, origin, viewport=DESKTOP)


@pytest.fixture
def phone(browser, origin):
    from browser import PHONE, guarded_context

    yield from guarded_context(browser, origin, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)


@pytest.fixture
def no_script(browser, origin):
    from browser import DESKTOP, guarded_context

    yield from guarded_context(browser, origin, viewport=DESKTOP, java_script_enabled=False)
