"""Words a section does not use but is searched for, added to the site's search index.

Practitioners search the way they talk: "TAF" or "team around the family", "GCP2" or "Graded Care
Profile 2", "evenings and weekends" for what the handbook calls "outside office hours". Material's
search (lunr, in the browser) matches only the words a section contains, so each section gets, in
fields of its own, the other form of each glossary abbreviation it uses in one form only, and the
words practitioners type for the handbook's own words (data/search.yaml). Material's search worker
indexes every field the index's config names; results still show only the section's own title and
text, so these words are never seen on a page or in a result.

A section whose heading has the words gets them in `title_terms`, as strong as the heading itself:
"GCP2" then finds the section headed "Graded Care Profile 2" before the pages that mention it.
Otherwise they go in `terms`, as strong as the section's text, so a section that only mentions TAF
is found by "team around the family" as if it said it, but not ranked above one that does.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from handbook.cache import Memo
from handbook.data.records import SearchSynonym, Term
from handbook.findings import Finding

FIELD = "terms"
TITLE_FIELD = "title_terms"
TEXT_BOOST = 1.0
_TAG = re.compile(r"<[^>]+>")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})


@dataclass(frozen=True)
class _Alias:
    """Words that find a section which has any of `forms` but none of `words`."""

    forms: tuple[re.Pattern, ...]
    words: str
    lacking: tuple[re.Pattern, ...]


def plain_text(markup: str) -> str:
    """What a reader reads of `markup`: its text, with apostrophes made straight."""
    return " ".join(html.unescape(_TAG.sub(" ", markup)).translate(_APOSTROPHES).split())


def phrase_pattern(words: str, case_sensitive: bool = False) -> re.Pattern:
    """`words` as whole words, whatever spacing or hyphens stand between them, and in the plural
    ("lead practitioners" has "lead practitioner")."""
    parts = [re.escape(part) for part in re.split(r"[\s-]+", words.translate(_APOSTROPHES).strip()) if part]
    return re.compile(r"(?<![\w-])" + r"[\s-]+".join(parts) + r"(?:e?s|'s)?(?![\w-])",
                      0 if case_sensitive else re.IGNORECASE)


def _aliases(terms: tuple[Term, ...], synonyms: tuple[SearchSynonym, ...]) -> list[_Alias]:
    aliases = []
    for term in terms:
        if not term.abbreviation or term.term.casefold() == term.abbreviation.casefold():
            continue
        # Abbreviations are matched as written: "LP" is not "lp", nor "SEN" "sen".
        abbreviation, expansion = phrase_pattern(term.abbreviation, case_sensitive=True), phrase_pattern(term.term)
        aliases.append(_Alias((abbreviation,), term.term, (expansion,)))
        aliases.append(_Alias((expansion,), term.abbreviation, (abbreviation,)))
    for synonym in synonyms:
        page_words = tuple(phrase_pattern(words) for words in synonym.page_words)
        for typed in synonym.typed_words:
            aliases.append(_Alias(page_words, typed, (phrase_pattern(typed),)))
    return aliases


def add_search_terms(index: dict, terms: tuple[Term, ...], synonyms: tuple[SearchSynonym, ...] = (),
                     memo: Memo | None = None) -> int:
    """Add each section's missing abbreviations, expansions and practitioners' words to `index`
    (Material's search_index.json, as loaded). Returns how many sections gained words."""
    fields = index.get("config", {}).get("fields")
    if not isinstance(fields, dict) or "text" not in fields or "title" not in fields:
        raise ValueError("the search index names no title and text fields: Material's search has changed, so "
                         "handbook/web/search_index.py must be updated to match it.")
    memo = memo or Memo()
    aliases = _aliases(terms, synonyms)
    # Every section is tried against every alias, and most sections are as they were in the last
    # build: what each gains is remembered by its title and text and the aliases.
    signature = [[[(p.pattern, p.flags) for p in a.forms], a.words, [(p.pattern, p.flags) for p in a.lacking]]
                 for a in aliases]
    changed = 0
    for doc in index["docs"]:
        title, text = doc.get("title", ""), doc.get("text", "")
        in_title, in_text = memo.remember("search-section", (title, text, signature), _section_words,
                                          plain_text(title), plain_text(text), aliases)
        for field, words in ((TITLE_FIELD, in_title), (FIELD, in_text)):
            if words:
                doc[field] = " ".join(dict.fromkeys(words))
        changed += bool(in_title or in_text)
    fields[FIELD] = {"boost": TEXT_BOOST}
    fields[TITLE_FIELD] = {"boost": fields["title"].get("boost", 1.0)}
    return changed


def _section_words(title: str, text: str, aliases: list[_Alias]) -> tuple[list[str], list[str]]:
    """The words a section with this title and text gains: for its title, and for its text."""
    in_title, in_text = [], []
    for alias in aliases:
        # A heading gets the words it lacks even where the section's text has them: it is the
        # heading that makes a section the answer.
        if any(pattern.search(title) for pattern in alias.forms) and \
                not any(pattern.search(title) for pattern in alias.lacking):
            in_title.append(alias.words)
        elif any(pattern.search(text) for pattern in alias.forms) and \
                not any(pattern.search(title) or pattern.search(text) for pattern in alias.lacking):
            in_text.append(alias.words)
    return in_title, in_text


def unused_synonyms(index: dict, synonyms: tuple[SearchSynonym, ...]) -> list[Finding]:
    """Page words in data/search.yaml that no section of the site has: a search aid that finds
    nothing, most likely misspelt or left behind when a page changed."""
    sections = [f"{plain_text(doc.get('title', ''))} {plain_text(doc.get('text', ''))}" for doc in index["docs"]]
    findings = []
    for synonym in synonyms:
        for number, (words, line) in enumerate(zip(synonym.page_words, synonym.page_word_lines, strict=True)):
            pattern = phrase_pattern(words)
            if not any(pattern.search(section) for section in sections):
                findings.append(Finding(synonym.file, line, f'no page says "{words}", so the search words given for '
                                        "it would find nothing. Write the words as a page has them, or remove them.",
                                        f"synonyms[{synonym.position}].page_words[{number}]"))
    return findings
