"""The editors' form (Decap CMS at /admin/): its configuration comes from the schemas and the nav
(handbook/editors/cms_config.py), it writes files in the handbook's layout (handbook/editors/assets/layout.js,
the mirror of handbook/data/yaml_format.py), and it stays out of what readers get."""

from __future__ import annotations

import copy
import gzip
import io
import json
import shutil
import subprocess
import sys
import tarfile

import pytest
import yaml

from conftest import ROOT
from handbook.data.reviews import _front_matter_schema, page_in_layout
from handbook.data.rules import cross_record_findings
from handbook.data.validation import DATA_FILES, layouts
from handbook.data.yaml_format import format_data
from handbook.data.yaml_source import LoadedFile, load_yaml
from handbook.editors import decap
from handbook.editors.admin import nav_pages, write_admin
from handbook.editors.cms_config import Backend, CmsConfigError, data_collection, decap_config
from handbook.findings import field_path
from handbook.project import project_contents

sys.path.insert(0, str(ROOT / "tools"))
from vendor_cms import VENDOR, vendored_files  # noqa: E402
from vendoring import vendored_text  # noqa: E402

LAYOUT_RUNNER = ROOT / "tests" / "js" / "layout_runner.js"


def _nav() -> list:
    return project_contents(ROOT).nav()


def _config(data_dir=ROOT / "data", backend=None) -> dict:
    backend = backend or Backend(repo="partnership/handbook")
    files = {name: f"data/{file}" for name, file in DATA_FILES.items()}
    pages = nav_pages(_nav(), ROOT / "docs", ROOT)
    return decap_config(files, layouts(data_dir), pages, _front_matter_schema(), backend)


def _collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def _resolve(node: dict, schemas: dict[str, dict], current: str) -> tuple[dict, str]:
    while "$ref" in node:
        target, _, pointer = node["$ref"].partition("#")
        current = target.removesuffix(".schema.json") if target else current
        resolved = schemas[current]
        for part in pointer.strip("/").split("/"):
            resolved = resolved[part]
        node = {**resolved, **{k: v for k, v in node.items() if k != "$ref"}}
    return node, current


def _schema_paths(node: dict, schemas: dict, current: str, prefix: str = "") -> set[str]:
    """Every property path a schema describes, e.g. contacts[].phones[].number (by hand, not with
    the code under test, so the two can disagree)."""
    node, current = _resolve(node, schemas, current)
    paths = set()
    if node.get("type") == "array":
        items, items_current = _resolve(node.get("items", {}), schemas, current)
        if items.get("type") == "object":
            paths |= _schema_paths(items, schemas, items_current, prefix + "[]")
    for name, child in node.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        paths.add(path)
        paths |= _schema_paths(child, schemas, current, path)
    return paths


def _form_paths(fields: list[dict], prefix: str = "") -> set[str]:
    paths = set()
    for field in fields:
        path = f"{prefix}.{field['name']}" if prefix else field["name"]
        paths.add(path)
        if field.get("widget") == "list" and "fields" in field:
            paths |= _form_paths(field["fields"], path + "[]")
        elif field.get("widget") == "object":
            paths |= _form_paths(field["fields"], path)
    return paths


def _schemas(schema_dir=ROOT / "data" / "schema") -> dict[str, dict]:
    return {p.name.removesuffix(".schema.json"): json.loads(p.read_text(encoding="utf-8"))
            for p in schema_dir.glob("*.schema.json")}


def test_every_schema_field_has_a_form_field():
    config, schemas = _config(), _schemas()
    assert sorted(c["name"] for c in config["collections"]) == sorted(["chapters", "pages", *DATA_FILES])
    for name in DATA_FILES:
        fields = _collection(config, name)["files"][0]["fields"]
        expected = _schema_paths(schemas[name], schemas, name)
        assert expected, name
        assert _form_paths(fields) == expected, name
    properties = _front_matter_schema()["properties"]
    front_matter = set(properties) | {"search.boost"} | {
        f"decisions[].{p}" for p in properties["decisions"]["items"]["properties"]} | {
        f"withdrawn.{p}" for p in properties["withdrawn"]["properties"]}
    for entry in _collection(config, "pages")["files"]:
        assert _form_paths(entry["fields"]) == front_matter | {"body"}, entry["file"]
    # A chapter's title is a field of its own, its first line.
    assert _form_paths(_collection(config, "chapters")["fields"]) == front_matter | {"heading", "body"}


def test_the_form_offers_every_page_the_editors_pages_too_after_the_nav_s():
    # The editors' pages are in no practitioner's menu (mkdocs.yml not_in_nav), but editors still
    # change them in the form.
    config = _config()
    chapters = _collection(config, "chapters")
    assert chapters["folder"] == "docs/handbook" and chapters["create"] is True and chapters["delete"] is False
    offered = [entry["file"] for entry in _collection(config, "pages")["files"]]
    offered += [p.relative_to(ROOT).as_posix() for p in (ROOT / chapters["folder"]).glob("*.md")]
    every = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").rglob("*.md"))
    assert sorted(offered) == every and len(offered) == len(set(offered))
    others = [entry["file"] for entry in _collection(config, "pages")["files"]]
    in_nav = [f for f in others if not f.startswith(("docs/editors/", "docs/maintainers/"))
              and f != "docs/document-control.md"]
    assert others[:len(in_nav)] == in_nav  # the nav's pages first, in its order
    assert "docs/editors/index.md" in others and "docs/document-control.md" in others


def test_fields_carry_the_schemas_rules_and_descriptions():
    config = _config()
    people = next(f for f in _collection(config, "coordinators")["files"][0]["fields"] if f["name"] == "people")
    assert people["widget"] == "list" and people["min"] == 1 and people["summary"] == "{{fields.name}}"
    fields = {f["name"]: f for f in people["fields"]}
    assert fields["email"]["widget"] == "handbook-text" and fields["email"]["check"] == "email"
    assert fields["email"]["required"] is True and fields["note"]["required"] is False
    assert fields["last_verified"]["check"] == "date"
    assert fields["role"]["widget"] == "relation" and fields["role"]["value_field"] == "roles.*.id"
    # An id's pattern, with the description its message names, and the definition's hint.
    assert fields["id"]["check_pattern"] == "^[a-z0-9]+(-[a-z0-9]+)*$"
    assert fields["id"]["hint"].startswith("A stable id")
    # The description beside a $ref is the hint, not the shared definition's.
    assert fields["locality"]["hint"] == "A locality id from the localities list."
    contacts = _collection(config, "contacts")["files"][0]["fields"]
    phones = next(f for f in next(f for f in contacts if f["name"] == "contacts")["fields"] if f["name"] == "phones")
    number = next(f for f in phones["fields"] if f["name"] == "number")
    assert number["check"] == "phone"
    levels = _collection(config, "thresholds")["files"][0]["fields"]
    level = next(f for f in levels if f["name"] == "levels")
    assert next(f for f in level["fields"] if f["name"] == "number")["value_type"] == "int"
    chapter = _collection(config, "chapters")
    names = [f["name"] for f in chapter["fields"]]
    assert names[0] == "heading" and names[-1] == "body" and chapter["identifier_field"] == "heading"
    assert next(f for f in chapter["fields"] if f["name"] == "review_due")["check"] == "date"
    assert chapter["fields"][0]["required"] is True and chapter["fields"][0]["check"] == "chapter-address"
    # A new chapter's place is asked for: a chapter without one would stop the build.
    by_name = {f["name"]: f for f in chapter["fields"]}
    assert by_name["section"]["widget"] == "relation" and by_name["section"]["required"] is True
    assert by_name["order"]["required"] is True and by_name["owner"]["required"] is False
    assert config["slug"] == {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    # A withdrawn chapter's replacement is picked from the chapters by title, and saved as its file name.
    withdrawn = {f["name"]: f for f in by_name["withdrawn"]["fields"]}
    assert withdrawn["date"]["check"] == "date" and withdrawn["date"]["label"] == "Withdrawn on"
    assert withdrawn["replaced_by"] == {**withdrawn["replaced_by"], "widget": "relation", "collection": "chapters",
                                        "value_field": "{{slug}}", "display_fields": ["heading"]}


def test_a_field_added_to_a_schema_appears_in_the_form(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(ROOT / "data", data_dir)
    schema_path = data_dir / "schema" / "contacts.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["properties"]["contacts"]["items"]["properties"]["textphone"] = {
        "$ref": "common.schema.json#/$defs/phoneNumber", "description": "A textphone line for deaf callers."}
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    contacts = next(f for f in _collection(_config(data_dir), "contacts")["files"][0]["fields"]
                    if f["name"] == "contacts")
    added = next(f for f in contacts["fields"] if f["name"] == "textphone")
    assert added == {"name": "textphone", "label": "Textphone", "required": False,
                     "hint": "A textphone line for deaf callers.", "widget": "handbook-text", "check": "phone"}


def test_a_schema_the_form_cannot_show_stops_the_build(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(ROOT / "data", data_dir)
    schema_path = data_dir / "schema" / "glossary.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["properties"]["terms"]["items"]["properties"]["odd"] = {"description": "No type."}
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    with pytest.raises(CmsConfigError, match=r"glossary.schema.json: the editors' form has no field for "
                                             r"`terms\[\]\.odd`.*Give it a type"):
        _config(data_dir)


def test_a_schema_the_form_cannot_show_stops_the_build_with_its_reason(tmp_path):
    from conftest import FIXTURES, build, fixture_project

    project = fixture_project(FIXTURES / "base", tmp_path / "project")
    schema_path = project / "data" / "schema" / "glossary.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["properties"]["terms"]["items"]["properties"]["odd"] = {"description": "No type."}
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    result = build(project, tmp_path / "site", HANDBOOK_PDF="0")
    assert result.returncode == 1
    assert ("The editors' form cannot be made: data/schema/glossary.schema.json: the editors' form has no field "
            "for `terms[].odd`") in result.output
    assert "Traceback" not in result.output


def _references(node: dict, schemas: dict, current: str, path: tuple = ()) -> list[tuple[tuple, dict]]:
    """(path with "*" for each list index, x-refers-to) for every reference in a schema."""
    node, current = _resolve(node, schemas, current)
    found = [(path, node["x-refers-to"])] if "x-refers-to" in node else []
    if node.get("type") == "array" and not found:
        found += _references(node.get("items", {}), schemas, current, path + ("*",))
    for name, child in node.get("properties", {}).items():
        found += _references(child, schemas, current, path + (name,))
    return found


def _expand(data, path: tuple, done: tuple = ()) -> list[tuple]:
    if not path:
        return [done]
    head, rest = path[0], path[1:]
    if head == "*":
        items = data if isinstance(data, list) else []
        return [p for i, item in enumerate(items) for p in _expand(item, rest, done + (i,))]
    return _expand(data[head], rest, done + (head,)) if isinstance(data, dict) and head in data else []


def test_every_reference_is_a_select_of_the_records_and_the_check_holds_it():
    """Each id an editor picks from a list in the form is one the check requires to exist: an id
    that is not there is reported at that very field, so the form and the rules name the same ids."""
    schemas, config = _schemas(), _config()
    loaded = {name: LoadedFile(name, f"data/{file}", *load_yaml(ROOT / "data" / file, f"data/{file}"))
              for name, file in DATA_FILES.items()}
    references = [(name, path, refers) for name in DATA_FILES
                  for path, refers in _references(schemas[name], schemas, name)]
    assert len(references) == 12  # as many as the refer() calls in handbook/data/rules.py
    for name, path, refers in references:
        # The form: a relation to the named list's ids, showing their names.
        fields = _collection(config, name)["files"][0]["fields"]
        for part in [p for p in path if p != "*"]:
            field = next(f for f in fields if f["name"] == part)
            fields = field.get("fields", [])
        assert field["widget"] == "relation" and field["collection"] == refers["file"] == field["file"]
        assert field["value_field"] == f"{refers['records']}.*.id"
        assert field["display_fields"] == [f"{refers['records']}.*.{refers['label']}"]
        # The records it offers exist, with the label it shows.
        target = _expand(loaded[refers["file"]].data, tuple(refers["records"].split(".")) + ("*",))
        assert target and all(refers["label"] in _get(loaded[refers["file"]].data, t) for t in target), (name, path)
        # The check: an unknown id at this field is reported there.
        locations = _expand(loaded[name].data, path)
        assert locations, (name, path)
        changed = copy.deepcopy(loaded)
        location = locations[0]
        value = _get(changed[name].data, location)
        if isinstance(value, list):
            location = location + (0,)
        _set(changed[name].data, location, "no-such-record")
        findings = cross_record_findings(changed)
        assert any(f.field == field_path(location) and "no-such-record" in f.message for f in findings), (name, path)


def _get(data, location):
    for key in location:
        data = data[key]
    return data


def _set(data, location, value):
    _get(data, location[:-1])[location[-1]] = value


def _run_layout(config: dict, files: list[dict]) -> list[str]:
    settings = json.loads(_settings_json(config))
    result = subprocess.run(["node", str(LAYOUT_RUNNER)], input=json.dumps({**settings, "files": files}),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _settings_json(config: dict) -> str:
    from handbook.editors.cms_config import admin_settings
    return admin_settings(config, layouts(ROOT / "data"), [])


def test_the_form_writes_every_file_as_handbook_format_does():
    """Read and saved unchanged, every data file and page comes back byte for byte: a save changes
    only what the editor changed."""
    config = _config()
    files = [{"collection": c["name"], "file": entry["file"],
              "text": (ROOT / entry["file"]).read_text(encoding="utf-8")}
             for c in config["collections"] for entry in c.get("files", [])]
    chapters = _collection(config, "chapters")
    files += [{"collection": "chapters", "file": path.relative_to(ROOT).as_posix(),
               "text": path.read_text(encoding="utf-8")} for path in sorted((ROOT / chapters["folder"]).glob("*.md"))]
    assert len(files) == len(DATA_FILES) + len(nav_pages(_nav(), ROOT / "docs", ROOT))
    for file, saved in zip(files, _run_layout(config, files), strict=True):
        assert saved == file["text"], f"{file['file']}: the form would rewrite it"


def test_a_saved_change_is_the_change_handbook_format_would_write():
    config = _config()
    text = (ROOT / "data" / "training.yaml").read_text(encoding="utf-8")
    data, _ = load_yaml(ROOT / "data" / "training.yaml", "training.yaml")
    changed = copy.deepcopy(data)
    # A new course at the end with an optional field left empty (the form's untouched fields), and
    # text that YAML would read as something else if it were not quoted.
    course = {"id": "new-course", "title": "No: 01302 737777", "provider": "", "audience": "yes",
              "summary": 'A "quoted" word', "booking": data["courses"][0]["booking"], "listed_in": [],
              "other_names": []}
    changed["courses"].append(course)
    saved = _run_layout(config, [{"collection": "training", "file": "data/training.yaml", "text": text,
                                  "edit": {"courses": changed["courses"]}}])[0]
    expected_data = copy.deepcopy(changed)
    expected_data["courses"][-1] = {k: v for k, v in course.items() if v not in ("", [])}
    assert saved == format_data(expected_data, layouts(ROOT / "data")["training"])
    back = yaml.safe_load(saved)["courses"][-1]
    assert back["title"] == "No: 01302 737777" and back["audience"] == "yes" and "provider" not in back
    assert saved.startswith(text.rstrip("\n"))  # the file's existing lines are untouched


def test_the_form_is_built_into_the_site_and_kept_from_readers(site):
    admin = site.site / "admin"
    index = (admin / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in index
    assert '<html lang="en-GB">' in index
    for script in ("vendor/js-yaml.min.js", "vendor/libphonenumber-max.js", "decap-cms.js", "checks.js",
                   "layout.js", "handbook-cms.js"):
        assert f'src="{script}"' in index and (admin / script).is_file(), script
    # Nothing from another host: every script is the site's own.
    assert "http" not in index.split("<body>")[1]
    settings = json.loads((admin / "handbook-cms.json").read_text(encoding="utf-8"))
    assert settings["config"]["publish_mode"] == "editorial_workflow"
    assert settings["config"]["local_backend"] is True
    site_data = yaml.safe_load((ROOT / "data" / "site.yaml").read_text(encoding="utf-8"))
    assert settings["allowed_email_domains"] == site_data["allowed_email_domains"]
    # The phone numbers' country, as the form's checks need it (handbook/editors/assets/checks.js).
    assert settings["phone"] == {"region": site_data["phone_region"], "place": "the United Kingdom (GB)",
                                 "example": "0121 234 5678", "emergency": "112|999"}
    assert "GB" in settings["phone_regions"] and "IE" in settings["phone_regions"]
    # Not in the sitemap, the search index or the readers' offline copy.
    sitemap = (site.site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/admin" not in sitemap
    index_json = json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d for d in index_json["docs"] if d["location"].startswith("admin")]
    worker = (site.site / "sw.js").read_text(encoding="utf-8")
    assert "admin/" not in worker and "editors/images/" not in worker and '"editors/index.html"' in worker
    assert not gzip.decompress((site.site / "sitemap.xml.gz").read_bytes()).count(b"/admin")


def test_the_backend_settings(tmp_path):
    config = decap_config({}, {}, [], _front_matter_schema(),
                          Backend(repo="partnership/handbook", branch="main", auth_url="https://auth.example.org"))
    assert config["backend"] == {"name": "github", "repo": "partnership/handbook", "branch": "main",
                                 "squash_merges": True, "base_url": "https://auth.example.org"}
    assert "local_backend" not in config
    local = decap_config({}, {}, [], _front_matter_schema(), Backend(repo="", local=True,
                                                                     local_url="http://127.0.0.1:9/api/v1"))
    assert local["local_backend"] == {"url": "http://127.0.0.1:9/api/v1"}


def test_the_copy_of_the_browser_libraries_is_the_version_package_json_pins():
    for name, source in vendored_files().items():
        kept = (VENDOR / name).read_text(encoding="utf-8")
        assert kept == vendored_text(source), f"{name} differs: run tools/vendor_cms.py"
    assert sorted(p.name for p in VENDOR.iterdir()) == sorted(vendored_files())
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/decap-server"]["version"] == "3.11.3"


def test_a_decap_download_that_does_not_match_its_hash_is_refused():
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode="w:gz") as archive:
        info = tarfile.TarInfo("package/dist/decap-cms.js")
        info.size = 2
        archive.addfile(info, io.BytesIO(b"//"))
    with pytest.raises(decap.DecapError, match="does not match the integrity hash"):
        decap.verify(tar.getvalue())


def test_the_decap_files_are_the_pinned_release():
    kept = decap.ensure()
    assert (kept / ".complete").read_text(encoding="utf-8").strip() == decap.INTEGRITY
    assert (kept / "decap-cms.js").stat().st_size > 4_000_000
    assert len(list(kept.glob("*.decap-cms.js"))) > 50 and len(list(kept.glob("*.wasm"))) == 2


def test_write_admin_from_a_project(tmp_path):
    count = write_admin(tmp_path / "admin", ROOT, ROOT / "docs", ROOT / "data", _nav(),
                        Backend(repo="partnership/handbook"), "A <b>handbook</b>")
    assert count == len([p for p in (tmp_path / "admin").rglob("*") if p.is_file()])
    index = (tmp_path / "admin" / "index.html").read_text(encoding="utf-8")
    assert "<title>Edit the handbook - A &lt;b&gt;handbook&lt;/b&gt;</title>" in index


def test_collections_are_described_by_their_schemas():
    layout = layouts(ROOT / "data")["contacts"]
    collection = data_collection("contacts", "data/contacts.yaml", layout)
    assert collection["label"] == "Contacts" and collection["format"] == "handbook-data-contacts"
    assert collection["description"].startswith("Teams, phone lines and mailboxes.")
    assert collection["files"][0]["file"] == "data/contacts.yaml"


def test_a_chapter_s_title_is_its_first_line_in_the_form():
    config = _config()
    text = (ROOT / "docs" / "handbook" / "consent.md").read_text(encoding="utf-8")
    renamed = _run_layout(config, [{"collection": "chapters", "file": "docs/handbook/consent.md", "text": text,
                                    "edit": {"heading": "Consent and refusal"}}])[0]
    assert renamed == text.replace("# Consent, refusal and competence\n", "# Consent and refusal\n", 1)
    # A new chapter as the form saves it: its place, its title as the first line, then its text.
    new = _run_layout(config, [{"collection": "chapters", "file": "docs/handbook/consent.md", "text": "",
                                "edit": {"heading": " Working with fathers ", "section": "practice", "order": 55,
                                         "owner": "", "body": "Fathers matter.\n"}}])[0]
    assert new == '---\nsection: "practice"\norder: 55\n---\n# Working with fathers\n\nFathers matter.\n'
    # A chapter withdrawn in the form is written as `handbook format` writes it: Withdrawn after the
    # other fields, its own fields in the schema's order.
    withdrawn = _run_layout(config, [{"collection": "chapters", "file": "docs/handbook/consent.md", "text": text,
                                      "edit": {"withdrawn": {"replaced_by": "pathway", "reason": "",
                                                             "date": "2026-12-01"}}}])[0]
    assert withdrawn == page_in_layout(withdrawn, "docs/handbook/consent.md")
    assert withdrawn.startswith('---\nsection: "practice"\norder: 50\nwithdrawn:\n  date: "2026-12-01"\n'
                                '  replaced_by: "pathway"\n---\n# Consent')


def _addresses(titles: list[str], taken: dict[str, str]) -> list[list]:
    result = subprocess.run(["node", str(ROOT / "tests" / "js" / "chapters_runner.js")],
                            input=json.dumps({"titles": titles, "taken": taken, "folder": "docs/handbook"}),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_new_chapter_s_address_is_decap_s_and_a_taken_one_is_refused():
    from handbook.editors.admin import taken_names
    taken = taken_names(ROOT / "docs", ROOT)
    assert taken["consent"] == "docs/handbook/consent.md" and taken["contacts"] == "docs/contacts.md"
    cases = {
        "Working with fathers": "working-with-fathers",
        "  SEND: the Local Offer & Short Breaks ": "send-the-local-offer-short-breaks",
        "Children's rights (UNCRC)": "childrens-rights-uncrc",
        "Step 2.1 — review": "step-2-1-review",
        "Café and crèche": "cafe-and-creche",
        "under_5s ~ play": "under_5s-~-play",
        "Nul": "",
        "?!": "",
    }
    got = _addresses(list(cases), taken)
    assert [address for address, _ in got] == list(cases.values())
    assert [problem for _, problem in got][:6] == [None] * 6
    assert got[-1][1] == "Give the chapter a title with at least one letter or number: its address is made from it."
    (_, same), (_, pdf) = _addresses(["Consent", "Contacts"], taken)
    assert same == ("There is already a chapter called this, at handbook/consent/ (docs/handbook/consent.md). "
                    "Give this one a different title, or open that chapter from the list to change it.")
    assert pdf == ("A new chapter with this title would be saved as contacts.pdf, the name of the PDF of "
                   "docs/contacts.md. Give it a different title.")
