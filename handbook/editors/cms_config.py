"""The editors' form (Decap CMS at /admin/): its configuration, made at build time from the data
files' JSON Schemas, the pages' front-matter schema and the nav. Nothing in it is written by hand,
so a field added to a schema appears in the form with no code change.

- One collection per data file, a form field per schema property: lists of records, required
  fields, and the schema's description as the hint under each field.
- A schema property marked "x-refers-to" (an id of a record in another list) becomes a select of
  that list's records, so an editor picks a contact or a locality instead of typing its id.
- Text fields use the handbook's own widget (handbook/editors/assets/handbook-cms.js), which checks
  formats and patterns with `handbook check`'s own messages before anything is saved.
- Chapters are a folder collection (docs/handbook): an editor opens any chapter or makes a new one,
  whose address Decap makes from its title. The title is a field of its own (the page's first line,
  `# Title`); handbook-cms.js refuses, before saving, a title whose address another page has.
- The other pages are a list of files, in menu order. In both, the front-matter fields are form
  fields and the Markdown is as written.
- Every collection is read and written in the layout handbook/data/yaml_format.py defines (the browser
  side mirrors it), so a saved change touches only the lines it changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from referencing import Registry

from handbook.data.phones import SUPPORTED_REGIONS, form_settings
from handbook.data.yaml_format import FileLayout, header, resolve

# The widget that checks a text field with the check's messages (registered by handbook-cms.js).
TEXT_WIDGET = "handbook-text"
# A page's Markdown, with the pictures in it checked as `handbook check` checks them (alt text, and
# no picture from another site), also registered by handbook-cms.js.
PAGE_TEXT_WIDGET = "handbook-page-text"
DATA_FORMAT = "handbook-data-"  # + the data file's name: each file has its own header
PAGE_FORMAT = "handbook-page"
CHAPTER_FORMAT = "handbook-chapter"  # a page whose first line, its title, is a field of its own
# The check the title of a new chapter gets in the form (handbook-cms.js): its address is free.
ADDRESS_CHECK = "chapter-address"
# How Decap makes a new chapter's file name from its title: letters, digits and - only, so that an
# address survives being typed, emailed and printed (handbook/editors/assets/chapters.js mirrors it).
# Where the form's Media saves pictures, and how a chapter (docs/handbook/*.md) names them: a path
# relative to the page, as MkDocs resolves it, so that it works in every edition's folder too.
MEDIA_FOLDER = "docs/assets/images"
PICTURES_FROM_CHAPTERS = "../assets/images"
PLACE = ("section", "order")  # the front-matter fields that place a page in the contents
SLUG = {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
# Fields whose value names a record best, in this order, for the one-line summary of a record in
# a list (a contact's name, a course's title, a phone's label).
SUMMARY_FIELDS = ("name", "title", "label", "task", "term", "heading", "id")


class CmsConfigError(ValueError):
    """A schema the form cannot show: the build stops rather than publish a form that drops a field."""


@dataclass(frozen=True)
class Backend:
    """Where the form saves. `repo` is "owner/name" on GitHub; `auth_url` the partnership's OAuth
    service for signing in with GitHub (see the editor guide); `local` lets `make edit` save to
    the working copy through decap-server instead."""

    repo: str
    branch: str = "main"
    auth_url: str = ""
    local: bool = False
    local_url: str = ""  # decap-server's address when not its default, http://localhost:8081/api/v1


@dataclass(frozen=True)
class Page:
    path: str  # relative to the project, e.g. "docs/handbook/consent.md"
    title: str
    chapter: bool


def _label(name: str, node: dict) -> str:
    return node.get("title") or name.replace("_", " ").capitalize()


class _Fields:
    """Turns one schema into Decap fields. `where` names the schema in error messages."""

    def __init__(self, where: str, registry: Registry):
        self.where = where
        self.registry = registry

    def of_object(self, node: dict, base: str, path: str) -> list[dict]:
        required = set(node.get("required", []))
        return [self.field(name, child, name in required, base, f"{path}.{name}" if path else name)
                for name, child in node.get("properties", {}).items()]

    def field(self, name: str, node: dict, required: bool, base: str, path: str) -> dict:
        node, base = resolve(node, self.registry, base)
        field: dict[str, Any] = {"name": name, "label": _label(name, node), "required": required}
        if node.get("description"):
            field["hint"] = node["description"]
        kind = node.get("type")
        refers = node.get("x-refers-to")
        if refers:
            field.update(self._relation(refers, path))
            if kind == "array":
                field.update(multiple=True, min=node.get("minItems", 0))
        elif "enum" in node:
            field.update(widget="select", options=[str(option) for option in node["enum"]])
        elif kind == "string":
            field.update(self._text(node))
        elif kind in ("integer", "number"):
            field.update(widget="number", value_type="int" if kind == "integer" else "float")
            for keyword, option in (("minimum", "min"), ("maximum", "max")):
                if keyword in node:
                    field[option] = node[keyword]
        elif kind == "boolean":
            field["widget"] = "boolean"
        elif kind == "object":
            fields = self.of_object(node, base, path)
            if not required:
                # Decap asks for an object's required fields even when the object is left out (a
                # page's optional search: boost): here they are optional, and handbook check still
                # requires them when the object is there.
                fields = [{**f, "required": False} for f in fields]
            field.update(widget="object", fields=fields)
        elif kind == "array":
            field.update(self._list(node, base, path))
        else:
            raise CmsConfigError(f"{self.where}: the editors' form has no field for `{path}`, whose schema gives "
                                 f"no type it knows ({kind!r}). Give it a type: string, integer, number, "
                                 "boolean, object or array.")
        return field

    def _text(self, node: dict) -> dict:
        field: dict[str, Any] = {"widget": TEXT_WIDGET}
        if node.get("format"):
            field["check"] = node["format"]
        if node.get("pattern"):
            # The pattern's own message names the schema's description, as handbook check's does.
            field["check_pattern"] = node["pattern"]
            field["check_pattern_description"] = node.get("description", "")
        return field

    def _list(self, node: dict, base: str, path: str) -> dict:
        items, items_base = resolve(node.get("items", {}), self.registry, base)
        field: dict[str, Any] = {"widget": "list"}
        if node.get("minItems"):
            field["min"] = node["minItems"]
        if items.get("type") == "object":
            fields = self.of_object(items, items_base, f"{path}[]")
            names = [f["name"] for f in fields]
            shown = next((name for name in SUMMARY_FIELDS if name in names), names[0])
            field.update(fields=fields, collapsed=True, summary="{{fields." + shown + "}}")
            if items.get("title"):
                field["label_singular"] = items["title"]
        elif "enum" in items:
            return {"widget": "select", "multiple": True, "options": [str(o) for o in items["enum"]],
                    **({"min": node["minItems"]} if node.get("minItems") else {})}
        elif items.get("type") == "string":
            field["field"] = {"name": "item", "label": "Item", **self._text(items)}
        else:
            raise CmsConfigError(f"{self.where}: the editors' form cannot show the list `{path}`: its items "
                                 "must be records (type object) or text (type string).")
        return field

    def _relation(self, refers: dict, path: str) -> dict:
        if isinstance(refers, dict) and "collection" in refers:
            # A page of one of the form's page collections (the chapters), picked by its title and
            # saved as its file name: Decap's slug of an entry in a folder collection.
            label = refers.get("label", "title")
            return {"widget": "relation", "collection": refers["collection"], "value_field": "{{slug}}",
                    "search_fields": [label], "display_fields": [label], "options_length": 500}
        try:
            records, label = refers["records"], refers["label"]
            collection = refers["file"]
        except (TypeError, KeyError):
            raise CmsConfigError(f'{self.where}: x-refers-to on `{path}` needs "file", "records" and "label", '
                                 'for example {"file": "contacts", "records": "contacts", "label": "name"}.') from None
        return {"widget": "relation", "collection": collection, "file": collection,
                "value_field": f"{records}.*.id", "search_fields": [f"{records}.*.id", f"{records}.*.{label}"],
                "display_fields": [f"{records}.*.{label}"], "options_length": 200}


def data_collection(name: str, file_path: str, layout: FileLayout) -> dict:
    """The collection for one data file: a single entry, the file itself."""
    schema = layout.schema
    fields = _Fields(f"data/schema/{name}.schema.json", layout.registry).of_object(schema, f"{name}.schema.json", "")
    title = schema.get("title") or _label(name, {})
    return {
        "name": name, "label": title, "format": DATA_FORMAT + name, "editor": {"preview": False},
        "description": schema.get("description", "").split("\n\n")[0],
        "files": [{"name": name, "label": title, "file": file_path, "fields": fields}],
    }


def _front_matter_fields(front_matter_schema: dict) -> list[dict]:
    return _Fields("handbook/data/front-matter.schema.json", Registry()).of_object(
        front_matter_schema, "front-matter.schema.json", "")


def _body(label: str, where: str, pictures: str = "") -> dict:
    """The text field; `pictures`, the address of the media folder from these pages, for the hint."""
    hint = (f"Markdown, {where}. Phone numbers, emails and other data come from the data files through macros "
            "such as {{ contact(\"mash-early-help\") }}: change them there.")
    if pictures:
        # In backticks: Decap shows a hint as Markdown, where the example would be a broken picture.
        hint += f" A picture, once uploaded under Media: `![What the picture shows]({pictures}/file-name.png)`."
    return {"name": "body", "label": label, "widget": PAGE_TEXT_WIDGET, "required": True, "hint": hint}


def chapter_collection(folder: str, front_matter_schema: dict) -> dict:
    """The chapters: every page in `folder` (e.g. "docs/handbook"), and new ones. The form deletes no
    chapter: a deleted chapter's address would stop answering for everyone who saved or printed it."""
    heading = {"name": "heading", "label": "Title", "widget": TEXT_WIDGET, "required": True, "check": ADDRESS_CHECK,
               "hint": "The chapter's title, as readers see it at the top of the page and in the menu. A new "
                       "chapter's address is made from it (\"Working with fathers\" becomes "
                       "handbook/working-with-fathers/) and does not change when the title does."}
    return {"name": "chapters", "label": "Chapters", "label_singular": "chapter", "folder": folder,
            "extension": "md", "format": CHAPTER_FORMAT, "create": True, "delete": False,
            "identifier_field": "heading", "slug": "{{slug}}", "summary": "{{heading}}",
            "description": "The handbook's chapters. Each one's Section and Place in the section set where it "
                           "is in the menu and the PDF.",
            "view_groups": [{"label": "Section", "field": "section"}],
            "editor": {"preview": False},
            "fields": [heading, *(_placed(f) for f in _front_matter_fields(front_matter_schema)),
                       _body("Text of the chapter", "as in the file under its title", PICTURES_FROM_CHAPTERS)]}


def _placed(field: dict) -> dict:
    """A chapter's section and place are required: every chapter is in the contents (data/contents.py
    stops the build on a page in no section), where the schema leaves them optional for the
    editors' own pages."""
    return {**field, "required": True} if field["name"] in PLACE else field


def page_collections(pages: list[Page], front_matter_schema: dict) -> list[dict]:
    """The pages that are not chapters, in menu order, with the front matter as form fields."""
    fields = [*_front_matter_fields(front_matter_schema), _body("Text of the page", "as in the file")]
    entries = [{"name": Path(page.path).with_suffix("").as_posix().replace("/", "-"), "label": page.title,
                "file": page.path, "fields": fields} for page in pages if not page.chapter]
    if not entries:
        return []
    return [{"name": "pages", "label": "Other pages", "format": PAGE_FORMAT, "editor": {"preview": False},
             "files": entries}]


def decap_config(data_files: dict[str, str], layouts: dict[str, FileLayout], pages: list[Page],
                 front_matter_schema: dict, backend: Backend, site_url: str = "",
                 chapters_folder: str = "docs/handbook") -> dict:
    """Decap CMS's whole configuration. `data_files` maps each data file's name to its path in the
    project (e.g. "contacts" -> "data/contacts.yaml"); `chapters_folder` is the chapters' folder."""
    github: dict[str, Any] = {"name": "github", "repo": backend.repo, "branch": backend.branch,
                              "squash_merges": True}
    if backend.auth_url:
        github["base_url"] = backend.auth_url
    config: dict[str, Any] = {
        "load_config_file": False,
        "backend": github,
        # Every change is a branch and a pull request that the pull-request workflow checks,
        # summarises and previews; nothing reaches main without review.
        "publish_mode": "editorial_workflow",
        # Decap needs a media folder; the handbook's images live with the pages' assets.
        "media_folder": MEDIA_FOLDER,
        "public_folder": "/assets/images",
        "slug": SLUG,
        "collections": [chapter_collection(chapters_folder, front_matter_schema),
                        *page_collections(pages, front_matter_schema),
                        *(data_collection(name, path, layouts[name]) for name, path in data_files.items())],
    }
    if site_url:
        config["site_url"] = config["display_url"] = site_url
    if backend.local:
        # Only on a local address: decap-server saves to the working copy (make edit).
        config["local_backend"] = {"url": backend.local_url} if backend.local_url else True
    return config


def file_layouts(layouts: dict[str, FileLayout]) -> dict[str, dict]:
    """What the browser needs to write each data file in the handbook's layout: its header."""
    return {DATA_FORMAT + name: {"header": header(layout)} for name, layout in layouts.items()}


def admin_settings(config: dict, layouts: dict[str, FileLayout], allowed_email_domains: list[str],
                   phone_region: str | None = None, taken: dict[str, str] | None = None) -> str:
    """admin/handbook-cms.json: the configuration, the files' headers, and what the checks need: the
    allowed email domains, the phone numbers' country (site.yaml's phone_region, as
    phones.form_settings describes it; null when it cannot be used, and the form then leaves numbers
    to `handbook check`), the country codes phone_region may take, and the names a new chapter
    cannot take (`taken`: a file name without .md -> the page that has it)."""
    return json.dumps({"config": config, "formats": file_layouts(layouts), "taken": taken or {},
                       "allowed_email_domains": allowed_email_domains, "phone": form_settings(phone_region),
                       "phone_regions": sorted(SUPPORTED_REGIONS)}, ensure_ascii=False, indent=1) + "\n"
