"""The handbook's contents from data: the sections (data/sections.yaml) and each page's place in
its own front matter (handbook/data/contents.py)."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT
from handbook.data.contents import APPENDIX, FORM, LEAVE_OUT, read_contents
from handbook.data.records import ContentsSection
from handbook.project import not_in_nav_rule, project_contents

SECTIONS = (ContentsSection("start", "Start here", False, "data/sections.yaml:8"),
            ContentsSection("practice", "Early help practice", True, "data/sections.yaml:12"),
            ContentsSection("spare", "Spare", True, "data/sections.yaml:15"))


def _project(tmp_path: Path, pages: dict[str, str]) -> Path:
    docs = tmp_path / "docs"
    for uri, text in pages.items():
        (docs / uri).parent.mkdir(parents=True, exist_ok=True)
        (docs / uri).write_text(text, encoding="utf-8")
    return docs


def _read(docs: Path, not_in_nav: str = ""):
    uris = [p.relative_to(docs).as_posix() for p in docs.rglob("*.md")]
    return read_contents(docs, "docs", uris, SECTIONS, not_in_nav_rule(not_in_nav))


def test_the_real_handbooks_menu_is_the_one_mkdocs_yml_listed_before_it_came_from_data():
    # The nav as mkdocs.yml had it until issue 26, written out here rather than worked out.
    chapters = ["introduction", "principles", "when-is-it-early-help", "family-outcomes", "consent", "pathway",
                "assessment", "case-management", "closure", "mash-and-step-up", "send-and-short-breaks", "support",
                "faq"]
    assert project_contents(ROOT).nav() == [
        {"Home": "index.md"}, "quick-reference.md", "contacts.md", "levels-of-need.md",
        {"Early help practice": [f"handbook/{name}.md" for name in chapters]},
        "training.md", "glossary.md", {"Background": "handbook/background.md"},
        {"Appendices": ["handbook/consent-form.md", "handbook/gp-letter.md"]},
        "amendments.md", "accessibility.md",
    ]


def test_the_real_handbooks_pdf_prints_the_pages_it_printed_before():
    contents = project_contents(ROOT)
    assert contents.printed_as(APPENDIX, FORM) == ["contacts.md", "levels-of-need.md", "training.md", "glossary.md",
                                                   "handbook/consent-form.md", "handbook/gp-letter.md", "amendments.md"]
    assert contents.printed_as(FORM) == ["handbook/consent-form.md", "handbook/gp-letter.md"]
    assert contents.printed_as(LEAVE_OUT) == ["index.md", "quick-reference.md", "accessibility.md"]
    assert contents.place_of("handbook/consent.md") == ("Early help practice", 5)
    assert contents.place_of("editors/index.md") is None


def test_pages_are_ordered_by_their_place_and_sections_by_the_sections_file(tmp_path):
    docs = _project(tmp_path, {
        "b.md": '---\nsection: "practice"\norder: 20\n---\n# B\n',
        "a.md": '---\nsection: "practice"\norder: 5\nmenu_title: "First"\n---\n# A\n',
        "index.md": '---\nsection: "start"\norder: 1\n---\n# Home\n',
        "c.md": '---\nsection: "start"\norder: 2\npdf: "leave out"\n---\n# C\n',
    })
    contents, errors, warnings = _read(docs)
    assert errors == []
    assert contents.nav() == ["index.md", "c.md", {"Early help practice": [{"First": "a.md"}, "b.md"]}]
    assert contents.groups() == [(None, ["index.md"]), (None, ["c.md"]), ("Early help practice", ["a.md", "b.md"])]
    assert contents.printed_as(LEAVE_OUT) == ["c.md"]
    # The section no page names is left out of the menu, and editors are told.
    assert [(w.file, w.line) for w in warnings] == [("data/sections.yaml", 15)]
    assert 'the section "Spare" has no pages' in warnings[0].message


def test_every_mistake_in_the_places_is_found_at_once_with_its_line(tmp_path):
    docs = _project(tmp_path, {
        "one.md": '---\nsection: "practice"\norder: 10\n---\n# One\n',
        "two.md": '---\nowner: "Team"\nsection: "practice"\norder: 10\n---\n# Two\n',
        "typo.md": '---\nsection: "practise"\norder: 30\n---\n# Typo\n',
        "lost.md": "# Lost\n",
        "editors/guide.md": '---\nsection: "start"\norder: 1\n---\n# Guide\n',
        "editors/plain.md": "# Plain\n",
    })
    _, errors, _ = _read(docs, "/editors/\n")
    found = {(e.file, e.line): e.message for e in errors}
    assert set(found) == {("docs/two.md", 4), ("docs/typo.md", 2), ("docs/lost.md", 1), ("docs/editors/guide.md", 2)}
    assert found["docs/two.md", 4].startswith('place 10 in the section "Early help practice" is taken: docs/one.md:3')
    assert 'Did you mean "practice"?' in found["docs/typo.md", 2]
    assert "in no section of the handbook's contents" in found["docs/lost.md", 1]
    assert "not_in_nav" in found["docs/editors/guide.md", 2]


def test_a_place_the_front_matter_schema_refuses_is_left_to_its_check(tmp_path):
    # An order that is not a whole number, or a section without an order: the front-matter check
    # says what is wrong; the contents do not add a second message for the same mistake.
    docs = _project(tmp_path, {
        "a.md": '---\nsection: "practice"\norder: "ten"\n---\n# A\n',
        "b.md": '---\nsection: "practice"\n---\n# B\n',
        "c.md": '---\nsection: "practice"\norder: 0\n---\n# C\n',
        "d.md": "---\nsection: [\n---\n# D\n",
    })
    contents, errors, _ = _read(docs)
    assert errors == [] and contents.entries == []


def test_a_withdrawn_page_keeps_its_place_fields_but_leaves_the_contents(tmp_path):
    docs = _project(tmp_path, {
        "index.md": '---\nsection: "start"\norder: 1\n---\n# Home\n',
        "handbook/new.md": '---\nsection: "practice"\norder: 10\n---\n# New\n',
        # The same place as the new chapter: a withdrawn page's place no longer counts.
        "handbook/old.md": '---\nsection: "practice"\norder: 10\nwithdrawn:\n  date: "2026-12-01"\n'
                           '  reason: "Moved."\n  replaced_by: "new"\n---\n# Old\n',
    })
    contents, errors, _ = _read(docs)
    assert errors == []
    assert [entry.src_uri for entry in contents.entries] == ["index.md", "handbook/new.md"]
    withdrawal = contents.withdrawal("handbook/old.md")
    assert (withdrawal.date, withdrawal.reason, withdrawal.replaced_by) == ("2026-12-01", "Moved.", "handbook/new.md")
    assert withdrawal.where == "docs/handbook/old.md:7"  # its replaced_by, which messages name
    assert contents.withdrawal("handbook/new.md") is None


def test_a_withdrawn_page_must_send_readers_to_a_chapter_that_is_there(tmp_path):
    withdrawn = '---\nwithdrawn:\n  date: "2026-12-01"\n  replaced_by: "{}"\n---\n# {}\n'
    docs = _project(tmp_path, {
        "index.md": '---\nsection: "start"\norder: 1\n---\n# Home\n',
        "handbook/itself.md": withdrawn.format("itself", "Itself"),
        "handbook/first.md": withdrawn.format("second", "First"),
        "handbook/second.md": '---\nwithdrawn:\n  date: "2026-12-01"\n---\n# Second\n',
    })
    _, errors, _ = _read(docs)
    assert [(e.file, e.line, e.message) for e in errors] == [
        ("docs/handbook/first.md", 4, 'Replaced by "second": docs/handbook/second.md is withdrawn too. Name the '
                                      "chapter readers should go to now."),
        ("docs/handbook/itself.md", 4, 'Replaced by "itself": it names this chapter itself. Name the chapter that '
                                       "replaces it, or leave Replaced by empty.")]
