"""The PDF pipeline's parts, tested without MkDocs: page assembly, the fetcher, the writer."""

from __future__ import annotations

import io
import os
import time

import pytest
from bs4 import BeautifulSoup
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from handbook.pdf.assemble import prepare_pages
from handbook.pdf.book import BookError, PrintPage, build_book
from handbook.pdf.build import human_size
from handbook.pdf.fetcher import SiteOnlyFetcher
from handbook.pdf.results import PdfError
from handbook.pdf.writer import Rendering, write_pdf
from handbook.plugin.theme import THEME_DIR

LIVE = "https://dscp.org.uk/professionals/early-help"


def page(src, html, title="T"):
    url = src.removesuffix(".md") + "/"
    return PrintPage(src, title, url, html, LIVE)


def prepared(html, src="handbook/a.md", others=(), document_has_others=True):
    pages = [page(src, html), *others]
    book = build_book([(None, [p.src_uri for p in pages])], {p.src_uri: p for p in pages}, [])
    bodies, findings = prepare_pages(book, pages if document_has_others else pages[:1])
    return BeautifulSoup(str(bodies[pages[0].slug]), "html.parser"), findings


def test_ids_are_prefixed_and_links_follow_them():
    other = page("handbook/b.md", '<h1 id="b">B</h1><h2 id="x">X</h2>')
    soup, findings = prepared('<h1 id="top">A</h1><a href="#top">up</a> <a href="../b/#x">b</a> '
                              '<a href="../b/">whole b</a>', others=[other])
    assert not findings
    assert soup.h1["id"] == "handbook-a--top"
    links = soup.find_all("a")
    assert [a["href"] for a in links] == ["#handbook-a--top", "#handbook-b--x", "#handbook-b"]
    assert all("hb-xref" in a["class"] for a in links)


def test_links_to_pages_outside_the_document_point_online_or_become_text():
    other = page("handbook/b.md", '<h1 id="b">B</h1>')
    soup, _ = prepared('<p><a href="../b/">b</a> <a href="../../">home</a> <a href="../../assets/x.pdf">file</a></p>',
                       others=[other], document_has_others=False)
    assert soup.find("a", string="b")["href"] == LIVE  # in the book, but not in this chapter's PDF
    for words in ("home", "file"):  # not printed at all: keep the words, drop the link
        assert soup.find("a", string=words) is None and words in soup.get_text()


def test_external_addresses_are_printed_when_the_text_hides_them():
    soup, _ = prepared('<p><a href="https://dscp.org.uk/professionals">DSCP professionals page</a> '
                       '<a href="https://dscp.org.uk/professionals">dscp.org.uk/professionals</a> '
                       '<a href="tel:+441302734110">01302 734110</a></p>')
    printed = [s.get_text() for s in soup.select(".hb-print-url")]
    assert printed == [" (https://dscp.org.uk/professionals)"]


def test_admonitions_get_a_text_label_and_no_icon_markup():
    soup, _ = prepared('<div class="admonition warning"><p class="admonition-title">If a child is at risk</p>'
                       '<p>Call.</p></div><div class="admonition danger"><p class="admonition-title">Danger</p></div>')
    boxes = soup.select(".hb-box")
    assert boxes[0].p.get_text() == "Warning: If a child is at risk"
    assert boxes[1].p.get_text() == "Danger"


def test_details_are_expanded_and_tabs_become_labelled_sections():
    html = ('<details class="note"><summary>More</summary><p>Hidden text</p></details>'
            '<div class="tabbed-set tabbed-alternate"><input type="radio" id="t1"><input type="radio" id="t2">'
            '<div class="tabbed-labels"><label for="t1">North</label><label for="t2">South</label></div>'
            '<div class="tabbed-content"><div class="tabbed-block"><p>N text</p></div>'
            '<div class="tabbed-block"><p>S text</p></div></div></div>')
    soup, _ = prepared(html)
    assert soup.find("details") is None and "Hidden text" in soup.get_text()
    tabs = soup.select(".hb-tab")
    assert [t.select_one(".hb-tab-title").get_text() for t in tabs] == ["North", "South"]
    assert "N text" in tabs[0].get_text() and "S text" in tabs[1].get_text()
    assert soup.find("input") is None


def test_tick_boxes_become_drawn_boxes():
    soup, _ = prepared('<ul><li class="task-list-item"><label class="task-list-control"><input type="checkbox" '
                       'disabled/><span class="task-list-indicator"></span></label> Yes</li></ul>')
    assert soup.find("input") is None and soup.select_one(".hb-checkbox") is not None


def test_image_without_alt_is_a_finding_with_its_line():
    p = PrintPage("handbook/a.md", "A", "handbook/a/", '<p><img src="pic.png"></p>', LIVE,
                  source="# A\n\n![](pic.png)\n")
    book = build_book([(None, ["handbook/a.md"])], {"handbook/a.md": p}, [])
    _, findings = prepare_pages(book, [p])
    assert [str(f) for f in findings] == [
        'docs/handbook/a.md:3: an image ("pic.png") has no alt text. Add a short description: '
        "![What the picture shows](file.png)."]


def test_book_moves_appendices_to_the_end_and_refuses_clashing_pdf_names():
    pages = {s: page(s, "<h1>x</h1>") for s in ("index.md", "a.md", "b.md", "part/c.md")}
    book = build_book([(None, ["index.md"]), (None, ["a.md"]), ("Part", ["part/c.md", "b.md"])], pages, ["b.md"])
    assert [(p.title, [x.src_uri for x in p.pages]) for p in book.parts] == [
        (None, ["a.md"]), ("Part", ["part/c.md"]), ("Appendices", ["b.md"])]

    clash = {s: page(s, "") for s in ("a.md", "x/a.md")}
    with pytest.raises(BookError, match="would both be saved as pdf/a.pdf"):
        build_book([(None, ["a.md", "x/a.md"])], clash, [])


def test_human_size():
    assert (human_size(479_890), human_size(1_234_567), human_size(300)) == ("480 KB", "1.2 MB", "1 KB")


@pytest.mark.parametrize("markup", [
    '<img src="file:///etc/passwd" alt="x">',
    '<link rel="attachment" href="file:///etc/os-release">',
    '<img src="http://example.com/x.png" alt="x">',
    '<img src="ftp://example.com/x.png" alt="x">',
    '<img src="../../../../../../etc/passwd" alt="x">',
])
def test_fetcher_refuses_anything_outside_the_site(tmp_path, markup):
    site = tmp_path / "site"
    site.mkdir()
    with pytest.raises(FatalURLFetchingError):
        HTML(string=markup, base_url=site.as_uri() + "/", url_fetcher=SiteOnlyFetcher(site)).write_pdf()


def test_fetcher_follows_symlinks_before_checking(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (tmp_path / "secret.css").write_text("p { color: red }")
    os.symlink(tmp_path / "secret.css", site / "innocent.css")
    with pytest.raises(FatalURLFetchingError, match="outside the built site"):
        SiteOnlyFetcher(site).fetch((site / "innocent.css").as_uri())


def test_fetcher_reads_site_files_and_data_uris(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "style.css").write_text("p { color: red }")
    fetcher = SiteOnlyFetcher(site)
    assert fetcher.fetch((site / "style.css").as_uri()).read() == b"p { color: red }"
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


def test_weasyprint_errors_fail_the_pdf(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "not-an-image.png").write_text("this is text")
    html = '<html lang="en-GB"><body><img src="not-an-image.png" alt="broken"></body></html>'
    with pytest.raises(PdfError, match="WeasyPrint reported errors"):
        write_pdf(html, site, tmp_path / "out.pdf", "test.pdf")
    assert not (tmp_path / "out.pdf").exists()


def test_memoised_page_references_match_pydyf_as_pages_are_added():
    import pydyf

    from handbook.pdf import writer

    def original(pdf):
        return tuple(f"{n} 0 R".encode("ascii") for n in pdf.pages["Kids"][::3])

    pdf = pydyf.PDF()
    for _ in range(5):
        assert writer._memoised_page_references(pdf) == original(pdf)
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    writer.check_page_references()
    writer.memoise_page_references()
    try:
        assert pydyf.PDF.page_references.fget is writer._memoised_page_references
        assert pdf.page_references == original(pdf) and len(pdf.page_references) == 5
    finally:
        writer.forget_page_references()
    assert pydyf.PDF.page_references.fget is not writer._memoised_page_references


def test_each_chapter_and_each_part_title_is_a_chunk_of_its_own_after_the_front_matter():
    from handbook.pdf.book import chunks_of

    pages = {s: page(s, "") for s in ("a.md", "b.md", "c.md", "d.md")}
    book = build_book([(None, ["a.md"]), ("Part", ["b.md", "c.md"]), ("Other", ["d.md"])], pages, [])
    chunks = chunks_of(book)
    assert [c.name for c in chunks] == ["front", "a", "part-2", "b", "c", "part-3", "d"]
    assert chunks[0].front and not any(c.front for c in chunks[1:])
    assert [c.part for c in chunks] == [None, None, 2, None, None, 3, None]
    assert [c.page.src_uri if c.page else None for c in chunks] == [None, "a.md", None, "b.md", "c.md", None, "d.md"]


DOCS = THEME_DIR  # holds assets/fonts/, which print.css embeds (the engine theme's)


def _print_document(body: str) -> str:
    from handbook.pdf.build import print_css

    return (f'<!DOCTYPE html><html lang="en-GB"><head><title>T</title><style>{print_css()}</style></head>'
            f"<body>{body}</body></html>")


def test_a_warm_session_lays_out_the_same_bytes_and_still_notes_the_fonts_it_reads():
    from handbook.pdf import session as sessions
    from handbook.pdf.writer import draw_pdf

    first = _print_document("<h1>One</h1><p>Some <b>bold</b> and <i>italic</i> text.</p>")
    second = _print_document("<h1>Two</h1><p>Other <b>words</b>.</p>" * 40)
    with Rendering(second, DOCS, "alone") as alone:
        expected = draw_pdf(alone, second)
    sessions.install()
    try:
        session = sessions.FastSession(DOCS)
        session.render(first, "first")  # parses the print stylesheet and registers its fonts
        document, read = session.render(second, "second")  # takes both from the session
        assert session.sheets and session.font_config.faces_registered() == 4
    finally:
        sessions.uninstall()
    assert draw_pdf(document, second) == expected
    assert {"assets/fonts/Inter-Regular.otf", "assets/fonts/Inter-Bold.otf"} <= read


def test_harfbuzz_subsets_a_font_exactly_as_weasyprint_does():
    import pikepdf

    from handbook.pdf.fonts import subset
    from handbook.pdf.writer import draw_pdf

    html = _print_document("<p>Worried about a child? Call 01302 737777.</p>")
    with Rendering(html, DOCS, "test") as document:
        pdf = draw_pdf(document, html)
    font, = (f for f in document.fonts.values() if f.name.endswith(b"Inter"))
    face = (DOCS / "assets" / "fonts" / "Inter-Regular.otf").read_bytes()
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        embedded, = [obj.read_bytes() for obj in opened.objects
                     if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/OpenType"]
    assert subset(face, set(font.to_unicode)) == embedded


def test_merged_chunks_embed_each_font_once_with_every_glyph_any_of_them_uses(tmp_path):
    import pikepdf
    from pypdf import PdfReader

    from handbook.pdf.merge import merge
    from handbook.pdf.writer import draw_pdf

    parts, fonts = [], {}
    for words in ("Early help for families", "Quick zebras jump over lazy dogs"):
        html = _print_document(f'<article class="chapter" id="c{len(parts)}"><h1>{words}</h1><p>{words}.</p></article>')
        with Rendering(html, DOCS, "test") as document:
            parts.append(draw_pdf(document, html))
        for font in document.fonts.values():
            file = "Inter-Bold" if font.name.endswith(b"Bold") else "Inter-Regular"
            fonts[font.name.decode().lstrip("/")] = (DOCS / "assets" / "fonts" / f"{file}.otf").read_bytes()
    merged = merge(parts, [["Early help", 1, []], ["Zebras", 2, []]], fonts)
    (tmp_path / "merged.pdf").write_bytes(merged)
    with pikepdf.open(io.BytesIO(merged)) as pdf:
        programs = [obj for obj in pdf.objects
                    if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/OpenType"]
        names = {str(font.BaseFont) for page in pdf.pages for font in page.Resources.Font.values()}
    assert len(fonts) == len(programs) == len(names) == 2
    text = [" ".join(page.extract_text().split()) for page in PdfReader(tmp_path / "merged.pdf").pages]
    assert "Early help for families." in text[0] and "Quick zebras jump over lazy dogs." in text[1]


def test_the_cache_keeps_entries_and_pdfs_and_serves_nothing_damaged(tmp_path):
    from handbook.pdf.cache import PdfCache

    cache = PdfCache(tmp_path / "pdf")
    sha = cache.put_blob(b"%PDF-1.7 one")
    cache.put("chunk", "ab12", {"pdf": sha})
    assert cache.get("chunk", "ab12") == {"pdf": sha} and cache.get_blob(sha) == b"%PDF-1.7 one"
    assert cache.get("chunk", "cd34") is None
    blob = next((tmp_path / "pdf").rglob(sha))
    blob.write_bytes(b"%PDF-1.7 two")  # damaged on disk: printed again, never served
    assert cache.get_blob(sha) is None
    off = PdfCache(None)
    off.put("chunk", "ab12", {"pdf": sha})
    assert off.get("chunk", "ab12") is None and off.get_blob(off.put_blob(b"x")) is None
    assert not list(tmp_path.glob("*.tmp*"))


def test_the_cache_is_pruned_to_recent_use_and_to_its_size(tmp_path):
    from handbook.pdf.cache import FORMAT, PdfCache

    cache = PdfCache(tmp_path / "pdf")
    shas = [cache.put_blob(bytes([n]) * 1000) for n in range(5)]
    paths = {sha: next((tmp_path / "pdf").rglob(sha)) for sha in shas}
    now = time.time()
    os.utime(paths[shas[0]], (now - 40 * 86400, now - 40 * 86400))  # unused for 40 days
    for age, sha in enumerate(shas[1:], start=1):
        os.utime(paths[sha], (now - age * 60, now - age * 60))
    leftover = tmp_path / "pdf" / FORMAT / "blobs" / ".tmp-dead"
    leftover.write_bytes(b"half")
    os.utime(leftover, (now - 7200, now - 7200))
    old_format = tmp_path / "pdf" / "v0" / "x.json"
    old_format.parent.mkdir(parents=True)
    old_format.write_text("{}")
    cache.get_blob(shas[4])  # a use: now the most recent
    removed = cache.prune(max_bytes=2500)
    kept = {sha for sha in shas if paths[sha].exists()}
    assert kept == {shas[4], shas[1]} and removed == 5
    assert not leftover.exists() and not old_format.exists()


def test_a_build_prunes_the_cache_at_most_once_an_hour(tmp_path):
    from handbook.pdf.cache import FORMAT, MAX_BYTES, PdfCache

    cache = PdfCache(tmp_path / "pdf")
    sha = cache.put_blob(b"x" * 1000)
    blob = next((tmp_path / "pdf").rglob(sha))
    month_ago = time.time() - 40 * 86400
    os.utime(blob, (month_ago, month_ago))
    assert cache.prune_now_and_then(MAX_BYTES) == 1 and not blob.exists()
    sha = cache.put_blob(b"y" * 1000)
    blob = next((tmp_path / "pdf").rglob(sha))
    os.utime(blob, (month_ago, month_ago))
    assert cache.prune_now_and_then(MAX_BYTES) is None and blob.exists()  # pruned less than an hour ago
    hour_ago = time.time() - 3700
    os.utime(tmp_path / "pdf" / FORMAT / ".pruned", (hour_ago, hour_ago))
    assert cache.prune_now_and_then(MAX_BYTES) == 1 and not blob.exists()
    assert PdfCache(None).prune_now_and_then(MAX_BYTES) is None


def test_the_cache_lives_under_handbook_cache_or_the_users_cache_and_can_be_turned_off(monkeypatch, tmp_path):
    from handbook.pdf.cache import default_root

    monkeypatch.delenv("HANDBOOK_PDF_CACHE", raising=False)
    monkeypatch.setenv("HANDBOOK_CACHE", str(tmp_path))
    assert default_root() == tmp_path / "pdf"
    monkeypatch.delenv("HANDBOOK_CACHE")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_root() == tmp_path / "home" / ".cache" / "handbook" / "pdf"
    monkeypatch.setenv("HANDBOOK_PDF_CACHE", "0")
    assert default_root() is None
