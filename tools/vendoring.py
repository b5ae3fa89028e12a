"""What tools/vendor_workbox.py and tools/vendor_cms.py share: how a file from node_modules is kept
in handbook/vendor/, and replacing a vendor folder with fresh copies."""

from __future__ import annotations

from pathlib import Path


def vendored_text(source: Path) -> str:
    """A file as it is kept: without the comment pointing to its source map, which is not copied.
    Split at newlines only: str.splitlines() also splits at U+2028 and U+0085, which js-yaml's
    minified build holds inside its regular expressions."""
    text = source.read_text(encoding="utf-8")
    return "\n".join(line for line in text.split("\n") if not line.startswith("//# sourceMappingURL=")).rstrip() + "\n"


def replace_folder(folder: Path, files: dict[str, Path]) -> None:
    """Empty `folder`, then write each of `files` (name -> source) into it as vendored_text keeps it."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for name, source in files.items():
        (folder / name).write_text(vendored_text(source), encoding="utf-8")
