"""The `handbook` command: check the sources, write the data files' layout, publish editions, export
them, make the offline pack.

Run it from the project folder (where mkdocs.yml is). Every failure is one plain message and a
non-zero exit status; nothing is half-published.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from handbook.checks.check import ERROR, run_checks
from handbook.cli.new import NewProjectError, new_project, write_schemas
from handbook.data.reviews import page_in_layout
from handbook.data.validation import DATA_FILES, layouts
from handbook.data.yaml_format import format_data, format_file
from handbook.data.yaml_source import YamlSourceError, load_yaml
from handbook.editions.changes import default_base, summarise
from handbook.editions.git import GitError
from handbook.editions.publish import PublishError, export, offline, publish
from handbook.editions.published import DEFAULT_BRANCH
from handbook.project import project_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="handbook", description="Publish and package the handbook.")
    parser.add_argument("--project", type=Path, default=Path.cwd(), help="the project folder (default: here)")
    parser.add_argument("--branch", default=DEFAULT_BRANCH, help=f"the editions branch (default: {DEFAULT_BRANCH})")
    commands = parser.add_subparsers(dest="command", required=True)
    new = commands.add_parser("new", help="start a handbook for a partnership in a new folder, with example records")
    new.add_argument("directory", type=Path, help="the folder to write it in (new, or empty)")
    new.add_argument("--name", help='the handbook\'s name, for example "Anytown Early Help Handbook"')
    new.add_argument("--engine", help="the requirements.txt line that installs the engine (default: this engine)")
    new.add_argument("--schemas-only", action="store_true",
                     help="only write the engine's schemas into DIRECTORY/data/schema/ (after an engine upgrade)")
    chk = commands.add_parser("check", help="run every content and data check without building the site")
    chk.add_argument("--strict", action="store_true", help="treat warnings as errors")
    fmt = commands.add_parser("format", help="write every data file in the handbook's layout (changes no value)")
    fmt.add_argument("--check", action="store_true", help="only say which files are not in the layout")
    chg = commands.add_parser("changes", help="what a change does, as Markdown for a pull-request comment")
    chg.add_argument("base", nargs="?", help="the revision to compare with (default: where this branch left main)")
    chg.add_argument("head", nargs="?", default="", help="the revision to describe (default: the working tree)")
    pub = commands.add_parser("publish", help="build the committed handbook as a new edition and add it to the branch")
    pub.add_argument("edition", help="the new edition's id: the year, a dot and a number, for example 2026.1")
    exp = commands.add_parser("export", help="write every edition as a folder for a static web host")
    exp.add_argument("directory", type=Path)
    off = commands.add_parser("offline", help="write the latest edition as a zip that works without a server")
    off.add_argument("--output", type=Path, default=Path("handbook-offline.zip"))
    pdf = commands.add_parser("pdf", help="print every PDF of an already built site into SITE_DIR/pdf/")
    pdf.add_argument("site_dir", type=Path, metavar="SITE_DIR", help="the built site (mkdocs build's site/)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "new":
        return _new(args)
    if args.command == "check":
        return _check(args.project, args.strict)
    if args.command == "format":
        return _format(args.project, args.check)
    if args.command == "pdf":
        return _pdf(args.site_dir, args.project)
    if args.command == "changes":
        try:
            settings = _settings(args.project)
            base = args.base or default_base(args.project)
            print(summarise(args.project, base, args.head, *settings), end="")
        except GitError as err:
            print(f"handbook changes: {err}", file=sys.stderr)
            return 1
        return 0
    try:
        if args.command == "publish":
            print(publish(args.project, args.edition, args.branch))
        elif args.command == "export":
            print(export(args.project, args.directory, args.branch))
        elif args.command == "offline":
            print(offline(args.project, args.output, args.branch))
    except (PublishError, GitError) as err:
        print(f"handbook {args.command}: {err}", file=sys.stderr)
        return 1
    return 0


def _pdf(site_dir: Path, project: Path) -> int:
    """Every PDF of a built site, through the same code as the build's (handbook/pdf/from_site.py)."""
    import logging

    from handbook.findings import HandbookError
    from handbook.pdf.assemble import PrintError
    from handbook.pdf.build import build_pdfs, fill_download_sizes
    from handbook.pdf.from_site import read_site
    from handbook.pdf.results import PdfError, TooManyPages

    # The PDF stage's progress lines (which path, the cache), as the build shows them.
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # its errors fail the PDF (writer.py)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    try:
        book, info, forms, chapters = read_site(site_dir, project)
        results = build_pdfs(book, info, site_dir, forms, chapters)
    except PrintError as err:
        print(f"handbook pdf: {HandbookError(err.findings)}", file=sys.stderr)
        return 1
    except TooManyPages as err:
        print(f"handbook pdf: the quick reference does not fit on one A4 page: it takes {err.pages} pages. Print "
              "less on it (quick_reference in data/site.yaml), build the site again, then run this again.",
              file=sys.stderr)
        return 1
    except PdfError as err:
        print(f"handbook pdf: {err}", file=sys.stderr)
        return 1
    fill_download_sizes(site_dir, results)
    for name, result in results.items():
        print(f"{site_dir / 'pdf' / name}: {result.pages} {'page' if result.pages == 1 else 'pages'}, "
              f"{result.size // 1000} KB")
    return 0


def _settings(project: Path) -> tuple[str, str, tuple[str, ...]]:
    """The docs folder, data folder and pages exempt from review, from mkdocs.yml."""
    config, plugin = project_settings(project)
    return config.get("docs_dir", "docs"), plugin.get("data_dir", "data"), tuple(plugin.get("review_exempt", []))


def _new(args) -> int:
    if args.schemas_only:
        written = write_schemas(args.directory)
        print(f"Wrote the engine's {len(written)} schemas into {args.directory / 'data' / 'schema'}. "
              "Run `handbook format` to bring the data files' headers up to date.")
        return 0
    if not args.name:
        print('handbook new: give the handbook a name: handbook new DIR --name "Anytown Early Help Handbook"',
              file=sys.stderr)
        return 2
    try:
        written = new_project(args.directory, args.name, args.engine)
    except NewProjectError as err:
        print(f"handbook new: {err}", file=sys.stderr)
        return 1
    print(f"Started {args.name!r} in {written.root} ({len(written.files)} files). Next:\n"
          f"  cd {written.root} && git init && make test\n"
          "Then replace the example records and pages (`handbook check` lists them): see README.md.")
    return 0


def _format(project: Path, only_check: bool) -> int:
    """Write each data file, and each page's front matter, in the layout yaml_format describes. A
    file that cannot be read is left as it is, with its problem; nothing else about the data is
    checked here (`handbook check` does)."""
    docs_dir, data_dir = (project / folder for folder in _settings(project)[:2])
    status = 0
    for name, layout in layouts(data_dir).items():
        path = data_dir / DATA_FILES[name]
        shown = path.relative_to(project).as_posix()
        try:
            data, _ = load_yaml(path, shown)
        except YamlSourceError as err:
            print(f"{err.path}:{err.line}: {err.message} The file was left as it is.", file=sys.stderr)
            status = 1
            continue
        if only_check:
            if path.read_text(encoding="utf-8") != format_data(data, layout):
                print(f"{shown} is not in the handbook's layout: run `handbook format`.")
                status = 1
        elif format_file(path, data, layout):
            print(f"Wrote {shown} in the handbook's layout.")
    for path in sorted(docs_dir.rglob("*.md")):
        shown = path.relative_to(project).as_posix()
        text = path.read_text(encoding="utf-8")
        expected = page_in_layout(text, shown)
        if expected is None or expected == text:
            continue  # no front matter to lay out, or none that can be read (handbook check says why)
        if only_check:
            print(f"{shown}: its front matter is not in the handbook's layout: run `handbook format`.")
            status = 1
        else:
            path.write_text(expected, encoding="utf-8")
            print(f"Wrote the front matter of {shown} in the handbook's layout.")
    return status


def _check(project: Path, strict: bool) -> int:
    findings = run_checks(project, *_settings(project))
    for finding in findings:
        print(finding)
    errors = sum(1 for f in findings if f.severity == ERROR)
    warnings = len(findings) - errors

    def count(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    print(f"{count(errors, 'error')}, {count(warnings, 'warning')}.", file=sys.stderr)
    return 1 if errors or (strict and warnings) else 0


if __name__ == "__main__":
    sys.exit(main())
