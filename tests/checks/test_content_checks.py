"""Chapters hold no phone numbers or emails outside macros; unsafe HTML is caught."""

from __future__ import annotations

import pytest

from conftest import ROOT
from handbook.checks.content import raw_contact_findings, unsafe_html_findings

MARKDOWN_FILES = sorted((ROOT / "docs").rglob("*.md"))


@pytest.mark.parametrize("path", MARKDOWN_FILES, ids=[p.relative_to(ROOT).as_posix() for p in MARKDOWN_FILES])
def test_no_raw_phone_or_email_in_docs(path):
    assert raw_contact_findings(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix(), "GB") == []


@pytest.mark.parametrize(
    "text",
    ["Call 01302 734110.", "Call (01302) 737448 now", "Call +44 1302 796000", "Ring 01302734110",
     "Typo 01302 73411 here", "Dial 999 now", "Email team@doncaster.gov.uk please"],
)
def test_raw_contacts_are_found(text):
    findings = raw_contact_findings(f"# Page\n\n{text}\n", "docs/x.md", "GB")
    assert len(findings) == 1 and findings[0].line == 3


@pytest.mark.parametrize(
    "text",
    ['Call {{ phone("mash-early-help") }}.', "{{ email('x') }}", "Strategy 2015-2018 and 2022-25",
     "[link](https://www.youtube.com/watch?v=I4FVGL5zOBg)", "Section 17 of the Children Act 1989",
     "£44m a year, 11,411 enquiries, 74%"],
)
def test_macro_calls_and_ordinary_numbers_are_not_flagged(text):
    assert raw_contact_findings(text, "docs/x.md", "GB") == []


@pytest.mark.parametrize("region, text, found", [
    ("IE", "Ring 01 234 5678 today", "01 234 5678"),
    ("IE", "Ring (01) 234 567 today", "(01) 234 567"),  # a digit short: caught all the same
    ("IE", "Call +353 1 234 5678", "+353 1 234 5678"),
    ("US", "Call (201) 555-0123 now", "(201) 555-0123"),  # no national prefix: the library's matcher finds it
    ("GB", "Dial 112 now", "112"),
    ("US", "Dial 911 now", "911"),
])
def test_numbers_are_found_as_the_projects_country_writes_them(region, text, found):
    (finding,) = raw_contact_findings(text, "docs/x.md", region)
    assert f'"{found}" is typed' in finding.message or f"number {found} is typed" in finding.message


@pytest.mark.parametrize("region, text", [("US", "Dial 999 now"), ("GB", "Dial 911 now"), ("FR", "Section 17"),
                                          ("IE", "Strategy 2015-2018 and 2022-25")])
def test_another_countrys_numbers_and_ordinary_numbers_are_not_flagged(region, text):
    assert raw_contact_findings(text, "docs/x.md", region) == []


def test_with_no_usable_phone_region_only_emails_are_looked_for():
    # The data check reports site.yaml's phone_region; numbers wait until it can be read.
    findings = raw_contact_findings("Call 01302 734110 or team@example.org", "docs/x.md", None)
    assert [f.message.split(" is typed")[0] for f in findings] == ['the email address "team@example.org"']


@pytest.mark.parametrize(
    "html, needle",
    [('<a href="javascript:alert(1)">x</a>', "javascript:"),
     ('<a href="JaVaScRiPt&colon;alert(1)">x</a>', "javascript:"),
     ('<img src="data:image/png;base64,AAAA" alt="x">', '"data:'),
     ('<a href="http://example.com">x</a>', '"http:'),
     ('<a href="//example.com">x</a>', "without https"),
     ('<p onclick="x()">x</p>', "onclick"),
     ('<svg><a xlink:href="javascript:x()">x</a></svg>', "javascript:")],
)
def test_unsafe_html_is_found(html, needle):
    findings = unsafe_html_findings(html, "source", "docs/x.md")
    assert findings and needle in findings[0].message


def test_safe_html_passes():
    html = ('<a href="https://dscp.org.uk/">x</a><a href="mailto:a@doncaster.gov.uk">m</a>'
            '<a href="tel:+441302734110">t</a><a href="#s">s</a><a href="../x/">r</a>')
    assert unsafe_html_findings(html, "", "docs/x.md") == []


@pytest.mark.parametrize("html", ['<img src="a.png">', '<img src="a.png" alt="">', '<img src="a.png" alt="  ">'])
def test_images_need_alt_text(html):
    findings = unsafe_html_findings(html, "# A\n\n![](a.png)\n", "docs/x.md")
    assert len(findings) == 1 and findings[0].line == 3
    assert findings[0].message.startswith('an image ("a.png") has no alt text')


@pytest.mark.parametrize("alt", ["levels-of-need.png", "levels-of-need", "Levels of need", "levels_of_need",
                                 " Picture ", "screenshot"])
def test_an_alt_text_that_is_only_the_file_name_or_says_picture_is_refused(alt):
    html = f'<img src="../assets/images/levels-of-need.png" alt="{alt}">'
    (finding,) = unsafe_html_findings(html, "", "docs/x.md")
    assert finding.message == (
        f'the alt text of an image ("../assets/images/levels-of-need.png") is only "{" ".join(alt.split())}", which '
        "does not say what it shows. Describe the picture for someone who cannot see it: "
        "![What the picture shows](file.png).")


def test_images_with_alt_text_pass():
    assert unsafe_html_findings('<img src="a.png" alt="A map of the four localities">', "", "docs/x.md") == []


def test_remembered_html_findings_are_the_same_and_follow_the_page(tmp_path):
    from handbook.cache import Memo

    memo = Memo(tmp_path)
    unsafe, markdown = '<p>Fine</p>\n<p onclick="x()">Click</p>', 'Fine\n\n<p onclick="x()">Click</p>\n'
    expected = unsafe_html_findings(unsafe, markdown, "docs/x.md")
    assert expected and expected[0].line == 3
    assert unsafe_html_findings(unsafe, markdown, "docs/x.md", memo) == expected
    assert unsafe_html_findings(unsafe, markdown, "docs/x.md", memo) == expected  # from the memo
    assert memo.hits == 1
    assert unsafe_html_findings("<p>Fine</p>", markdown, "docs/x.md", memo) == []
    assert unsafe_html_findings(unsafe, markdown, "docs/y.md", memo)[0].file == "docs/y.md"
