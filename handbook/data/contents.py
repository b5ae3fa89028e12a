"""The handbook's contents: its sections (data/sections.yaml, in order) and each page's place in
them, which the page's own front matter gives (`section`, and `order` within it). The menu, the
PDF's parts, contents and bookmarks, and the list of chapter PDFs all follow from them, so that an
editor adds, moves or reorders a page by editing that page alone, in the editors' form, and
mkdocs.yml lists no page.

A page's place is checked here, every mistake at once with file:line: a section that does not
exist, two pages in the same place, a page in no section (which no reader could reach from the
menu), an editors' page (mkdocs.yml's not_in_nav) given a place in the practitioners' menu, and
two printed pages whose own PDFs would have the same name.

A withdrawn page (front matter `withdrawn`: a date, why, and the chapter that replaces it, if
any) keeps its file, so that its address keeps answering, but has no place: it keeps the section
and order it had (the form asks every chapter for them), which no longer count.
"""

from __future__ import annotations

import itertools
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from handbook.data.records import ContentsSection
from handbook.data.reviews import split_front_matter
from handbook.data.rules import nearest
from handbook.data.yaml_source import LoadedFile, YamlSourceError, load_yaml_text
from handbook.findings import Finding

CHAPTER, APPENDIX, FORM, LEAVE_OUT = "chapter", "appendix", "form", "leave out"
# A chapter that replaces a withdrawn one is named by its file name in this folder, as the form's
# chapters collection names its entries (handbook/editors/cms_config.py).
CHAPTERS_FOLDER = "handbook"


@dataclass(frozen=True)
class Entry:
    """One page's place in the contents."""

    src_uri: str  # e.g. handbook/consent.md
    section: str  # the section's id
    order: int
    menu_title: str = ""  # "" to show the page's own title
    pdf: str = CHAPTER  # how the handbook's PDF prints it
    where: str = ""  # file:line of its `order`, for messages


@dataclass(frozen=True)
class Withdrawal:
    """A page taken out of the handbook whose address still answers."""

    src_uri: str
    date: str  # YYYY-MM-DD
    reason: str = ""
    replaced_by: str = ""  # the src_uri of the chapter that replaces it, or ""
    where: str = ""  # file:line of its `replaced_by` (else of `withdrawn`), for messages


@dataclass(frozen=True)
class Contents:
    """The sections in order, each with its pages in order; sections with no page are left out."""

    sections: tuple[tuple[ContentsSection, tuple[Entry, ...]], ...]
    withdrawn: tuple[Withdrawal, ...] = ()

    def withdrawal(self, src_uri: str) -> Withdrawal | None:
        return next((w for w in self.withdrawn if w.src_uri == src_uri), None)

    @property
    def entries(self) -> list[Entry]:
        return [entry for _, entries in self.sections for entry in entries]

    def nav(self) -> list:
        """The contents as MkDocs' `nav` setting: a grouped section as a titled list, the pages of
        the others on their own at the top level."""
        items: list = []
        for section, entries in self.sections:
            pages = [{entry.menu_title: entry.src_uri} if entry.menu_title else entry.src_uri for entry in entries]
            if section.grouped:
                items.append({section.title: pages})
            else:
                items.extend(pages)
        return items

    def groups(self) -> list[tuple[str | None, list[str]]]:
        """(section title, [src_uri, ...]) in order, a page of an ungrouped section on its own (None):
        the PDF's parts before its appendices are taken out."""
        groups: list[tuple[str | None, list[str]]] = []
        for section, entries in self.sections:
            if section.grouped:
                groups.append((section.title, [entry.src_uri for entry in entries]))
            else:
                groups.extend((None, [entry.src_uri]) for entry in entries)
        return groups

    def printed_as(self, *kinds: str) -> list[str]:
        """The pages the PDF prints as one of `kinds`, in the contents' order."""
        return [entry.src_uri for entry in self.entries if entry.pdf in kinds]

    def place_of(self, src_uri: str) -> tuple[str, int] | None:
        """(the section's title, the page's position in it from 1), or None for a page not in the contents."""
        for section, entries in self.sections:
            for position, entry in enumerate(entries, start=1):
                if entry.src_uri == src_uri:
                    return section.title, position
        return None


def _place(text: str, shown: str) -> tuple[dict, LoadedFile] | None:
    """The page's front matter, or None when it has none that can be read (the front-matter check
    reports why)."""
    yaml_text, _ = split_front_matter(text)
    if yaml_text is None:
        return {}, LoadedFile("front matter", shown, {}, None)
    try:
        data, source = load_yaml_text(yaml_text, shown, first_line=2)
    except YamlSourceError:
        return None
    return (data, LoadedFile("front matter", shown, data, source)) if isinstance(data, dict) else None


def _withdrawal(uri: str, data: dict, loaded: LoadedFile, shown: str) -> Withdrawal | None:
    """The page's withdrawal, or None when it is not withdrawn (or its `withdrawn` cannot be read:
    the front-matter check reports why)."""
    withdrawn = data.get("withdrawn")
    if not isinstance(withdrawn, dict) or not isinstance(withdrawn.get("date"), str):
        return None
    reason, replaced_by = withdrawn.get("reason", ""), withdrawn.get("replaced_by", "")
    return Withdrawal(uri, withdrawn["date"], reason if isinstance(reason, str) else "",
                      f"{CHAPTERS_FOLDER}/{replaced_by}.md" if isinstance(replaced_by, str) and replaced_by else "",
                      f"{shown}:{loaded.line(('withdrawn', 'replaced_by'))}")


def place_in_text(text: str) -> tuple[str, int] | None:
    """A page's section and order, read from its text as read_contents reads them, or None when it
    has no place that counts (none, withdrawn, or not readable): for versions read from git."""
    read = _place(text, "")
    if read is None or _withdrawal("", *read, "") is not None or not _sound(read[0]):
        return None
    data = read[0]
    return (data["section"], data["order"]) if data.get("section") is not None else None


def withdrawn_of(text: str) -> dict | None:
    """A page's `withdrawn` front matter, or None: for readers of a page's text from git."""
    read = _place(text, "")
    withdrawn = read[0].get("withdrawn") if read else None
    return withdrawn if isinstance(withdrawn, dict) else None


def _sound(data: dict) -> bool:
    """Whether the place fields have the types the front-matter schema asks for (else its check
    reports them, and the place is unknown rather than wrong)."""
    section, order = data.get("section"), data.get("order")
    return ((section is None) == (order is None)
            and (section is None or isinstance(section, str))
            and (order is None or (isinstance(order, int) and not isinstance(order, bool) and order >= 1))
            and isinstance(data.get("menu_title", ""), str)
            and data.get("pdf", CHAPTER) in (CHAPTER, APPENDIX, FORM, LEAVE_OUT))


def read_contents(docs_dir: Path, docs_prefix: str, uris: Iterable[str], sections: tuple[ContentsSection, ...],
                  not_in_nav: Callable[[str], bool]) -> tuple[Contents, list[Finding], list[Finding]]:
    """The contents, with the errors and the warnings in them. `not_in_nav(src_uri)` says whether
    mkdocs.yml's not_in_nav keeps a page out of the menu."""
    known = {section.id: section for section in sections}
    placed: dict[str, list[Entry]] = {section.id: [] for section in sections}
    errors: list[Finding] = []
    withdrawn: list[Withdrawal] = []
    uris = sorted(uris)
    for uri in uris:
        shown = f"{docs_prefix}/{uri}"
        read = _place((docs_dir / uri).read_text(encoding="utf-8"), shown)
        if read is None:
            continue
        withdrawal = _withdrawal(uri, *read, shown)
        if withdrawal is not None:
            withdrawn.append(withdrawal)
            continue
        if not _sound(read[0]):
            continue
        data, loaded = read
        section = data.get("section")
        if section is None:
            if not not_in_nav(uri):
                ids = ", ".join(f'"{i}"' for i in known) or "the ids in data/sections.yaml"
                errors.append(Finding(shown, 1, "this page is in no section of the handbook's contents, so no "
                                      "reader can find it in the menu or the PDF. Give it its place in its front "
                                      f"matter: `section:` (one of {ids}) and `order:` (its place in that section). "
                                      "In the editors' form: Section and Place in the section."))
            continue
        line = loaded.line(("section",))
        if not_in_nav(uri):
            errors.append(Finding(shown, line, "this page is for editors (mkdocs.yml's not_in_nav keeps it out of "
                                  "the menu), but its front matter gives it a place in the contents. Take out "
                                  "`section` and `order`, or take the page out of not_in_nav.", "section"))
            continue
        if section not in known:
            errors.append(Finding(shown, line, f'"{section}" is not a section of the handbook\'s contents. '
                                  f"{nearest(section, list(known))} The sections are in data/sections.yaml.",
                                  "section"))
            continue
        placed[section].append(Entry(uri, section, data["order"], str(data.get("menu_title", "")),
                                     data.get("pdf", CHAPTER), f"{shown}:{loaded.line(('order',))}"))
    warnings = []
    for section in sections:
        entries = sorted(placed[section.id], key=lambda entry: (entry.order, entry.src_uri))
        for before, entry in itertools.pairwise(entries):
            if entry.order == before.order:
                file, line = entry.where.rsplit(":", 1)
                errors.append(Finding(file, int(line), f'place {entry.order} in the section "{section.title}" is '
                                      f"taken: {before.where} has it already. Two pages cannot have the same place: "
                                      "give this one another number.", "order"))
        placed[section.id] = entries
        if not entries:
            file, line = section.where.rsplit(":", 1) if section.where else ("data/sections.yaml", "1")
            warnings.append(Finding(file, int(line), f'the section "{section.title}" has no pages, so the menu and '
                                    "the PDF do not show it. Give a page this section, or remove it."))
    errors += _pdf_name_errors([entry for section in sections for entry in placed[section.id]])
    errors += _replacement_errors(withdrawn, set(uris), docs_prefix)
    contents = Contents(tuple((section, tuple(placed[section.id])) for section in sections if placed[section.id]),
                        tuple(withdrawn))
    return contents, errors, warnings


def _pdf_name_errors(entries: list[Entry]) -> list[Finding]:
    """Each printed page gets its own PDF named after its file (handbook/pdf/book.py): two pages
    with one file name in different folders would overwrite each other's."""
    first: dict[str, Entry] = {}
    errors = []
    for entry in entries:
        if entry.pdf == LEAVE_OUT:
            continue
        name = posixpath.basename(entry.src_uri).removesuffix(".md") + ".pdf"
        if name in first:
            file, line = entry.where.rsplit(":", 1)
            other = first[name].where.rsplit(":", 1)[0]
            errors.append(Finding(file, int(line), f"this page's own PDF would be saved as pdf/{name}, the name of the "
                                  f"PDF of {other}. Give one of the two pages another file name (in the editors' form, "
                                  "a new chapter with another title).", "order"))
        else:
            first[name] = entry
    return errors


def _replacement_errors(withdrawn: list[Withdrawal], uris: set[str], docs_prefix: str) -> list[Finding]:
    """A withdrawn page must send readers to a chapter that is there for them."""
    gone = {w.src_uri for w in withdrawn}
    errors = []
    for withdrawal in withdrawn:
        if not withdrawal.replaced_by:
            continue
        file, line = withdrawal.where.rsplit(":", 1)
        name = withdrawal.replaced_by.removeprefix(f"{CHAPTERS_FOLDER}/").removesuffix(".md")
        if withdrawal.replaced_by == withdrawal.src_uri:
            problem = "it names this chapter itself. Name the chapter that replaces it, or leave Replaced by empty."
        elif withdrawal.replaced_by not in uris:
            chapters = [u.removeprefix(f"{CHAPTERS_FOLDER}/").removesuffix(".md") for u in sorted(uris)
                        if u.startswith(f"{CHAPTERS_FOLDER}/")]
            problem = (f"there is no chapter {docs_prefix}/{withdrawal.replaced_by}. {nearest(name, chapters)} "
                       "Name a chapter by its file name, without .md, or pick it in the editors' form.")
        elif withdrawal.replaced_by in gone:
            problem = (f"{docs_prefix}/{withdrawal.replaced_by} is withdrawn too. Name the chapter readers should "
                       "go to now.")
        else:
            continue
        errors.append(Finding(file, int(line), f'Replaced by "{name}": {problem}', "withdrawn.replaced_by"))
    return errors
