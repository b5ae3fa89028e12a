"""`make bench`: time this project's PDF pipeline against mkdocs-to-pdf on the same content.

Builds (a) the real handbook and (b) a generated handbook ten times its size (every chapter in
docs/handbook/ copied ten times), each four ways, in fresh processes:

- site only (no PDF): the baseline both PDF pipelines add to
- this project, full build: site, whole-handbook PDF and one PDF per chapter (what `make build` does)
- this project, whole-handbook PDF only (HANDBOOK_CHAPTER_PDFS=0): like for like with the peer
- mkdocs-to-pdf 0.12.1 (the `to-pdf` plugin), with the same content, theme and WeasyPrint

For each it records wall time, peak memory of the whole process tree (sampled from /proc every
50 ms, so parallel workers are summed), page count and size of the whole-handbook PDF. Results go
to stdout as Markdown and into BENCHMARKS.md between the RESULTS markers.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml
from mkdocs.utils.yaml import yaml_load
from pypdf import PdfReader

from benchfile import machine, write_block

ROOT = Path(__file__).resolve().parent.parent
PEER_PDF = "pdf/mkdocs-to-pdf.pdf"
OUR_PDF = "pdf/early-help-handbook.pdf"


def tree_rss_kb(root_pid: int) -> int:
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        rss[int(entry)] = int(match.group(1)) if match else 0
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return total


def run(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak memory (MB) of `command` and all its descendants."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kb(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    output, _ = process.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode != 0:
        sys.stdout.write(output.decode(errors="replace")[-4000:])
        raise SystemExit(f"failed: {' '.join(command)}")
    return elapsed, peak // 1024


def make_project(destination: Path, copies: int) -> Path:
    shutil.copy2(ROOT / "mkdocs.yml", destination / "mkdocs.yml")
    for name in ("macros", "overrides", "data", "docs"):
        shutil.copytree(ROOT / name, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
    config = yaml_load((destination / "mkdocs.yml").read_text(encoding="utf-8"))
    if copies > 1:
        extra = []
        for n in range(2, copies + 1):
            for chapter in sorted((destination / "docs" / "handbook").glob("*.md")):
                if "-copy-" in chapter.stem:
                    continue
                copy = chapter.with_name(f"{chapter.stem}-copy-{n}.md")
                copy.write_text(chapter.read_text(encoding="utf-8"), encoding="utf-8")
                extra.append(f"handbook/{copy.name}")
        config["nav"].append({f"Copies 2 to {copies}": extra})
    (destination / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    # The peer's configuration: the same site with the `to-pdf` plugin. Not strict, because
    # mkdocs-to-pdf counts WeasyPrint's complaints about Material's CSS as errors and stops.
    peer = {**config, "strict": False,
            "plugins": [{"to-pdf": {"output_path": PEER_PDF, "toc_level": 3}}, *config["plugins"]]}
    (destination / "mkdocs-to-pdf.yml").write_text(yaml.safe_dump(peer, sort_keys=False), encoding="utf-8")
    return destination


def pdf_facts(path: Path) -> tuple[int, float]:
    return len(PdfReader(path).pages), path.stat().st_size / 1_000_000


def bench(label: str, copies: int, work: Path) -> list[dict]:
    (work / label).mkdir()
    project = make_project(work / label, copies)
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--quiet"]
    base = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1763856000"}
    runs = [
        ("site only (no PDF)", [*mkdocs, "-d", str(work / f"{label}-site")], {"HANDBOOK_PDF": "0"}, None),
        ("this project: full build (site, handbook PDF, chapter PDFs)",
         [*mkdocs, "-d", str(work / f"{label}-ours")], {}, work / f"{label}-ours" / OUR_PDF),
        ("this project: handbook PDF only",
         [*mkdocs, "-d", str(work / f"{label}-ours-book")], {"HANDBOOK_CHAPTER_PDFS": "0"},
         work / f"{label}-ours-book" / OUR_PDF),
        ("mkdocs-to-pdf 0.12.1: handbook PDF",
         [*mkdocs, "-f", "mkdocs-to-pdf.yml", "-d", str(work / f"{label}-peer")], {"HANDBOOK_PDF": "0"},
         work / f"{label}-peer" / PEER_PDF),
    ]
    rows = []
    for name, command, env, pdf in runs:
        seconds, peak = run(command, {**base, **env}, project)
        pages, size = pdf_facts(pdf) if pdf else (None, None)
        rows.append({"handbook": label, "run": name, "seconds": seconds, "peak_mb": peak, "pages": pages, "mb": size})
        print(f"  {label}: {name}: {seconds:.1f} s, {peak} MB" + (f", {pages} pages, {size:.2f} MB" if pdf else ""),
              flush=True)
    return rows


def markdown(rows: list[dict]) -> str:
    lines = ["| handbook | run | wall time (s) | PDF time over site (s) | peak memory (MB) | PDF pages "
             "| PDF size (MB) |", "|---|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        site = next(r["seconds"] for r in rows if r["handbook"] == row["handbook"] and r["pages"] is None)
        over = "" if row["pages"] is None else f"{row['seconds'] - site:.1f}"
        pages = "" if row["pages"] is None else str(row["pages"])
        size = "" if row["mb"] is None else f"{row['mb']:.2f}"
        lines.append(f"| {row['handbook']} | {row['run']} | {row['seconds']:.1f} | {over} | {row['peak_mb']} "
                     f"| {pages} | {size} |")
    lines.append("")
    for label in dict.fromkeys(r["handbook"] for r in rows):
        peer = next(r for r in rows if r["handbook"] == label and r["run"].startswith("mkdocs-to-pdf"))
        ours_book = next(r for r in rows if r["handbook"] == label and "PDF only" in r["run"])
        ours_full = next(r for r in rows if r["handbook"] == label and "full build" in r["run"])
        lines.append(
            f"- {label}: mkdocs-to-pdf takes {peer['seconds'] / ours_book['seconds']:.2f}x the time of this project "
            f"for the same handbook PDF, and {peer['seconds'] / ours_full['seconds']:.2f}x the time of this "
            f"project's full build (which also makes every chapter PDF); peak memory "
            f"{ours_book['peak_mb']} MB against {peer['peak_mb']} MB; PDF size "
            f"{ours_book['mb']:.2f} MB against {peer['mb']:.2f} MB.")
    return "\n".join(lines)


def main() -> None:
    print(f"Benchmark on {machine()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="handbook-bench-") as tmp:
        rows = bench("real", 1, Path(tmp)) + bench("10x", 10, Path(tmp))
    table = markdown(rows)
    print(table)
    write_block("RESULTS", table)


if __name__ == "__main__":
    main()
