"""The site's search in Chromium, typed key by key: the query set's target, typing mistakes of every
kind, practitioners' words, and the order of results (handbook/web/assets/search-worker.js)."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest

from browser import DESKTOP, guarded_context
from search_queries import MISSPELT, load_queries, run_queries, search, summary, watch_search

QUERIES = load_queries()
TARGET = 0.95
MISSPELLING_KINDS = {"letter added", "letter missing", "letter wrong", "letters swapped", "two mistakes"}
# What a section's text is made of, as Material's index splits it (lower case, split at spaces and
# hyphens): the tests read the built index to know which sections have a word as written.
_TOKEN = re.compile(r"[^\s\-]+")


def test_the_query_set_has_every_kind_of_query(site):
    assert len(QUERIES) >= 40
    kinds = Counter(q.kind for q in QUERIES)
    for kind in ("exact", "abbreviation", "expansion", "plain words", "plural", "hyphen"):
        assert kinds[kind] >= 2, kind
    misspelt = {q.kind.removeprefix(MISSPELT).strip(" ()") for q in QUERIES if q.kind.startswith(MISSPELT)}
    assert misspelt == MISSPELLING_KINDS
    # Every answer is a page of the built site.
    for query in QUERIES:
        for answer in query.answers:
            assert (site.site / answer / "index.html").is_file(), (query.query, answer)


@pytest.fixture(scope="module")
def outcomes(browser, origin):
    """Every query of the set, typed into the site's search once for all the tests below."""
    for guarded in guarded_context(browser, origin, viewport=DESKTOP):
        found, _ready = run_queries(guarded.context, origin, QUERIES)
    return found


def test_the_query_set_meets_its_target(outcomes):
    result = summary(outcomes)
    missed = "\n".join(f"  {o.query.kind}: {o.query.query!r} -> {o.pages[:3]}" for o in result["missed"])
    assert result["share"] >= TARGET, f"{result['answered']}/{result['queries']} answered in the first three:\n{missed}"


def test_every_kind_of_typing_mistake_is_forgiven(outcomes):
    misspelt = [o for o in outcomes if o.query.kind.startswith(MISSPELT)]
    assert {o.query.kind for o in misspelt} == {f"{MISSPELT} ({kind})" for kind in MISSPELLING_KINDS}
    wrong = [(o.query.query, o.pages[:3], o.missing[:1]) for o in misspelt if not o.answered or o.missing]
    # Answered, and without "Missing: concent" under results that are about consent.
    assert not wrong, wrong


def test_the_search_tests_fail_with_materials_search_alone(browser, desktop, site):
    # The same misspelt queries against Material's own worker, served in place of the handbook's:
    # each finds nothing, or only results that say the misspelt word is missing, so the test above
    # can fail.
    material = next((site.site / "assets" / "javascripts" / "workers").glob("search.*.min.js")).read_bytes()
    desktop.context.route("**/handbook-search.*.min.js",
                          lambda route: route.fulfill(body=material, content_type="text/javascript"))
    misspelt = [q for q in QUERIES if q.kind.startswith(MISSPELT)]
    found, _ready = run_queries(desktop.context, desktop.origin, misspelt)
    assert len(found) == len(misspelt)
    assert not [o.query.query for o in found if o.answered and not o.missing]


def _sections_with(search_index: dict, wanted) -> set[str]:
    """The pages with a section that has a word for which `wanted(word)` holds."""
    pages = set()
    for doc in search_index["docs"]:
        text = re.sub(r"<[^>]+>", " ", f"{doc['title']} {doc['text']} {doc.get('terms', '')} "
                                     f"{doc.get('title_terms', '')}").lower()
        if any(wanted(token) for token in _TOKEN.findall(text)):
            pages.add(doc["location"].split("#")[0])
    return pages


@pytest.mark.parametrize(("query", "correction"), [("thresholds", "threshold"), ("meetings", "meeting")])
def test_exact_and_prefix_matches_rank_above_corrections(desktop, search_index, query, correction):
    # The pages that say only the singular are found by the plural, one letter away, but after every
    # page that has the plural (or a word starting with it).
    exact = _sections_with(search_index, lambda token: token.startswith(query))
    only_corrected = _sections_with(search_index, lambda token: token == correction) - exact
    assert only_corrected, "no page has only the correction: this test would prove nothing"
    pages = search(desktop.context.new_page(), desktop.origin, query).every_page
    assert only_corrected <= set(pages), pages
    assert max(pages.index(page) for page in exact) < min(pages.index(page) for page in only_corrected), pages


def test_the_editors_pages_are_never_a_result(desktop):
    # Words in the editor guide's headings ("Change a phone number or email address", "Publish an
    # edition", "Add or retire a coordinator") once put it first; its pages are now out of the index.
    for query in ("email", "publish", "coordinator"):
        pages = search(desktop.context.new_page(), desktop.origin, query).every_page
        assert pages and not [page for page in pages if page.startswith(("editors/", "document-control/",
                                                                         "maintainers/"))], \
            (query, pages)


def test_a_section_headed_with_the_words_comes_first(desktop):
    # Each word is in many sections' text, but one section's heading.
    watch_search(desktop.context)
    for query, heading in (("chronology", "Keep a chronology of worries"), ("GCP2", "Graded Care Profile 2"),
                           ("supervision", "supervision"), ("Family Hubs", "Family Hubs")):
        page = desktop.context.new_page()
        search(page, desktop.origin, query)
        first = page.locator(".md-search-result__item").first
        # The page's best sections are shown first under it; the first is the best of all.
        titles = [t.strip() for t in first.locator("article h1, article h2").all_text_contents()]
        assert any(heading.lower() in title.lower() for title in titles[:2]), (query, titles)
        page.close()


def test_a_corrected_word_is_highlighted_on_the_page_it_opens(desktop):
    page = desktop.context.new_page()
    outcome = search(page, desktop.origin, "neglet")
    assert outcome.pages[0] == "handbook/assessment/" and not outcome.missing
    link = page.locator(".md-search-result__link[href*='#neglect']").first
    assert parse_qs(urlsplit(link.get_attribute("href")).query)["h"] == ["neglect"]
    with page.expect_navigation():
        link.click()
    page.locator("article mark").first.wait_for(timeout=10_000)  # once the index has loaded
    marks = [text.lower() for text in page.locator("article mark").all_text_contents()]
    assert "neglect" in marks, marks


@pytest.mark.parametrize(("query", "expected"), [
    ("co-ordinator", "handbook/support/"),  # one word, written apart
    ("stepdown", "handbook/when-is-it-early-help/"),  # two words, written together
    ("evenings and weekends", "contacts/"),  # practitioners' words for "outside office hours"
])
def test_words_written_another_way_are_found(desktop, query, expected):
    outcome = search(desktop.context.new_page(), desktop.origin, query)
    assert expected in outcome.pages[:5] and not outcome.missing, (outcome.pages[:5], outcome.missing)
