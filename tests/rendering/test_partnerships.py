"""A partnership shaped unlike Doncaster: three localities and five levels of need, three of them
early help, coordinator roles of its own, no locality teams, and phone numbers in Ireland
(phone_region: "IE"). Nothing in the engine may assume four levels or four localities, Doncaster's
roles, a team per locality or the United Kingdom's numbers: the site and every PDF build, and each
part shows the partnership's own."""

from __future__ import annotations

from pypdf import PdfReader

from conftest import FIXTURES, build, fixture_project

PARTNERSHIP = FIXTURES / "partnerships" / "three-localities-five-levels"


def test_three_localities_and_five_levels_build_site_and_pdfs(tmp_path):
    project = fixture_project(PARTNERSHIP, tmp_path / "project")
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.output
    page = result.pages()["levels-of-need/index.html"]

    diagram = page.select_one(".hb-levels-diagram svg")
    assert [a.get_text(" ", strip=True).split(" ")[:2] for a in diagram.find_all("a")] == [
        ["Level", str(n)] for n in range(1, 6)]
    assert diagram.find("title").get_text() == "Continuum of need: levels 1 to 5"
    assert diagram.find("desc").get_text().endswith(
        "Need increases from level 1 to level 5. Levels 2, 3 and 4 are early help.")
    assert page.select_one(".hb-levels-diagram figcaption").get_text().endswith("Early help is levels 2, 3 and 4.")

    text = page.get_text(" ", strip=True)
    for name in ("East", "West", "Coast"):
        assert f"{name} Coordinator" in text
    # Its own roles, named as its data names them: the managers in a table of their own, and left
    # out of the list by locality, so nobody is listed twice.
    table = page.select_one(".hb-people-by-locality")
    assert [th.get_text() for th in table.select("thead th")] == ["Locality", "Locality Manager", "Email"]
    assert [td.get_text() for td in table.select("tbody td")][:1] == ["Coast Manager"]
    assert text.count("Coast Manager") == 1 and "Locality Manager" not in page.select_one(".hb-coordinators").get_text()
    assert [dt.get_text() for dt in page.select("#locality-east dt")][:1] == ["Family Worker"]
    # Its localities have no team of their own: none is shown.
    assert [dt.get_text() for dt in page.select("#locality-east dt")] == ["Family Worker"]

    # Its numbers are Irish: shown as they are dialled in Ireland, with Ireland's code in the link.
    home = result.pages()["index.html"]
    links = {(a.get_text(), a["href"]) for a in home.select("a[href^='tel:']")}
    assert ("(01) 234 5678", "tel:+35312345678") in links and ("999", "tel:999") in links

    book = PdfReader(tmp_path / "site" / "pdf" / "early-help-handbook.pdf")
    book_text = " ".join(" ".join(p.extract_text().split()) for p in book.pages)
    assert all(f"Level {n}: {name} needs" in book_text
               for n, name in enumerate(["Universal", "Additional", "Targeted", "Complex", "Acute"], start=1))
    assert "Coast Coordinator" in book_text
    assert "(01) 234 5678" in book_text.replace("\u00a0", " ")  # the urgent line in each page's footer
    assert (tmp_path / "site" / "pdf" / "levels-of-need.pdf").is_file()
