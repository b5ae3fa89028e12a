"""Material's markup, changed where accessibility needs it and the theme has no setting for it.

Material renders its search as `role="dialog"` with no accessible name, so a screen reader
announces only "dialog" (axe-core's aria-dialog-name rule; Lighthouse's accessibility audit
marks every page down for it). The dialog is named after the search it holds.
"""

from __future__ import annotations

import re

_SEARCH_DIALOG = re.compile(r'(<div class="md-search" data-md-component="search" role="dialog")(>)')
SEARCH_DIALOG_NAME = "Search"


def name_search_dialog(html: str) -> str:
    return _SEARCH_DIALOG.sub(rf'\1 aria-label="{SEARCH_DIALOG_NAME}"\2', html, count=1)
