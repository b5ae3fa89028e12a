"""The sources, before any page is rendered: the data loaded into typed records, the contents (the
menu and the PDF's parts, from data/sections.yaml and the pages' front matter), and the checks of
`handbook check` on pages and data. Errors stop the build with every finding at once; warnings are
printed; the records and wording still to be confirmed by the service are listed for editors."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import get_files

from handbook.checks.check import ERROR, run_checks
from handbook.data.contents import Contents, read_contents
from handbook.data.load import load_handbook
from handbook.data.records import Handbook
from handbook.findings import HandbookError
from handbook.rendering.macro_calls import wording_to_confirm

log = logging.getLogger("mkdocs.plugins.handbook")
# Warnings go through a logger of their own, not MkDocs': strict mode would turn them into a failed
# build, and an overdue review or a long sentence must not stop an urgent correction going out.
review_log = logging.getLogger("handbook.data.reviews")
if not review_log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    review_log.addHandler(_handler)
    review_log.propagate = False


def fail(findings) -> None:
    if findings:
        raise PluginError(str(HandbookError(findings)))


def data_texts(project_dir: Path, data_dir: str) -> dict[str, str]:
    """Each data file's text by the path findings name it by (data/site.yaml), for a check that
    finds an editor's words in what was built and reports where they were typed."""
    return {path.relative_to(project_dir).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted((project_dir / data_dir).glob("*.yaml"))}


def load_data(project_dir: Path, docs_prefix: str, data_dir: str, review_exempt: tuple[str, ...]) -> Handbook:
    try:
        return load_handbook(project_dir / data_dir, display_root=project_dir)
    except HandbookError as err:
        fail_with_every_error(project_dir, docs_prefix, data_dir, review_exempt)
        raise PluginError(str(err)) from None


def fail_with_every_error(project_dir: Path, docs_prefix: str, data_dir: str, review_exempt: tuple[str, ...],
                          not_in_nav=None) -> None:
    """Every mistake at once: with the one that stopped the build, the pages' and the data's other
    errors, as `handbook check` finds them."""
    found = run_checks(project_dir, docs_prefix, data_dir, review_exempt, not_in_nav=not_in_nav)
    fail([f.finding for f in found if f.severity == ERROR and f.check != "data-layout"])


def contents(config, project_dir: Path, docs_prefix: str, data_dir: str, review_exempt: tuple[str, ...],
             handbook: Handbook) -> Contents:
    """The contents, which become MkDocs' nav: every page MkDocs will build (its own list, with its
    own not_in_nav), placed by its front matter. A mistake in them stops the build with every other."""
    if config.nav:
        raise PluginError("mkdocs.yml: `nav:` lists pages, but the handbook's menu comes from data/sections.yaml "
                          "and each page's front matter (section and order), so that editors can add and move "
                          "pages in the form. Take `nav:` out of mkdocs.yml, and give each page it listed its "
                          "section and order.")
    files = get_files(config)
    pages = {f.src_uri: f for f in files.documentation_pages()}
    found, errors, _ = read_contents(Path(config.docs_dir), docs_prefix, pages, handbook.sections,
                                     lambda uri: pages[uri].inclusion.is_not_in_nav())
    if errors:
        fail_with_every_error(project_dir, docs_prefix, data_dir, review_exempt, config.not_in_nav)
        fail(errors)  # a check that found them would have stopped above
    return found


def log_confirmations(handbook: Handbook) -> None:
    """Editors see what the service still has to confirm on every build; practitioners never do
    (these notes are not rendered). Information, not a warning, so that a strict build still passes
    while the service is asked."""
    if handbook.confirmations:
        log.info("%d records need confirmation by the service:", len(handbook.confirmations))
        for item in handbook.confirmations:
            log.info("  %s: %s: %s", item.where, item.record_id, item.what)


def run_page_checks(project_dir: Path, docs_prefix: str, data_dir: str, review_exempt: tuple[str, ...],
                    handbook: Handbook, not_in_nav=None) -> None:
    """The same checks as `handbook check` (typed contacts, front matter, links, ...): errors stop
    the build, and so do overdue reviews and `handbook new`'s examples when publishing an edition.
    Other warnings are printed."""
    found = run_checks(project_dir, docs_prefix, data_dir, review_exempt, handbook=handbook, not_in_nav=not_in_nav)
    publishing = os.environ.get("HANDBOOK_PUBLISHING") == "1"
    # A data file's layout is for the repository's diffs, not the readers: `handbook check` (on every
    # pull request) requires it, a build only says so.
    stops = [f for f in found if (f.severity == ERROR and f.check != "data-layout")
             or (publishing and f.check in ("review-due", "example-record"))]
    fail([f.finding for f in stops])
    warnings = [f for f in found if f not in stops]
    if warnings:
        review_log.warning("%d %s from `handbook check` (see the Document control page for reviews):",
                           len(warnings), "warning" if len(warnings) == 1 else "warnings")
        for warning in warnings:
            review_log.warning("  %s", warning)


def log_wording_to_confirm(docs_dir: Path, docs_prefix: str, page_uris) -> None:
    """Every passage rebuilt from a damaged source (to_confirm), with file:line, beside the records
    that need confirmation: the service is asked about both."""
    found = [(f"{docs_prefix}/{uri}:{line}", wording) for uri in sorted(page_uris)
             for line, wording in wording_to_confirm((docs_dir / uri).read_text(encoding="utf-8"))]
    if found:
        log.info("%d passages of wording need confirmation by the service (rebuilt from a damaged source, "
                 'marked "Wording to be confirmed" on their page):', len(found))
        for where, wording in found:
            words = wording.split()
            log.info('  %s: "%s"', where, " ".join(words[:12]) + (" ..." if len(words) > 12 else ""))
