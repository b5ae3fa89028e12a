"""The handbook's MkDocs plugin: the build-time guard rails around mkdocs-macros.

- on_config: load and validate all data before any page is rendered; stop on any finding.
- on_page_markdown (before macros): reject phone numbers and emails typed into a page, and add
  the glossary's abbreviations so they show their expansion on hover.
- on_page_content: reject event handlers and unsafe link schemes in the page's HTML.
- on_env: make the "Worried about a child?" block available to the theme for every page.
- on_nav / on_page_content: capture each page's rendered content, in nav order, for the PDF.
- on_post_build: make the PDFs (whole handbook and one per chapter) from those pages, then check
  every link in the built site (theme, macro output and PDF links included).

Each failure raises PluginError listing every finding as file:line, so MkDocs exits non-zero
with a message an editor can act on.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page

from handbook import render, reviews
from handbook.content_checks import raw_contact_findings, unsafe_html_findings
from handbook.data import load_handbook
from handbook.edition import current_edition
from handbook.findings import HandbookError
from handbook.pdf.assemble import BookInfo, PrintError
from handbook.pdf.book import Book, BookError, PrintPage, build_book
from handbook.pdf.build import BOOK_PDF, build_pdfs, fill_download_sizes
from handbook.pdf.writer import PdfError
from handbook.records import Handbook
from handbook.site_checks import check_site

log = logging.getLogger("mkdocs.plugins.handbook")
review_log = logging.getLogger("handbook.reviews")
if not review_log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    review_log.addHandler(_handler)
    review_log.propagate = False
_H1_END = re.compile(r"</h1>")


class HandbookPluginConfig(Config):
    data_dir = config_options.Type(str, default="data")
    # Pages printed as appendices at the end of the PDF, in this order, wherever they are in the nav.
    pdf_appendices = config_options.Type(list, default=[])
    # Pages printed as forms, with room to write in their tables.
    pdf_forms = config_options.Type(list, default=[])
    # Pages in the site but not in the PDF.
    pdf_leave_out = config_options.Type(list, default=["index.md"])
    # Pages with no review front matter: generated lists, not content anyone reviews.
    review_exempt = config_options.Type(list, default=[])


def _nav_groups(items) -> list[tuple[str | None, list[str]]]:
    """The nav as (section title, [src_uri, ...]) groups; nested sections are flattened."""
    groups: list[tuple[str | None, list[str]]] = []
    for item in items:
        if isinstance(item, Section):
            uris = [p.file.src_uri for p in _pages_in(item.children)]
            groups.append((item.title, uris))
        elif isinstance(item, Page):
            groups.append((None, [item.file.src_uri]))
    return groups


def _pages_in(items):
    for item in items:
        if isinstance(item, Section):
            yield from _pages_in(item.children)
        elif isinstance(item, Page):
            yield item


class HandbookPlugin(BasePlugin[HandbookPluginConfig]):
    handbook: Handbook
    command = "build"

    def on_startup(self, *, command, dirty):
        self.command = command

    @property
    def pdf_enabled(self) -> bool:
        # `make build` always makes the PDFs; a live preview only when asked (they take seconds).
        # HANDBOOK_PDF=0 turns them off in a build too: the benchmark uses it to time other tools.
        switch = os.environ.get("HANDBOOK_PDF", "")
        return switch == "1" or (self.command != "serve" and switch != "0")

    @property
    def chapter_pdfs(self) -> bool:
        # HANDBOOK_CHAPTER_PDFS=0 makes only the whole-handbook PDF: a quicker preview, and the
        # like-for-like comparison in the benchmark (other tools make one PDF).
        return os.environ.get("HANDBOOK_CHAPTER_PDFS", "") != "0"

    def on_config(self, config):
        project_dir = Path(config.config_file_path).parent
        try:
            self.handbook = load_handbook(project_dir / self.config.data_dir, display_root=project_dir)
        except HandbookError as err:
            raise PluginError(str(err)) from None
        self.docs_prefix = Path(config.docs_dir).resolve().relative_to(project_dir.resolve()).as_posix()
        self.project_dir = project_dir
        self.print_pages: dict[str, PrintPage] = {}
        self.nav_groups: list[tuple[str | None, list[str]]] = []
        self.book: Book | None = None
        self.abbreviations = render.abbreviation_definitions(self.handbook)
        # Editors see what the service still has to confirm on every build; practitioners never do
        # (these notes are not rendered). Logged as information, not a warning, so that a strict
        # build still passes while the service is asked.
        if self.handbook.confirmations:
            log.info("%d records need confirmation by the service:", len(self.handbook.confirmations))
            for item in self.handbook.confirmations:
                log.info("  %s: %s: %s", item.where, item.record_id, item.what)
        return config

    def on_files(self, files, config):
        uris = [f.src_uri for f in files.documentation_pages() if f.src_uri not in self.config.review_exempt]
        reviews_found, findings = reviews.chapter_reviews(Path(config.docs_dir), sorted(uris), self.docs_prefix)
        self._fail(findings)
        self.chapter_reviews = reviews_found
        self.reviews_by_uri = {review.src_uri: review for review in reviews_found}
        day = reviews.today()
        late = reviews.overdue([*reviews_found, *self.handbook.record_reviews], day, self.handbook.review_policy)
        if late:
            # A warning, but not through MkDocs' logger: strict mode would turn it into a failed
            # build, and an overdue review must not stop an urgent correction from being published.
            review_log.warning("%d %s overdue for review on %s (see the Document control page):", len(late),
                               "item is" if len(late) == 1 else "items are", day.isoformat())
            for review in late:
                review_log.warning("  %s: %s was due by %s", review.where, review.describe(), review.due.isoformat())
        return files

    def _fail(self, findings) -> None:
        if findings:
            raise PluginError(str(HandbookError(findings)))

    # Run before mkdocs-macros (priority 0) so the check sees what the editor typed.
    @event_priority(50)
    def on_page_markdown(self, markdown, page, config, files):
        src = f"{self.docs_prefix}/{page.file.src_uri}"
        # Scan the file as written (front matter included) so line numbers match the editor's.
        self._fail(raw_contact_findings(page.file.content_string, src))
        return f"{markdown}\n\n{self.abbreviations}\n" if self.abbreviations else markdown

    def on_nav(self, nav, config, files):
        self.nav_groups = _nav_groups(nav.items)
        return nav

    def on_page_content(self, html, page, config, files):
        src = f"{self.docs_prefix}/{page.file.src_uri}"
        self._fail(unsafe_html_findings(html, page.file.content_string, src))
        html = render.focusable_first_abbreviations(html)
        review = self.reviews_by_uri.get(page.file.src_uri)
        if review is not None:
            line = str(render.reviewed_line(review))  # str: adding Markup to str would escape the </h1>
            html = _H1_END.sub(lambda m: f"{m.group(0)}\n{line}", html, count=1)
        live_url = urljoin(config.site_url, page.url) if config.site_url else self.handbook.publication.live_url
        # The chapter's own heading, not its (often shorter) nav label, so that the contents page
        # and the PDF bookmarks name each chapter the same way.
        title = page.toc.items[0].title if page.toc.items else (page.title or "")
        self.print_pages[page.file.src_uri] = PrintPage(page.file.src_uri, title, page.url, html, live_url,
                                                        source=page.file.content_string)
        return html

    def on_env(self, env, config, files):
        env.globals["handbook_urgent"] = render.urgent_block(self.handbook)
        pdf = {"enabled": False}
        if self.pdf_enabled:
            try:
                self.book = build_book(self.nav_groups, self.print_pages, self.config.pdf_appendices,
                                       tuple(self.config.pdf_leave_out))
            except BookError as err:
                raise PluginError(f"mkdocs.yml: {err}") from None
            chapters = {page.src_uri: page.pdf_name for page in self.book.pages} if self.chapter_pdfs else {}
            pdf = {"enabled": True, "book": BOOK_PDF, "chapters": chapters}
        env.globals["handbook_pdf"] = pdf
        return env

    def on_post_build(self, config):
        site_dir = Path(config.site_dir)
        if self.book is not None:
            publication = self.handbook.publication
            info = BookInfo(
                title=publication.title, subtitle=publication.subtitle, organisation=publication.organisation,
                live_url=config.site_url or publication.live_url, edition=current_edition(self.project_dir),
                urgent_html=render.urgent_block(self.handbook),
                cover_contacts_html=render.cover_contacts(self.handbook),
                next_update=render.long_date(reviews.next_planned_update(self.chapter_reviews)),
            )
            try:
                results = build_pdfs(self.book, info, site_dir, set(self.config.pdf_forms), self.chapter_pdfs)
            except PrintError as err:
                raise PluginError(str(HandbookError(err.findings))) from None
            except PdfError as err:
                raise PluginError(f"The PDF cannot be built: {err}") from None
            fill_download_sizes(site_dir, results)
            for name, result in results.items():
                log.info("PDF %s: %d pages, %d KB", name, result.pages, result.size // 1000)
        if self.command == "serve":
            # `mkdocs serve` sets site_url to its own http://127.0.0.1 address, which the link
            # check would rightly refuse. A preview is never published; `make build` checks.
            return
        self._fail(check_site(site_dir))
