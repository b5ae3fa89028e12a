"""The PDFs made by the real build: structure, links, fonts, accessibility tags and text."""

from __future__ import annotations

import json
import re
import subprocess

import pikepdf
import pytest
from mkdocs.utils.yaml import yaml_load
from PIL import Image
from pypdf import PdfReader

from conftest import ROOT, build
from handbook.data.contents import APPENDIX, FORM, LEAVE_OUT
from handbook.data.load import load_handbook
from handbook.data.reviews import chapter_reviews, next_planned_update
from handbook.pdf.build import BOOK_PDF, QUICK_REFERENCE_PDF, human_size
from handbook.project import project_contents
from handbook.rendering import render

HB = load_handbook(ROOT / "data")
CONFIG = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
PLUGIN = next(p["handbook"] for p in CONFIG["plugins"] if isinstance(p, dict) and "handbook" in p)
CONTENTS = project_contents(ROOT)
APPENDICES = CONTENTS.printed_as(APPENDIX, FORM)
# Printed as nothing: the pages whose front matter says so, and the editors' (in no section).
LEFT_OUT = CONTENTS.printed_as(LEAVE_OUT) + sorted(
    uri for uri in (p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md"))
    if CONTENTS.place_of(uri) is None)


def _title(pages, src):
    built = src.removesuffix(".md") + (".html" if src.endswith("/index.md") else "/index.html")
    heading = pages[built].find("h1")
    return " ".join(heading.get_text("").split()).rstrip("¶").strip()


def _nav_titles_in_print_order(pages):
    """(level, title) of the parts and chapters expected as bookmarks, from the contents' nav."""
    def title_of(src):
        return _title(pages, src)

    expected = []
    for item in CONTENTS.nav():
        (name, value), = item.items() if isinstance(item, dict) else [(None, item)]
        if isinstance(value, list):
            chapters = [next(iter(c.values())) if isinstance(c, dict) else c for c in value]
            chapters = [c for c in chapters if c not in APPENDICES and c not in LEFT_OUT]
            if chapters:
                expected.append((1, name))
                expected += [(2, title_of(c)) for c in chapters]
        elif value not in APPENDICES and value not in LEFT_OUT:
            expected.append((1, title_of(value)))
    expected.append((1, "Appendices"))
    expected += [(2, title_of(a)) for a in APPENDICES]
    return expected


@pytest.fixture(scope="module")
def book_path(site):
    return site.site / "pdf" / BOOK_PDF


@pytest.fixture(scope="module")
def reader(book_path):
    return PdfReader(book_path)


def _outline(reader, items=None, level=1):
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            yield from _outline(reader, item, level + 1)
        else:
            yield level, item.title, reader.get_destination_page_number(item) + 1


def test_page_count_and_size_are_in_range(reader, book_path):
    assert 50 <= len(reader.pages) <= 160
    assert book_path.stat().st_size <= 1_500_000


def test_bookmarks_follow_the_nav_and_stop_at_three_levels(reader, pages):
    outline = list(_outline(reader))
    assert max(level for level, _, _ in outline) <= 3
    expected = _nav_titles_in_print_order(pages)
    wanted = {title for _, title in expected}
    # Parts and chapters in nav order (a chapter outside any part, like Background, is level 1).
    assert [(level, title) for level, title, _ in outline if (level, title) in set(expected)] == expected
    assert wanted
    # Sections are bookmarked too, one level below their chapter.
    assert any(level == 3 for level, _, _ in outline)
    titles = [title for _, title, _ in outline]
    assert "Contents" not in titles and HB.publication.title not in titles  # cover and contents


def test_contents_page_numbers_match_the_bookmarks(reader, pages):
    expected = set(_nav_titles_in_print_order(pages))
    destinations = {title: page for level, title, page in _outline(reader) if (level, title) in expected}
    assert len(destinations) == len(expected)
    contents_text = "\n".join(reader.pages[i].extract_text() for i in range(1, 4))
    # Numbers are right-aligned: shorter ones are padded with figure spaces (page_numbers.py).
    entries = re.findall(r"^(\S.*?) ?\.{3,}[ \u2007]*(\d+)$", contents_text, flags=re.M)
    for title, number in entries:
        title = " ".join(title.split())
        if title in destinations:
            assert int(number) == destinations[title], title
    assert sum(1 for title, _ in entries if " ".join(title.split()) in destinations) == len(destinations)


def test_every_internal_link_resolves_and_none_points_at_a_file(book_path):
    with pikepdf.open(book_path) as pdf:
        names = set()
        if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
            names = {str(k) for k, _ in pikepdf.NameTree(pdf.Root.Names.Dests).items()}
        internal = external = 0
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                if annot.get("/Subtype") != "/Link":
                    continue
                action = annot.get("/A")
                if action is not None and action.get("/S") == "/URI":
                    uri = str(action.URI)
                    assert not uri.lower().startswith("file:"), uri
                    assert uri.startswith(("https://", "mailto:", "tel:")), uri
                    assert "handbook.invalid" not in uri, uri  # a link between chunks left unmerged
                    external += 1
                    continue
                dest = annot.get("/Dest") if action is None else action.get("/D")
                assert dest is not None, annot
                if isinstance(dest, (pikepdf.String, pikepdf.Name)):
                    assert str(dest).lstrip("/") in names or str(dest) in names, str(dest)
                else:
                    assert dest[0].objgen in {p.obj.objgen for p in pdf.pages}
                internal += 1
        assert internal > 50 and external > 20


def test_all_fonts_are_embedded_and_only_inter_is_used(book_path):
    out = subprocess.run(["pdffonts", str(book_path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        assert "Inter" in row.split()[0], row
        emb, sub = row.split()[-5], row.split()[-4]
        assert (emb, sub) == ("yes", "yes"), row


def test_pdf_is_tagged_in_english_with_metadata(book_path):
    with pikepdf.open(book_path) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "en-GB"
        assert pdf.Root.MarkInfo.Marked
        info = pdf.docinfo
        assert str(info.Title) == HB.publication.title
        # A working copy (the test build) has been published by nobody: no author until an edition is.
        assert "/Author" not in info
        with pdf.open_metadata() as meta:
            assert meta.get("{http://www.aiim.org/pdfua/ns/id/}part") == "1"  # PDF/UA-1


def test_text_holds_urgent_numbers_and_every_chapter_title(reader, pages):
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for line in HB.urgent.lines:
        assert line.phone.display in text
    for _, title in _nav_titles_in_print_order(pages):
        assert title in text, title
    assert "Printed copies may be out of date. Check the live handbook:" in text
    assert "(see page " in text


@pytest.mark.parametrize("page_number, what", [(1, "cover"), (2, "contents")])
def test_pages_render_with_ink(book_path, tmp_path, page_number, what):
    _assert_not_blank(book_path, tmp_path, page_number)


def test_a_table_page_renders_with_ink(reader, book_path, tmp_path):
    destinations = {title: page for _, title, page in _outline(reader)}
    _assert_not_blank(book_path, tmp_path, destinations["Levels of need"])


def _assert_not_blank(pdf_path, tmp_path, page_number):
    prefix = tmp_path / f"page{page_number}"
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", str(page_number), "-l", str(page_number),
                    str(pdf_path), str(prefix)], check=True)
    image = Image.open(next(tmp_path.glob(f"page{page_number}*.png"))).convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 0.01 * image.width * image.height


def test_every_chapter_has_its_own_pdf_with_its_title(site, pages):
    pdf_dir = site.site / "pdf"
    for src in [*APPENDICES, "handbook/faq.md", "handbook/background.md"]:
        own = pdf_dir / (src.rsplit("/", 1)[-1].removesuffix(".md") + ".pdf")
        text = " ".join(PdfReader(own).pages[0].extract_text().split())
        title = _title(pages, src)
        assert title in text, own.name


def test_every_page_links_the_handbook_pdf_with_its_size(site, pages):
    size = human_size((site.site / "pdf" / BOOK_PDF).stat().st_size)
    for name, soup in pages.items():
        links = soup.select(".hb-downloads a")
        assert links and links[0].get_text() == f"Download the handbook (PDF, {size})", name
        for link in links:
            href = link["href"]
            target = site.site / href.lstrip("/") if href.startswith("/") else (site.site / name).parent / href
            assert target.resolve().is_file(), (name, link["href"])
            assert human_size(target.stat().st_size) in link.get_text()
    chapter = pages["handbook/faq/index.html"].select(".hb-downloads a")
    assert chapter[1]["href"].endswith("pdf/faq.pdf")


def test_two_builds_of_one_commit_give_byte_identical_pdfs(site, tmp_path):
    again = build(ROOT, tmp_path / "site")
    assert again.returncode == 0, again.output
    first = sorted(p.relative_to(site.site) for p in (site.site / "pdf").glob("*.pdf"))
    second = sorted(p.relative_to(again.site) for p in (again.site / "pdf").glob("*.pdf"))
    assert first == second and len(first) > 10
    for name in first:
        assert (site.site / name).read_bytes() == (again.site / name).read_bytes(), name


def test_cover_and_footer_carry_the_edition(reader):
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Edition" in cover and "23 November 2025" in cover  # SOURCE_DATE_EPOCH of the test build
    assert HB.publication.live_url in cover
    # A working copy claims no publisher, and no chapter plans a review, so there is no planned update.
    assert "Published by" not in cover and HB.publication.organisation not in cover
    docs = ROOT / "docs"
    reviews, _ = chapter_reviews(docs, [uri for uri in (p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
                                        if uri not in PLUGIN["review_exempt"]], "docs")
    assert next_planned_update(reviews) is None and "Next planned update" not in cover
    footer = " ".join(reader.pages[5].extract_text().split())
    assert "Draft, not a published edition, 23 November 2025" in footer and "Page 6 of" in footer


def test_see_page_numbers_point_at_their_targets(reader):
    chapters = {title: page for _, title, page in _outline(reader)}
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    pairs = {
        "ready to close": "Ready to close",
        "MASH and stepping up to social care": "MASH and stepping up to social care",
        "Read more in consent": "Consent, refusal and competence",
    }
    checked = 0
    for link_text, chapter in pairs.items():
        for number in re.findall(re.escape(link_text) + r" \(see page (\d+)\)", text):
            assert int(number) == chapters[chapter], (link_text, number)
            checked += 1
    assert checked >= 3


def test_structure_tree_covers_every_page_and_link_after_the_merge(book_path):
    """The handbook is printed in chunks and merged: every page and link must keep its tags."""
    with pikepdf.open(book_path) as pdf:
        tree = pdf.Root.StructTreeRoot
        nums = list(tree.ParentTree.Nums)
        keys = [int(nums[i]) for i in range(0, len(nums), 2)]
        assert len(keys) == len(set(keys)) and int(tree.ParentTreeNextKey) > max(keys)
        key_set = set(keys)
        document = tree.K[0]
        assert str(document.S) == "/Document" and len(document.K) > 20
        pages_with_tags = 0
        for page in pdf.pages:
            if "/StructParents" in page.obj:
                assert int(page.obj.StructParents) in key_set
                pages_with_tags += 1
            for annot in page.obj.get("/Annots", []):
                assert int(annot.StructParent) in key_set
        assert pages_with_tags == len(pdf.pages)


def test_the_editor_guide_and_document_control_are_not_in_the_pdfs(reader, pages):
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for src in LEFT_OUT:
        if src == "index.md":
            continue
        title = _title(pages, src)
        assert title not in text, title
    # And none of them has a PDF of its own: the download links on their pages offer only the book.
    guide = pages["editors/index.html"].select("a[data-hb-pdf]")
    assert [a["data-hb-pdf"] for a in guide] == [BOOK_PDF]


def _text(page) -> str:
    """A page's text with its spaces (no-break ones too) and line breaks made single spaces."""
    return " ".join(page.extract_text().split())


@pytest.fixture(scope="module")
def chapter_pdfs(site):
    return sorted(p for p in (site.site / "pdf").glob("*.pdf") if p.name not in (BOOK_PDF, QUICK_REFERENCE_PDF))


# "Printed copies may be out of date. Check the live handbook:" and the cover's "check the live
# handbook before you act on a printed copy": a page that sends its reader there says where it is.
_CHECK_LIVE = re.compile(r"check the live handbook(:?)\s*(\S*)", re.IGNORECASE)


def _live_handbook_unaddressed(path) -> list[str]:
    """Each page of the PDF at `path` that says to check the live handbook without its address."""
    found = []
    for number, page in enumerate(PdfReader(path).pages, start=1):
        # An address broken over two lines is read with a space after its slash.
        text = _text(page).replace("/ ", "/")
        for match in _CHECK_LIVE.finditer(text):
            if (match.group(1) and not match.group(2).startswith("https://")) or HB.publication.live_url not in text:
                found.append(f"{path.name} page {number}: {match.group(0)!r}")
    return found


def test_every_pdf_page_that_says_check_the_live_handbook_gives_its_address(site):
    # The content review (d11) found the part-title pages ending their footer "Check the live
    # handbook:" with no address: their chunk set no address for the running footer.
    pdfs = sorted((site.site / "pdf").glob("*.pdf"))
    said = sum(len(_CHECK_LIVE.findall(_text(page))) for page in PdfReader(pdfs[0]).pages)
    assert len(pdfs) > 3 and said
    problems = [problem for path in pdfs for problem in _live_handbook_unaddressed(path)]
    assert not problems, problems


def test_no_pdf_page_shows_the_source_commit_which_the_metadata_keeps(site):
    # A commit means nothing to a practitioner (review d8); the metadata traces the edition.
    commit = json.loads((site.site / "edition.json").read_text(encoding="utf-8"))["commit"][:10]
    assert commit
    for path in sorted((site.site / "pdf").glob("*.pdf")):
        reader = PdfReader(path)
        assert not [n for n, page in enumerate(reader.pages, start=1) if commit in page.extract_text()], path.name
        subject = reader.metadata["/Subject"]
        assert subject.endswith(f"Draft, not a published edition, 23 November 2025, commit {commit}."), path.name


def test_every_page_of_the_handbook_and_of_every_chapter_pdf_carries_the_urgent_numbers(book_path, chapter_pdfs):
    """A single printed page is often all a practitioner carries: each one names Children's Social
    Care's numbers in and out of office hours and 999, from data/site.yaml's urgent lines."""
    assert {line.phone.id for line in HB.urgent.lines} >= {"csc-referral", "csc-out-of-hours", "emergency"}
    numbers = [line.phone.display for line in HB.urgent.lines]
    footer = " ".join(render.urgent_footer(HB).split())
    assert len(chapter_pdfs) > 10
    missing = {}
    for path in [book_path, *chapter_pdfs]:
        for number, page in enumerate(PdfReader(path).pages, start=1):
            text = _text(page)
            # In the footer, as one line from the data, and so the numbers too.
            if footer not in text or not all(n in text for n in numbers):
                missing.setdefault(path.name, []).append(number)
    assert not missing, f"pages without the urgent numbers in their footer: {missing}"


@pytest.fixture(scope="module")
def quick_reference(site):
    return site.site / "pdf" / QUICK_REFERENCE_PDF


def test_the_quick_reference_is_one_page_and_every_number_on_it_is_from_the_data(quick_reference):
    reader = PdfReader(quick_reference)
    assert len(reader.pages) == 1
    text = _text(reader.pages[0])
    settings = HB.quick_reference
    asking = [HB.contact(c) for c in settings.contacts]  # in full: every phone and mailbox
    at_levels = [HB.contact(c) for level in HB.levels for c in level.contacts]  # phones, else mailboxes
    wanted = [line.phone.display for line in HB.urgent.lines]
    wanted += [phone.display for contact in asking + at_levels for phone in contact.phones]
    wanted += [email.address for contact in asking for email in contact.emails]
    wanted += [email.address for contact in at_levels if not contact.phones for email in contact.emails]
    for level in HB.levels:
        wanted += [level.title, " ".join(level.short_response.split())]
    wanted += [f"{t.when} {t.starts}" for t in map(HB.timeframe, settings.timeframes)]
    wanted += [HB.urgent.heading, HB.urgent.intro, HB.publication.title]
    for value in wanted:
        assert value in text, value
    # An address may be broken over two lines, which text extraction gives as a space.
    assert HB.publication.live_url in text.replace("/ ", "/")
    # ...and no phone number on it that the data does not hold.
    known = {phone.display for contact in HB.contacts for phone in contact.phones}
    printed = set(re.findall(r"\b0\d{4} \d{6}\b|\b999\b", text))
    assert printed and printed <= known, printed - known
    assert "Draft, not a published edition, 23 November 2025." in text  # the edition


def test_the_quick_reference_qr_code_reads_as_the_live_address_printed_beside_it(quick_reference, tmp_path):
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(quick_reference), str(tmp_path / "page")], check=True)
    image = next(tmp_path.glob("page*.png"))
    read = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True, check=True)
    assert read.stdout.splitlines() == [HB.publication.live_url]
    assert HB.publication.live_url in _text(PdfReader(quick_reference).pages[0]).replace("/ ", "/")


def test_the_quick_reference_is_tagged_in_english_with_its_qr_code_described(quick_reference):
    with pikepdf.open(quick_reference) as pdf:
        assert str(pdf.Root.Lang) == "en-GB" and pdf.Root.MarkInfo.Marked
        with pdf.open_metadata() as meta:
            assert meta.get("{http://www.aiim.org/pdfua/ns/id/}part") == "1"
        assert str(pdf.docinfo.Title) == f"Quick reference: {HB.publication.title}"
        figures, headings = [], []

        def walk(element):
            if isinstance(element, pikepdf.Dictionary) and "/S" in element:
                if element.S == "/Figure":
                    figures.append(str(element.get("/Alt", "")))
                elif str(element.S) in ("/H1", "/H2", "/H3"):
                    headings.append(str(element.S))
                kids = element.get("/K")
                for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                    walk(kid)

        walk(pdf.Root.StructTreeRoot.K[0])
        assert figures == [f"QR code for the live handbook: {HB.publication.live_url}"]
        assert headings[0] == "/H1" and "/H2" in headings
    out = subprocess.run(["pdffonts", str(quick_reference)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows and all(row.split()[0].split("+")[-1].startswith("Inter") for row in rows), out
    assert all(row.split()[-5:-3] == ["yes", "yes"] for row in rows), out


def test_the_quick_reference_page_shows_the_same_content_and_offers_its_pdf(pages, quick_reference):
    page = pages["quick-reference/index.html"]
    shown = " ".join(page.select_one(".hb-quick-reference").get_text(" ").split())
    printed = _text(PdfReader(quick_reference).pages[0])
    for heading in page.select(".hb-quick-reference h2, .hb-quick-reference h3, .hb-quick-reference th"):
        assert " ".join(heading.get_text(" ").split()) in printed
    # The urgent lines once on each: on the site the banner's (the page's own block would repeat
    # them on a phone's first screen), on paper, which has no banner, the page's own.
    banner = [a["href"] for a in page.select(".md-banner .hb-urgent a[href^='tel:']")]
    assert banner == [line.phone.tel_uri for line in HB.urgent.lines]
    assert page.select_one(".hb-quick-reference .hb-qr-urgent") is None
    assert all(line.phone.display in printed for line in HB.urgent.lines) and HB.urgent.heading in printed
    assert HB.publication.live_url in shown
    qr = page.select_one(".hb-quick-reference svg.hb-qr-code[role=img]")
    assert qr.find("title").get_text() == f"QR code for the live handbook: {HB.publication.live_url}"
    assert page.select_one('.hb-downloads a[data-hb-pdf="quick-reference.pdf"]') is not None
    # Linked from the home page and in the navigation.
    assert pages["index.html"].select_one("article a[href='quick-reference/']") is not None
    assert pages["index.html"].select_one("nav.md-nav--primary a[href='quick-reference/']") is not None


def test_a_chapter_pdf_claims_no_owner_and_no_review(site):
    # The PDFs print the page's own HTML, and no chapter records an owner or a review (planned or
    # past): the content review of 2026-12-07 found an invented owner and review date in them.
    for pdf, words in (("faq.pdf", "How can I get early help training?"),
                       ("consent.pdf", "Consent, refusal and competence"),
                       ("early-help-handbook.pdf", "How can I get early help training?")):
        text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(site.site / "pdf" / pdf).pages)
        assert words in text, pdf  # the text was read
        for claim in ("Page owner", "Next review due", "Last reviewed", "Published by", "Next planned update"):
            assert claim not in text, (pdf, claim)


def test_the_pdf_marks_wording_to_be_confirmed_in_words(site):
    text = " ".join(" ".join(page.extract_text().split())
                    for page in PdfReader(site.site / "pdf" / "gp-letter.pdf").pages)
    assert "Wording to be confirmed: I, [name of GP], declare that I have received" in text


def test_the_printed_consent_form_keeps_the_text_of_every_tick_box(site):
    # Each tick box's text is inside its label on the site (for its accessible name); the PDF swaps
    # the box for one to tick on paper and must keep the text beside it.
    text = " ".join(" ".join(page.extract_text().split())
                    for page in PdfReader(site.site / "pdf" / "consent-form.pdf").pages)
    source = (ROOT / "docs" / "handbook" / "consent-form.md").read_text(encoding="utf-8")
    options = [line.split("] ", 1)[1] for line in source.splitlines() if line.startswith("- [ ] ")]
    assert len(options) == 8
    for option in options:
        assert option in text, option


# The chapters' own PDFs are the handbook's own pages (handbook/pdf/extract.py): laid out once.

def _notice() -> str:
    # The test build is a working copy dated by SOURCE_DATE_EPOCH (see conftest.py).
    return (f"Extract from the {HB.publication.title}, draft of 23 November 2025. "
            "Its page numbers are the handbook's.")


def test_every_page_of_every_chapter_pdf_says_it_is_an_extract_of_the_edition(chapter_pdfs, reader):
    missing = {}
    for path in chapter_pdfs:
        for number, page in enumerate(PdfReader(path).pages, start=1):
            if _notice() not in _text(page):
                missing.setdefault(path.name, []).append(number)
    assert not missing, f"pages without the extract notice: {missing}"
    assert not any("Extract from the" in _text(page) for page in reader.pages)  # the handbook's own


def test_a_chapter_pdf_is_the_handbooks_own_pages_for_that_chapter(chapter_pdfs, reader):
    """Same text, same page numbers ("Page 18 of 86", "see page 23"): the pages laid out for the
    handbook, with the notice drawn over them (first, since it is read first)."""
    book = [_text(page) for page in reader.pages]
    starts = {title: page for level, title, page in _outline(reader) if level <= 2}
    for path in chapter_pdfs:
        own = PdfReader(path)
        first = starts[own.outline[0].title]
        for index, page in enumerate(own.pages):
            assert _text(page) == f"{_notice()} {book[first - 1 + index]}", (path.name, index + 1)
        following = first - 1 + len(own.pages)
        # ...and all of them: the handbook's next page starts another chapter or part.
        assert following == len(book) or any(book[following].startswith(title) for title in starts), path.name


def test_links_in_a_chapter_pdf_stay_in_it_or_go_to_the_chapter_online(chapter_pdfs):
    online = internal = 0
    for path in chapter_pdfs:
        with pikepdf.open(path) as pdf:
            names = {}
            if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
                names = {str(k): v for k, v in pikepdf.NameTree(pdf.Root.Names.Dests).items()}
            own_pages = {page.obj.objgen for page in pdf.pages}
            for page in pdf.pages:
                for annot in page.get("/Annots", []):
                    action = annot.get("/A")
                    if action is not None:
                        uri = str(action.URI)
                        assert uri.startswith(("https://", "mailto:", "tel:")), (path.name, uri)
                        assert "handbook.invalid" not in uri, (path.name, uri)  # a link left between chunks
                        online += uri == HB.publication.live_url
                        continue
                    # Within the chapter: a named destination on one of its own pages.
                    dest = str(annot.Dest)
                    assert dest in names and names[dest][0].objgen in own_pages, (path.name, dest)
                    internal += 1
    assert online > 20 and internal > 10


def test_the_chapter_pdfs_link_other_chapters_online(site):
    # "See the role of the lead practitioner" in the FAQ points at another chapter: online.
    with pikepdf.open(site.site / "pdf" / "faq.pdf") as pdf:
        uris = [str(annot.A.URI) for page in pdf.pages for annot in page.get("/Annots", []) if "/A" in annot]
    assert HB.publication.live_url in uris


def test_every_chapter_pdf_is_tagged_with_its_own_title_and_bookmarks(chapter_pdfs, pages):
    titles = {_title(pages, src) for src in [*APPENDICES, "handbook/faq.md", "handbook/background.md"]}
    seen = set()
    for path in chapter_pdfs:
        with pikepdf.open(path) as pdf:
            tree = pdf.Root.StructTreeRoot
            assert str(tree.K[0].S) == "/Document" and len(tree.K[0].K) > 0, path.name
            nums = list(tree.ParentTree.Nums)
            keys = {int(nums[i]) for i in range(0, len(nums), 2)}
            for page in pdf.pages:
                assert int(page.obj.StructParents) in keys, path.name
                for annot in page.obj.get("/Annots", []):
                    assert int(annot.StructParent) in keys, path.name
            assert str(pdf.Root.Lang) == "en-GB" and pdf.Root.MarkInfo.Marked
            with pdf.open_metadata() as meta:
                assert meta.get("{http://www.aiim.org/pdfua/ns/id/}part") == "1", path.name
            title = str(pdf.docinfo.Title)
        assert title.endswith(f": {HB.publication.title}"), path.name
        reader = PdfReader(path)
        outline = list(_outline(reader))
        # The chapter first, on its first page, then its sections below it.
        assert outline[0][0] == 1 and outline[0][2] == 1 and title == f"{outline[0][1]}: {HB.publication.title}"
        assert all(level == 2 and 1 <= page <= len(reader.pages) for level, _, page in outline[1:]), path.name
        seen.add(outline[0][1])
    assert titles <= seen


def test_every_chapter_pdf_embeds_only_inter_once_per_style(chapter_pdfs, book_path):
    for path in [book_path, *chapter_pdfs]:
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = [row.split() for row in out.splitlines()[2:]]
        assert rows and all(row[0].split("+")[-1].startswith("Inter") for row in rows), (path.name, out)
        assert all(row[-5:-3] == ["yes", "yes"] for row in rows), (path.name, out)
        # Each chapter of the handbook was drawn on its own: the merge embeds each font once, and
        # a chapter's notice uses the chapter's own copy.
        names = [row[0] for row in rows]
        assert len(names) == len(set(names)), (path.name, out)
