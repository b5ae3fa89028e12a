"""Decap CMS's browser files, served from the site at /admin/ so that nothing loads from another host.

Decap is published on npm as ready-built files (dist/: the main script, the chunks it loads on
demand and two WebAssembly files, about 6.5 MB). Installing the npm package would pull some 390 MB
of its build dependencies that the browser never uses, so the build takes the package's tarball
from the npm registry itself, checks it against the integrity hash npm publishes for it (the same
check `npm ci` makes), and keeps only dist/ in a cache outside the project. The next build reuses it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import tarfile
import tempfile
import urllib.request
from pathlib import Path

from handbook.cache import cache_home

VERSION = "3.16.3"
TARBALL_URL = f"https://registry.npmjs.org/decap-cms/-/decap-cms-{VERSION}.tgz"
# From `npm view decap-cms@3.16.3 dist.integrity`.
INTEGRITY = "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw=="
SCRIPT = "decap-cms.js"
_COMPLETE = ".complete"


class DecapError(RuntimeError):
    pass


def cache_dir() -> Path:
    """Where the files are kept: $HANDBOOK_CACHE, else the user's cache folder."""
    return cache_home() / f"decap-cms-{VERSION}"


def _wanted(name: str) -> bool:
    """The files the browser loads: decap-cms.js, its numbered chunks, the WebAssembly, the licence.
    (dist/ also holds the same build again as cms.js, and source maps.)"""
    return name == SCRIPT or name.endswith(f".{SCRIPT}") or name.endswith(".wasm") or name == f"{SCRIPT}.LICENSE.txt"


def verify(tarball: bytes) -> None:
    algorithm, _, expected = INTEGRITY.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode()
    if actual != expected:
        raise DecapError(f"the download of {TARBALL_URL} does not match the integrity hash npm publishes for "
                         f"Decap CMS {VERSION}: nothing was kept. Try the build again; if it happens again, "
                         "the download is being altered on the way.")


def ensure() -> Path:
    """The folder holding Decap CMS's browser files, downloaded and checked on first use."""
    target = cache_dir()
    if (target / _COMPLETE).is_file():
        return target
    print(f"Fetching Decap CMS {VERSION} for the editors' form from the npm registry (once)", flush=True)
    try:
        with urllib.request.urlopen(TARBALL_URL, timeout=120) as response:
            tarball = response.read()
    except OSError as err:
        raise DecapError(f"Decap CMS {VERSION} could not be downloaded from {TARBALL_URL} ({err}). The editors' "
                         "form needs it once; check the connection to the npm registry and build again.") from None
    verify(tarball)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        with tarfile.open(fileobj=io.BytesIO(tarball)) as tar:
            for member in tar.getmembers():
                folder, _, name = member.name.rpartition("/")
                if member.isfile() and folder == "package/dist" and _wanted(name):
                    (work / name).write_bytes(tar.extractfile(member).read())
        if not (work / SCRIPT).is_file():
            raise DecapError(f"the Decap CMS {VERSION} package has no dist/{SCRIPT}.")
        (work / _COMPLETE).write_text(INTEGRITY + "\n", encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target


def copy_into(destination: Path) -> int:
    """Copy the browser files into `destination`; how many."""
    source = ensure()
    destination.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in sorted(source.iterdir()):
        if _wanted(path.name):
            shutil.copyfile(path, destination / path.name)
            count += 1
    return count
