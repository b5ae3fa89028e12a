"""The PDF stage from an already built site: what lets any site generator feed it.

A build writes, beside the site's pages, what the PDFs are made from and the pages alone do not
say: `pdf/print.json` (the book's parts and chapters in print order, each chapter's address, title
and source; the cover's, footers' and quick reference's words; the forms; whether each chapter has
its own PDF). Each page marks the content the PDFs print, the HTML the page's Markdown became, with
two comments (CONTENT_START, CONTENT_END) around it. `handbook pdf SITE_DIR` reads both and prints
every PDF through the same code the MkDocs plugin calls (build.PdfBuild), with the same checks
(an image without alt text, a link the PDF cannot follow, a quick reference longer than a page:
the print HTML's findings, named at the line of the page's Markdown when the sources are there),
into SITE_DIR/pdf/, and fills the sizes into the pages' download links.

Another generator feeds it by writing the same two things: the manifest (MANIFEST_FORMAT below)
and the markers in each page it names.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from markupsafe import Markup

from handbook.editions.edition import Edition
from handbook.pdf.assemble import BookInfo
from handbook.pdf.book import Book, Part, PrintPage
from handbook.pdf.results import PdfError

MANIFEST = "pdf/print.json"
MANIFEST_FORMAT = 1
CONTENT_START = "<!-- handbook:print-content -->"
CONTENT_END = "<!-- /handbook:print-content -->"
_MARKUP = ("urgent_html", "quick_reference_html", "cover_contacts_html")


def marked(html: str) -> str:
    """A page's content with the markers the PDF stage finds it by in the built page."""
    return f"{CONTENT_START}{html}{CONTENT_END}"


def manifest(book: Book, info: BookInfo, forms: set[str], chapters: bool, docs_dir: str) -> dict:
    return {
        "format": MANIFEST_FORMAT,
        "parts": [{"title": part.title,
                   "pages": [{"src_uri": page.src_uri, "title": page.title, "url": page.url, "live_url": page.live_url}
                             for page in part.pages]} for part in book.parts],
        "info": {**asdict(info), **{name: str(getattr(info, name)) for name in _MARKUP}},
        "forms": sorted(forms),
        "chapter_pdfs": chapters,
        "docs_dir": docs_dir,  # where the chapters' Markdown was, for the line numbers of findings
    }


def write_manifest(site_dir: Path, book: Book, info: BookInfo, forms: set[str], chapters: bool,
                   docs_dir: str) -> None:
    target = site_dir / MANIFEST
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(manifest(book, info, forms, chapters, docs_dir), ensure_ascii=False, indent=1, sort_keys=True)
    target.write_text(text + "\n", encoding="utf-8")


def page_file(site_dir: Path, url: str) -> Path:
    """The built file of the page at `url` (a directory URL is its index.html)."""
    return site_dir / (url + "index.html" if url == "" or url.endswith("/") else url)


def page_content(site_dir: Path, url: str) -> str:
    path = page_file(site_dir, url)
    shown = path.relative_to(site_dir).as_posix()
    try:
        html = path.read_text(encoding="utf-8")
    except OSError as err:
        raise PdfError(f"{MANIFEST} names the page {url or '/'}, but {shown} cannot be read ({err.strerror}). "
                       "Build the site again: the manifest and the pages come from the same build.") from None
    if html.count(CONTENT_START) != 1 or html.count(CONTENT_END) != 1:
        raise PdfError(f"{shown} does not mark its content once with {CONTENT_START} ... {CONTENT_END}, so the "
                       "PDFs cannot tell it from the theme around it. Build the site again with the handbook "
                       "plugin (or have your site generator write the markers around each page's content).")
    start = html.index(CONTENT_START) + len(CONTENT_START)
    end = html.index(CONTENT_END)
    if end < start:
        raise PdfError(f"{shown}: {CONTENT_END} comes before {CONTENT_START}.")
    return html[start:end]


def read_site(site_dir: Path, project: Path | None = None) -> tuple[Book, BookInfo, set[str], bool]:
    """The book, its words, its forms and whether chapters get their own PDF, from a built site."""
    path = site_dir / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        raise PdfError(f"{path} is missing: it is written by a build of the site with the handbook plugin "
                       "(mkdocs build), which `handbook pdf` needs to know what the PDFs hold.") from None
    except json.JSONDecodeError as err:
        raise PdfError(f"{path}:{err.lineno}: not JSON ({err.msg}). Build the site again.") from None
    if data.get("format") != MANIFEST_FORMAT:
        raise PdfError(f"{path} is in format {data.get('format')!r}; this engine reads format {MANIFEST_FORMAT}. "
                       "Build the site again with this engine.")
    docs = (project or Path.cwd()) / data["docs_dir"]
    parts = []
    for part in data["parts"]:
        pages = []
        for entry in part["pages"]:
            source = docs / entry["src_uri"]
            pages.append(PrintPage(entry["src_uri"], entry["title"], entry["url"], page_content(site_dir, entry["url"]),
                                   entry["live_url"],
                                   source=source.read_text(encoding="utf-8") if source.is_file() else ""))
        parts.append(Part(part["title"], pages))
    fields = dict(data["info"])
    fields["edition"] = Edition(**fields["edition"])
    for name in _MARKUP:
        fields[name] = Markup(fields[name])
    return Book(parts), BookInfo(**fields), set(data["forms"]), bool(data["chapter_pdfs"])
