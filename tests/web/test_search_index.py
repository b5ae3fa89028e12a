"""Words added to the search index (handbook.search_index) and the search worker (handbook.search_worker)."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from handbook.data.load import load_handbook
from handbook.data.records import SearchSynonym, Term
from handbook.web.search_index import FIELD, TITLE_FIELD, add_search_terms, phrase_pattern, plain_text, unused_synonyms
from handbook.web.search_worker import SearchWorkerError, pages_not_using, search_worker, write_search_worker

TERMS = (Term("taf", "Team Around the Family", "…", "TAF"), Term("gcp2", "Graded Care Profile 2", "…", "GCP2"),
         Term("scie", "SCIE", "…", "SCIE"))
OUT_OF_HOURS = SearchSynonym("out-of-hours", ("outside office hours",), ("evenings and weekends", "night"),
                             "data/search.yaml", 0, (5,))


def _index(*sections: tuple[str, str]) -> dict:
    return {"config": {"fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}},
            "docs": [{"location": f"p{i}/", "title": title, "text": text} for i, (title, text) in enumerate(sections)]}


def test_each_section_gets_the_form_it_lacks_and_only_that():
    index = _index(("", "<p>Hold a TAF meeting.</p>"), ("", "<p>Use the Graded Care Profile 2.</p>"),
                   ("", "<p>The Team Around the Family (TAF) meets.</p>"), ("", "<p>TAFFY and STAFF</p>"),
                   ("", "<p>SCIE</p>"), ("", "<p>a taf in lower case is not the abbreviation</p>"))
    assert add_search_terms(index, TERMS) == 2
    assert [doc.get(FIELD) for doc in index["docs"]] == ["Team Around the Family", "GCP2", None, None, None, None]
    assert index["config"]["fields"][FIELD] == {"boost": 1.0}


def test_a_heading_gets_the_other_form_as_strongly_as_the_heading_itself():
    # "GCP2" must find the section headed "Graded Care Profile 2" first, even where its text says GCP2.
    index = _index(("Neglect and Graded Care Profile 2", "<p>Use the GCP2 tool.</p>"),
                   ("Neglect training", "<p>Learn the Graded Care Profile 2.</p>"))
    add_search_terms(index, TERMS)
    heading, passing = index["docs"]
    assert heading.get(TITLE_FIELD) == "GCP2" and FIELD not in heading
    assert passing.get(FIELD) == "GCP2" and TITLE_FIELD not in passing
    assert index["config"]["fields"][TITLE_FIELD] == {"boost": 1000.0}


def test_practitioners_words_find_the_sections_with_the_handbooks_words():
    index = _index(("Contacts", "<p>Call 01302 796000 outside office hours.</p>"),
                   ("Outside office hours", "<p>The line is open at night.</p>"),
                   ("Training", "<p>Courses run in the day.</p>"))
    add_search_terms(index, (), (OUT_OF_HOURS,))
    contacts, heading, training = index["docs"]
    assert contacts.get(FIELD) == "evenings and weekends night"
    # The heading has the words, so both go with the heading, "night" too though the text has it.
    assert heading.get(TITLE_FIELD) == "evenings and weekends night" and FIELD not in heading
    assert FIELD not in training and TITLE_FIELD not in training


def test_search_words_that_no_page_has_are_reported_with_their_line():
    index = _index(("Contacts", "<p>Call outside office-hours.</p>"))
    assert unused_synonyms(index, (OUT_OF_HOURS,)) == []  # a hyphen or a space: the same words
    missing = SearchSynonym("x", ("outside office hours", "after 5pm"), ("late",), "data/search.yaml", 3, (8, 9))
    [finding] = unused_synonyms(index, (missing,))
    assert (finding.file, finding.line, finding.field) == ("data/search.yaml", 9, "synonyms[3].page_words[1]")
    assert 'no page says "after 5pm"' in finding.message


def test_an_index_without_fields_stops_the_build():
    with pytest.raises(ValueError, match="Material's search has changed"):
        add_search_terms({"config": {}, "docs": []}, TERMS)


def test_every_search_word_in_the_handbook_is_on_a_page(search_index_as_built):
    # The real data against the real site (the build checks this too, and would have stopped).
    handbook = load_handbook(ROOT / "data")
    assert handbook.synonyms
    assert unused_synonyms(search_index_as_built, handbook.synonyms) == []


@pytest.fixture(scope="module")
def search_index_as_built(site) -> dict:
    return json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))


# The worker --------------------------------------------------------------------------------------

def _theme(tmp_path, worker: bytes | None, name: str = "search.abc123.min.js"):
    folder = tmp_path / "theme" / "assets" / "javascripts" / "workers"
    folder.mkdir(parents=True)
    if worker is not None:
        (folder / name).write_bytes(worker)
    return [str(tmp_path / "overrides"), str(tmp_path / "theme")]


def test_the_worker_is_materials_followed_by_the_handbooks(tmp_path):
    material = b'(()=>{self.lunr=Y.default;addEventListener("message",()=>{})})();\n//# sourceMappingURL=x.map\n'
    worker = search_worker(_theme(tmp_path, material))
    assert worker.material == "assets/javascripts/workers/search.abc123.min.js"
    assert worker.path.startswith("assets/javascripts/workers/handbook-search.") and worker.path.endswith(".min.js")
    assert worker.source.startswith(b'(()=>{self.lunr=Y.default;')
    assert b"sourceMappingURL" not in worker.source  # Material's map does not describe the whole script
    assert worker.source.endswith((ROOT / "handbook" / "web" / "assets" / "search-worker.js").read_bytes())
    # Named by its content, so a changed worker is a new file for browsers and the offline cache.
    assert search_worker(_theme(tmp_path / "other", material + b"//")).path != worker.path


@pytest.mark.parametrize(("worker", "message"), [
    (None, "expected one search worker"),
    (b"(()=>{addEventListener('message',()=>{})})();", "no longer exposes lunr"),
])
def test_a_changed_material_stops_the_build(tmp_path, worker, message):
    with pytest.raises(SearchWorkerError, match=message):
        search_worker(_theme(tmp_path, worker))


def test_pages_still_naming_materials_worker_are_found(tmp_path):
    worker = search_worker(_theme(tmp_path, b"self.lunr=1"))
    site = tmp_path / "site"
    write_search_worker(worker, site)
    config = '<script id="__config" type="application/json">{{"search": "{}"}}</script>'
    (site / "a").mkdir()
    (site / "a" / "index.html").write_text(config.format("../" + worker.path))
    (site / "404.html").write_text(config.format("/" + worker.path))
    (site / "b.html").write_text(config.format(worker.material))
    (site / "c.html").write_text("<p>no configuration</p>")
    assert pages_not_using(worker, site) == [f"b.html (search worker: {worker.material})"]


def test_every_glossary_abbreviation_and_its_expansion_find_each_other(search_index_as_built):
    # In the built index: each section with one form of a glossary term has the other, in its own
    # words or in the search words of its heading or its text.
    handbook = load_handbook(ROOT / "data")
    pairs = [(phrase_pattern(t.abbreviation, case_sensitive=True), phrase_pattern(t.term), t.abbreviation, t.term)
             for t in handbook.terms if t.abbreviation and t.abbreviation != t.term]
    assert len(pairs) >= 10
    lacking = []
    for doc in search_index_as_built["docs"]:
        own = plain_text(f"{doc['title']} {doc['text']}")
        added = f"{doc.get(FIELD, '')} | {doc.get(TITLE_FIELD, '')}"
        for abbreviation, expansion, short, long in pairs:
            has_short, has_long = abbreviation.search(own), expansion.search(own)
            if (has_short and not has_long and not expansion.search(added)) or \
                    (has_long and not has_short and not abbreviation.search(added)):
                lacking.append((doc["location"], short, long))
    assert not lacking, lacking[:10]
