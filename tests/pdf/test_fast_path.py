"""The fast path's self-test (handbook/pdf/fast_path.py): it passes on the WeasyPrint installed,
names what differs when one of WeasyPrint's insides changes, and leaves nothing patched then; and
a build on a WeasyPrint without one of them prints through the public API and says so."""

from __future__ import annotations

import hashlib

import pydyf
import pytest
import weasyprint.css

from conftest import build, fixture_project
from handbook.pdf import fast_path, session, writer
from handbook.pdf.documents import PageNumberError, provisional_footer, with_real_numbers

ORIGINAL_CSS = weasyprint.css.CSS
ORIGINAL_REFERENCES = pydyf.PDF.__dict__["page_references"]


@pytest.fixture(autouse=True)
def _nothing_left_patched():
    yield
    session.uninstall()
    writer.forget_page_references()


def _unpatched() -> bool:
    return weasyprint.css.CSS is ORIGINAL_CSS and pydyf.PDF.__dict__["page_references"] is ORIGINAL_REFERENCES


def test_the_fast_path_passes_its_self_test_on_the_installed_weasyprint():
    assert fast_path.run() == ""
    # Passed, it leaves the fast path's patches in place for the processes forked after it.
    assert weasyprint.css.CSS is session._css
    assert pydyf.PDF.page_references.fget is writer._memoised_page_references


def _break(monkeypatch, where, name, value):
    monkeypatch.setattr(where, name, value)
    verdict = fast_path.run()
    assert _unpatched(), "a failed self-test must take the fast path's patches out again"
    return verdict


def test_page_numbers_that_are_not_written_in_are_caught(monkeypatch):
    from handbook.pdf import page_numbers

    verdict = _break(monkeypatch, page_numbers, "_set_text", lambda box, text: None)
    assert verdict.startswith("page numbers written into the laid-out pages (the box tree): the filled-in pages")
    assert "Page 88 of 88" in verdict


def test_link_areas_left_where_they_were_are_caught(monkeypatch):
    from handbook.pdf import page_numbers

    verdict = _break(monkeypatch, page_numbers, "rectangle_aabb", lambda matrix, *box: (0, 0, 1, 1))
    assert verdict.startswith("the drawn PDF (pydyf's page references, link areas): the link areas are")


def test_a_font_not_traced_to_its_file_is_caught(monkeypatch):
    import weasyprint.text.fonts

    verdict = _break(monkeypatch, weasyprint.text.fonts, "get_hb_object_data", lambda face, *args: b"not the font")
    assert verdict == ("the font files behind the embedded fonts (Document.fonts, get_hb_object_data): the embedded "
                       "font was not traced back to its font file")


def test_stylesheets_parsed_otherwise_are_caught(monkeypatch):
    # As if WeasyPrint found a document's stylesheets through another name than weasyprint.css.CSS.
    monkeypatch.setattr(session, "install", lambda: None)
    verdict = fast_path.run()
    assert verdict.startswith("the stylesheet and font cache (weasyprint.css.CSS, FontConfiguration.add_font_face): ")
    assert _unpatched()


def test_pydyf_references_that_differ_are_caught(monkeypatch):
    verdict = _break(monkeypatch, writer, "_memoised_page_references", lambda pdf: ())
    assert verdict == ("the drawn PDF (pydyf's page references, link areas): ValueError: memoised, pydyf's page "
                       "references differ with 1 page(s)")


def test_an_inside_that_is_gone_is_caught(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint.anchors", None)  # `import` now fails, as if it were gone
    verdict = fast_path.run()
    assert verdict.startswith("WeasyPrint's insides the fast path imports: ")
    assert "weasyprint.anchors" in verdict and _unpatched()


def test_the_setting_is_read_and_refused_when_unknown():
    assert fast_path.setting({}) == "auto"
    assert fast_path.setting({fast_path.SETTING: " Public "}) == "public"
    with pytest.raises(fast_path.SettingError, match='HANDBOOK_PDF_PATH is "quick". Set it to "public"'):
        fast_path.setting({fast_path.SETTING: "quick"})
    assert fast_path.choose("public", None) == fast_path.Choice(False, "HANDBOOK_PDF_PATH=public")
    assert fast_path.choose("auto", "") == fast_path.Choice(True, "")
    assert fast_path.choose("auto", "x: y").why == "the fast path's self-test failed: x: y"


def test_the_public_path_puts_the_real_numbers_into_the_html():
    html = (f'<style>@page {{ @bottom-right {{ content: "{provisional_footer(3)}"; }} }}</style>'
            '<a data-hb-target="a" data-page="888">A</a> <a data-hb-target="b" data-page="888">B</a>')
    real = with_real_numbers(html, {"first": 12, "total": 140, "digits": 3, "pages": {"a": 12, "b": 139}})
    assert real == ('<style>@page :first { counter-reset: page 12; } @page { @bottom-right { content: "Page " '
                    'counter(page) " of 140"; } }</style><a data-hb-target="a" data-page="12">A</a> '
                    '<a data-hb-target="b" data-page="139">B</a>')
    with pytest.raises(PageNumberError, match="points to #b, which is not in it"):
        with_real_numbers(html, {"first": 1, "total": 2, "digits": 3, "pages": {"a": 1}})
    with pytest.raises(PageNumberError, match="no page numbers were found"):
        with_real_numbers("<p>none</p>", {"first": 1, "total": 2, "digits": 3, "pages": {}})


def test_the_public_path_finds_the_same_font_files_as_the_fast_path():
    from test_pdf_pipeline import DOCS, _print_document

    from handbook.pdf.assemble import DRAFT_WATERMARK
    from handbook.pdf.fast_path import fast_faces
    from handbook.pdf.worker import public_faces

    # A draft's watermark too: text in a picture, drawn from a form of its own.
    html = _print_document(f'<style>@page {{ background: url("{DRAFT_WATERMARK}") }}</style>'
                           "<h1>One</h1><p>Some <b>bold</b> and <i>italic</i> text.</p>")
    document, read = session.Session(DOCS).render(html, "fonts")
    pdf = writer.draw_pdf(document, html)
    public = public_faces(pdf, read, DOCS, {})
    assert public == fast_faces(document, {})
    assert {sha for sha, _ in public.values()} == {
        hashlib.sha256((DOCS / "assets/fonts" / name).read_bytes()).hexdigest()
        for name in ("Inter-Regular.otf", "Inter-Bold.otf", "Inter-Italic.otf")}


# A WeasyPrint whose insides behave otherwise, as a new major's may: `sitecustomize` changes what
# get_hb_object_data gives once WeasyPrint has loaded (WeasyPrint's own modules keep the real one), in
# every process of the build, the printer's included.
MOVED = '''import importlib.machinery
import sys


class Hook:
    def find_spec(self, name, path=None, target=None):
        if name != "weasyprint":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            import weasyprint.text.fonts

            weasyprint.text.fonts.get_hb_object_data = lambda *args, **kwargs: b"not a font"

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, Hook())
'''
WHY = ("the fast path's self-test failed: the font files behind the embedded fonts (Document.fonts, "
       "get_hb_object_data): the embedded font was not traced back to its font file")


def test_a_weasyprint_whose_insides_differ_prints_through_the_public_api_and_says_so(tmp_path):
    hide = tmp_path / "hide"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text(MOVED, encoding="utf-8")
    project = fixture_project(tmp_path / "none", tmp_path / "project")
    # As a build on its own would (make test-public-pdf runs this file with the public path forced).
    env = {"PYTHONPATH": str(hide), "HANDBOOK_CACHE": str(tmp_path / "cache"), "HANDBOOK_PDF_PATH": ""}
    result = build(project, tmp_path / "site", **env)
    assert result.returncode == 0, result.output
    said = [line for line in result.output.splitlines() if "public API" in line]
    assert said == [f"INFO    -  PDFs: printed through WeasyPrint's public API only ({WHY}): each chunk is laid out "
                    "again with its page numbers, which is slower; the pages are the same."]
    assert (tmp_path / "site" / "pdf" / "early-help-handbook.pdf").stat().st_size > 0

    refused = build(project, tmp_path / "site-fast", **{**env, "HANDBOOK_PDF_PATH": "fast"}, HANDBOOK_PDF_CACHE="0")
    assert refused.returncode != 0
    assert f"HANDBOOK_PDF_PATH=fast, but {WHY}. Unset HANDBOOK_PDF_PATH" in refused.output


def test_a_self_test_that_cannot_run_chooses_the_public_path(monkeypatch):
    def no_font():
        raise ImportError("cannot import name 'FontBuilder'")

    verdict = _break(monkeypatch, fast_path, "test_font", no_font)
    assert verdict == "the self-test itself: ImportError: cannot import name 'FontBuilder'"
