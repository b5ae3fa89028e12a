"""The handbook's MkDocs plugin: the build-time guard rails around mkdocs-macros.

- on_config: load and validate all data before any page is rendered; stop on any finding.
- on_page_markdown (before macros): reject phone numbers and emails typed into a page, and add
  the glossary's abbreviations so they show their expansion on hover.
- on_page_content: reject event handlers and unsafe link schemes in the page's HTML.
- on_env: make the "Worried about a child?" block available to the theme for every page.
- on_post_build: check every link in the built site (theme and macro output included).

Each failure raises PluginError listing every finding as file:line, so MkDocs exits non-zero
with a message an editor can act on.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from handbook import render
from handbook.content_checks import raw_contact_findings, unsafe_html_findings
from handbook.data import load_handbook
from handbook.findings import HandbookError
from handbook.records import Handbook
from handbook.site_checks import check_site

log = logging.getLogger("mkdocs.plugins.handbook")


class HandbookPluginConfig(Config):
    data_dir = config_options.Type(str, default="data")


class HandbookPlugin(BasePlugin[HandbookPluginConfig]):
    handbook: Handbook
    command = "build"

    def on_startup(self, *, command, dirty):
        self.command = command

    def on_config(self, config):
        project_dir = Path(config.config_file_path).parent
        try:
            self.handbook = load_handbook(project_dir / self.config.data_dir, display_root=project_dir)
        except HandbookError as err:
            raise PluginError(str(err)) from None
        self.docs_prefix = Path(config.docs_dir).resolve().relative_to(project_dir.resolve()).as_posix()
        # Editors see what the service still has to confirm on every build; practitioners never do
        # (these notes are not rendered). Logged as information, not a warning, so that a strict
        # build still passes while the service is asked.
        if self.handbook.confirmations:
            log.info("%d records need confirmation by the service:", len(self.handbook.confirmations))
            for item in self.handbook.confirmations:
                log.info("  %s: %s: %s", item.where, item.record_id, item.what)
        return config

    def _fail(self, findings) -> None:
        if findings:
            raise PluginError(str(HandbookError(findings)))

    # Run before mkdocs-macros (priority 0) so the check sees what the editor typed.
    @event_priority(50)
    def on_page_markdown(self, markdown, page, config, files):
        src = f"{self.docs_prefix}/{page.file.src_uri}"
        # Scan the file as written (front matter included) so line numbers match the editor's.
        self._fail(raw_contact_findings(page.file.content_string, src))
        abbreviations = render.abbreviation_definitions(self.handbook)
        return f"{markdown}\n\n{abbreviations}\n" if abbreviations else markdown

    def on_page_content(self, html, page, config, files):
        src = f"{self.docs_prefix}/{page.file.src_uri}"
        self._fail(unsafe_html_findings(html, page.file.content_string, src))
        return render.focusable_first_abbreviations(html)

    def on_env(self, env, config, files):
        env.globals["handbook_urgent"] = render.urgent_block(self.handbook)
        return env

    def on_post_build(self, config):
        if self.command == "serve":
            # `mkdocs serve` sets site_url to its own http://127.0.0.1 address, which the link
            # check would rightly refuse. A preview is never published; `make build` checks.
            return
        self._fail(check_site(Path(config.site_dir)))
