"""Every PDF of the build passes an outside PDF/UA-1 checker (tests/pdf_ua.py: outloud, which
follows the Matterhorn Protocol), and a fixture that breaks its rules shows the check failing."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from weasyprint import HTML

from conftest import FIXTURES
from handbook.pdf.tagging import fix_tags
from handbook.plugin.theme import THEME_DIR
from pdf_ua import check, errors

CHAPTER = FIXTURES / "pdf-ua" / "chapter.html"
# What WeasyPrint's own tags leave for tagging.py to put right, as the checker names it.
PUT_RIGHT = {"LNK-001", "LNK-003", "LNK-004", "TBL-002", "PAG-001", "TAG-020"}


@pytest.fixture(scope="module")
def findings(site) -> list:
    return check(site.site / "pdf")


def test_every_pdf_of_the_build_has_no_pdf_ua_error(site, findings):
    pdfs = sorted(path.name for path in (site.site / "pdf").glob("*.pdf"))
    assert len(pdfs) > 20  # the handbook, the quick reference and every chapter
    assert [str(finding) for finding in findings if finding.severity == "error"] == []


def test_no_pdf_has_a_pdf_ua_warning_either(findings):
    """Among them, the ones the issue named: running headers and footers as artifacts, links in
    /Link elements with the Print flag, no empty elements, no drawn grid that no table covers, text
    painted in reading order, every printed web address a link, no prose marked as an artifact."""
    assert [str(finding) for finding in findings] == []


def _raw(path: Path) -> bytes:
    """`path` as plain WeasyPrint tags it, without the handbook's own tagging."""
    return HTML(filename=str(path)).write_pdf(pdf_variant="pdf/ua-1")


def test_the_checker_fails_the_fixture_as_weasyprint_tags_it_and_passes_it_once_the_handbook_tags_it(tmp_path):
    raw = tmp_path / "weasyprint.pdf"
    raw.write_bytes(_raw(CHAPTER))
    found = Counter(finding.rule for finding in errors(raw))
    assert found["TBL-002"] == 1  # the row headers have no scope, and no data cell names them
    assert found["LNK-003"] == 1  # the picture link has no text and no /Alt
    tagged = tmp_path / "handbook.pdf"
    tagged.write_bytes(fix_tags(raw.read_bytes()))
    assert [str(finding) for finding in check(tagged) if finding.rule in PUT_RIGHT or finding.severity == "error"] == []


def _advance(font: TTFont, text: str) -> int:
    cmap, metrics = font.getBestCmap(), font["hmtx"]
    return sum(metrics[cmap[ord(character)]][0] for character in text)


def _tabular(font: TTFont, character: str) -> str:
    """The glyph the font's tabular-figures feature (tnum) sets for `character`."""
    glyph = font.getBestCmap()[ord(character)]
    table = font["GSUB"].table
    for record in table.FeatureList.FeatureRecord:
        if record.FeatureTag == "tnum":
            for index in record.Feature.LookupListIndex:
                for subtable in table.LookupList.Lookup[index].SubTable:
                    if glyph in getattr(subtable, "mapping", {}):
                        return subtable.mapping[glyph]
    return glyph


def test_the_hanging_indents_of_lists_are_as_wide_as_their_markers_in_the_font():
    """print.css hangs list markers by an indent it states in ems, measured from Inter: a changed
    font would leave every list's second line out of line with its first."""
    css = (THEME_DIR.parent.parent / "pdf" / "templates" / "print" / "print.css").read_text(encoding="utf-8")
    font = TTFont(THEME_DIR / "assets" / "fonts" / "Inter-Regular.otf")
    units = font["head"].unitsPerEm
    bullet = _advance(font, "\u2022\u2002") / units
    number = (2 * _advance(font, "\u2007") + _advance(font, ".\u2002")) / units
    assert _advance(font, "\u2007") == font["hmtx"][_tabular(font, "0")][0]  # a figure space is a tabular digit
    for selector, width in (("ul > li", bullet), ("ol > li", number)):
        rule = re.search(re.escape(selector) + r" \{ padding-left: ([\d.]+)em; text-indent: -([\d.]+)em; \}", css)
        assert rule is not None, selector
        assert abs(float(rule.group(1)) - width) < 0.0005 and rule.group(1) == rule.group(2), (selector, width)
