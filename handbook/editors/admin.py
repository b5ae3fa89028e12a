"""Write the editors' form into a built site's admin/ folder: Decap CMS's own files, the handbook's
scripts, and the configuration made from this project's schemas and nav (cms_config).

The form is for editors, not readers: it is left out of the published editions (a build with
HANDBOOK_EDITION), of draft previews, of the service worker's offline copy, the search index, the
sitemap and the PDFs, and asks search engines not to index it. `handbook export` puts it at the root
of the published site, beside the editions, built from the branch being exported.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path

from markupsafe import escape

from handbook.data.reviews import _front_matter_schema, first_heading, split_front_matter
from handbook.data.validation import DATA_FILES, layouts, usable_region
from handbook.data.yaml_source import YamlSourceError, load_yaml
from handbook.editors import decap
from handbook.editors.cms_config import Backend, Page, admin_settings, decap_config
from handbook.project import project_contents, project_settings

ADMIN_DIR = "admin"
SCRIPTS = ("checks.js", "layout.js", "chapters.js", "handbook-cms.js", "accessibility.js", "admin.css")
VENDOR = ("js-yaml.min.js", "libphonenumber-max.js", "js-yaml.LICENSE", "libphonenumber-js.LICENSE")


def nav_pages(nav: list | None, docs_dir: Path, project_dir: Path) -> list[Page]:
    """The pages the form offers: the nav's in its order, then, by name, the pages it leaves out
    (the editors' own, which mkdocs.yml's not_in_nav keeps out of practitioners' menus, and every
    page when there is no nav). A chapter is a page in the docs folder's handbook/ folder."""
    entries = list(_walk(nav)) if nav else []
    listed = {uri for _, uri in entries}
    entries += [(None, uri) for uri in sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md"))
                if uri not in listed]
    pages = []
    for title, uri in entries:
        path = docs_dir / uri
        if not uri.endswith(".md") or not path.is_file():
            continue
        pages.append(Page(path.relative_to(project_dir).as_posix(), title or _title(path), uri.startswith("handbook/")))
    return pages


def _walk(nav: Iterable) -> Iterable[tuple[str | None, str]]:
    for item in nav:
        if isinstance(item, str):
            yield None, item
        elif isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    yield title, value
                elif isinstance(value, list):
                    yield from _walk(value)


def taken_names(docs_dir: Path, project_dir: Path) -> dict[str, str]:
    """The file names (without .md) a new chapter cannot take, each with the page that has it: every
    chapter's, which would be the same address, and every other page's, whose PDF in the site's pdf/
    folder would have the same name (handbook/pdf/book.py names each chapter's PDF after its file)."""
    taken: dict[str, str] = {}
    chapters = docs_dir / "handbook"
    # The chapters first, so that a name both a chapter and another page have names the chapter.
    for path in sorted(chapters.glob("*.md")) + sorted(p for p in docs_dir.rglob("*.md") if p.parent != chapters):
        taken.setdefault(path.stem, path.relative_to(project_dir).as_posix())
    return taken


def _title(path: Path) -> str:
    _, body = split_front_matter(path.read_text(encoding="utf-8"))
    return first_heading(body) or path.stem.replace("-", " ").capitalize()


def write_admin(out_dir: Path, project_dir: Path, docs_dir: Path, data_dir: Path, nav: list | None,
                backend: Backend, site_name: str, site_url: str = "") -> int:
    """Write the form into `out_dir` (a site's admin/ folder); the number of files written."""
    project_dir, docs_dir, data_dir = project_dir.resolve(), docs_dir.resolve(), data_dir.resolve()
    data_files = {name: (data_dir / file).relative_to(project_dir).as_posix() for name, file in DATA_FILES.items()}
    file_layouts = layouts(data_dir)
    config = decap_config(data_files, file_layouts, nav_pages(nav, docs_dir, project_dir), _front_matter_schema(),
                          backend, site_url, (docs_dir / "handbook").relative_to(project_dir).as_posix())
    try:
        site, _ = load_yaml(data_dir / DATA_FILES["site"], "site.yaml")
        domains = [str(d) for d in site.get("allowed_email_domains", [])] if isinstance(site, dict) else []
    except YamlSourceError:
        site, domains = None, []  # the data check reports the file; the form then checks no domains
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    count = decap.copy_into(out_dir)
    settings = admin_settings(config, file_layouts, domains, usable_region(site), taken_names(docs_dir, project_dir))
    (out_dir / "handbook-cms.json").write_text(settings, encoding="utf-8")
    assets = files("handbook.editors").joinpath("assets")
    for name in SCRIPTS:
        (out_dir / name).write_text(assets.joinpath(name).read_text(encoding="utf-8"), encoding="utf-8")
    vendor = files("handbook").joinpath("vendor", "cms")
    (out_dir / "vendor").mkdir()
    for name in VENDOR:
        (out_dir / "vendor" / name).write_text(vendor.joinpath(name).read_text(encoding="utf-8"), encoding="utf-8")
    template = files("handbook.editors").joinpath("admin.html").read_text(encoding="utf-8")
    (out_dir / "index.html").write_text(template.replace("{{ site_name }}", str(escape(site_name))), encoding="utf-8")
    return count + len(SCRIPTS) + len(VENDOR) + 2


def backend_from_environment(local: bool = False) -> Backend:
    """The GitHub repository and sign-in service CI names: HANDBOOK_REPO_URL (its https address),
    HANDBOOK_CMS_AUTH_URL (the partnership's OAuth service) and HANDBOOK_CMS_BRANCH (main)."""
    repo = os.environ.get("HANDBOOK_REPO_URL", "")
    return Backend(repo=repo.removeprefix("https://github.com/").strip("/"),
                   branch=os.environ.get("HANDBOOK_CMS_BRANCH") or "main",
                   auth_url=os.environ.get("HANDBOOK_CMS_AUTH_URL", ""), local=local)


def write_project_admin(out_dir: Path, project_dir: Path, backend: Backend) -> int:
    """The form for the project in `project_dir`, as its mkdocs.yml sets it up (docs and data
    folders, nav, site name); 0 if the project turns the form off (the plugin's editors_form)."""
    config, plugin = project_settings(project_dir)
    if not plugin.get("editors_form", True):
        return 0
    return write_admin(out_dir, project_dir, project_dir / config.get("docs_dir", "docs"),
                       project_dir / plugin.get("data_dir", "data"), project_contents(project_dir).nav(), backend,
                       str(config.get("site_name", "")), str(config.get("site_url") or ""))
