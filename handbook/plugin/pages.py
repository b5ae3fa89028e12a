"""Each page as it is rendered: the glossary's abbreviations, the page's status in this edition,
unsafe HTML refused, the page information after the text, and the page kept for the PDF; and the
theme's globals (the urgent block, the edition, the search, the offline copy, the PDF links)."""

from __future__ import annotations

import datetime as dt
import posixpath
from urllib.parse import urljoin

from markupsafe import escape

from handbook.cache import Memo
from handbook.checks.content import unsafe_html_findings
from handbook.data.reviews import first_heading, split_front_matter
from handbook.pdf.book import PrintPage
from handbook.plugin.sources import fail
from handbook.rendering import render
from handbook.web.theme_markup import name_search_dialog, unlabel_missing_toc_toggle

# Linked from every page's footer (UK public sector accessibility regulations).
ACCESSIBILITY_PAGE = "accessibility.md"
# Linked from every page's footer too: the editors' pages are in no practitioner's menu (not_in_nav).
EDITOR_GUIDE = "editors/index.md"
SEARCH_ON_DEMAND_SCRIPT = "assets/handbook/search-on-demand.js"


def page_markdown(markdown: str, page, amendments, abbreviations: str, withdrawal=None) -> str:
    if withdrawal is not None:
        # Only its title: its text no longer applies, and page_content adds the notice after it.
        # Kept out of the menu and the search as an editors' page is (its inclusion, set in on_files).
        title = first_heading(markdown) or page.file.name
        markdown = "# " + str(escape(title)).replace("{", "&#123;").replace("}", "&#125;") + "\n"
        abbreviations = ""
    if page.file.inclusion.is_not_in_nav():
        # mkdocs.yml's not_in_nav names the pages for editors, which practitioners should meet
        # neither in the menus nor in the search: Material's own `search: exclude`, set here so
        # that one list says which pages they are.
        search = page.meta.get("search")
        page.meta["search"] = {**(search if isinstance(search, dict) else {}), "exclude": True}
    change = amendments.page_change(page.file.src_uri)
    if change is not None and change.change in ("added", "changed"):
        # Material shows the status as a mark beside the page in the navigation.
        page.meta["status"] = "new" if change.change == "added" else "updated"
    return f"{markdown}\n\n{abbreviations}\n" if abbreviations else markdown


def page_content(html: str, page, src: str, review, amendments) -> str:
    fail(unsafe_html_findings(html, page.file.content_string, src, Memo()))
    html = render.focusable_first_abbreviations(html)
    html = render.mark_links_that_show_their_address(render.label_task_list_items(html))
    if review is not None:
        # After the chapter's own text, never between its title and its first instruction: on a
        # phone the reader meets what to do first. The PDF prints the same block at the chapter's end.
        change = amendments.page_change(page.file.src_uri)
        html = f"{html}\n{render.page_information(review, change, amendments)}"
    return html


def withdrawn_content(html: str, page, withdrawal, files, history) -> str:
    """A withdrawn chapter's page: its title, then when, why, and where its guidance is now."""
    replacement = None
    if withdrawal.replaced_by:
        target = files.get_file_from_path(withdrawal.replaced_by)
        title = first_heading(split_front_matter(target.content_string)[1]) or target.name
        replacement = (title, target.url_relative_to(page.file))
    home = files.get_file_from_path("index.md")
    # Without a home page, the site's root, from this page's folder.
    home_href = (home.url_relative_to(page.file) if home is not None
                 else posixpath.relpath(".", posixpath.dirname(page.file.url) or ".") + "/")
    notice = render.withdrawn_notice(dt.date.fromisoformat(withdrawal.date), withdrawal.reason,
                                     withdrawn_in(withdrawal.src_uri, history), home_href, replacement)
    return f"{html}\n{notice}"


def withdrawn_in(src_uri: str, history) -> str:
    """The edition whose amendments first say the page was withdrawn ("" if none published yet)."""
    for edition in reversed(history):  # oldest first
        if any(item.kind == "page" and item.page == src_uri and item.change in ("withdrawn", "renamed")
               for item in edition.items):
            return edition.edition
    return ""


def print_page(html: str, page, site_url: str, live_url: str) -> PrintPage:
    """The page as the PDF prints it, with the address its footer names."""
    own_url = urljoin(site_url, page.url) if site_url else live_url
    # The chapter's own heading, not its (often shorter) nav label, so that the contents page
    # and the PDF bookmarks name each chapter the same way.
    title = page.toc.items[0].title if page.toc.items else (page.title or "")
    return PrintPage(page.file.src_uri, title, page.url, html, own_url, source=page.file.content_string)


def theme_markup(output: str) -> str:
    return unlabel_missing_toc_toggle(name_search_dialog(output))


def theme_globals(env, files, handbook, edition, preview: bool, worker, offline: dict, pdf: dict) -> None:
    env.globals["handbook_urgent"] = render.urgent_block(handbook)
    env.globals["handbook_edition"] = edition
    env.globals["handbook_preview"] = preview
    statement = files.get_file_from_path(ACCESSIBILITY_PAGE)
    env.globals["handbook_accessibility"] = statement.url if statement is not None else None
    # A handbook without an editor guide (as `handbook new` starts one) links its document control.
    guide = files.get_file_from_path(EDITOR_GUIDE) or files.get_file_from_path("document-control.md")
    env.globals["handbook_editors"] = guide.url if guide is not None else None
    # The theme points each page's search at Material's worker with the handbook's additions.
    env.globals["handbook_search_worker"] = worker
    env.globals["handbook_search_on_demand"] = SEARCH_ON_DEMAND_SCRIPT if worker else None
    env.globals["handbook_offline"] = offline
    env.globals["handbook_pdf"] = pdf
