"""The MkDocs plugin: thin wiring from MkDocs' events to the stages, one module per concern."""

import atexit
import gc
import os
import sys

# The programs that build a handbook: MkDocs, and ProperDocs, the continuation of MkDocs 1.x, which
# reads the same mkdocs.yml and runs this plugin through the same entry point.
_BUILDERS = ("mkdocs", "properdocs")


def _mkdocs_build() -> bool:
    """Whether this process is `mkdocs build` or `properdocs build` (or `python -m` either), which
    ends with the build."""
    folder, name = os.path.split(sys.argv[0] if sys.argv else "")
    builder = name in _BUILDERS or (name == "__main__.py" and os.path.basename(folder) in _BUILDERS)
    return builder and sys.argv[1:2] == ["build"]


def _building_with_pdfs() -> bool:
    """Whether this process is `mkdocs build` (or `properdocs build`) printing the PDFs."""
    return _mkdocs_build() and os.environ.get("HANDBOOK_PDF", "") != "0"


# Python's last garbage collection as the process exits frees the build's pages and trees object by
# object: about 0.07 s of a 1.6 s rebuild after an edit. Frozen, they are left for the system to
# reclaim with the process; objects still referenced are freed as before, and every other exit
# handler (registered later, so run earlier) still runs with the collector as usual. Only in a
# process that is the build: a program calling MkDocs goes on afterwards.
if _mkdocs_build():
    atexit.register(gc.freeze)


# The process the PDFs are printed from takes about half a second to load WeasyPrint, and a
# rebuild after an edit waits for it: start it now, on the other core, before this package's own
# imports and MkDocs' reading of the configuration, when the command line says the build prints.
# Anything else (`mkdocs serve`, a program calling MkDocs) has it started by on_config, if wanted.
if _building_with_pdfs():
    from handbook.pdf.pool import start_printer

    try:
        start_printer()
    except OSError:
        pass  # on_config tries again, and reports what is wrong

from handbook.plugin.plugin import HandbookPlugin  # noqa: E402 (after the printer is on its way)

__all__ = ["HandbookPlugin"]
