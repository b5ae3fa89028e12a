"""The 10x handbook PDF against an earlier commit's code, side by side on this machine.

    python tools/bench_against.py REVISION [--rounds 3] [--copies 10]

A figure measured on another day, or on another machine, cannot say whether a change made the
build slower: this machine's speed varies from hour to hour by more than most changes do. So this
builds the same project with both codes in turn, alternating, each a cold "handbook PDF only"
build (`HANDBOOK_CHAPTER_PDFS=0`, as figure 2 of tools/bench.py) in a fresh empty cache, and
prints each build's wall and CPU time and PDF size as Markdown.

The project (docs/, data/, mkdocs.yml, copied ten times as tools/bench.py does) is this working
tree's; only the engine (the `handbook` package) differs. REVISION's code is checked out with
`git worktree` into a temporary folder and put first on PYTHONPATH; the script checks that each
build imports the code it should before timing anything. Nothing is written to BENCHMARKS.md:
the figures are copied there by hand, with the revision they were measured against.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import bench

from benchfile import machine

ROOT = Path(__file__).resolve().parent.parent


def imported_from(env: dict[str, str], cwd: Path) -> Path:
    """Where the handbook package comes from, for a build run in `cwd` with `env`."""
    out = subprocess.run([sys.executable, "-c", "import handbook; print(handbook.__file__)"],
                         env=env, cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()
    return Path(out).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("revision", help="the commit to compare with, e.g. 4282b2a")
    parser.add_argument("--rounds", type=int, default=3, help="builds of each code (default 3)")
    parser.add_argument("--copies", type=int, default=bench.COPIES, help="the handbook's size (default 10)")
    args = parser.parse_args()
    revision = subprocess.run(["git", "rev-parse", "--short=10", args.revision], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.strip()
    current = subprocess.run(["git", "rev-parse", "--short=10", "HEAD"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "handbook"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.strip()
    this = f"this tree ({current}{', with changes' if dirty else ''})"
    with tempfile.TemporaryDirectory(prefix="handbook-against-") as tmp:
        work = Path(tmp)
        old = work / "old"
        subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(old), revision], cwd=ROOT, check=True)
        try:
            caches = bench.Caches(work)
            project = bench.make_project(work / f"{args.copies}x", args.copies)
            codes = {revision: old, this: ROOT}
            for path in codes.values():
                found = imported_from(bench.environment(caches.shared, PYTHONPATH=str(path)), project)
                if found != path.resolve():
                    raise SystemExit(f"with PYTHONPATH={path}, the handbook package came from {found}: "
                                     "the comparison would time the wrong code.")
            results: dict[str, list[bench.Run]] = {label: [] for label in codes}
            sizes: dict[str, float] = {}
            for round_ in range(args.rounds):
                for label, path in codes.items():
                    env = bench.environment(caches.fresh(), HANDBOOK_CHAPTER_PDFS="0", PYTHONPATH=str(path))
                    site = work / f"site-{round_}-{len(results[label])}-{label[:4]}"
                    bench.progress(f"round {round_ + 1}, {label} ... ")
                    result = bench.run(bench.mkdocs_build(site), env, project)
                    results[label].append(result)
                    sizes[label] = (site / "pdf" / "early-help-handbook.pdf").stat().st_size / 1e6
                    print(f"{result.seconds:.1f} s, {result.cpu_seconds:.1f} s CPU", flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=True)
    print(f"\nMeasured on {machine()}; {args.copies}x handbook, \"handbook PDF only\", cold.\n")
    print("| code | " + " | ".join(f"round {n + 1}" for n in range(args.rounds))
          + " | CPU time, all processes | handbook PDF |")
    print("|---|" + "---:|" * args.rounds + "---|---:|")
    for label, runs in results.items():
        print(f"| {label} | " + " | ".join(f"{r.seconds:.1f} s" for r in runs) + " | "
              + ", ".join(f"{r.cpu_seconds:.1f} s" for r in runs) + f" | {sizes[label]:.2f} MB |")


if __name__ == "__main__":
    main()
