"""A WeasyPrint URL fetcher that can read only files inside the built site, and data: URIs.

WeasyPrint's default fetcher reads any file:// path and any http(s) URL: a raw
`<link rel="attachment" href="file:///etc/passwd">` in a chapter would quietly embed that file in
the PDF. Every refusal here is fatal (FatalURLFetchingError), so the build stops instead of
printing a PDF with something missing.

Every file read is also noted in each open `recording()`: the print cache (cache.py) keys a
layout on the files it read, so that a changed font or picture is never served from an old layout.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher

_RECORDS: list[set[str]] = []  # the recordings open in this process, innermost last


def note_read(relative_path: str) -> None:
    """Note that a file of the site (a path relative to it) was read."""
    for record in _RECORDS:
        record.add(relative_path)


@contextlib.contextmanager
def recording():
    """Collect the site files read while the block runs, as a set of relative paths."""
    record: set[str] = set()
    _RECORDS.append(record)
    try:
        yield record
    finally:
        del _RECORDS[next(i for i, open_record in enumerate(_RECORDS) if open_record is record)]


class SiteOnlyFetcher(URLFetcher):
    def __init__(self, site_dir: Path, document: str = "the PDF"):
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
        self.site_dir = site_dir.resolve()
        self.document = document

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise FatalURLFetchingError(
                f'{self.document} refers to "{url}". The PDF may only use files inside the built site; '
                "remove the reference or copy the file into docs/."
            )
        # Follow symlinks first, then check: a link inside the site must not reach outside it.
        path = Path(unquote(urlsplit(url).path)).resolve()
        if path != self.site_dir and self.site_dir not in path.parents:
            raise FatalURLFetchingError(
                f'{self.document} refers to "{url}", which is outside the built site. The PDF may only '
                "use files inside the site: copy the file into docs/ and link to it there."
            )
        if not path.is_file():
            raise FatalURLFetchingError(f'{self.document} refers to "{url}", which does not exist.')
        note_read(path.relative_to(self.site_dir).as_posix())
        return super().fetch(path.as_uri(), headers)
