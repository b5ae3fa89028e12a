"""Material's markup, changed where accessibility needs it and the theme has no setting for it.

Material renders its search as `role="dialog"` with no accessible name, so a screen reader
announces only "dialog" (axe-core's aria-dialog-name rule; Lighthouse's accessibility audit
marks every page down for it). The dialog is named after the search it holds.

On a page in no menu (the editors' pages, mkdocs.yml not_in_nav), Material still labels its table
of contents `for="__toc"`, the toggle it renders only beside the page's own entry in the menu: a
label for no control, which the HTML standard forbids. The label then names nothing it can open.
"""

from __future__ import annotations

import re

_SEARCH_DIALOG = re.compile(r'(<div class="md-search" data-md-component="search" role="dialog")(>)')
SEARCH_DIALOG_NAME = "Search"


def name_search_dialog(html: str) -> str:
    return _SEARCH_DIALOG.sub(rf'\1 aria-label="{SEARCH_DIALOG_NAME}"\2', html, count=1)


_TOC_LABEL = re.compile(r'(<label class="md-nav__title") for="__toc"(>)')


def unlabel_missing_toc_toggle(html: str) -> str:
    if 'id="__toc"' in html:
        return html
    return _TOC_LABEL.sub(r"\1\2", html)
