"""`make bench` (with tools/bench.py): what a practitioner's phone meets on the website.

Builds the real handbook (without PDFs: they are not part of this measure) into a temporary folder,
serves it on localhost and opens it in Debian's Chromium (Playwright), as the browser tests do:

- search: the query set in tests/search/queries.yaml typed key by key into the site's search,
  three times in a fresh browser each time. Reports the share answered in the first three results
  (by kind of query), the time from the last key press to the results on screen (median, 95th
  percentile, slowest), and how long after a page starts loading its search is ready.

Results go to stdout as Markdown and into BENCHMARKS.md between the SITE markers.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from benchfile import machine, write_block  # noqa: E402
from browser import DESKTOP, chromium, guarded_context, serve  # noqa: E402
from search_queries import load_queries, run_queries, summary  # noqa: E402

RUNS = 3


def build_site(site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "HANDBOOK_PDF": "0"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
                   cwd=ROOT, env=env, check=True)


def bench_search(origin: str, browser) -> dict:
    queries = load_queries()
    runs = []
    for _ in range(RUNS):
        for guarded in guarded_context(browser, origin, viewport=DESKTOP):
            outcomes, ready = run_queries(guarded.context, origin, queries)
        runs.append((summary(outcomes), ready))
    return {"runs": runs, "queries": len(queries)}


def search_markdown(result: dict) -> str:
    runs = result["runs"]
    first, _ = runs[0]
    lines = [
        f"Search: {result['queries']} queries from `tests/search/queries.yaml`, typed key by key into the "
        f"site's search in Chromium at desktop size, {len(runs)} runs in a fresh browser each.",
        "",
        "| run | answered in the first three | last key to results: median (ms) | 95th percentile (ms) "
        "| slowest (ms) | search ready after the page starts loading (ms) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for number, (run, ready) in enumerate(runs, 1):
        lines.append(f"| {number} | {run['answered']}/{run['queries']} ({run['share']:.0%}) | {run['median_ms']:.0f} "
                     f"| {run['p95_ms']:.0f} | {run['max_ms']:.0f} | {ready:.0f} |")
    lines += ["", "| kind of query | answered in the first three (run 1) |", "|---|---:|"]
    for kind, (answered, count) in first["kinds"].items():
        lines.append(f"| {kind} | {answered}/{count} |")
    missed = sorted({(o.query.kind, o.query.query, tuple(o.pages[:3])) for run, _ in runs for o in run["missed"]})
    lines.append("")
    if missed:
        lines.append("Not answered in the first three:")
        lines += [f"- {kind}: \"{query}\" gave {', '.join(p or 'home' for p in pages)}"
                  for kind, query, pages in missed]
    else:
        lines.append("Every query was answered in the first three results in every run.")
    medians = [run["median_ms"] for run, _ in runs]
    lines.append(f"\nMedian time to results over the runs: {statistics.median(medians):.0f} ms.")
    return "\n".join(lines)


def main() -> None:
    print(f"Site benchmark on {machine()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="handbook-bench-site-") as tmp:
        site = Path(tmp) / "site"
        build_site(site)
        with serve(site) as origin, chromium() as browser:
            search = bench_search(origin, browser)
    text = search_markdown(search)
    print(text)
    write_block("SITE", text)


if __name__ == "__main__":
    main()
