"""The build's check that the handbook states its own state (reviewed, checked, published) only from
records: in what the PDFs print besides the pages, and where the words were typed.

The built pages and a page's own Markdown are tried by whole builds (tests/fixtures/sites/
claim-without-record, claim-on-pdf-cover; tests/fixtures/checks/unsupported-claim)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import ROOT
from handbook.checks.claims import Records, claim_findings, page_text
from handbook.data.load import load_handbook
from handbook.editions.edition import Edition
from handbook.pdf.build import BOOK_PDF, printed_furniture
from handbook.plugin.pdf import book_info

NO_RECORDS = Records(review_due=False, last_reviewed=False, last_verified=False, published=False)
SITE_YAML = (ROOT / "data" / "site.yaml").read_text(encoding="utf-8")
DRAFT = Edition(id="", date="7 December 2026", iso_date="2026-12-07", commit_sha="c72e149" * 5)
PUBLISHED = replace(DRAFT, id="2026.1")


@pytest.fixture(scope="module")
def handbook():
    return load_handbook(ROOT / "data")


def _info(handbook, edition=DRAFT):
    return book_info(handbook, edition, handbook.publication.live_url, (), draft=False)


def test_what_the_real_handbook_prints_besides_its_pages_claims_nothing(handbook):
    printed = printed_furniture(_info(handbook))
    # The cover, the quick reference, the footers and the extract notice are all there to be read.
    assert {f"pdf/{BOOK_PDF} (its cover)", "pdf/quick-reference.pdf", "the footer of every PDF page",
            "the notice on every chapter PDF's pages"} == set(printed)
    assert "Draft, not a published edition" in printed["the footer of every PDF page"]
    assert claim_findings(printed, NO_RECORDS, {"data/site.yaml": SITE_YAML}) == []


def test_a_publisher_typed_into_the_cover_subtitle_is_reported_at_its_line_in_site_yaml(handbook):
    said = SITE_YAML.replace('subtitle: "Multi-agency procedures for practitioners"',
                             'subtitle: "Multi-agency procedures, published by the\n    partnership"')
    assert said != SITE_YAML
    info = replace(_info(handbook), subtitle="Multi-agency procedures, published by the partnership")
    findings = claim_findings(printed_furniture(info), NO_RECORDS, {"data/site.yaml": said})
    line = said[:said.index("published by")].count("\n") + 1
    assert [(f.file, f.line) for f in findings] == [("data/site.yaml", line)]
    assert findings[0].message.startswith(f'pdf/{BOOK_PDF} (its cover) says "published by", which states who')
    assert "once an edition is published (handbook publish)" in findings[0].message
    assert "Remove these words from here." in findings[0].message


def test_the_cover_names_its_publisher_only_in_a_published_edition(handbook):
    draft = printed_furniture(_info(handbook))[f"pdf/{BOOK_PDF} (its cover)"]
    published = printed_furniture(_info(handbook, PUBLISHED))[f"pdf/{BOOK_PDF} (its cover)"]
    assert "Published by" not in draft
    assert f"Published by {handbook.publication.organisation}" in " ".join(page_text(published).split())
    published_records = replace(NO_RECORDS, published=True)
    assert claim_findings(printed_furniture(_info(handbook, PUBLISHED)), published_records, {}) == []
    # The same cover in a build with no published edition is what the check exists to stop.
    assert [f.file for f in claim_findings({"cover": published}, NO_RECORDS, {})] == ["cover"]


def test_words_from_a_template_are_reported_where_they_are_shown_and_once():
    shown = "<footer><p>Next review due by 1 May 2027.</p></footer><script>'Published by'</script>"
    findings = claim_findings({"the footer of every PDF page": shown, "pdf/quick-reference.pdf": shown},
                              NO_RECORDS, {"data/site.yaml": SITE_YAML})
    # A script is not read, and each place that shows template words is its own mistake to fix.
    assert [(f.file, f.line) for f in findings] == [("the footer of every PDF page", 1), ("pdf/quick-reference.pdf", 1)]
    assert all("The words come from a template" in f.message for f in findings)
    assert "front matter has review_due" in findings[0].message


def test_the_same_data_words_shown_in_two_places_are_one_mistake():
    data = {"data/contacts.yaml": "contacts:\n  - purpose: \"Verified by the service\"\n"}
    shown = "<p>Verified by the service</p>"
    findings = claim_findings({"a.html": shown, "b.html": shown}, NO_RECORDS, data)
    assert [(f.file, f.line) for f in findings] == [("data/contacts.yaml", 2)]
    assert findings[0].message.startswith('a.html says "Verified by"')
    # With a record of a check in the build, the same words are the handbook's to say.
    assert claim_findings({"a.html": shown}, replace(NO_RECORDS, last_verified=True), data) == []
