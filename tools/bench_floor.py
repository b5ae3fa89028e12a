"""The floor for `make bench`: one plain WeasyPrint render of the handbook's assembled print HTML.

Two steps, each run by tools/bench.py in a fresh process:

    python tools/bench_floor.py html PROJECT SITE_DIR OUT.html
        Build PROJECT's site into SITE_DIR (no PDFs are made) and write the whole handbook's print
        HTML, as the engine assembles it, to OUT.html. Untimed.

    python tools/bench_floor.py render IN.html SITE_DIR OUT.pdf
        One `weasyprint.HTML(string=..., base_url=SITE_DIR).write_pdf()`, timed inside this
        process (imports and reading the file excluded). Prints {"seconds": ..., "pages": ...}.

The render uses WeasyPrint alone (nothing from handbook/ is imported): no PDF/UA tagging, no
presentational hints, WeasyPrint's own URL fetcher.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path


def print_html(project: Path, site_dir: Path) -> str:
    """The whole handbook as one print document, exactly as the engine's chunked pipeline would lay
    it out if it made a single chunk: cover, contents and every chapter, with provisional page
    numbers in the cross-references, contents and footers.

    The only place the benchmark reaches into the engine's internals (handbook/pdf/). It runs the
    site build in this process with the plugin's PDF step (`start_pdfs` in handbook/plugin/pdf.py)
    swapped for one that keeps what the plugin hands it (the book, its cover information, the form
    pages) and stops the build there; the site's static files (fonts, images) are copied by then.
    It then renders every chunk's document (handbook.pdf.assemble.book_document over
    handbook.pdf.book.chunks_of), puts their bodies into one document, and gives it provisional
    numbers (handbook.pdf.chunked.with_provisional_numbers), so that every link is inside it. If the
    engine renames or reshapes these, this function is what to change.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    import handbook.plugin.pdf as plugin
    from handbook.pdf.assemble import book_bodies, book_document
    from handbook.pdf.book import chunks_of
    from handbook.pdf.build import print_css
    from handbook.pdf.chunked import with_provisional_numbers
    from handbook.pdf.documents import provisional_footer

    class Captured(Exception):
        pass

    kept: dict = {}

    def keep(book, info, site_dir, forms, *args, **kwargs):
        kept.update(book=book, info=info, forms=forms)
        raise Captured

    plugin.start_pdfs = keep
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    except Captured:
        pass
    if not kept:
        raise SystemExit("The site was built without the handbook plugin's PDF step: is HANDBOOK_PDF=0 set?")
    book = kept["book"]
    bodies = book_bodies(book)
    # As wide as the engine's first guess at the last page number (2,500 characters a page).
    digits = len(str(sum(len(body) for body in bodies.values()) // 2500 + 1))
    css, footer = print_css(), provisional_footer(digits)
    documents = [book_document(book, kept["info"], css, kept["forms"], bodies, chunk, footer)
                 for chunk in chunks_of(book)]
    front, end = documents[0].rsplit("</body>", 1)
    inner = [re.search(r"<body[^>]*>(.*)</body>", document, re.S).group(1) for document in documents[1:]]
    return with_provisional_numbers(front + "".join(inner) + "</body>" + end, digits)


def render(html_path: Path, site_dir: Path, target: Path) -> dict:
    from pypdf import PdfReader
    from weasyprint import HTML

    html = html_path.read_text(encoding="utf-8")
    start = time.perf_counter()
    HTML(string=html, base_url=site_dir.resolve().as_uri() + "/").write_pdf(target)
    seconds = time.perf_counter() - start
    pages = len(PdfReader(target).pages)
    return {"seconds": seconds, "pages": pages}


def main(argv: list[str]) -> None:
    if len(argv) == 4 and argv[0] == "html":
        project, site_dir, out = (Path(arg) for arg in argv[1:])
        out.write_text(print_html(project.resolve(), site_dir.resolve()), encoding="utf-8")
    elif len(argv) == 4 and argv[0] == "render":
        print(json.dumps(render(*(Path(arg) for arg in argv[1:]))))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
