"""Which edition a build is, the editions already published (gh-pages), this build's amendments
since the edition before it, and what the build leaves for the next one: edition.json and the Atom
feed of amendments."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.exceptions import PluginError

from handbook.editions.amendments import EditionAmendments, amendments_since
from handbook.editions.edition import Edition, current_edition, edition_key
from handbook.editions.feed import FEED_FILE, amendments_feed
from handbook.editions.git import GitError
from handbook.editions.published import DEFAULT_BRANCH, EDITION_FILE, PublishedEdition, published_editions
from handbook.findings import Finding
from handbook.plugin.sources import fail


def this_edition(project_dir: Path) -> Edition:
    try:
        return current_edition(project_dir)
    except ValueError as err:
        raise PluginError(f"HANDBOOK_EDITION: {err}") from None


def editions_repository(project_dir: Path) -> Path:
    """The offline pack is built from an exported commit, outside any repository, so `handbook
    offline` says where the repository is."""
    return Path(os.environ.get("HANDBOOK_EDITIONS_REPO") or project_dir)


def already_published(repo: Path) -> list[PublishedEdition]:
    try:
        return published_editions(repo, os.environ.get("HANDBOOK_EDITIONS_BRANCH") or DEFAULT_BRANCH)
    except ValueError as err:
        raise PluginError(f"The published editions cannot be read: {err}") from None


def check_versioned_build(config, edition: Edition) -> None:
    """A build by `handbook publish` (mike), into its own folder beside the other editions."""
    versioned = os.environ.get("MIKE_DOCS_VERSION", "")
    if not versioned:
        return
    if versioned != edition.id:
        raise PluginError(f"MIKE_DOCS_VERSION ({versioned}) and HANDBOOK_EDITION "
                          f"({edition.id or 'unset'}) differ: publish with `handbook publish EDITION`.")
    config.extra["version"] = {"provider": "mike"}  # Material's edition selector
    if config.site_url:
        # Printed copies and canonical links send readers to the current edition.
        config.site_url = urljoin(config.site_url, "latest/")


def amendments(edition: Edition, published: list[PublishedEdition], repo: Path, project_dir: Path,
               docs_dir: Path, data_dir: Path, page_uris: list[str]):
    """This build's amendments (since the edition before it) and the whole history, newest first."""
    own = edition.id
    stored = next((e for e in published if own and e.id == own), None)
    earlier = [e for e in published if not own or edition_key(e.id) < edition_key(own)]
    if stored is not None:
        # Rebuilding a published edition (the offline pack): its amendments are history.
        current = EditionAmendments.from_json(stored.amendments)
    else:
        since = earlier[-1] if earlier else None
        items = ()
        if since is not None:
            try:
                items = tuple(amendments_since(repo, since.commit, project_dir, docs_dir, data_dir, page_uris))
            except GitError as err:
                raise PluginError(f"The amendments since edition {since.id} cannot be worked out: {err}") from None
            _refuse_gone_pages(items, since.id, docs_dir, project_dir)
        current = EditionAmendments(own, edition.iso_date, since.id if since else "", items)
    history = [current] + [EditionAmendments.from_json(e.amendments) for e in reversed(earlier) if e.amendments]
    return current, history


def _refuse_gone_pages(items, since: str, docs_dir: Path, project_dir: Path) -> None:
    """A page of the last edition whose file is gone would leave every saved, printed and emailed
    link to it with no answer: the build stops, naming each, until it is back and withdrawn."""
    prefix = docs_dir.resolve().relative_to(project_dir.resolve()).as_posix()
    gone = [item.page for item in items if item.kind == "page" and item.change == "removed"]
    if gone:
        fail([Finding(f"{prefix}/{uri}", 1, f"this page was in edition {since} and its file has gone, so its "
                      "address would stop answering for everyone who saved, printed or emailed it. Put the file "
                      "back and mark it withdrawn (in the editors' form: Withdrawn, with the date and, if its "
                      "guidance has moved, Replaced by).") for uri in gone])


def write_edition_files(site_dir: Path, edition: Edition, current: EditionAmendments, history, publication,
                        site_url: str) -> None:
    """What this build is, for `handbook publish` and for the next edition's amendments; and the feed."""
    (site_dir / EDITION_FILE).write_text(json.dumps({
        "edition": edition.id, "date": edition.iso_date, "commit": edition.commit_sha,
        "amendments": current.to_json(),
    }, indent=2) + "\n", encoding="utf-8")
    (site_dir / FEED_FILE).write_bytes(amendments_feed(history, publication, site_url))
