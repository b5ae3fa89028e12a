"""The data files' one layout (handbook/data/yaml_format.py), `handbook format`, and the check that requires it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import HANDBOOK_TODAY, ROOT
from handbook.data.validation import DATA_FILES, layouts
from handbook.data.yaml_format import format_data
from handbook.data.yaml_source import load_yaml

DATA = ROOT / "data"
LAYOUTS = layouts(DATA)


@pytest.mark.parametrize("name", list(DATA_FILES))
def test_every_data_file_is_in_the_layout_and_keeps_its_values(name, tmp_path):
    path = DATA / DATA_FILES[name]
    data, _ = load_yaml(path, name)
    text = format_data(data, LAYOUTS[name])
    assert path.read_text(encoding="utf-8") == text
    copy = tmp_path / DATA_FILES[name]
    copy.write_text(text, encoding="utf-8")
    assert load_yaml(copy, name)[0] == data


def test_text_that_yaml_would_misread_stays_text(tmp_path):
    # Values that an unquoted YAML scalar would turn into a number, a date, true/false or a comment.
    tricky = ["01302737777", "01302 737777", "9:30", "no", "on", "2026-11-23", "# not a comment", "a: b",
              'She said "yes"', "back\\slash", "  spaces  ", "", "line\nbreak", "Children’s", "null", "1e3"]
    data = {"commitments": [{"id": f"c{i}", "text": value, "last_verified": "2026-11-23"}
                            for i, value in enumerate(tricky)]}
    path = tmp_path / "commitments.yaml"
    path.write_text(format_data(data, LAYOUTS["commitments"]), encoding="utf-8")
    assert load_yaml(path, "commitments.yaml")[0] == data


def test_fields_follow_the_schema_and_a_header_names_it():
    record = {"last_verified": "2026-11-23", "text": "Work together", "id": "together", "extra": "kept"}
    lines = format_data({"commitments": [record]}, LAYOUTS["commitments"]).splitlines()
    assert lines[0] == "# yaml-language-server: $schema=schema/commitments.schema.json"
    assert all(line.startswith("#") for line in lines[1:lines.index("")])
    body = lines[lines.index("") + 1:]
    # The schema's order, then (for the check to reject) a field it does not know, where it was.
    assert body == ["commitments:", '  - id: "together"', '    text: "Work together"',
                    '    last_verified: "2026-11-23"', '    extra: "kept"']


def _format(project, *args):
    return subprocess.run([sys.executable, "-m", "handbook.cli", "--project", str(project), "format", *args],
                          env={**os.environ, "HANDBOOK_TODAY": HANDBOOK_TODAY}, capture_output=True, text=True)


def test_handbook_format_writes_the_layout_and_leaves_an_unreadable_file_alone(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(DATA, project / "data")
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    commitments = project / "data" / "commitments.yaml"
    laid_out = commitments.read_text(encoding="utf-8")
    # A hand edit in another layout: single quotes, a folded block, fields out of order.
    commitments.write_text(laid_out.replace('text: "Work together"', "text: >-\n      Work\n      together", 1)
                           .replace('id: "together"', "id: 'together'"), encoding="utf-8")
    broken = project / "data" / "timeframes.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "  - [\n", encoding="utf-8")
    before_broken = broken.read_text(encoding="utf-8")

    checked = _format(project, "--check")
    assert checked.returncode == 1
    assert "data/commitments.yaml is not in the handbook's layout: run `handbook format`." in checked.stdout
    written = _format(project)
    assert written.returncode == 1  # the unreadable file
    assert "Wrote data/commitments.yaml in the handbook's layout." in written.stdout
    assert "data/timeframes.yaml:" in written.stderr and "The file was left as it is." in written.stderr
    assert commitments.read_text(encoding="utf-8") == laid_out
    assert broken.read_text(encoding="utf-8") == before_broken


def test_a_pages_front_matter_is_laid_out_too_and_its_text_is_left_alone(tmp_path):
    """The editors' form writes a page's front matter in this layout, so `handbook format` and the
    check keep every page in it: a save from the form then changes only what the editor changed."""
    project = tmp_path / "project"
    for name in ("data", "docs"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    page = project / "docs" / "handbook" / "consent.md"
    body = page.read_text(encoding="utf-8")
    laid_out = f'---\nowner: "Team"\nreview_due: "2027-11-23"\n---\n{body}'
    # Fields out of order, single quotes and a comment: the same values in another layout.
    page.write_text(f"---\n# Who owns it\nreview_due: '2027-11-23'\nowner: \"Team\"\n---\n{body}", encoding="utf-8")

    check = subprocess.run([sys.executable, "-m", "handbook.cli", "check"], cwd=project, capture_output=True,
                           text=True, env={**os.environ, "HANDBOOK_TODAY": HANDBOOK_TODAY})
    assert "docs/handbook/consent.md:2: error: from this line on, the front matter is not in the handbook's layout. " \
           "Run `handbook format` to write it so (it changes no value)." in check.stdout
    assert check.returncode == 1
    assert _format(project, "--check").returncode == 1
    written = _format(project)
    assert written.returncode == 0, written.stderr
    assert "Wrote the front matter of docs/handbook/consent.md in the handbook's layout." in written.stdout
    assert page.read_text(encoding="utf-8") == laid_out
