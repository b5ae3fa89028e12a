"""Every rejected input stops the build with the expected file:line message.

Each folder in tests/fixtures/sites/ overlays one mistake on the tiny valid project in
tests/fixtures/base/ and names, in expected.txt, text the build output must contain.
"""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import FIXTURES, build, fixture_project

CASES = sorted(p for p in (FIXTURES / "sites").iterdir() if p.is_dir())
# Fixtures that must build, for behaviour only a whole build can show.
OK_CASES = sorted(p for p in (FIXTURES / "sites_ok").iterdir() if p.is_dir())


@pytest.fixture(scope="session")
def fixture_builds(tmp_path_factory):
    root = tmp_path_factory.mktemp("fixtures")

    def run(case: Path):
        project = fixture_project(case, root / case.name)
        return case.name, build(project, root / f"{case.name}-site")

    # Two at a time: the machines this runs on have two cores.
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run, [*CASES, *OK_CASES, FIXTURES / "base"]))


def test_the_base_fixture_builds(fixture_builds):
    result = fixture_builds["base"]
    assert result.returncode == 0, result.output


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fixture_fails_with_message(case, fixture_builds):
    result = fixture_builds[case.name]
    assert result.returncode != 0, f"{case.name} should have failed the build:\n{result.output}"
    for expected in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
        assert expected in result.output, f"missing {expected!r} in:\n{result.output}"


def _without_line_numbers(text: str) -> str:
    return re.sub(r":\d+:", ":N:", text)


def test_every_way_a_fixture_fails_is_explained_in_the_editor_guide(fixture_builds):
    """The guide's examples (handbook.build_messages) are what the build really prints."""
    from handbook.checks.build_messages import BUILD_MESSAGES

    explained = {m.source: m for m in BUILD_MESSAGES if not m.source.startswith("publish:")}
    assert set(explained) == {case.name for case in CASES}
    for name, message in explained.items():
        output = _without_line_numbers(fixture_builds[name].output)
        assert _without_line_numbers(message.example) in output.splitlines(), f"{name}:\n{output}"


def test_html_in_a_data_value_renders_as_escaped_text(fixture_builds):
    result = fixture_builds["html-in-data"]
    assert result.returncode == 0, result.output
    page = result.pages()["index.html"]
    card = page.select_one(".hb-contact")
    assert card.find("script") is None and card.find("b") is None
    assert "<script>alert(1)</script> A <b>team</b>" in card.get_text()
    assert not any("alert(1)" in (s.string or "") for s in page.find_all("script"))


def test_a_withdrawn_chapter_s_address_answers_with_where_its_guidance_went(fixture_builds):
    result = fixture_builds["withdrawn-chapter"]
    assert result.returncode == 0, result.output
    pages = result.pages()
    old = pages["handbook/old/index.html"]
    article = old.select_one("article")
    # Its title, then the notice: none of its old text, and no heading of it in the page's contents.
    assert article.h1.get_text(strip=True).rstrip("¶") == "Old chapter"
    assert "no reader should see" not in article.get_text() and "An old heading" not in old.get_text()
    notice = article.select_one(".hb-withdrawn")
    assert notice["role"] == "note"
    assert " ".join(notice.get_text(" ", strip=True).split()) == (
        "This chapter has moved It moved on 1 December 2026. Its guidance is now <b>in</b> the new chapter. "
        "Its guidance is now in New chapter . Update any bookmark or link you keep to it.")
    assert notice.find("b") is None  # the editor's words are text, never markup
    assert notice.a["href"] == "../new/"
    gone = pages["handbook/gone/index.html"].select_one(".hb-withdrawn")
    assert " ".join(gone.get_text(" ", strip=True).split()) == (
        "This chapter has been withdrawn It was withdrawn on 30 November 2026. It is no longer part of the "
        "handbook. The handbook's contents have the guidance that applies now.")
    assert gone.a["href"] == "../../"
    # Out of the menu, the search, the sitemap and the PDF; still in the readers' offline copy.
    menu = pages["index.html"].select_one("nav.md-nav--primary").get_text(" ", strip=True)
    assert "New chapter" in menu and "Old chapter" not in menu and "Gone chapter" not in menu
    index = json.loads((result.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d for d in index["docs"] if d["location"].startswith(("handbook/old/", "handbook/gone/"))]
    assert "handbook/old/" not in (result.site / "sitemap.xml").read_text(encoding="utf-8")
    worker = (result.site / "sw.js").read_text(encoding="utf-8")
    assert '"handbook/old/index.html"' in worker and '"handbook/gone/index.html"' in worker
    assert not (result.site / "pdf" / "old.pdf").exists() and (result.site / "pdf" / "new.pdf").is_file()
    book = PdfReader(result.site / "pdf" / "early-help-handbook.pdf")
    assert "New chapter" in [item.title for item in book.outline if not isinstance(item, list)]
    text = " ".join(page.extract_text() for page in book.pages)
    assert "Old chapter" not in text and "Gone chapter" not in text


def test_pdf_footers_give_each_chapters_own_address_when_the_site_url_is_known(tmp_path):

    project = fixture_project(FIXTURES / "base", tmp_path / "project")
    result = build(project, tmp_path / "site", HANDBOOK_SITE_URL="https://handbook.example.org/")
    assert result.returncode == 0, result.output
    own = " ".join(PdfReader(tmp_path / "site" / "pdf" / "other.pdf").pages[0].extract_text().split())
    assert "Check the live handbook: https://handbook.example.org/other/" in own
    book = PdfReader(tmp_path / "site" / "pdf" / "early-help-handbook.pdf")
    texts = [" ".join(page.extract_text().split()) for page in book.pages]
    assert any("Other page" in t and "https://handbook.example.org/other/" in t for t in texts)


def test_overdue_reviews_warn_but_do_not_stop_a_normal_build(tmp_path):
    project = fixture_project(FIXTURES / "base", tmp_path / "project")
    result = build(project, tmp_path / "site", HANDBOOK_TODAY="2029-01-01", HANDBOOK_PDF="0")
    assert result.returncode == 0, result.output
    assert 'docs/other.md:7: warning: the page "Other page" was due for review by 2027-11-23' in result.output


def _draft_ink(pdf: Path, page: int, tmp_path: Path) -> int:
    """Pixels of the draft watermark's red on one page, rendered by poppler."""
    import subprocess

    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", str(page), "-l", str(page), str(pdf),
                    str(tmp_path / "page")], check=True)
    pixels = Image.open(next(tmp_path.glob("page*.png"))).convert("RGB").tobytes()
    return sum(1 for i in range(0, len(pixels), 3) if pixels[i] - pixels[i + 1] > 15 and pixels[i] - pixels[i + 2] > 15)


def test_a_preview_is_a_draft_on_every_page_and_in_its_pdfs(tmp_path, fixture_builds):
    project = fixture_project(FIXTURES / "base", tmp_path / "project")
    result = build(project, tmp_path / "site", HANDBOOK_PREVIEW="1")
    assert result.returncode == 0, result.output
    for name, page in result.pages().items():
        if name.startswith("search/"):
            continue
        assert page.select_one(".hb-draft").get_text().startswith("DRAFT – not for practice use."), name
        assert page.select_one('meta[name="robots"]')["content"] == "noindex, nofollow", name
        # Never saved on a reader's device as the handbook.
        assert not page.select_one(".hb-offline").has_attr("data-hb-service-worker"), name
    assert not (tmp_path / "site" / "sw.js").exists()
    (tmp_path / "draft").mkdir()
    assert _draft_ink(tmp_path / "site" / "pdf" / "early-help-handbook.pdf", 3, tmp_path / "draft") > 200
    # The same project built normally has none of it.
    normal = fixture_builds["base"]
    assert normal.pages()["index.html"].select_one(".hb-draft, meta[name=robots]") is None
    assert (normal.site / "sw.js").is_file()
    (tmp_path / "normal").mkdir()
    assert _draft_ink(normal.site / "pdf" / "early-help-handbook.pdf", 3, tmp_path / "normal") == 0


def test_a_preview_cannot_be_an_edition(tmp_path):
    project = fixture_project(FIXTURES / "base", tmp_path / "project")
    result = build(project, tmp_path / "site", HANDBOOK_PREVIEW="1", HANDBOOK_EDITION="2026.1", HANDBOOK_PDF="0")
    assert result.returncode != 0 and "a draft preview is never an edition" in result.output


def test_every_page_links_edit_and_report_when_the_repository_is_known(tmp_path, fixture_builds):
    from urllib.parse import parse_qs, urlparse

    project = fixture_project(FIXTURES / "base", tmp_path / "project")
    repo = "https://github.com/example/handbook"
    result = build(project, tmp_path / "site", HANDBOOK_REPO_URL=repo, HANDBOOK_PDF="0")
    assert result.returncode == 0, result.output
    sources = {"index.html": "index.md", "other/index.html": "other.md",
               "levels-of-need/index.html": "levels-of-need.md"}
    for built, src in sources.items():
        edit, report = result.pages()[built].select(".hb-page-actions a")
        assert (edit.get_text(), edit["href"]) == ("Edit this page", f"{repo}/edit/main/docs/{src}")
        assert report.get_text() == "Report a problem with this page"
        url = urlparse(report["href"])
        assert f"{url.scheme}://{url.netloc}{url.path}" == f"{repo}/issues/new"
        assert parse_qs(url.query)["body"][0].startswith(f"Page: {src}")
    # Without the address there is nothing to link to.
    assert fixture_builds["base"].pages()["index.html"].select(".hb-page-actions") == []
    bad = build(project, tmp_path / "bad", HANDBOOK_REPO_URL="http://example.org/x", HANDBOOK_PDF="0")
    assert bad.returncode != 0 and "must be the repository's https:// address" in bad.output
