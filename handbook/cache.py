"""A folder of results kept under a hash of everything that went into them, so a rebuild skips the
work an earlier build has done: the PDFs' laid-out chunks (handbook/pdf/cache.py); the results of
the slow, pure checks and of the search index's additions (Memo); and Jinja's compiled templates
(template_cache()).

It lives in $HANDBOOK_CACHE, else in the user's cache folder (~/.cache/handbook), one subfolder per
stage, beside the editors' form's files. It is safe to delete at any time: a missing or unreadable
entry is worked out again. Several builds may share it: every file is written under a temporary
name and renamed into place, so a reader sees a whole entry or none, and blobs are stored under the
hash of their bytes, which is checked when they are read. Each build prunes the PDFs' and the
results' folders to the entries used in the last PRUNE_AFTER_DAYS days and, oldest use first, to a
size; the compiled templates are one file for each template, replaced when it changes.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import logging
import os
import sys
import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache

log = logging.getLogger("mkdocs.plugins.handbook")

PRUNE_AFTER_DAYS = 30
_STALE_TEMPORARY = 3600  # seconds after which a temporary file is a dead writer's leftover


def cache_home() -> Path:
    """$HANDBOOK_CACHE, else $XDG_CACHE_HOME/handbook, else ~/.cache/handbook."""
    return Path(os.environ.get("HANDBOOK_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "handbook"))


def key(*parts) -> str:
    """A hash of JSON-able parts, for naming an entry."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else json.dumps(
            part, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


class ContentCache:
    """Entries (small JSON records) and blobs (bytes, stored under their own hash), in
    `root`/`format`; with root None, a cache that keeps nothing."""

    def __init__(self, root: Path | None, format: str, label: str):
        self.root = root / format if root is not None else None
        self.label = label

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
            log.warning("The %s cache could not keep %s: %s", self.label, path.name, err)

    def prune_now_and_then(self, max_bytes: int, max_age_days: float = PRUNE_AFTER_DAYS) -> int | None:
        """prune(), if the last was at least an hour ago (a marker file says when), else None: a
        look at every entry costs each build more than pruning each hour saves."""
        if self.root is None:
            return None
        marker = self.root / ".pruned"
        try:
            if time.time() - marker.stat().st_mtime < PRUNE_EVERY:
                return None
        except OSError:
            pass
        removed = self.prune(max_bytes, max_age_days)
        try:
            marker.touch()
        except OSError:
            pass
        return removed

    def prune(self, max_bytes: int, max_age_days: float = PRUNE_AFTER_DAYS) -> int:
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


MEMO_FORMAT = "v1"
MEMO_MAX_BYTES = 50_000_000
PRUNE_EVERY = 3600  # seconds, at most once in which a cache is pruned
_MEMO_IN_MEMORY = 20_000  # entries; live preview rebuilds in one process and keeps them between builds


def memo_root() -> Path | None:
    """$HANDBOOK_CACHE/memo; None with HANDBOOK_MEMO=0 (this process's memory only)."""
    return None if os.environ.get("HANDBOOK_MEMO", "") == "0" else cache_home() / "memo"


def site_tool() -> dict[str, str]:
    """The program building the site in this process, and its version: MkDocs, or ProperDocs, the
    continuation of MkDocs 1.x. ProperDocs stands in for MkDocs itself (properdocs.replacement makes
    every `mkdocs.*` import its own module), so the mkdocs package's installed version says nothing
    of the code that runs: a result worked out under one is not taken for the other's."""
    import mkdocs  # under ProperDocs, ProperDocs

    return {"name": mkdocs.__name__, "version": mkdocs.__version__}


@functools.cache
def engine_fingerprint() -> str:
    """The engine's own source and the libraries its checks and search additions use: a result
    worked out by another version of either is worked out again."""
    source = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json", ".txt") and "vendor" not in path.parts and path.is_file():
            source.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    versions = {}
    for name in ("markdown", "pymdown-extensions", "beautifulsoup4", "PyYAML", "jsonschema", "phonenumbers",
                 "codespell", "Jinja2", "Babel"):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "absent"
    return key({"python": sys.version, "versions": versions, "site tool": site_tool(), "source": source.hexdigest()})


class Memo:
    """Results of pure, slow functions of text (a page's checks, a data file's layout, a built page's
    links, a search section's added words), kept under a hash of the engine and every input.

    remember() gives what compute(*args) gave before for the same inputs, or calls it: the caller names
    every input in `parts`, and the result must be JSON. Kept in this process's memory (live
    preview rebuilds in one process) and in $HANDBOOK_CACHE/memo (a rebuild is a new process)."""

    def __init__(self, root: Path | None = None):
        self.store = ContentCache(root if root is not None else memo_root(), MEMO_FORMAT, "results")
        self.hits = self.misses = 0

    def remember(self, kind: str, parts, compute: Callable[..., Any], *args) -> Any:
        return self.remember_many(kind, {"": parts}, lambda names: {"": compute(*args)})[""]

    def recall(self, kind: str, parts) -> Any:
        """What keep() kept for these inputs, or None."""
        entry = key(engine_fingerprint(), kind, parts)
        if entry in _MEMORY:
            _MEMORY.move_to_end(entry)
            return json.loads(_MEMORY[entry])
        stored = self.store.get(kind, entry)
        if stored is None:
            return None
        _MEMORY[entry] = json.dumps(stored["value"])
        return stored["value"]

    def keep(self, kind: str, parts, value: Any) -> None:
        """Keep `value` (JSON) for recall() with the same inputs: for work that is not always kept."""
        entry = key(engine_fingerprint(), kind, parts)
        self.store.put(kind, entry, {"value": value})
        _MEMORY[entry] = json.dumps(value)
        while len(_MEMORY) > _MEMO_IN_MEMORY:
            _MEMORY.popitem(last=False)

    def remember_many(self, kind: str, parts_by_name: dict[str, Any],
                      compute: Callable[[list[str]], dict[str, Any]]) -> dict[str, Any]:
        """Like remember() for several results at once, where working out several costs little more
        than one (one codespell run for every changed file): compute(names) is called once, with
        the names not remembered, and gives their results by name."""
        return self.remember_many_started(kind, parts_by_name, lambda names: lambda: compute(names))()

    def remember_many_started(self, kind: str, parts_by_name: dict[str, Any],
                              start: Callable[[list[str]], Callable[[], dict]]) -> Callable[[], dict[str, Any]]:
        """remember_many() in two steps, for work that can go on beside the caller's (a process):
        start(names) is called now, with the names not remembered, and begins that work; what it
        returns finishes it, giving their results by name. The function returned here finishes it
        and gives every result."""
        keys = {name: key(engine_fingerprint(), kind, parts) for name, parts in parts_by_name.items()}
        results: dict[str, str] = {}
        for name, entry in keys.items():
            if entry in _MEMORY:
                _MEMORY.move_to_end(entry)
                results[name] = _MEMORY[entry]
            else:
                stored = self.store.get(kind, entry)
                if stored is not None:
                    results[name] = _MEMORY[entry] = json.dumps(stored["value"])
        missing = [name for name in keys if name not in results]
        self.hits += len(keys) - len(missing)
        self.misses += len(missing)
        finish = start(list(missing)) if missing else dict

        def finished() -> dict[str, Any]:
            if missing:  # worked out and kept once, however often this is called
                computed = finish()
                for name in missing:
                    value = computed[name]
                    self.store.put(kind, keys[name], {"value": value})
                    results[name] = _MEMORY[keys[name]] = json.dumps(value)
                missing.clear()
                while len(_MEMORY) > _MEMO_IN_MEMORY:
                    _MEMORY.popitem(last=False)
            # Decoded afresh for each caller, so that no caller can change what another is given.
            return {name: json.loads(text) for name, text in results.items()}

        return finished

    def prune(self) -> int:
        """At most once an hour: its entries are many and small, and a look at each of them would
        cost a live preview's rebuild more than most of what it remembers saves."""
        return self.store.prune_now_and_then(MEMO_MAX_BYTES) or 0


_MEMORY: OrderedDict[str, str] = OrderedDict()


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled templates (Material's theme, the partials, the print templates), which every
    build would otherwise compile again. Jinja checks each against its template's source, and
    writes each whole (under a temporary name). A cache that cannot be written only slows a build."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError as err:
            log.debug("Compiled template not kept: %s", err)


def template_cache(environment: str) -> jinja2.BytecodeCache | None:
    """$HANDBOOK_CACHE/templates/<Jinja's version>/<environment>; None with HANDBOOK_MEMO=0. One
    folder for each environment: Jinja keys compiled code by the template's name and file, not by
    the environment's settings (autoescape, trim_blocks), which the code depends on."""
    if os.environ.get("HANDBOOK_MEMO", "") == "0":
        return None
    return _TemplateCache(str(cache_home() / "templates" / jinja2.__version__ / environment))
