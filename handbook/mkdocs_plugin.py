"""The handbook's MkDocs plugin: the build-time guard rails around mkdocs-macros.

- on_config: load and validate all data before any page is rendered; stop on any finding. Work
  out which edition this build is and read the editions already published (gh-pages).
- on_files: run the checks of `handbook check`, typed phone numbers and emails among them (errors
  stop the build, warnings are printed; overdue reviews stop a publication); read every page's
  review front matter; work out the amendments since the last published edition; list the wording
  pages mark as to be confirmed (to_confirm), with file:line; add the engine's own scripts for every
  page (handbook/assets/: the offline copy, the search index on demand).
- on_page_markdown (before macros): add the glossary's abbreviations so they show their
  expansion on hover.
- on_page_content: reject event handlers and unsafe link schemes in the page's HTML; add the
  page information (changes in this edition, owner, review dates) after the chapter's text.
- on_env: make the "Worried about a child?" block available to the theme for every page, with the
  edition, the search worker and the offline copy's settings.
- on_post_page / on_post_template: name Material's search dialog (theme_markup).
- on_nav / on_page_content: capture each page's rendered content, in nav order, for the PDF.
- on_pre_page (the first page): start printing the PDFs (whole handbook and one per chapter) from
  those pages, in processes of their own beside the rest of the build (handbook.pdf.build).
- on_post_build: write edition.json and the amendments feed; add the search words to the search
  index and write the search worker (search_index, search_worker); wait for the PDFs; list every
  file for the offline copy in sw.js (service_worker); then check every link in the built site
  (theme, macro output and PDF links included). on_build_error stops the PDFs' processes.

Each failure raises PluginError listing every finding as file:line, so MkDocs exits non-zero
with a message an editor can act on.
"""

from __future__ import annotations

import json
import logging
import os
import re
from importlib.resources import files as package_files
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page

from handbook import render, reviews
from handbook.admin import ADMIN_DIR, backend_from_environment, write_admin
from handbook.amendments import EditionAmendments, amendments_since
from handbook.check import ERROR, run_checks
from handbook.cms_config import CmsConfigError
from handbook.content_checks import unsafe_html_findings
from handbook.data import load_handbook
from handbook.decap import DecapError
from handbook.edition import current_edition, edition_key
from handbook.editions import DEFAULT_BRANCH, EDITION_FILE, published_editions
from handbook.feed import FEED_FILE, amendments_feed
from handbook.findings import Finding, HandbookError
from handbook.git import GitError
from handbook.macro_calls import wording_to_confirm
from handbook.pdf.assemble import BookInfo, PrintError
from handbook.pdf.book import Book, BookError, PrintPage, build_book
from handbook.pdf.build import BOOK_PDF, QUICK_REFERENCE_PDF, PdfBuild, fill_download_sizes
from handbook.pdf.writer import PdfError, TooManyPages
from handbook.records import Handbook
from handbook.search_index import add_search_terms, unused_synonyms
from handbook.search_worker import SearchWorker, SearchWorkerError, pages_not_using, search_worker, write_search_worker
from handbook.service_worker import precache_entries, write_service_worker
from handbook.site_checks import check_site
from handbook.theme_markup import name_search_dialog

log = logging.getLogger("mkdocs.plugins.handbook")
# Linked from every page's footer (UK public sector accessibility regulations).
ACCESSIBILITY_PAGE = "accessibility.md"
review_log = logging.getLogger("handbook.reviews")
if not review_log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    review_log.addHandler(_handler)
    review_log.propagate = False
# The engine's own scripts for every page, from handbook/assets/, at these addresses in the site.
OFFLINE_SCRIPT = "assets/handbook/offline.js"
SEARCH_ON_DEMAND_SCRIPT = "assets/handbook/search-on-demand.js"


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
    # The editors' form at admin/ (Decap CMS), made from the schemas and the nav.
    editors_form = config_options.Type(bool, default=True)


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
        project_dir = Path(config.config_file_path).resolve().parent
        self.docs_prefix = Path(config.docs_dir).resolve().relative_to(project_dir.resolve()).as_posix()
        try:
            self.handbook = load_handbook(project_dir / self.config.data_dir, display_root=project_dir)
        except HandbookError:
            # Every mistake at once: with the data's, the pages' own errors, as `handbook check` finds them.
            found = run_checks(project_dir, self.docs_prefix, self.config.data_dir, tuple(self.config.review_exempt))
            raise PluginError(str(HandbookError([f.finding for f in found
                                                 if f.severity == ERROR and f.check != "data-layout"]))) from None
        self.project_dir = project_dir
        try:
            self.edition = current_edition(project_dir)
        except ValueError as err:
            raise PluginError(f"HANDBOOK_EDITION: {err}") from None
        # Editions already published, for the amendments. The offline pack is built from an exported
        # commit, outside any repository, so `handbook offline` says where the repository is.
        self.editions_repo = Path(os.environ.get("HANDBOOK_EDITIONS_REPO") or project_dir)
        try:
            self.published = published_editions(self.editions_repo,
                                                 os.environ.get("HANDBOOK_EDITIONS_BRANCH") or DEFAULT_BRANCH)
        except ValueError as err:
            raise PluginError(f"The published editions cannot be read: {err}") from None
        repo = str(config.extra.get("handbook_repo") or "")
        if repo and not re.fullmatch(r"https://[^\s\"'<>]+", repo):
            raise PluginError(f'HANDBOOK_REPO_URL must be the repository\'s https:// address, not "{repo}".')
        # A preview of changes not yet merged (a pull request): marked as a draft on every page,
        # kept out of search engines, and watermarked in the PDFs. Never an edition.
        self.preview = os.environ.get("HANDBOOK_PREVIEW", "") == "1"
        if self.preview and self.edition.published:
            raise PluginError("HANDBOOK_PREVIEW and HANDBOOK_EDITION are both set: a draft preview is never "
                              "an edition.")
        versioned = os.environ.get("MIKE_DOCS_VERSION", "")
        if versioned:
            # Built by `handbook publish` into its own folder beside the other editions.
            if versioned != self.edition.id:
                raise PluginError(f"MIKE_DOCS_VERSION ({versioned}) and HANDBOOK_EDITION "
                                  f"({self.edition.id or 'unset'}) differ: publish with `handbook publish EDITION`.")
            config.extra["version"] = {"provider": "mike"}  # Material's edition selector
            if config.site_url:
                # Printed copies and canonical links send readers to the current edition.
                config.site_url = urljoin(config.site_url, "latest/")
        # The live handbook as pages and PDFs name it. `mkdocs serve` sets site_url to its own
        # http://127.0.0.1 address, which is no address to print or to link a QR code to.
        self.site_url = "" if self.command == "serve" else config.site_url
        self.live_url = self.site_url or self.handbook.publication.live_url
        # Material's offline plugin: the offline pack (`handbook offline`), opened from disk.
        self.offline_pack = any(name == "offline" or name.endswith("/offline") for name in config.plugins)
        self.print_pages: dict[str, PrintPage] = {}
        self.nav_groups: list[tuple[str | None, list[str]]] = []
        self.book: Book | None = None
        self.pdf_build: PdfBuild | None = None
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
        self.page_uris = {f.src_uri for f in files.documentation_pages()}
        uris = [uri for uri in self.page_uris if uri not in self.config.review_exempt]
        # The same checks as `handbook check` (typed contacts, front matter, links, ...): errors stop
        # the build, and so do overdue reviews when publishing an edition. Other warnings are printed,
        # but not through MkDocs' logger: strict mode would turn them into a failed build, and an
        # overdue review or a long sentence must not stop an urgent correction from being published.
        found = run_checks(self.project_dir, self.docs_prefix, self.config.data_dir, tuple(self.config.review_exempt))
        publishing = os.environ.get("HANDBOOK_PUBLISHING") == "1"
        # A data file's layout is for the repository's diffs, not the readers: `handbook check` (on every
        # pull request) requires it, a build only says so.
        stops = [f for f in found if (f.severity == ERROR and f.check != "data-layout")
                 or (publishing and f.check == "review-due")]
        self._fail([f.finding for f in stops])
        warnings = [f for f in found if f not in stops]
        if warnings:
            review_log.warning("%d %s from `handbook check` (see the Document control page for reviews):",
                               len(warnings), "warning" if len(warnings) == 1 else "warnings")
            for warning in warnings:
                review_log.warning("  %s", warning)
        # Front matter is valid by now (the checks would have stopped the build).
        self.chapter_reviews, _ = reviews.chapter_reviews(Path(config.docs_dir), sorted(uris), self.docs_prefix)
        self.reviews_by_uri = {review.src_uri: review for review in self.chapter_reviews}
        self.amendments, self.amendment_history = self._amendments(config, sorted(uris))
        self._log_wording_to_confirm(Path(config.docs_dir))
        for address in (OFFLINE_SCRIPT, SEARCH_ON_DEMAND_SCRIPT):
            source = package_files("handbook").joinpath("assets", address.rsplit("/", 1)[1])
            files.append(File.generated(config, address, content=source.read_bytes()))
        return files

    @property
    def service_worker(self) -> bool:
        """Whether the site keeps itself on readers' devices: not in a live preview, which would then
        show saved pages instead of the edits; not in a draft preview of a pull request, which no
        one should carry about as the handbook; and not in the offline pack, which is opened from
        disk, where browsers have no service workers."""
        return self.command != "serve" and not self.preview and not self.offline_pack

    def _log_wording_to_confirm(self, docs_dir: Path) -> None:
        """List every passage rebuilt from a damaged source (to_confirm), with file:line, beside the
        records that need confirmation: the service is asked about both. Information, not a warning,
        for the same reason as those records."""
        found = [(f"{self.docs_prefix}/{uri}:{line}", wording) for uri in sorted(self.page_uris)
                 for line, wording in wording_to_confirm((docs_dir / uri).read_text(encoding="utf-8"))]
        if found:
            log.info("%d passages of wording need confirmation by the service (rebuilt from a damaged source, "
                     'marked "Wording to be confirmed" on their page):', len(found))
            for where, wording in found:
                words = wording.split()
                log.info('  %s: "%s"', where, " ".join(words[:12]) + (" ..." if len(words) > 12 else ""))

    def _amendments(self, config, page_uris: list[str]):
        """This build's amendments (since the edition before it) and the whole history, newest first."""
        own = self.edition.id
        stored = next((e for e in self.published if own and e.id == own), None)
        earlier = [e for e in self.published if not own or edition_key(e.id) < edition_key(own)]
        if stored is not None:
            # Rebuilding a published edition (the offline pack): its amendments are history.
            current = EditionAmendments.from_json(stored.amendments)
        else:
            since = earlier[-1] if earlier else None
            items = ()
            if since is not None:
                try:
                    items = tuple(amendments_since(self.editions_repo, since.commit, self.project_dir,
                                                   Path(config.docs_dir), self.project_dir / self.config.data_dir,
                                                   page_uris))
                except GitError as err:
                    raise PluginError(f"The amendments since edition {since.id} cannot be worked out: {err}") from None
            current = EditionAmendments(own, self.edition.iso_date, since.id if since else "", items)
        history = [current] + [EditionAmendments.from_json(e.amendments) for e in reversed(earlier) if e.amendments]
        return current, history

    def _fail(self, findings) -> None:
        if findings:
            raise PluginError(str(HandbookError(findings)))

    # Run before mkdocs-macros (priority 0). Typed phone numbers and emails were checked in on_files,
    # in the files as written, so that line numbers match the editor's.
    @event_priority(50)
    def on_page_markdown(self, markdown, page, config, files):
        change = self.amendments.page_change(page.file.src_uri)
        if change is not None and change.change in ("added", "changed"):
            # Material shows the status as a mark beside the page in the navigation.
            page.meta["status"] = "new" if change.change == "added" else "updated"
        return f"{markdown}\n\n{self.abbreviations}\n" if self.abbreviations else markdown

    def on_nav(self, nav, config, files):
        self.nav_groups = _nav_groups(nav.items)
        return nav

    def on_page_content(self, html, page, config, files):
        src = f"{self.docs_prefix}/{page.file.src_uri}"
        self._fail(unsafe_html_findings(html, page.file.content_string, src))
        html = render.focusable_first_abbreviations(html)
        html = render.mark_links_that_show_their_address(render.label_task_list_items(html))
        review = self.reviews_by_uri.get(page.file.src_uri)
        if review is not None:
            # After the chapter's own text, never between its title and its first instruction: on a
            # phone the reader meets what to do first. The PDF prints the same block at the chapter's end.
            change = self.amendments.page_change(page.file.src_uri)
            html = f"{html}\n{render.page_information(review, change, self.amendments)}"
        live_url = urljoin(self.site_url, page.url) if self.site_url else self.handbook.publication.live_url
        # The chapter's own heading, not its (often shorter) nav label, so that the contents page
        # and the PDF bookmarks name each chapter the same way.
        title = page.toc.items[0].title if page.toc.items else (page.title or "")
        self.print_pages[page.file.src_uri] = PrintPage(page.file.src_uri, title, page.url, html, live_url,
                                                        source=page.file.content_string)
        return html

    def on_pre_page(self, page, config, files):
        # The PDFs are printed beside the rest of the build from here: the fonts they embed are in
        # site/ by now (MkDocs copies the static files before it writes the first page).
        if self.book is not None and self.pdf_build is None:
            self.pdf_build = PdfBuild(self.book, self._book_info(), Path(config.site_dir),
                                      set(self.config.pdf_forms), self.chapter_pdfs)
            self.pdf_build.start()
        return page

    def on_build_error(self, error):
        # Also called when on_config itself failed, before it set pdf_build.
        pdf_build = getattr(self, "pdf_build", None)
        if pdf_build is not None:
            pdf_build.stop()

    def _book_info(self) -> BookInfo:
        publication = self.handbook.publication
        return BookInfo(
            title=publication.title, subtitle=publication.subtitle, organisation=publication.organisation,
            live_url=self.live_url, edition=self.edition,
            urgent_html=render.urgent_block(self.handbook),
            urgent_footer=render.urgent_footer(self.handbook),
            quick_reference_html=render.quick_reference(self.handbook, self.edition, self.live_url),
            cover_contacts_html=render.cover_contacts(self.handbook),
            next_update=render.long_date(reviews.next_planned_update(self.chapter_reviews)),
            draft=self.preview,
        )

    def on_post_page(self, output, page, config):
        return name_search_dialog(output)

    def on_post_template(self, output_content, template_name, config):
        # The 404 page, rendered from the theme's template rather than from a page.
        return name_search_dialog(output_content)

    def on_env(self, env, config, files):
        env.globals["handbook_urgent"] = render.urgent_block(self.handbook)
        env.globals["handbook_edition"] = self.edition
        env.globals["handbook_preview"] = self.preview
        statement = files.get_file_from_path(ACCESSIBILITY_PAGE)
        env.globals["handbook_accessibility"] = statement.url if statement is not None else None
        # The theme points each page's search at Material's worker with the handbook's additions.
        self.search_worker: SearchWorker | None = None
        # Material registers its search plugin as "material/search".
        if any(name == "search" or name.endswith("/search") for name in config.plugins):
            try:
                self.search_worker = search_worker(config.theme.dirs)
            except SearchWorkerError as err:
                raise PluginError(f"The site's search cannot be built: {err}") from None
        env.globals["handbook_search_worker"] = self.search_worker
        env.globals["handbook_search_on_demand"] = SEARCH_ON_DEMAND_SCRIPT if self.search_worker else None
        env.globals["handbook_offline"] = {"script": OFFLINE_SCRIPT, "service_worker": self.service_worker}
        pdf = {"enabled": False}
        if self.pdf_enabled:
            try:
                self.book = build_book(self.nav_groups, self.print_pages, self.config.pdf_appendices,
                                       tuple(self.config.pdf_leave_out))
            except BookError as err:
                raise PluginError(f"mkdocs.yml: {err}") from None
            chapters = {page.src_uri: page.pdf_name for page in self.book.pages} if self.chapter_pdfs else {}
            # The Quick reference page's own PDF is the one-page quick reference.
            chapters[render.QUICK_REFERENCE_PAGE] = QUICK_REFERENCE_PDF
            pdf = {"enabled": True, "book": BOOK_PDF, "chapters": chapters}
        env.globals["handbook_pdf"] = pdf
        return env

    @property
    def _writes_editors_form(self) -> bool:
        # Editors change the working copy, never an edition, a draft preview or the offline pack.
        return self.config.editors_form and not (self.edition.published or self.preview or self.offline_pack)

    def on_post_build(self, config):
        site_dir = Path(config.site_dir)
        # What this build is, for `handbook publish` and for the next edition's amendments.
        (site_dir / EDITION_FILE).write_text(json.dumps({
            "edition": self.edition.id, "date": self.edition.iso_date, "commit": self.edition.commit_sha,
            "amendments": self.amendments.to_json(),
        }, indent=2) + "\n", encoding="utf-8")
        (site_dir / FEED_FILE).write_bytes(amendments_feed(
            self.amendment_history, self.handbook.publication, config.site_url))
        # Material's search plugin, listed before this one, has written its index by now.
        search_index = site_dir / "search" / "search_index.json"
        if search_index.is_file():
            index = json.loads(search_index.read_text(encoding="utf-8"))
            self._fail(unused_synonyms(index, self.handbook.synonyms))
            try:
                add_search_terms(index, self.handbook.terms, self.handbook.synonyms)
            except ValueError as err:
                raise PluginError(f"search/search_index.json: {err}") from None
            search_index.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        if self.search_worker is not None:
            write_search_worker(self.search_worker, site_dir)
            wrong = pages_not_using(self.search_worker, site_dir)
            if wrong:
                raise PluginError("These pages would search without the handbook's additions, because "
                                  "overrides/main.html no longer finds Material's search worker in its template: "
                                  + ", ".join(wrong[:5]) + (" ..." if len(wrong) > 5 else ""))
        if self.book is not None:
            if self.pdf_build is None:
                self.pdf_build = PdfBuild(self.book, self._book_info(), site_dir, set(self.config.pdf_forms),
                                          self.chapter_pdfs)
                self.pdf_build.start()
            try:
                results = self.pdf_build.finish()
            except PrintError as err:
                raise PluginError(str(HandbookError(err.findings))) from None
            except TooManyPages as err:
                settings = self.handbook.quick_reference
                raise PluginError(str(HandbookError([Finding(
                    settings.file, settings.line,
                    f"the quick reference does not fit on one A4 page: it takes {err.pages} pages, so "
                    f"pdf/{QUICK_REFERENCE_PDF} cannot be made. Print less on it: fewer contacts or timeframes "
                    "under quick_reference here, or a shorter short_response for a level in data/thresholds.yaml.",
                )]))) from None
            except PdfError as err:
                raise PluginError(f"The PDF cannot be built: {err}") from None
            fill_download_sizes(site_dir, results)
            for name, result in results.items():
                log.info("PDF %s: %d pages, %d KB", name, result.pages, result.size // 1000)
        if self._writes_editors_form:
            try:
                count = write_admin(site_dir / ADMIN_DIR, self.project_dir, Path(config.docs_dir),
                                    self.project_dir / self.config.data_dir, config.nav,
                                    backend_from_environment(local=True), config.site_name)
            except (CmsConfigError, DecapError) as err:
                raise PluginError(f"The editors' form cannot be made: {err}") from None
            log.info("Editors' form: admin/ (%d files)", count)
        if self.service_worker:
            entries = precache_entries(site_dir, leave_out=(self.search_worker.material,) if self.search_worker else ())
            write_service_worker(site_dir, entries)
            log.info("Offline copy for readers' devices: %d files, %.2f MB (sw.js)", len(entries),
                     sum(e.size for e in entries) / 1e6)
        if self.command == "serve":
            # `mkdocs serve` sets site_url to its own http://127.0.0.1 address, which the link
            # check would rightly refuse. A preview is never published; `make build` checks.
            return
        self._fail(check_site(site_dir))
