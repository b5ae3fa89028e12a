"""The editors' form (Decap CMS) at admin/, made from the schemas and the nav."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError

from handbook.editors.admin import ADMIN_DIR, backend_from_environment, write_admin
from handbook.editors.cms_config import CmsConfigError
from handbook.editors.decap import DecapError

log = logging.getLogger("mkdocs.plugins.handbook")


def write_editors_form(config, project_dir: Path, data_dir: Path) -> None:
    site_dir = Path(config.site_dir)
    try:
        count = write_admin(site_dir / ADMIN_DIR, project_dir, Path(config.docs_dir), data_dir, config.nav,
                            backend_from_environment(local=True), config.site_name)
    except (CmsConfigError, DecapError) as err:
        raise PluginError(f"The editors' form cannot be made: {err}") from None
    log.info("Editors' form: admin/ (%d files)", count)
