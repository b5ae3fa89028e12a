"""Pure work shared out among processes, one per core: the per-page work of a cold build (every
page's own checks, every built page's links, every page's print HTML), which is most of a site
build's time on a big handbook and needs nothing but its inputs.

The processes are forked from the caller, which has everything they run loaded already, and only
when there is enough work to repay starting them: a rebuild after an edit has one or two files to
check, which are done in the caller when their results are asked for.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

ENOUGH = 8  # jobs, at the least, for processes to be worth starting (about 10 ms each)


def start_in_processes(function: Callable[..., Any], jobs: list[tuple]) -> Callable[[], list]:
    """Begin function(*job) for each of `jobs`, in processes that work beside the caller; the function
    returned waits for them and gives the results, in the order of `jobs`. `function` must be a
    module's own function, and its arguments and results picklable."""
    workers = min(os.cpu_count() or 1, len(jobs))
    if workers < 2 or len(jobs) < ENOUGH:
        return lambda: [function(*job) for job in jobs]
    executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    results = executor.map(function, *zip(*jobs, strict=True), chunksize=max(1, len(jobs) // (workers * 4)))

    def finish() -> list:
        try:
            return list(results)
        finally:
            executor.shutdown(cancel_futures=True)

    return finish
