"""`make bench` (with tools/bench.py): what a practitioner's phone meets on the website.

Builds the real handbook (as `make build` does, PDFs included) into a temporary folder, serves it
on localhost and opens it in Debian's Chromium (Playwright), as the browser tests do:

- search: the query set in tests/search/queries.yaml typed key by key into the site's search,
  three times in a fresh browser each time. Reports the share answered in the first three results
  (by kind of query), the time from the last key press to the results on screen (median, 95th
  percentile, slowest), and how long the search takes to be ready after the reader first goes to
  the search box (the index loads then, not with the page).
- first view and offline copy: the bytes a phone downloads to show the home page and a chapter on
  a first visit (the page's own requests, not the service worker's saving of the rest), as served
  and as gzip would send them; and the bytes of the whole offline copy (every file sw.js lists).
- Lighthouse 12 (tools/lighthouse/, pinned; mobile profile: a slow 4G network and a 4x slower
  CPU, simulated), on the home page and a chapter, three runs each, by a plain local server (as
  the issue measured) and by one that compresses text as web hosts do.

Results go to stdout as Markdown and into BENCHMARKS.md between the SITE markers.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from benchfile import machine, write_block  # noqa: E402
from browser import DESKTOP, PHONE, chromium, guarded_context, open_page, serve  # noqa: E402
from search_queries import load_queries, run_queries, summary  # noqa: E402

RUNS = 3
PAGES = {"home page": "", "a chapter (consent)": "handbook/consent/"}
LIGHTHOUSE = ROOT / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
_TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


def build_site(site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
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
        "| slowest (ms) | search ready after first going to it (ms) |",
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


def first_views(origin: str, browser) -> dict[str, tuple[int, int]]:
    """Bytes of each page's first view on a phone: (as served, as gzip would send the text)."""
    found = {}
    for label, path in PAGES.items():
        for guarded in guarded_context(browser, origin, viewport=PHONE, is_mobile=True, has_touch=True):
            bodies: dict[str, bytes] = {}

            def note(response, bodies=bodies):
                if response.request.service_worker is None:
                    bodies[response.url] = response.body()

            page = guarded.context.new_page()
            page.on("response", note)
            open_page(page, f"{origin}/{path}")
            page.wait_for_timeout(2_000)
            served = sum(len(b) for b in bodies.values())
            compressed = sum(len(gzip.compress(b, 6)) if url.split("?")[0].endswith(_TEXT) or url.endswith("/")
                             else len(b) for url, b in bodies.items())
            found[label] = (served, compressed)
    return found


def offline_copy(site: Path) -> tuple[int, int]:
    """The files sw.js lists, and their bytes on the device."""
    manifest = json.loads((site / "sw.js").read_text(encoding="utf-8").split("var PRECACHE = ", 1)[1]
                          .split(";\n", 1)[0])
    return len(manifest), sum((site / entry["url"]).stat().st_size for entry in manifest)


class _CompressingHandler(http.server.SimpleHTTPRequestHandler):
    """A static host as web hosts are: text sent gzip-compressed to browsers that accept it."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not (path.suffix in _TEXT and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve_compressed(directory: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_CompressingHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def lighthouse(url: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="handbook-lighthouse-") as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
                        "--only-categories=performance,accessibility",
                        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                        "--disable-component-update --no-first-run"],
                       env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"}, check=True, capture_output=True)
        data = json.loads(report.read_text(encoding="utf-8"))
    audits = data["audits"]
    return {"performance": data["categories"]["performance"]["score"] * 100,
            "accessibility": data["categories"]["accessibility"]["score"] * 100,
            "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
            "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
            "tbt": audits["total-blocking-time"]["numericValue"],
            "cls": audits["cumulative-layout-shift"]["numericValue"],
            "bytes": audits["total-byte-weight"]["numericValue"] / 1000}


def bench_lighthouse(site: Path) -> list[tuple[str, str, list[dict]]]:
    rows = []
    for server, serving in (("plain local server", serve), ("compressing server", serve_compressed)):
        with serving(site) as origin:
            for label, path in PAGES.items():
                rows.append((server, label, [lighthouse(f"{origin}/{path}") for _ in range(RUNS)]))
    return rows


def pages_markdown(views: dict[str, tuple[int, int]], copy: tuple[int, int], runs) -> str:
    lines = ["First view on a phone (360x740), in a fresh browser: every request the page makes, not the "
             "service worker's saving of the rest for offline use.", "",
             "| page | bytes as served (KB) | as gzip would send them (KB) |", "|---|---:|---:|"]
    lines += [f"| {label} | {served / 1000:.0f} | {compressed / 1000:.0f} |"
              for label, (served, compressed) in views.items()]
    lines += ["", f"The whole offline copy (every file sw.js lists): {copy[0]} files, {copy[1] / 1e6:.2f} MB.", "",
              f"Lighthouse 12, mobile profile (simulated slow 4G and 4x CPU slowdown), median of {RUNS} runs:", "",
              "| served by | page | performance | accessibility | first contentful paint (s) | largest contentful "
              "paint (s) | total blocking time (ms) | layout shift | bytes (KB) |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for server, label, results in runs:
        median = {key: statistics.median(r[key] for r in results) for key in results[0]}
        lines.append(f"| {server} | {label} | {median['performance']:.0f} | {median['accessibility']:.0f} "
                     f"| {median['fcp']:.1f} | {median['lcp']:.1f} | {median['tbt']:.0f} | {median['cls']:.3f} "
                     f"| {median['bytes']:.0f} |")
    return "\n".join(lines)


def main() -> None:
    print(f"Site benchmark on {machine()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="handbook-bench-site-") as tmp:
        site = Path(tmp) / "site"
        build_site(site)
        with serve(site) as origin, chromium() as browser:
            search = bench_search(origin, browser)
            views = first_views(origin, browser)
        copy = offline_copy(site)
        runs = bench_lighthouse(site)
    text = search_markdown(search) + "\n\n" + pages_markdown(views, copy, runs)
    print(text)
    write_block("SITE", text)


if __name__ == "__main__":
    main()
