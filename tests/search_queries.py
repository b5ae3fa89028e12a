"""The search query set (tests/search/queries.yaml), typed into the built site's search in Chromium.

Used by tests/web/test_search.py and by `make bench` (tools/bench_search.py), which reports the share
answered and the time to the first result in BENCHMARKS.md. Each query is typed key by key, as a
person types: Material's search reads the box on each key press, not a pasted value.

The time to the first result is measured in the page: from the key press of a query's last letter
to the frame after Material's worker answered it (Material shows results as soon as its answer
comes). The search index loads when the reader first goes to the search box
(handbook/web/assets/search-on-demand.js); the time from there until the search is ready is reported
on its own.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from browser import open_page

QUERIES = Path(__file__).resolve().parent / "search" / "queries.yaml"
# Misspellings of every kind the search must forgive (the query set names its kinds this way).
MISSPELT = "misspelt"

# Counts the queries the page sends Material's search worker and the answers it gets back, with
# the time of the last key press, so a test knows when the results on screen answer what was
# typed. Material's worker protocol: READY messages are type 1, QUERY type 2, RESULT type 3.
_WATCH_WORKER = """(() => {
  if (window.__hbSearch) return;
  const Native = window.Worker;
  const watch = window.__hbSearch = {sent: 0, answered: 0, query: null, keyAt: 0, answeredAt: 0, shownAt: 0,
                                     readyAt: 0, focusAt: 0};
  document.addEventListener("keyup", () => { watch.keyAt = performance.now(); }, true);
  document.addEventListener("focusin", event => {
    if (!watch.focusAt && event.target.matches && event.target.matches(".md-search__input")) {
      watch.focusAt = performance.now();
    }
  }, true);
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", event => {
        if (event.data && event.data.type === 1) watch.readyAt = performance.now();
        if (!event.data || event.data.type !== 3) return;
        watch.answered += 1;
        // Every result page in order: the screen shows the first ten until the reader scrolls.
        watch.pages = event.data.data.items.map(group => group[0].location.split("#")[0]);
        watch.answeredAt = performance.now();
        requestAnimationFrame(() => { watch.shownAt = performance.now(); });
      });
    }
    postMessage(message, ...rest) {
      if (message && message.type === 2) { watch.sent += 1; watch.query = message.data; watch.shownAt = 0; }
      return super.postMessage(message, ...rest);
    }
  };
})();"""

_ANSWERED = """query => {
  const watch = window.__hbSearch;
  return watch.query === query && watch.answered === watch.sent && watch.shownAt > 0;
}"""


@dataclass(frozen=True)
class Query:
    query: str
    kind: str
    answers: tuple[str, ...]


@dataclass
class Outcome:
    query: Query
    pages: list[str]  # result pages, best first, as site paths ("handbook/consent/"; "" is the home page)
    milliseconds: float  # last key press to the results on screen
    missing: list[str] = field(default_factory=list)  # words Material says the first result does not have
    every_page: list[str] = field(default_factory=list)  # all result pages, shown or still to be shown

    @property
    def answered(self) -> bool:
        return any(page in self.query.answers for page in self.pages[:3])


def load_queries(path: Path = QUERIES) -> list[Query]:
    return [Query(q["query"], q["kind"], tuple(q["answers"])) for q in yaml.safe_load(path.read_text())["queries"]]


def watch_search(context) -> None:
    """Make every page opened in `context` note its search worker's queries and answers."""
    context.add_init_script(_WATCH_WORKER)


def search(page, origin: str, query: str, *, fresh: bool = True) -> Outcome:
    """Type `query` into the site's search and wait until the results on screen answer it. When
    `fresh`, the home page is opened first; otherwise `page` must be one whose search is watched."""
    if fresh:
        page.add_init_script(_WATCH_WORKER)
        open_page(page, origin + "/")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(query)
    page.wait_for_function(_ANSWERED, arg=box.input_value(), timeout=15_000)
    timing = page.evaluate("() => window.__hbSearch.shownAt - window.__hbSearch.keyAt")
    items = page.locator(".md-search-result__list > .md-search-result__item")
    # Each result is a page, its first link the page itself, then its best sections.
    pages = [urlsplit(href).path.lstrip("/") for href in items.evaluate_all(
        "els => els.map(item => item.querySelector('.md-search-result__link').href)")]
    # What the first result shows before its "more on this page" (sections that match less).
    missing = [text.strip() for text in items.first.locator(
        ":scope > .md-search-result__link .md-search-result__terms").all_text_contents()] if pages else []
    every_page = page.evaluate("() => window.__hbSearch.pages")
    assert every_page[:len(pages)] == pages, (every_page, pages)
    return Outcome(Query(query, "", ()), pages, timing, missing, every_page)


def run_queries(context, origin: str, queries: list[Query]) -> tuple[list[Outcome], float]:
    """Every query typed into one page, as a reader searching again and again would. Returns the
    outcomes, and how long the search took to be ready (its index fetched and indexed in the
    worker) after the reader first went to the search box."""
    watch_search(context)
    page = context.new_page()
    open_page(page, origin + "/")
    page.locator("input.md-search__input").click()
    page.wait_for_function("() => window.__hbSearch.readyAt > 0", timeout=15_000)
    ready = page.evaluate("() => window.__hbSearch.readyAt - window.__hbSearch.focusAt")
    outcomes = []
    for query in queries:
        outcome = search(page, origin, query.query, fresh=False)
        outcome.query = query
        outcomes.append(outcome)
    page.close()
    return outcomes, ready


def summary(outcomes: list[Outcome]) -> dict:
    answered = [o for o in outcomes if o.answered]
    times = sorted(o.milliseconds for o in outcomes)
    kinds = Counter(o.query.kind for o in outcomes)
    kinds_answered = Counter(o.query.kind for o in answered)
    return {
        "queries": len(outcomes),
        "answered": len(answered),
        "share": len(answered) / len(outcomes) if outcomes else 0.0,
        "median_ms": statistics.median(times) if times else 0.0,
        "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))] if times else 0.0,
        "max_ms": times[-1] if times else 0.0,
        "kinds": {kind: (kinds_answered[kind], count) for kind, count in sorted(kinds.items())},
        "missed": [o for o in outcomes if not o.answered],
    }
