"""Abbreviations and expansions added to the search index (handbook.search_index)."""

from __future__ import annotations

import pytest

from handbook.records import Term
from handbook.search_index import FIELD, add_abbreviation_terms

TERMS = (Term("taf", "Team Around the Family", "…", "TAF"), Term("gcp2", "Graded Care Profile 2", "…", "GCP2"),
         Term("scie", "SCIE", "…", "SCIE"))


def _index(*texts: str) -> dict:
    return {"config": {"fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}},
            "docs": [{"location": f"p{i}/", "title": "", "text": text} for i, text in enumerate(texts)]}


def test_each_section_gets_the_form_it_lacks_and_only_that():
    index = _index("<p>Hold a TAF meeting.</p>", "<p>Use the Graded Care Profile 2.</p>",
                   "<p>The Team Around the Family (TAF) meets.</p>", "<p>TAFFY and STAFF</p>", "<p>SCIE</p>")
    assert add_abbreviation_terms(index, TERMS) == 2
    assert [doc.get(FIELD) for doc in index["docs"]] == ["Team Around the Family", "GCP2", None, None, None]
    assert index["config"]["fields"][FIELD] == {"boost": 1.0}


def test_an_index_without_fields_stops_the_build():
    with pytest.raises(ValueError, match="Material's search has changed"):
        add_abbreviation_terms({"config": {}, "docs": []}, TERMS)
