"""The handbook's MkDocs plugin: wiring from MkDocs' events to the engine's stages, in the order a
build meets them. Each concern is a module of its own in this package:

- `theme`: the engine's theme, stylesheet, scripts and fonts, used without copying (on_config);
- `sources`: the data loaded and validated before any page is rendered, and the checks of
  `handbook check` on pages and data (on_config, on_files);
- `editions`: which edition this is, the editions already published, the amendments since the
  last one (on_config, on_files), edition.json and the feed (on_post_build);
- `converted`: each page's Markdown converted to HTML once, and kept for the next build, which
  converts again only what changed (on_config to on_post_build);
- `pages`: each page's abbreviations, status, safety check and page information, kept for the
  PDF (on_page_markdown, on_page_content), and the theme's globals (on_env);
- `pdf`: the PDFs. The process they are printed from starts loading WeasyPrint as the plugin is
  imported by `mkdocs build` (handbook/plugin/__init__.py), else in on_config; the first printing
  process warms up while the pages are read (on_nav); the printing starts as soon as every page's
  content is known and the static files (the fonts the PDFs embed) are in the site, before the
  first template is rendered (on_pre_template, on_page_context), so that they are printed while
  MkDocs writes the pages; stopped if the build fails (on_build_error);
- `live_preview`: `mkdocs serve` looks for changes sooner (on_serve);
- `search`, `offline`, `editors_form`: what on_post_build makes from the built site, where the
  PDFs are also waited for;
  then the whole built site's links are checked (`handbook.checks.site`).

Each failure raises PluginError listing every finding as file:line, so MkDocs exits non-zero with a
message an editor can act on.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import InclusionLevel

from handbook.cache import Memo, template_cache
from handbook.checks.claims import Records, claim_findings, site_claim_findings
from handbook.checks.site import check_site
from handbook.data import contents, reviews
from handbook.data.records import Handbook
from handbook.pdf import from_site
from handbook.pdf.assemble import BookInfo
from handbook.pdf.book import Book, PrintPage
from handbook.pdf.build import PdfBuild, printed_furniture
from handbook.plugin import converted, editions, live_preview, pages, pdf, search, sources
from handbook.plugin.editors_form import write_editors_form
from handbook.plugin.offline import OFFLINE_SCRIPT, write_offline_copy
from handbook.plugin.theme import use_engine_theme
from handbook.rendering import render


class HandbookPluginConfig(Config):
    data_dir = config_options.Type(str, default="data")
    # Which pages the PDF prints, and how (chapter, appendix, form or left out), is each page's own
    # front matter (`pdf:`), as its place in the contents is: handbook/data/contents.py.
    # Pages with no review front matter: generated lists, not content anyone reviews.
    review_exempt = config_options.Type(list, default=[])
    # The editors' form at admin/ (Decap CMS), made from the schemas and the nav.
    editors_form = config_options.Type(bool, default=True)


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

    @property
    def service_worker(self) -> bool:
        """Whether the site keeps itself on readers' devices: not in a live preview, which would then
        show saved pages instead of the edits; not in a draft preview of a pull request, which no
        one should carry about as the handbook; and not in the offline pack, which is opened from
        disk, where browsers have no service workers."""
        return self.command != "serve" and not self.preview and not self.offline_pack

    @property
    def _writes_editors_form(self) -> bool:
        # Editors change the working copy, never an edition, a draft preview or the offline pack.
        return self.config.editors_form and not (self.edition.published or self.preview or self.offline_pack)

    def on_config(self, config):
        use_engine_theme(config)
        project_dir = Path(config.config_file_path).resolve().parent
        self.project_dir = project_dir
        self.docs_prefix = Path(config.docs_dir).resolve().relative_to(project_dir.resolve()).as_posix()
        self.handbook = sources.load_data(project_dir, self.docs_prefix, self.config.data_dir,
                                          tuple(self.config.review_exempt))
        self.edition = editions.this_edition(project_dir)
        self.editions_repo = editions.editions_repository(project_dir)
        self.published = editions.already_published(self.editions_repo)
        repo = str(config.extra.get("handbook_repo") or "")
        if repo and not re.fullmatch(r"https://[^\s\"'<>]+", repo):
            raise PluginError(f'HANDBOOK_REPO_URL must be the repository\'s https:// address, not "{repo}".')
        # A preview of changes not yet merged (a pull request): marked as a draft on every page,
        # kept out of search engines, and watermarked in the PDFs. Never an edition.
        self.preview = os.environ.get("HANDBOOK_PREVIEW", "") == "1"
        if self.preview and self.edition.published:
            raise PluginError("HANDBOOK_PREVIEW and HANDBOOK_EDITION are both set: a draft preview is never "
                              "an edition.")
        editions.check_versioned_build(config, self.edition)
        # The live handbook as pages and PDFs name it. `mkdocs serve` sets site_url to its own
        # http://127.0.0.1 address, which is no address to print or to link a QR code to.
        self.site_url = "" if self.command == "serve" else config.site_url
        self.live_url = self.site_url or self.handbook.publication.live_url
        # Material's offline plugin: the offline pack (`handbook offline`), opened from disk.
        self.offline_pack = any(name == "offline" or name.endswith("/offline") for name in config.plugins)
        self.print_pages: dict[str, PrintPage] = {}
        self.book: Book | None = None
        self.book_info: BookInfo | None = None  # the cover's and footers' words, made once the pages are read
        self.pdf_build: PdfBuild | None = None
        self.pdf_warm = None  # the first printing process, started early (on_nav)
        # The menu, from data/sections.yaml and each page's front matter: mkdocs.yml lists no page.
        self.contents = sources.contents(config, project_dir, self.docs_prefix, self.config.data_dir,
                                         tuple(self.config.review_exempt), self.handbook)
        config.nav = self.contents.nav()
        self.abbreviations = render.abbreviation_definitions(self.handbook)
        sources.log_confirmations(self.handbook)
        if self.pdf_enabled:
            pdf.load_printer()
        converted.start(config)
        return config

    def on_files(self, files, config):
        self.page_uris = {f.src_uri for f in files.documentation_pages()}
        # The editors' pages (mkdocs.yml's not_in_nav), as built: they explain the records.
        self.editors_pages = {f.dest_uri for f in files.documentation_pages() if f.inclusion.is_not_in_nav()}
        for file in files.documentation_pages():
            if self.contents.withdrawal(file.src_uri):
                # Its address answers, but from no menu and no search: as an editors' page is built.
                file.inclusion = InclusionLevel.NOT_IN_NAV
        uris = sorted(uri for uri in self.page_uris if uri not in self.config.review_exempt)
        sources.run_page_checks(self.project_dir, self.docs_prefix, self.config.data_dir,
                                tuple(self.config.review_exempt), self.handbook, config.not_in_nav)
        # Front matter is valid by now (the checks would have stopped the build).
        self.chapter_reviews, _ = reviews.chapter_reviews(Path(config.docs_dir), uris, self.docs_prefix)
        self.reviews_by_uri = {review.src_uri: review for review in self.chapter_reviews}
        self.amendments, self.amendment_history = editions.amendments(
            self.edition, self.published, self.editions_repo, self.project_dir, Path(config.docs_dir),
            self.project_dir / self.config.data_dir, uris)
        sources.log_wording_to_confirm(Path(config.docs_dir), self.docs_prefix, self.page_uris)
        return files

    # Run before mkdocs-macros (priority 0). Typed phone numbers and emails were checked in on_files,
    # in the files as written, so that line numbers match the editor's.
    @event_priority(50)
    def on_page_markdown(self, markdown, page, config, files):
        return pages.page_markdown(markdown, page, self.amendments, self.abbreviations,
                                   self.contents.withdrawal(page.file.src_uri))

    def on_nav(self, nav, config, files):
        if self.pdf_enabled:
            self.pdf_warm = pdf.warm_up(files, Path(config.site_dir))
        return nav

    def on_page_content(self, html, page, config, files):
        html = pages.page_content(html, page, f"{self.docs_prefix}/{page.file.src_uri}",
                                  self.reviews_by_uri.get(page.file.src_uri), self.amendments)
        withdrawal = self.contents.withdrawal(page.file.src_uri)
        if withdrawal is not None:
            html = pages.withdrawn_content(html, page, withdrawal, files, self.amendment_history)
        self.print_pages[page.file.src_uri] = pages.print_page(html, page, self.site_url,
                                                               self.handbook.publication.live_url)
        # Marked in the built page, for `handbook pdf SITE_DIR` to print from (handbook/pdf/from_site.py).
        return from_site.marked(html) if self.pdf_enabled else html

    # MkDocs 1.6 reads every page (on_pre_page ... on_page_content), then on_env, then copies the
    # static files, then renders the theme's own templates (404.html, sitemap.xml) and the pages.
    # The first of those renders is the first moment the PDFs have all they need.
    def on_pre_template(self, template, template_name, config):
        self._start_pdfs(config)
        return template

    def on_page_context(self, context, page, config, nav):
        self._start_pdfs(config)
        return context

    def _start_pdfs(self, config) -> None:
        if self.book is not None and self.pdf_build is None:
            self.pdf_build = pdf.start_pdfs(self.book, self.book_info, Path(config.site_dir),
                                            self._forms, self.chapter_pdfs, self.pdf_warm)

    def on_build_error(self, error):
        converted.stop()
        # Also called when on_config itself failed, before it set pdf_build.
        pdf_build = getattr(self, "pdf_build", None)
        if pdf_build is not None:
            pdf_build.stop()
        elif getattr(self, "pdf_warm", None) is not None:
            self.pdf_warm.stop()

    def _book_info(self):
        return pdf.book_info(self.handbook, self.edition, self.live_url, self.chapter_reviews, self.preview)

    def on_post_page(self, output, page, config):
        return pages.theme_markup(output)

    def on_post_template(self, output_content, template_name, config):
        # The 404 page, rendered from the theme's template rather than from a page.
        return pages.theme_markup(output_content)

    def on_serve(self, server, config, builder):
        live_preview.look_for_changes_sooner(server)
        return server

    def on_env(self, env, config, files):
        env.bytecode_cache = template_cache("theme")
        self.search_worker = search.worker_for(config)
        links = {"enabled": False}
        if self.pdf_enabled:
            self.book = pdf.plan_book(self.contents, self.print_pages)
            links = pdf.pdf_links(self.book, self.chapter_pdfs)
            # Every page has been read, so the cover and footers can be made, and checked before
            # anything is printed: the built pages are checked once written (on_post_build).
            self.book_info = self._book_info()
            sources.fail(claim_findings(printed_furniture(self.book_info), self._claim_records(), self._data_texts()))
        pages.theme_globals(env, files, self.handbook, self.edition, self.preview, self.search_worker,
                            {"script": OFFLINE_SCRIPT, "service_worker": self.service_worker}, links)
        return env

    def on_post_build(self, config):
        converted.stop()
        site_dir = Path(config.site_dir)
        editions.write_edition_files(site_dir, self.edition, self.amendments, self.amendment_history,
                                     self.handbook.publication, config.site_url)
        search.finish_search(site_dir, self.handbook, self.search_worker)
        # Before waiting for the PDFs, which are being printed meanwhile.
        if self._writes_editors_form:
            write_editors_form(config, self.project_dir, self.project_dir / self.config.data_dir)
        if self.book is not None:
            self._start_pdfs(config)  # a site with no templates to render
            pdf.finish_pdfs(self.pdf_build, self.handbook, site_dir)
            from_site.write_manifest(site_dir, self.book, self.book_info, self._forms,
                                     self.chapter_pdfs, self.docs_prefix)
        if self.service_worker:
            write_offline_copy(site_dir, self.search_worker)
        Memo().prune()
        if self.command == "serve":
            # `mkdocs serve` sets site_url to its own http://127.0.0.1 address, which the link
            # check would rightly refuse. A preview is never published; `make build` checks.
            return
        sources.fail(check_site(site_dir))
        sources.fail(site_claim_findings(site_dir, self._claim_records(), self.editors_pages, self._data_texts()))

    @property
    def _forms(self) -> set[str]:
        return set(self.contents.printed_as(contents.FORM))

    def _data_texts(self) -> dict[str, str]:
        return sources.data_texts(self.project_dir, self.config.data_dir)

    def _claim_records(self) -> Records:
        """Which statements about the handbook's own state this build has a record for."""
        return Records(review_due=any(r.due for r in self.chapter_reviews),
                       last_reviewed=any(r.last_reviewed for r in self.chapter_reviews),
                       last_verified=any(r.last_reviewed for r in self.handbook.record_reviews),
                       published=self.edition.published)
