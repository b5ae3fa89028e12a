"""A cache of laid-out and printed chunks of the handbook, so that a rebuild prints only what changed.

Entries are keyed by a hash of everything that goes into them (key()): the print HTML (which holds
the stylesheet), the engine (engine_fingerprint(): the versions of WeasyPrint and the libraries
below it, the fonts the system knows, the source of handbook/pdf and its print templates, and
SOURCE_DATE_EPOCH, which the embedded fonts carry), the site files the layout read (fonts and
pictures, checked against their current content on every build) and, for a printed chunk, the
page numbers it was drawn with. What comes out of the cache is exactly what printing it again
would give: the tests build a project cold and warm and compare every PDF byte for byte.

It lives in $HANDBOOK_CACHE/pdf, else in the user's cache folder (~/.cache/handbook/pdf), beside
the editors' form's files (handbook/editors/decap.py); HANDBOOK_PDF_CACHE=0 turns it off. The
folder's rules (safe to delete, shared by builds, written atomically, pruned to what was used in
the last PRUNE_AFTER_DAYS days and to MAX_BYTES) are handbook/cache.py's.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import importlib.metadata
import os
import platform
import sys
from importlib.resources import files
from pathlib import Path

from handbook.cache import PRUNE_AFTER_DAYS, ContentCache, cache_home, key
from handbook.pdf import fast_path

__all__ = ["FORMAT", "MAX_BYTES", "PdfCache", "default_root", "engine_fingerprint", "key"]

FORMAT = "v1"  # the layout of the folder; a new one starts afresh beside the old, which is pruned
MAX_BYTES = 300_000_000


def default_root() -> Path | None:
    """$HANDBOOK_CACHE/pdf, else $XDG_CACHE_HOME/handbook/pdf, else ~/.cache/handbook/pdf; None
    (no cache: every build prints everything) with HANDBOOK_PDF_CACHE=0, for timing a cold build."""
    if os.environ.get("HANDBOOK_PDF_CACHE", "") == "0":
        return None
    return cache_home() / "pdf"


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


def _library_version(names: tuple[str, ...], found_as: str, function: str) -> str:
    """A C library's version string, read through ctypes from the first of `names` that loads (else
    the library ctypes finds as `found_as`), or "absent"."""
    for name in (*names, None):
        name = name or ctypes.util.find_library(found_as)  # slow (it may run ldconfig): last
        try:
            library = ctypes.CDLL(name) if name else None
        except OSError:
            continue
        if library is not None:
            getattr(library, function).restype = ctypes.c_char_p
            return getattr(library, function)().decode("ascii")
    return "absent"


def pango_version() -> str:
    """The version of the Pango library WeasyPrint lays text out with. Read through ctypes, because
    the build's own process never loads WeasyPrint (pool.py), whose bindings take 0.2 s to set up;
    the names are those WeasyPrint 70 loads (weasyprint/text/ffi.py), most likely first."""
    return _library_version(("libpango-1.0.so.0", "libpango-1.0.dylib", "libpango-1.0-0.dll"), "pango-1.0",
                            "pango_version_string")


def pango_number(version: str) -> int:
    """Pango's version as the number pango_version() gives: 1.50.12 is 15012 (-1 for "absent")."""
    try:
        major, minor, micro = (int(part) for part in version.split("."))
    except ValueError:
        return -1
    return major * 10000 + minor * 100 + micro


# The names fonts.py loads HarfBuzz's subsetting library by (weasyprint/text/ffi.py's).
SUBSET_LIBRARIES = ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll")


def harfbuzz_subset_installed() -> bool:
    """Whether HarfBuzz's subsetting library loads, as fonts.py and WeasyPrint load it. Without it
    both subset fonts with fontTools: other bytes, so a key of their own in the cache."""
    for name in (*SUBSET_LIBRARIES, None):
        name = name or ctypes.util.find_library("harfbuzz-subset")  # slow (it may run ldconfig): last
        if not name:
            continue
        try:
            ctypes.CDLL(name)
        except OSError:
            continue
        return True
    return False


def harfbuzz_version() -> str:
    """The version of the HarfBuzz library WeasyPrint and fonts.py subset fonts with (the names
    fonts.py loads)."""
    return _library_version(("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll"), "harfbuzz",
                            "hb_version_string")


def engine_fingerprint() -> str:
    source = hashlib.sha256()
    package = files("handbook")
    for folder in ("pdf", "pdf/templates/print"):
        for item in sorted(package.joinpath(folder).iterdir(), key=lambda item: item.name):
            if item.is_file() and item.name.endswith((".py", ".html", ".css")):
                source.update(item.name.encode() + b"\0" + item.read_bytes())
    return key({
        "format": FORMAT, "python": sys.version, "machine": platform.machine(), "versions": _versions(),
        "pango": pango_version(), "harfbuzz": harfbuzz_version(), "harfbuzz-subset": harfbuzz_subset_installed(),
        "system fonts": _system_fonts(),
        "source": source.hexdigest(), "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH"),
        # Which path the printing processes take follows from the versions above and this setting
        # (fast_path.py): the fast path's self-test gives the same answer for the same versions.
        "path": fast_path.setting(),
    })


class PdfCache(ContentCache):
    """Entries (small JSON records) and blobs (PDFs and fonts, stored under their own hash)."""

    def __init__(self, root: Path | None):
        super().__init__(root, FORMAT, "PDF")

    def prune(self, max_bytes: int = MAX_BYTES, max_age_days: float = PRUNE_AFTER_DAYS) -> int:
        return super().prune(max_bytes, max_age_days)
