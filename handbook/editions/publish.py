"""Publish editions, export them for a static host, and make the offline pack.

- publish: build the committed source as edition EDITION (stamped with its id, date and commit)
  and add it to the editions branch with mike, moving the `latest` alias to it. An edition that
  exists is never rebuilt or touched; nothing is committed unless the whole build passed.
- export: every edition from the editions branch as a plain folder tree, with aliases as real
  copies (some hosts cannot serve symlinks). Written beside the target and swapped in at the end.
- offline: the latest edition, rebuilt from its own commit with Material's offline plugin, as a
  zip that works opened from disk, search and PDFs included. Built apart from the versioned site,
  because Material's offline mode cannot be combined with versioning.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from importlib.resources import files
from pathlib import Path

import yaml
from mike import commands as mike_commands
from mike import git_utils
from mkdocs.utils.yaml import yaml_load

from handbook.editions.edition import edition_key
from handbook.editions.git import git, git_show
from handbook.editions.published import DEFAULT_BRANCH, latest_edition, published_editions
from handbook.editors.admin import ADMIN_DIR, backend_from_environment, write_project_admin
from handbook.editors.cms_config import CmsConfigError
from handbook.editors.decap import DecapError

SITE_ROOT_WORKER = "sw.js"


class PublishError(Exception):
    pass


def _build(source_dir: Path, site_dir: Path, env: dict[str, str], config_file: str = "mkdocs.yml") -> None:
    """A strict build of `source_dir` into `site_dir`; its output is the error if it fails."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", config_file,
         "--site-dir", str(site_dir)],
        cwd=source_dir, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}, capture_output=True, text=True,
    )
    if result.returncode != 0:
        # MkDocs logs its progress first: show everything from the first error on.
        output = (result.stdout + result.stderr).strip().splitlines()
        first = next((i for i, line in enumerate(output) if line.startswith(("ERROR", "Traceback"))), None)
        shown = output[first:] if first is not None else output[-40:]
        raise PublishError("the build failed, so nothing was published:\n" + "\n".join(shown))


def publish(project_dir: Path, edition_id: str, branch: str = DEFAULT_BRANCH, today: dt.date | None = None) -> str:
    """Publish the committed source as `edition_id`. Returns a line saying what was done."""
    project_dir = Path(project_dir).resolve()
    try:
        edition_key(edition_id)
    except ValueError as err:
        raise PublishError(str(err)) from None
    if git(project_dir, "status", "--porcelain").strip():
        raise PublishError("there are changes that are not committed. An edition must be a commit, so that it can "
                           "always be traced back to its source: commit the changes (or set them aside) first.")
    editions = published_editions(project_dir, branch)
    ids = [e.id for e in editions]
    if edition_id in ids:
        raise PublishError(f"edition {edition_id} is already published, and a published edition never changes. "
                           f"Publish the changes as a new edition, for example {_next_id(ids, today)}.")
    newer = [e for e in ids if edition_key(e) > edition_key(edition_id)]
    if newer:
        raise PublishError(f"edition {edition_id} would be older than edition {newer[-1]}, which is already "
                           f"published. Use a later id, for example {_next_id(ids, today)}.")
    day = today or dt.date.today()
    commit = git(project_dir, "rev-parse", "HEAD").strip()
    env = {"HANDBOOK_EDITION": edition_id, "HANDBOOK_EDITION_DATE": day.isoformat(),
           "HANDBOOK_EDITIONS_BRANCH": branch, "HANDBOOK_PUBLISHING": "1", "MIKE_DOCS_VERSION": edition_id}
    with tempfile.TemporaryDirectory(prefix="handbook-publish-") as tmp, contextlib.chdir(project_dir):
        site_dir = Path(tmp) / "site"
        message = f"Publish edition {edition_id} ({day.isoformat()}) from {commit[:10]}"
        # mike commits to the branch only when this block ends without an error.
        with mike_commands.deploy({"site_dir": str(site_dir), "use_directory_urls": True}, edition_id,
                                  title=edition_id, aliases=["latest"], update_aliases=True, branch=branch,
                                  message=message):
            _build(project_dir, site_dir, env)
        if not editions:
            # The site root sends readers to the latest edition.
            mike_commands.set_default("latest", branch=branch, message="Send the site root to the latest edition")
        _add_site_root_worker(project_dir, branch)
    return f"Published edition {edition_id} ({day.isoformat()}, commit {commit[:10]}) to the {branch} branch."


def _add_site_root_worker(project_dir: Path, branch: str) -> None:
    """sw.js at the root of the editions branch (handbook/web/assets/site-root-worker.js), so that the
    site's own address also opens offline; committed only when it is missing or has changed."""
    source = files("handbook.web").joinpath("assets/site-root-worker.js").read_text(encoding="utf-8")
    if git_show(project_dir, f"{branch}:{SITE_ROOT_WORKER}") == source:
        return
    with git_utils.Commit(branch, "Let the site root open offline, in the edition saved on the device") as commit:
        commit.add_file(git_utils.FileInfo(SITE_ROOT_WORKER, source))


def _next_id(ids: list[str], today: dt.date | None) -> str:
    year = (today or dt.date.today()).year
    numbers = [edition_key(i)[1] for i in ids if edition_key(i)[0] == year]
    return f"{year}.{max(numbers, default=0) + 1}"


def _extract_branch(project_dir: Path, branch: str, into: Path) -> None:
    archive = git(project_dir, "archive", "--format=tar", branch, binary=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="tar")  # the "tar" filter refuses paths and links that leave `into`


def _replace_symlinks(root: Path) -> None:
    """Turn every symlink (mike's aliases) into a real copy of what it points to, inside `root`."""
    for link in sorted((p for p in root.rglob("*") if p.is_symlink()), key=lambda p: len(p.parts)):
        if not link.is_symlink():  # already replaced as part of a parent
            continue
        target = link.resolve()
        if not target.is_relative_to(root.resolve()) or not target.exists():
            raise PublishError(f"{link.relative_to(root)} points outside the editions or at nothing.")
        link.unlink()
        if target.is_dir():
            shutil.copytree(target, link, symlinks=False)
        else:
            shutil.copy2(target, link)


def _swap_in(new: Path, target: Path) -> None:
    """Put the finished folder `new` at `target`, removing what was there only once `new` is ready."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def export(project_dir: Path, destination: Path, branch: str = DEFAULT_BRANCH) -> str:
    """Write every published edition to `destination` for a static host."""
    project_dir = Path(project_dir).resolve()
    destination = Path(destination).resolve()
    editions = published_editions(project_dir, branch)
    if not editions:
        raise PublishError(f"no edition has been published on the {branch} branch yet: run `handbook publish` first.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{destination.name}.", dir=destination.parent))
    try:
        _extract_branch(project_dir, branch, work)
        _replace_symlinks(work)
        missing = [f"{e.id}/{path}" for e in editions for path in ("index.html", "pdf/early-help-handbook.pdf")
                   if not (work / e.id / path).is_file()]
        missing += [f"{alias}/index.html" for e in editions for alias in e.aliases
                    if not (work / alias / "index.html").is_file()]
        if missing:
            raise PublishError("the editions branch is incomplete, so nothing was exported: missing "
                               + ", ".join(missing))
        # The editors' form at the site's root, beside the editions and never in one, made from the
        # branch being exported (its schemas and nav), saving to the repository CI names. Without
        # the repository and the partnership's sign-in service no one could sign in to it.
        # Without the form the editions still go out: an urgent correction must not wait for it.
        backend = backend_from_environment()
        form_problem = "" if backend.repo and backend.auth_url else (
            "it is left out until HANDBOOK_REPO_URL and HANDBOOK_CMS_AUTH_URL are set (docs/editors/sign-in.md)")
        editors_form = 0
        if not form_problem:
            try:
                editors_form = write_project_admin(work / ADMIN_DIR, project_dir, backend)
            except (CmsConfigError, DecapError) as err:
                shutil.rmtree(work / ADMIN_DIR, ignore_errors=True)
                form_problem = f"it is left out: {err}"
        _swap_in(work, destination)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    form = (f", with the editors' form at {ADMIN_DIR}/." if editors_form else
            f". The editors' form: {form_problem.rstrip('.')}.")
    return f"Exported {len(editions)} edition{'s' if len(editions) != 1 else ''} to {destination}{form}"


def offline(project_dir: Path, output: Path, branch: str = DEFAULT_BRANCH) -> str:
    """Write the latest edition as a zip that works opened from disk."""
    project_dir = Path(project_dir).resolve()
    output = Path(output).resolve()
    edition = latest_edition(project_dir, branch)
    if edition is None:
        raise PublishError(f"no edition has been published on the {branch} branch yet: run `handbook publish` first.")
    with tempfile.TemporaryDirectory(prefix="handbook-offline-") as tmp:
        source, site_dir = Path(tmp) / "source", Path(tmp) / f"handbook-{edition.id}"
        source.mkdir()
        with tarfile.open(fileobj=io.BytesIO(git(project_dir, "archive", "--format=tar", edition.commit,
                                                  binary=True))) as tar:
            tar.extractall(source, filter="tar")
        _offline_config(source)
        env = {"HANDBOOK_EDITION": edition.id, "HANDBOOK_EDITION_DATE": edition.date, "HANDBOOK_OFFLINE": "1",
               "HANDBOOK_EDITIONS_BRANCH": branch}
        # The build reads the published editions (for the amendments) from the real repository.
        env["HANDBOOK_EDITIONS_REPO"] = str(project_dir)
        _build(source, site_dir, env, config_file="mkdocs-offline.yml")
        # A "not found" page is for a web server; opened from disk its links (from the host's root) lead nowhere.
        (site_dir / "404.html").unlink(missing_ok=True)
        partial = output.with_name(f".{output.name}.partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as pack:
            for path in sorted(site_dir.rglob("*")):
                if path.is_file():
                    pack.write(path, path.relative_to(site_dir.parent).as_posix())
        partial.replace(output)
    return f"Wrote the offline pack of edition {edition.id} to {output}: open handbook-{edition.id}/index.html."


def _offline_config(source: Path) -> None:
    """mkdocs-offline.yml: the edition's own configuration with Material's offline plugin.

    The offline plugin adds a script from unpkg.com that lets the search run from file:// pages;
    a copy ships with this package (iframe-worker 1.0.4, MIT licence), so no page fetches anything.
    """
    config = yaml_load((source / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [*config.get("plugins", []), "offline"]
    config["use_directory_urls"] = False
    config["site_url"] = ""
    vendor = source / config.get("docs_dir", "docs") / "assets" / "vendor" / "iframe-worker"
    vendor.mkdir(parents=True, exist_ok=True)
    for name in ("shim.js", "LICENSE"):
        (vendor / name).write_bytes(files("handbook").joinpath(f"vendor/iframe-worker/{name}").read_bytes())
    config.setdefault("extra", {})["polyfills"] = ["assets/vendor/iframe-worker/shim.js"]
    (source / "mkdocs-offline.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
