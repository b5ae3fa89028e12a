"""A cache of laid-out and printed chunks of the handbook, so that a rebuild prints only what changed.

Entries are keyed by a hash of everything that goes into them (key()): the print HTML (which holds
the stylesheet), the engine (engine_fingerprint(): the versions of WeasyPrint and the libraries
below it, the fonts the system knows, the source of handbook/pdf and its print templates, and
SOURCE_DATE_EPOCH, which the embedded fonts carry), the site files the layout read (fonts and
pictures, checked against their current content on every build) and, for a printed chunk, the
page numbers it was drawn with. What comes out of the cache is exactly what printing it again
would give: the tests build a project cold and warm and compare every PDF byte for byte.

It lives in $HANDBOOK_CACHE/pdf, else in the user's cache folder (~/.cache/handbook/pdf), beside
the editors' form's files (handbook/editors/decap.py); HANDBOOK_PDF_CACHE=0 turns it off. It is safe to
delete at any time: a missing or unreadable entry is printed again. Several builds may share it:
every file is written under a temporary name and renamed into place, so a reader sees a whole
entry or none, and PDFs are stored under the hash of their bytes, which is checked when they are
read. Each build prunes it to the entries used in the last PRUNE_AFTER_DAYS days and, oldest use
first, to MAX_BYTES.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
import platform
import sys
import tempfile
import time
from importlib.resources import files
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.handbook.pdf")

FORMAT = "v1"  # the layout of the folder; a new one starts afresh beside the old, which is pruned
MAX_BYTES = 300_000_000
PRUNE_AFTER_DAYS = 30
_STALE_TEMPORARY = 3600  # seconds after which a temporary file is a dead writer's leftover


def default_root() -> Path | None:
    """$HANDBOOK_CACHE/pdf, else $XDG_CACHE_HOME/handbook/pdf, else ~/.cache/handbook/pdf; None
    (no cache: every build prints everything) with HANDBOOK_PDF_CACHE=0, for timing a cold build."""
    if os.environ.get("HANDBOOK_PDF_CACHE", "") == "0":
        return None
    root = os.environ.get("HANDBOOK_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "handbook")
    return Path(root) / "pdf"


def key(*parts) -> str:
    """A hash of JSON-able parts, for naming an entry."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else json.dumps(
            part, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _versions() -> dict[str, str]:
    names = ["weasyprint", "pikepdf", "fonttools"]
    names += [req.split()[0].split(";")[0].split(">")[0].split("=")[0].split("<")[0].split("[")[0]
              for req in importlib.metadata.requires("weasyprint") or [] if "extra ==" not in req]
    versions = {}
    for name in sorted(set(names)):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def _system_fonts() -> list[str]:
    """Fontconfig's cache files change whenever a font is installed, removed or updated: a font the
    layout falls back on for a missing character may come from there."""
    listing = []
    for folder in ("/var/cache/fontconfig", os.path.expanduser("~/.cache/fontconfig")):
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        listing += [f"{entry.name}:{entry.stat().st_size}:{entry.stat().st_mtime_ns}" for entry in entries]
    return listing


def engine_fingerprint() -> str:
    from weasyprint.text.ffi import pango

    from handbook.pdf import fonts

    source = hashlib.sha256()
    package = files("handbook")
    for folder in ("pdf", "pdf/templates/print"):
        for item in sorted(package.joinpath(folder).iterdir(), key=lambda item: item.name):
            if item.is_file() and item.name.endswith((".py", ".html", ".css")):
                source.update(item.name.encode() + b"\0" + item.read_bytes())
    return key({
        "format": FORMAT, "python": sys.version, "machine": platform.machine(), "versions": _versions(),
        "pango": pango.pango_version(), "harfbuzz": fonts.harfbuzz_version(), "system fonts": _system_fonts(),
        "source": source.hexdigest(), "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH"),
    })


class PdfCache:
    """Entries (small JSON records) and blobs (PDFs and fonts, stored under their own hash)."""

    def __init__(self, root: Path | None):
        self.root = root / FORMAT if root is not None else None

    def _entry_path(self, kind: str, name: str) -> Path:
        return self.root / kind / name[:2] / f"{name}.json"

    def _blob_path(self, sha: str) -> Path:
        return self.root / "blobs" / sha[:2] / sha

    def get(self, kind: str, name: str) -> dict | None:
        if self.root is None:
            return None
        path = self._entry_path(kind, name)
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
            os.utime(path)  # a use, for pruning
        except (OSError, ValueError):
            return None
        return value

    def put(self, kind: str, name: str, value: dict) -> None:
        if self.root is not None:
            self._write(self._entry_path(kind, name), json.dumps(value, sort_keys=True).encode("utf-8"))

    def get_blob(self, sha: str) -> bytes | None:
        if self.root is None:
            return None
        path = self._blob_path(sha)
        try:
            data = path.read_bytes()
            os.utime(path)
        except OSError:
            return None
        # Stored under the hash of its bytes: anything else is damage, and is printed again.
        return data if hashlib.sha256(data).hexdigest() == sha else None

    def put_blob(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        if self.root is not None and not self._blob_path(sha).is_file():
            self._write(self._blob_path(sha), data)
        return sha

    def _write(self, path: Path, data: bytes) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as err:  # a cache that cannot be written only makes the next build slower
            log.warning("The PDF cache could not keep %s: %s", path.name, err)

    def prune(self, max_bytes: int = MAX_BYTES, max_age_days: float = PRUNE_AFTER_DAYS) -> int:
        """Remove entries unused for `max_age_days`, then the least recently used until the cache
        holds at most `max_bytes`, and anything left by other formats or dead writers. Returns how
        many files were removed."""
        if self.root is None or not self.root.parent.is_dir():
            return 0
        now = time.time()
        removed = 0
        kept: list[tuple[float, int, Path]] = []
        for folder, _, names in os.walk(self.root.parent):
            for name in names:
                path = Path(folder, name)
                try:
                    stat = path.stat()
                except OSError:
                    continue
                age = now - stat.st_mtime
                stale = (self.root not in path.parents or age > max_age_days * 86400
                         or (name.startswith(".tmp-") and age > _STALE_TEMPORARY))
                if stale:
                    path.unlink(missing_ok=True)
                    removed += 1
                elif not name.startswith(".tmp-"):
                    kept.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in kept)
        for _, size, path in sorted(kept):
            if total <= max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size
            removed += 1
        return removed
