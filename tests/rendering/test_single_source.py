"""One source of truth: change a number in data and every page follows."""

from __future__ import annotations

from conftest import build, copy_project

OLD_DISPLAY, OLD_TEL = "01302 737777", "tel:+441302737777"
NEW_DISPLAY, NEW_TEL = "01302 730000", "tel:+441302730000"


def _shows(soup, display, tel) -> bool:
    return display in soup.get_text(" ") or soup.select_one(f'a[href="{tel}"]') is not None


def test_changing_a_number_in_data_changes_every_page(pages, tmp_path):
    project = copy_project(tmp_path / "project")
    contacts = project / "data" / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8")
    assert text.count(f'"{OLD_DISPLAY}"') == 1
    contacts.write_text(text.replace(f'"{OLD_DISPLAY}"', f'"{NEW_DISPLAY}"'), encoding="utf-8")

    changed = build(project, tmp_path / "site")
    assert changed.returncode == 0, changed.output
    changed_pages = changed.pages()

    showed_old = {name for name, soup in pages.items() if _shows(soup, OLD_DISPLAY, OLD_TEL)}
    assert len(showed_old) == len(pages)  # the urgent block carries it to every page
    for name in showed_old:
        assert _shows(changed_pages[name], NEW_DISPLAY, NEW_TEL), name
    for name, soup in changed_pages.items():
        # The editors' list of decisions quotes what each source says, old numbers included: a
        # quotation, not a number to call.
        for quoted in soup.select("table.hb-decisions"):
            quoted.decompose()
        assert not _shows(soup, OLD_DISPLAY, OLD_TEL), name
    # The search index is generated from the same pages, so it must not keep the old number.
    index = (tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert OLD_DISPLAY not in index and NEW_DISPLAY in index
