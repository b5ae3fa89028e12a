"""What changed since the last published edition, in words, from the git history.

Compares the source of this build (the working tree; for `handbook publish`, a clean commit) with
the commit of the previous edition:

- pages added, removed, changed or moved in the contents, with the headings of the sections whose text changed (front
  matter is not text: a page that was only re-dated after a review has not changed), and the
  editor's `changes:` note from the page's front matter when it is new or reworded;
- data records added, removed or changed, named the way a practitioner would say it ("North
  Early Help Coordinator Jane Smith: email changed", "Course "Outcome Star" added"). Fields that
  are only for editors (last_verified, note, needs_confirmation, source, owner) are left out.

Amendments are stored in each edition's edition.json, so later editions list the whole history.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from handbook.data.contents import CHAPTERS_FOLDER, place_in_text, withdrawn_of
from handbook.data.reviews import split_front_matter
from handbook.data.validation import DATA_FILES
from handbook.editions.git import git, git_show

# Fields editors keep for themselves: a change to them is not a change to the handbook.
EDITOR_FIELDS = {"last_verified", "note", "needs_confirmation", "source", "owner"}
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")

# How each kind of record is named in an amendment: (words for the kind, how to name one record).
# A naming function gets the record and `called(list, id)`, the name of a record of that list in
# the same file ("" if there is none), so a person is named by their locality and role.
_RECORD_NAMES = {
    ("contacts", "topics"): ("Contacts topic", lambda r, called: r.get("name")),
    ("contacts", "contacts"): ("Contact", lambda r, called: r.get("name")),
    ("coordinators", "roles"): ("Role", lambda r, called: r.get("name")),
    ("coordinators", "localities"): ("Locality", lambda r, called: r.get("name")),
    ("coordinators", "people"): (None, lambda r, called: " ".join(filter(None, [
        called("localities", r.get("locality")) or str(r.get("locality", "")).capitalize(),
        called("roles", r.get("role")) or "contact", r.get("name")]))),
    ("thresholds", "levels"): ("Level of need", lambda r, called: f'{r.get("number")} ({r.get("name")})'),
    ("training", "booking"): ("Training booking", lambda r, called: r.get("name")),
    ("training", "courses"): ("Course", lambda r, called: r.get("title")),
    ("timeframes", "timeframes"): ("Timeframe", lambda r, called: r.get("task")),
    ("family_outcomes", "outcomes"): ("Family outcome", lambda r, called: r.get("title")),
    ("commitments", "commitments"): ("Commitment", lambda r, called: r.get("text")),
    ("glossary", "terms"): ("Glossary term", lambda r, called: r.get("abbreviation") or r.get("term")),
    ("search", "synonyms"): ("Search words", lambda r, called: r.get("id")),
    ("sections", "sections"): ("Section", lambda r, called: r.get("title")),
}
# Data files readers never see (search aids): a reviewer's change summary lists their changes, an
# edition's amendments for readers do not.
NOT_FOR_READERS = {"search"}


@dataclass(frozen=True)
class Amendment:
    kind: str  # "page" or "data"
    change: str  # "added", "changed", "removed", "moved", "withdrawn" or "renamed"
    text: str  # the amendment in words
    page: str = ""  # pages: the src_uri, for links and the New/Updated marks
    headings: tuple[str, ...] = ()
    note: str = ""  # pages: the editor's `changes:` note

    def to_json(self) -> dict:
        return {"kind": self.kind, "change": self.change, "text": self.text, "page": self.page,
                "headings": list(self.headings), "note": self.note}

    @classmethod
    def from_json(cls, data: dict) -> Amendment:
        return cls(data["kind"], data["change"], data["text"], data.get("page", ""), tuple(data.get("headings", [])),
                   data.get("note", ""))


@dataclass(frozen=True)
class EditionAmendments:
    edition: str  # the edition's id, or "" for a working copy
    date: str  # YYYY-MM-DD
    since: str  # the edition compared with, or "" for the first edition
    items: tuple[Amendment, ...] = field(default_factory=tuple)

    def to_json(self) -> dict:
        return {"edition": self.edition, "date": self.date, "since": self.since,
                "items": [item.to_json() for item in self.items]}

    @classmethod
    def from_json(cls, data: dict) -> EditionAmendments:
        return cls(data["edition"], data["date"], data.get("since", ""),
                   tuple(Amendment.from_json(item) for item in data.get("items", [])))

    def page_change(self, src_uri: str) -> Amendment | None:
        return next((a for a in self.items if a.kind == "page" and a.page == src_uri), None)


# ---- reading the previous edition's source -------------------------------------------------------

def _git_files(repo: Path, commit: str, folder: str) -> list[str]:
    return git(repo, "ls-tree", "-r", "--name-only", commit, "--", folder).splitlines()


# ---- pages -----------------------------------------------------------------------------------------

def _sections(markdown: str) -> tuple[str, dict[str, str]]:
    """The page's title and its sections by heading (the text before the first subheading under "")."""
    title, current, sections, fenced = "", "", {"": []}, False
    for line in markdown.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        heading = None if fenced else _HEADING.match(line)
        if heading and len(heading.group(1)) == 1 and not title:
            title = heading.group(2)
            continue
        if heading:
            current = heading.group(2)
            sections.setdefault(current, [])
            continue
        sections[current].append(line.rstrip())
    return title, {name: "\n".join(lines).strip() for name, lines in sections.items()}


def _changes_note(text: str) -> str:
    front, _ = split_front_matter(text)
    data = yaml.safe_load(front) if front else None
    return str(data.get("changes", "")).strip() if isinstance(data, dict) else ""


def page_amendments(old_pages: dict[str, str], new_pages: dict[str, str]) -> list[Amendment]:
    """`old_pages` and `new_pages` map src_uri to the page's whole file text."""
    found = []
    for uri in sorted(set(old_pages) | set(new_pages)):
        old, new = old_pages.get(uri), new_pages.get(uri)
        withdrawn = withdrawn_of(new) if new is not None else None
        if withdrawn is not None:
            if old is not None and withdrawn_of(old) is None:
                found.append(_withdrawn_amendment(uri, old, withdrawn, new_pages))
            continue  # withdrawn before, or added withdrawn: nothing readers had has changed
        if old is None:
            title, _ = _sections(split_front_matter(new)[1])
            found.append(Amendment("page", "added", f'Page "{title or uri}" added', uri, note=_changes_note(new)))
            continue
        if new is None:
            title, _ = _sections(split_front_matter(old)[1])
            # Named by its address, which no longer answers: the build refuses it (plugin/editions.py).
            found.append(Amendment("page", "removed", f'Page "{title or uri}" removed', uri))
            continue
        old_title, old_sections = _sections(split_front_matter(old)[1])
        new_title, new_sections = _sections(split_front_matter(new)[1])
        note = _changes_note(new) if _changes_note(new) != _changes_note(old) else ""
        if old_sections == new_sections and old_title == new_title and not note:
            continue
        touched = [name or "the opening text" for name in new_sections
                   if old_sections.get(name) != new_sections[name]]
        touched += [f"{name} (removed)" for name in old_sections if name and name not in new_sections]
        text = f'Page "{new_title or uri}" changed'
        if old_title != new_title:
            text += f' (was "{old_title}")'
        if touched:
            text += ": " + ", ".join(touched)
        found.append(Amendment("page", "changed", text, uri, tuple(touched), note))
    return found


# ---- data ------------------------------------------------------------------------------------------

def _withdrawn_amendment(uri: str, old: str, withdrawn: dict, new_pages: dict[str, str]) -> Amendment:
    """A chapter withdrawn since the last edition: "renamed" when another chapter replaces it."""
    title = _sections(split_front_matter(old)[1])[0] or uri
    reason = str(withdrawn.get("reason") or "").strip()
    replaced_by = withdrawn.get("replaced_by")
    replacement = new_pages.get(f"{CHAPTERS_FOLDER}/{replaced_by}.md") if isinstance(replaced_by, str) else None
    if replacement is not None:
        new_title = _sections(split_front_matter(replacement)[1])[0] or replaced_by
        return Amendment("page", "renamed", f'Page "{title}" renamed: now "{new_title}"', uri, note=reason)
    return Amendment("page", "withdrawn", f'Page "{title}" withdrawn', uri, note=reason)


def _words(field_name: str) -> str:
    return field_name.replace("_", " ")


def _field_changes(old: dict, new: dict) -> list[str]:
    changes = []
    for key in [k for k in {**old, **new} if k not in EDITOR_FIELDS and k != "id"]:
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if isinstance(before, list) and isinstance(after, list) and all(
                isinstance(x, dict) and "id" in x for x in before + after):
            changes += _list_changes(_words(key).rstrip("s"), before, after)
        elif before is None:
            changes.append(f"{_words(key)} added")
        elif after is None:
            changes.append(f"{_words(key)} removed")
        elif isinstance(before, str | int) and isinstance(after, str | int) and len(f"{before}{after}") <= 120:
            # Short values (a number, an address, a name) are shown, so a reader sees what to use now.
            changes.append(f'{_words(key)} changed from "{before}" to "{after}"')
        else:
            changes.append(f"{_words(key)} changed")
    return changes


def _list_changes(what: str, before: list[dict], after: list[dict]) -> list[str]:
    """Changes to a list of sub-records with ids (a contact's phones or emails)."""
    old, new = {x["id"]: x for x in before}, {x["id"]: x for x in after}
    label = lambda x: x.get("label") or x["id"]  # noqa: E731
    changes = [f'{what} "{label(new[i])}" added' for i in new if i not in old]
    changes += [f'{what} "{label(old[i])}" removed' for i in old if i not in new]
    for i in (i for i in new if i in old):
        changes += [f'{what} "{label(new[i])}" {change}' for change in _field_changes(old[i], new[i])]
    return changes


def data_amendments(old_files: dict[str, dict], new_files: dict[str, dict], *,
                    for_readers: bool = True) -> list[Amendment]:
    """`old_files` and `new_files` map each data file's name (as in DATA_FILES) to its loaded YAML.
    For readers (an edition's amendments), files they never see are left out."""
    found = []
    for name in DATA_FILES:
        if for_readers and name in NOT_FOR_READERS:
            continue
        old_doc, new_doc = old_files.get(name) or {}, new_files.get(name) or {}
        for key in [k for k in {**old_doc, **new_doc}]:
            before, after = old_doc.get(key), new_doc.get(key)
            if before == after:
                continue
            if isinstance(before, list) or isinstance(after, list):
                found += _record_changes(name, key, before or [], after or [], (new_doc, old_doc))
            elif before is None or after is None:
                found.append(Amendment("data", "added" if before is None else "removed",
                                       f'Setting "{_words(key)}" {"added" if before is None else "removed"}'))
            elif isinstance(before, dict) and isinstance(after, dict):
                changes = _field_changes(before, after)
                if changes:
                    found.append(Amendment("data", "changed", f'Setting "{_words(key)}": {", ".join(changes)}'))
            else:
                found.append(Amendment("data", "changed", f'Setting "{_words(key)}" changed'))
    return found


def _record_changes(name: str, key: str, before: list, after: list, docs: tuple[dict, ...] = ()) -> list[Amendment]:
    """The records of one list added, removed and changed. `docs` are the file's versions (the new
    first) where a naming function looks up the records a record refers to."""
    kind, naming = _RECORD_NAMES.get((name, key), (_words(key).capitalize(), lambda r, _: r.get("id")))

    def named(records_key: str, record_id) -> str:
        for doc in docs:
            records = doc.get(records_key) if isinstance(doc, dict) else None
            for record in records if isinstance(records, list) else []:
                if isinstance(record, dict) and record.get("id") == record_id and record.get("name"):
                    return str(record["name"])
        return ""

    def called(record: dict) -> str:
        own = naming(record, named) or record.get("id", "")
        return own if kind is None else f'{kind} "{own}"'

    old = {r.get("id"): r for r in before if isinstance(r, dict)}
    new = {r.get("id"): r for r in after if isinstance(r, dict)}
    found = [Amendment("data", "added", f"{called(new[i])} added") for i in new if i not in old]
    found += [Amendment("data", "removed", f"{called(old[i])} removed") for i in old if i not in new]
    for i in (i for i in new if i in old):
        changes = _field_changes(old[i], new[i])
        if changes:
            found.append(Amendment("data", "changed", f"{called(new[i])}: {', '.join(changes)}"))
    return found



# ---- the contents: pages moved ------------------------------------------------------------------------

Menu = list[tuple[str, str | None]]  # (src_uri, the title of the section it is under, or None)


def menu_order(pages: dict[str, str], sections: dict | None, mkdocs_yml: str | None = None) -> Menu:
    """The pages of one version of the handbook in the menu's order, each with the title of the
    section it is shown under (None for a page on its own at the top level). From the sections
    file and each page's front matter (handbook/data/contents.py); for a version from before the
    contents were data, from mkdocs.yml's nav. A page whose place cannot be read is left out: the
    checks report it in the version being built."""
    listed = sections.get("sections") if isinstance(sections, dict) else None
    if isinstance(listed, list):
        places: dict[str, list[tuple[int, str]]] = {}
        for uri, text in pages.items():
            # As the build reads a page's place (a withdrawn page's no longer counts).
            place = place_in_text(text)
            if place is not None:
                places.setdefault(place[0], []).append((place[1], uri))
        order = []
        for section in (s for s in listed if isinstance(s, dict)):
            group = None if section.get("grouped") is False else str(section.get("title", ""))
            order += [(uri, group) for _, uri in sorted(places.get(str(section.get("id")), []))]
        return order
    try:
        # !ENV and other tags say nothing of the nav.
        config = yaml.load(mkdocs_yml or "", Loader=yaml.BaseLoader)
    except yaml.YAMLError:
        return []
    order: Menu = []

    def walk(items, group):
        for item in items if isinstance(items, list) else []:
            value = next(iter(item.items())) if isinstance(item, dict) and item else (None, item)
            title, target = value
            if isinstance(target, list):
                walk(target, title if group is None else group)
            elif isinstance(target, str) and target in pages:
                order.append((target, group))

    walk(config.get("nav") if isinstance(config, dict) else None, None)
    return order


def moved_amendments(old_menu: Menu, new_menu: Menu, new_pages: dict[str, str]) -> list[Amendment]:
    """Pages in both versions whose place in the menu changed: to another section, or among the
    others of the contents (those that kept their order are not moved because a page was added,
    taken out or moved past them)."""
    old_group = dict(old_menu)
    # A page in another section has moved; of those left in theirs, the longest run that kept its
    # order has not, and the rest have.
    both = [uri for uri, group in new_menu if uri in old_group and old_group[uri] == group]
    old_sequence = [uri for uri, _ in old_menu if uri in set(both)]
    kept = set()
    for block in difflib.SequenceMatcher(None, old_sequence, both, autojunk=False).get_matching_blocks():
        kept.update(both[block.b:block.b + block.size])
    titles = {uri: _sections(split_front_matter(new_pages.get(uri, ""))[1])[0] or uri for uri, _ in new_menu}
    found = []
    for position, (uri, group) in enumerate(new_menu):
        if uri not in old_group or (uri in kept and old_group[uri] == group):
            continue
        before = new_menu[position - 1] if position else None
        if before is None:
            place = f'now first in "{group}"' if group else "now first in the menu"
        elif before[1] == group:
            place = f'now after "{titles[before[0]]}"' + (f' in "{group}"' if group else "")
        elif group:
            place = f'now first in "{group}"'
        else:
            place = f'now after the section "{before[1]}"'
        found.append(Amendment("page", "moved", f'Page "{titles[uri]}" moved: {place}', uri))
    return found


# ---- a build's amendments ----------------------------------------------------------------------------

def amendments_since(repo: Path, commit: str, project_dir: Path, docs_dir: Path, data_dir: Path,
                     page_uris: list[str]) -> list[Amendment]:
    """Everything that differs between `commit` (in `repo`) and the source being built."""
    docs_rel = docs_dir.resolve().relative_to(project_dir.resolve()).as_posix()
    data_rel = data_dir.resolve().relative_to(project_dir.resolve()).as_posix()
    old_pages = {}
    for path in _git_files(repo, commit, docs_rel):
        uri = path[len(docs_rel) + 1:]
        # Pages built now, and pages that have gone (generated pages exempt from review are neither).
        if uri.endswith(".md") and (uri in page_uris or not (docs_dir / uri).exists()):
            old_pages[uri] = git_show(repo, f"{commit}:{path}") or ""
    new_pages = {uri: (docs_dir / uri).read_text(encoding="utf-8") for uri in page_uris}
    old_data, new_data = {}, {}
    for name, filename in DATA_FILES.items():
        old_text = git_show(repo, f"{commit}:{data_rel}/{filename}")
        old_data[name] = yaml.safe_load(old_text) if old_text else {}
        new_data[name] = yaml.safe_load((data_dir / filename).read_text(encoding="utf-8"))
    # Paths in the commit are the project's own, as for the pages above.
    old_menu = menu_order(old_pages, old_data["sections"], git_show(repo, f"{commit}:mkdocs.yml"))
    moved = moved_amendments(old_menu, menu_order(new_pages, new_data["sections"]), new_pages)
    return page_amendments(old_pages, new_pages) + moved + data_amendments(old_data, new_data)


