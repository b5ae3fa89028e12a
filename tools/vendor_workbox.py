"""Copy Workbox's service-worker runtime from node_modules into handbook/vendor/workbox/.

The handbook's service worker (handbook/web/assets/service-worker.js) uses Workbox for precaching. The
build itself stays Python-only, so the few runtime files Workbox ships ready to load in a service
worker (workbox-sw and the production builds of the modules it loads) are kept in the package,
with their licence. package.json pins the version; `npm ci` installs it, this script copies it, and
tests/web/test_service_worker.py fails if the copy and the pinned packages ever differ.

    npm ci --ignore-scripts && .venv/bin/python tools/vendor_workbox.py
"""

from __future__ import annotations

import json
from pathlib import Path

from vendoring import replace_folder

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "handbook" / "vendor" / "workbox"
# The modules the service worker uses, each a production build that workbox-sw loads on first use.
MODULES = ("core", "precaching", "routing", "strategies")


def vendored_files() -> dict[str, Path]:
    """Each file in handbook/vendor/workbox/, by name, and where it comes from in node_modules."""
    files = {"workbox-sw.js": NODE_MODULES / "workbox-sw" / "build" / "workbox-sw.js",
             "LICENSE": NODE_MODULES / "workbox-sw" / "LICENSE"}
    for module in MODULES:
        files[f"workbox-{module}.prod.js"] = NODE_MODULES / f"workbox-{module}" / "build" / f"workbox-{module}.prod.js"
    return files


def main() -> None:
    replace_folder(VENDOR, vendored_files())
    version = json.loads((NODE_MODULES / "workbox-sw" / "package.json").read_text(encoding="utf-8"))["version"]
    print(f"Copied {len(vendored_files())} files of Workbox {version} into {VENDOR.relative_to(ROOT)}.")


if __name__ == "__main__":
    main()
