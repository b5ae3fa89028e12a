"""Abbreviations and their expansions in the site's search index, each finding the other.

Practitioners search the way they talk: "TAF" or "team around the family", "GCP2" or "Graded Care
Profile 2". Material's search (lunr, in the browser) matches only the words a section contains, so
each section that uses an abbreviation but not its expansion gets the expansion, and the reverse, in
a field of its own ("terms"). Material's search worker indexes every field the index's config names;
the results still show only the section's own title and text.
"""

from __future__ import annotations

import html
import re

from handbook.records import Term

FIELD = "terms"
# As strong as the section's own text: a section that only mentions TAF is found by "team around
# the family" as if it said it, but not ranked above one that does.
FIELD_BOOST = 1.0
_TAG = re.compile(r"<[^>]+>")


def add_abbreviation_terms(index: dict, terms: tuple[Term, ...]) -> int:
    """Add each section's missing abbreviations and expansions to `index` (Material's
    search_index.json, as loaded). Returns how many sections gained terms."""
    pairs = [(t.abbreviation, t.term, re.compile(rf"(?<![\w-]){re.escape(t.abbreviation)}(?![\w-])"))
             for t in terms if t.abbreviation and t.term.casefold() != t.abbreviation.casefold()]
    changed = 0
    for doc in index["docs"]:
        text = html.unescape(_TAG.sub(" ", f"{doc.get('title', '')} {doc.get('text', '')}"))
        folded = " ".join(text.casefold().split())
        extra = []
        for abbreviation, expansion, used in pairs:
            has_abbreviation = used.search(text) is not None
            has_expansion = " ".join(expansion.casefold().split()) in folded
            if has_abbreviation and not has_expansion:
                extra.append(expansion)
            elif has_expansion and not has_abbreviation:
                extra.append(abbreviation)
        if extra:
            doc[FIELD] = " ".join(extra)
            changed += 1
    fields = index.get("config", {}).get("fields")
    if not isinstance(fields, dict) or "text" not in fields:
        raise ValueError("the search index names no fields: Material's search has changed, so "
                         "handbook/search_index.py must be updated to match it.")
    fields[FIELD] = {"boost": FIELD_BOOST}
    return changed
