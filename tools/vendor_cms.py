"""Copy the browser libraries the editors' form (/admin/) uses from node_modules into
handbook/vendor/cms/.

The form checks values with the same rules and messages as `handbook check` before it saves, and
writes the data files in the layout handbook/data/yaml_format.py defines. For that it needs a YAML reader
(js-yaml) and the same phone-number metadata as the Python checks (libphonenumber-js, a port of
Google's libphonenumber, which the phonenumbers package also wraps). The build stays Python-only,
so their ready-built browser files are kept in the package with their licences. package.json pins
the versions; tests/editors/test_cms.py fails if the copy and the pinned packages ever differ.

    npm ci --ignore-scripts && .venv/bin/python tools/vendor_cms.py
"""

from __future__ import annotations

import json
from pathlib import Path

from vendoring import replace_folder

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "handbook" / "vendor" / "cms"
PACKAGES = ("js-yaml", "libphonenumber-js")


def vendored_files() -> dict[str, Path]:
    """Each file in handbook/vendor/cms/, by name, and where it comes from in node_modules."""
    return {
        "js-yaml.min.js": NODE_MODULES / "js-yaml" / "dist" / "js-yaml.min.js",
        "js-yaml.LICENSE": NODE_MODULES / "js-yaml" / "LICENSE",
        "libphonenumber-max.js": NODE_MODULES / "libphonenumber-js" / "bundle" / "libphonenumber-max.js",
        "libphonenumber-js.LICENSE": NODE_MODULES / "libphonenumber-js" / "LICENSE",
    }


def versions() -> dict[str, str]:
    return {name: json.loads((NODE_MODULES / name / "package.json").read_text(encoding="utf-8"))["version"]
            for name in PACKAGES}


def main() -> None:
    replace_folder(VENDOR, vendored_files())
    print(f"Copied {len(vendored_files())} files ({', '.join(f'{k} {v}' for k, v in versions().items())}) "
          f"into {VENDOR.relative_to(ROOT)}.")


if __name__ == "__main__":
    main()
