"""Post-build checks on the whole built site, theme output included.

Every link and resource in every HTML file must be https:, mailto:, tel:, a fragment, or a relative
path to a file that exists inside the site (and to an id that exists in it). This catches what
MkDocs' own link validation cannot see: links inside HTML that macros and the theme write.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from handbook.cache import Memo
from handbook.checks.content import URL_ATTRIBUTES, link_problem
from handbook.findings import Finding
from handbook.parallel import start_in_processes


class _PageScanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str, str]] = []  # (line, attribute, value)
        self.handlers: list[tuple[int, str, str]] = []

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)
            if name.startswith("on"):
                self.handlers.append((line, tag, name))
            elif name in URL_ATTRIBUTES and value is not None:
                self.links.append((line, name, value))

    handle_startendtag = handle_starttag


@dataclass(frozen=True)
class _Scan:
    ids: frozenset[str]
    links: list[tuple[int, str, str]]
    handlers: list[tuple[int, str, str]]


def _scan(text: str) -> dict:
    scanner = _PageScanner()
    scanner.feed(text)
    scanner.close()
    return {"ids": sorted(scanner.ids), "links": scanner.links, "handlers": scanner.handlers}


def _scan_file(name: str) -> dict:
    return _scan(Path(name).read_text(encoding="utf-8"))


def check_site(site_dir: Path, memo: Memo | None = None) -> list[Finding]:
    site_dir = site_dir.resolve()
    memo = memo or Memo()
    paths = sorted(site_dir.rglob("*.html"))
    # Most pages are the same as in the last build: their scan is remembered by their content. The
    # rest are shared out among processes (a cold build of a big handbook has hundreds).
    hashes = {str(path): hashlib.sha256(path.read_bytes()).hexdigest() for path in paths}

    def start(missing: list[str]):
        scans = start_in_processes(_scan_file, [(name,) for name in missing])
        return lambda: dict(zip(missing, scans(), strict=True))

    scans = memo.remember_many_started("site-page", hashes, start)()
    pages = {path: _Scan(frozenset(scans[str(path)]["ids"]), [tuple(link) for link in scans[str(path)]["links"]],
                         [tuple(handler) for handler in scans[str(path)]["handlers"]])
             for path in paths}

    # Pages link to the same few files (the navigation is on every page): each is looked up once,
    # by its path written out in full (resolving every link's path took most of this check's time).
    targets: dict[str, tuple[Path, bool]] = {}

    def target_of(folder: Path, relative: str) -> tuple[Path, bool]:
        """The file a link points to (a folder's index.html), and whether it is inside the site."""
        written = os.path.normpath(os.path.join(folder, relative))
        if written not in targets:
            target = Path(written).resolve()
            inside = target == site_dir or site_dir in target.parents
            targets[written] = (target / "index.html" if target.is_dir() else target, inside)
        return targets[written]

    problems: dict[str, str | None] = {}  # each link's own problem, by its address
    findings = []
    for path, scanner in pages.items():
        shown = str(path.relative_to(site_dir))
        for line, tag, name in scanner.handlers:
            findings.append(Finding(f"site/{shown}", line, f"<{tag}> has an event handler ({name}=)."))
        for line, _attr, value in scanner.links:
            if value not in problems:
                problems[value] = link_problem(value)
            problem = problems[value]
            if problem:
                findings.append(Finding(f"site/{shown}", line, problem))
                continue
            parts = urlsplit(value.strip())
            if parts.scheme:
                continue
            if value.startswith("/") and shown == "404.html":
                # The 404 page is served at whatever URL was missing, so MkDocs writes its links
                # from the site root on purpose. Check they exist; allow the form.
                target, _ = target_of(site_dir, unquote(parts.path).lstrip("/"))
                if not target.exists():
                    findings.append(Finding(f"site/{shown}", line, f'"{value}" points to a file that does not exist.'))
                continue
            if value.startswith("/"):
                findings.append(Finding(f"site/{shown}", line,
                    f'"{value}" is an absolute path, which breaks when the handbook is hosted in a '
                    "folder or opened from disk. Use a relative link."))
                continue
            if not parts.path:
                target = path
            else:
                target, inside = target_of(path.parent, unquote(parts.path))
                if not inside:
                    findings.append(Finding(f"site/{shown}", line, f'"{value}" points outside the built site.'))
                    continue
                if not target.exists():
                    findings.append(Finding(f"site/{shown}", line, f'"{value}" points to a file that does not exist.'))
                    continue
            if parts.fragment and target.suffix == ".html":
                target_ids = pages[target].ids if target in pages else set()
                if unquote(parts.fragment) not in target_ids:
                    findings.append(Finding(f"site/{shown}", line,
                        f'"{value}": the page has no section with the id "{parts.fragment}".'))
    return findings
