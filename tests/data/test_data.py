"""The data files themselves: schemas cover every file, the real data is valid, and the rules
that no schema can express hold."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import ROOT
from handbook.data.load import load_handbook
from handbook.data.validation import DATA_FILES, SHARED_SCHEMAS, load_and_validate
from handbook.findings import HandbookError

DATA = ROOT / "data"


def test_every_data_file_has_a_schema_and_every_schema_a_file():
    files = {p.name for p in DATA.glob("*.yaml")}
    schemas = {p.name.removesuffix(".schema.json") for p in (DATA / "schema").glob("*.schema.json")}
    assert files == set(DATA_FILES.values())
    assert schemas == set(DATA_FILES) | set(SHARED_SCHEMAS)


def test_every_data_file_points_editors_at_its_schema():
    for name, filename in DATA_FILES.items():
        first = (DATA / filename).read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=schema/{name}.schema.json", filename


def test_every_schema_forbids_unknown_fields():
    def objects(node):
        if isinstance(node, dict):
            if node.get("type") == "object":
                yield node
            for value in node.values():
                yield from objects(value)
        elif isinstance(node, list):
            for value in node:
                yield from objects(value)

    for name in DATA_FILES:
        schema = json.loads((DATA / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
        for obj in objects(schema):
            assert obj.get("additionalProperties") is False, name
            assert "description" in obj or obj is schema, name


def test_the_real_data_is_valid():
    files, findings = load_and_validate(DATA)
    assert findings == []
    assert set(files) == set(DATA_FILES)


def test_records_needing_confirmation_say_why():
    hb = load_handbook(DATA)
    flagged = [c for c in hb.contacts if c.verification.needs_confirmation]
    flagged += [p for p in hb.people if p.verification.needs_confirmation]
    # The four known source errors (a space in an address, a misspelt domain, one mailbox with two
    # addresses, three coordinators where the text says two) are all flagged, each with its reason:
    # a decision (with both readings: the editors' Decisions list) or a note.
    ids = {r.id for r in flagged}
    assert {"natasha-watts", "ashleigh-chappell", "childrens-social-care", "nina-hilton"} <= ids
    decided = {d.subject.split(" in ")[0] for d in hb.decisions}
    for record in flagged:
        assert record.verification.note or record.id in decided, record.id
    for decision in hb.decisions:
        assert decision.sources_say and decision.used and decision.reason, decision.subject


def test_each_locality_has_one_pathway_lead_and_a_team_mailbox():
    hb = load_handbook(DATA)
    assert [loc.name for loc in hb.localities] == ["North", "South", "East", "Central"]
    for loc in hb.localities:
        assert len(hb.people_in(loc.id, "pathway-lead")) == 1
        assert hb.people_in(loc.id, "early-help-coordinator")
        assert hb.contact(loc.team).locality == loc.id


def test_levels_are_one_to_four_in_order():
    assert [level.number for level in load_handbook(DATA).levels] == [1, 2, 3, 4]


def test_training_has_every_course_once():
    hb = load_handbook(DATA)
    titles = [c.title.casefold() for c in hb.courses]
    other = [n.casefold() for c in hb.courses for n in c.other_names]
    assert len(set(titles + other)) == len(titles + other)
    assert len(hb.courses) == 15


def test_an_error_in_a_copy_is_reported_with_file_and_line(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "contacts.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('number: "01302 736036"', 'number: "01302 73603"'), encoding="utf-8")
    line = text.splitlines().index('        number: "01302 736036"') + 1
    with pytest.raises(HandbookError) as caught:
        load_handbook(data)
    assert f"data/contacts.yaml:{line}:" in str(caught.value)
    assert "is not a valid phone number in the United Kingdom (GB)" in str(caught.value)


def test_every_glossary_entry_says_more_than_its_letters():
    # An entry whose words only repeat the abbreviation ("DSG: DSG") tells a practitioner nothing;
    # the letters no seed expands are allowed capitals instead, so the pages still pass the check.
    hb = load_handbook(DATA)
    repeats = [t.id for t in hb.terms if t.abbreviation and t.term.casefold() == t.abbreviation.casefold()]
    assert repeats == []
    assert {"DIPs", "DSG", "NSPCC", "RDASH"} <= set(hb.allowed_capitals)
    assert not {t.abbreviation for t in hb.terms} & set(hb.allowed_capitals)


def test_funding_figures_are_in_the_background_chapter_not_the_glossary():
    hb = load_handbook(DATA)
    assert [t.id for t in hb.terms if "£" in t.definition] == []
    background = (ROOT / "docs" / "handbook" / "background.md").read_text(encoding="utf-8")
    for figure in ("£0.598m", "£1.341m", "£0.472m", "£2.411m"):
        assert figure in background, figure


def _copy_with(tmp_path, **edits: tuple[str, str]):
    """A copy of the real data with `edits` (file stem: (old, new)) made."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    for stem, (old, new) in edits.items():
        path = data / f"{stem}.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return data


def test_a_record_with_a_schema_error_still_counts_for_its_id(tmp_path):
    # The MASH contact loses its required purpose: that is the one finding. Levels, the urgent block
    # and the quick reference still refer to it, and must not be told it does not exist.
    text = (DATA / "contacts.yaml").read_text(encoding="utf-8")
    start = text.index('  - id: "mash-early-help"')
    purpose = next(line for line in text[start:].splitlines() if line.strip().startswith("purpose:"))
    data = _copy_with(tmp_path, contacts=(purpose + "\n", ""))
    _, findings = load_and_validate(data)
    assert [f.message for f in findings] == ["the field `purpose` is missing. Add it to this record."]


def test_a_file_that_cannot_be_read_hides_no_finding_in_the_others(tmp_path):
    # training.yaml is broken YAML; a coordinator in another file names a locality that does not
    # exist. Both are reported, and nothing is said about ids that live in the unreadable file.
    data = _copy_with(tmp_path, training=("courses:", "courses: ["),
                      coordinators=('locality: "north"', 'locality: "nroth"'))
    _, findings = load_and_validate(data)
    files = sorted({f.file for f in findings})
    assert files == ["data/coordinators.yaml", "data/training.yaml"], findings
    assert any('there is no locality with the id "nroth". Did you mean "north"' in f.message for f in findings)
    assert len(findings) == 2, findings


def _line_of(data, stem: str, text: str) -> int:
    return (data / f"{stem}.yaml").read_text(encoding="utf-8").splitlines().index(text) + 1


def test_roles_come_from_the_data_in_their_order_with_their_names():
    hb = load_handbook(DATA)
    assert [(r.id, r.name) for r in hb.roles] == [("pathway-lead", "Early Help Pathway Lead"),
                                                   ("early-help-coordinator", "Early Help Coordinator"),
                                                   ("your-place-your-family", "Your Place Your Family")]
    assert {p.role for p in hb.people} == {r.id for r in hb.roles}


def test_a_person_whose_role_is_not_in_the_roles_list_is_reported_at_its_line(tmp_path):
    data = _copy_with(tmp_path, coordinators=('    role: "early-help-coordinator"', '    role: "coordinator"'))
    _, findings = load_and_validate(data)
    assert [(f.file, f.line, f.field, f.message) for f in findings] == [(
        "data/coordinators.yaml", _line_of(data, "coordinators", '    role: "coordinator"'), "people[4].role",
        'there is no role with the id "coordinator". Did you mean "early-help-coordinator"?')]


def test_a_role_id_used_twice_and_a_missing_roles_list_are_reported(tmp_path):
    data = _copy_with(tmp_path, coordinators=('  - id: "your-place-your-family"', '  - id: "pathway-lead"'))
    _, findings = load_and_validate(data)
    messages = [f.message for f in findings]
    assert messages[0].startswith('the role id "pathway-lead" is already used at data/coordinators.yaml:')
    # The people of the role that is gone are then reported too, each at its own line.
    assert sum('there is no role with the id "your-place-your-family"' in m for m in messages) == 5

    text = (DATA / "coordinators.yaml").read_text(encoding="utf-8")
    roles = text[text.index("roles:\n"):text.index("localities:\n")]
    data = _copy_with(tmp_path / "without", coordinators=(roles, ""))
    _, findings = load_and_validate(data)
    # Only that: with no roles list, its ids are unknown, and the people's roles are not reported missing.
    assert [(f.line, f.message) for f in findings] == [(6, "the field `roles` is missing. Add it to this record.")]


def test_every_locality_has_a_team_or_none_does(tmp_path):
    data = _copy_with(tmp_path, coordinators=('    team: "ypyf-south"\n', ""))
    _, findings = load_and_validate(data)
    assert [(f.line, f.field, f.message) for f in findings] == [(
        _line_of(data, "coordinators", '  - id: "south"'), "localities[1]",
        'the locality "South" has no team, but "North" has one. Give every locality its team (team: and the id '
        "of the team's contact in data/contacts.yaml), or none.")]
    # None at all is a partnership without locality teams: nothing to report.
    text = (DATA / "coordinators.yaml").read_text(encoding="utf-8")
    none = tmp_path / "none"
    data = _copy_with(none, coordinators=("", ""))
    (data / "coordinators.yaml").write_text("\n".join(line for line in text.splitlines()
                                                     if not line.startswith("    team: ")) + "\n", encoding="utf-8")
    assert load_and_validate(data)[1] == []
    assert all(loc.team == "" for loc in load_handbook(data).localities)


def test_a_team_is_a_contact_with_a_mailbox(tmp_path):
    data = _copy_with(tmp_path, coordinators=('    team: "ypyf-east"', '    team: "emergency-services"'))
    _, findings = load_and_validate(data)
    assert [(f.line, f.field, f.message) for f in findings] == [(
        _line_of(data, "coordinators", '    team: "emergency-services"'), "localities[2].team",
        'the team "emergency-services" has no email address in data/contacts.yaml, and pages show a locality\'s '
        "team by its mailbox. Give the contact its email, or name the contact that has it.")]
    data = _copy_with(tmp_path / "unknown", coordinators=('    team: "ypyf-east"', '    team: "ypyf-eats"'))
    assert [f.message for f in load_and_validate(data)[1]] == [
        'there is no contact with the id "ypyf-eats". Did you mean "ypyf-east" or "ypyf-central" or "ypyf-south"?']


def test_the_phone_numbers_country_comes_from_site_yaml():
    hb = load_handbook(DATA)
    assert hb.phone_region == "GB"
    assert {phone.region for contact in hb.contacts for phone in contact.phones} == {"GB"}


def test_a_phone_region_the_library_does_not_know_is_reported_at_its_line(tmp_path):
    data = _copy_with(tmp_path, site=('phone_region: "GB"', 'phone_region: "UK"'))
    _, findings = load_and_validate(data)
    # Only that: numbers cannot be checked without a country, so none is reported.
    assert [(f.file, f.line, f.field, f.message) for f in findings] == [(
        "data/site.yaml", _line_of(data, "site", 'phone_region: "UK"'), "phone_region",
        '"UK" is not a country code the handbook can check phone numbers for. Did you mean "GB"? The United '
        "Kingdom's code is GB. Write the two-letter code of the country the handbook's phone numbers are in, in "
        'capitals: for example "GB" for the United Kingdom or "IE" for Ireland.')]


def test_numbers_are_checked_for_the_country_site_yaml_names(tmp_path):
    # Doncaster's numbers are not Irish: with phone_region IE each is reported at its line, and 999,
    # an emergency number in Ireland too, is not.
    data = _copy_with(tmp_path, site=('phone_region: "GB"', 'phone_region: "IE"'))
    _, findings = load_and_validate(data)
    text = (data / "contacts.yaml").read_text(encoding="utf-8").splitlines()
    numbers = [n for n, line in enumerate(text, start=1) if line.strip().startswith("number: ") and '"999"' not in line]
    assert [(f.file, f.line) for f in findings] == [("data/contacts.yaml", n) for n in numbers] and numbers
    assert all(f.message.endswith('is not a valid phone number in Ireland (IE). Check every digit against the '
                                  'source; numbers there are written like "(022) 12345".') for f in findings)


def test_a_missing_phone_region_is_reported(tmp_path):
    data = _copy_with(tmp_path, site=('\nphone_region: "GB"\n', "\n"))
    _, findings = load_and_validate(data)
    assert [f.message for f in findings] == ["the field `phone_region` is missing. Add it to this record."]


def test_emergency_numbers_are_the_countrys(tmp_path):
    data = _copy_with(tmp_path, contacts=('        number: "999"\n        kind: "emergency"',
                                          '        number: "911"\n        kind: "emergency"'))
    _, findings = load_and_validate(data)
    line = _line_of(data, "contacts", '        number: "911"')
    assert [(f.line, f.message) for f in findings] == [
        (line, '"911" (3 digits) is not a valid phone number in the United Kingdom (GB). Check every digit against '
               'the source; numbers there are written like "0121 234 5678".')]
    data = _copy_with(tmp_path / "us", contacts=('        number: "999"\n        kind: "emergency"',
                                                 '        number: "112"'))
    _, findings = load_and_validate(data)
    assert [f.message for f in findings] == ['"112" is an emergency number: add kind: "emergency" to this phone.']
    data = _copy_with(tmp_path / "kind", contacts=('        number: "01302 734110"',
                                                   '        number: "01302 734110"\n        kind: "emergency"'))
    _, findings = load_and_validate(data)
    assert [f.message for f in findings] == [
        'kind "emergency" is only for the emergency numbers of the United Kingdom (GB), such as 112 or 999, not '
        '"01302 734110". Remove it.']


def test_a_schema_copy_from_before_phone_region_is_refused_with_what_to_do(tmp_path):
    # An engine upgrade with the project's old copy of the schemas: its "uk-phone" format would leave
    # every number unchecked without a word, and its site.yaml has no phone_region.
    data = _copy_with(tmp_path, site=('\nphone_region: "GB"\n', "\n"))
    assert not (data / "schema").is_symlink()  # a copy of the schemas, as `handbook new` writes
    common = data / "schema" / "common.schema.json"
    common.write_text(common.read_text(encoding="utf-8").replace('"format": "phone"', '"format": "uk-phone"'),
                      encoding="utf-8")
    site = json.loads((data / "schema" / "site.schema.json").read_text(encoding="utf-8"))
    del site["properties"]["phone_region"]
    site["required"].remove("phone_region")
    (data / "schema" / "site.schema.json").write_text(json.dumps(site), encoding="utf-8")
    _, findings = load_and_validate(data)
    line = common.read_text(encoding="utf-8").splitlines().index('      "format": "uk-phone",') + 1
    assert [(f.file, f.line) for f in findings] == [("data/schema/common.schema.json", line), ("data/site.yaml", 5)]
    assert findings[0].message == (
        'the format "uk-phone" is not one this version of the handbook engine checks, so values with it would not '
        "be checked at all. This copy of the schemas is older than the engine: run `handbook new --schemas-only .` "
        "to bring it up to date.")
    assert findings[1].message.startswith("the setting phone_region is missing: the country the handbook's phone "
                                          'numbers are in. Add it, for example phone_region: "GB"')
