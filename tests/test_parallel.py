"""Pure work shared out among processes (handbook/parallel.py)."""

from __future__ import annotations

import os

import pytest

from handbook.parallel import ENOUGH, start_in_processes


def _square_and_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def _fail(number: int) -> int:
    if number == 5:
        raise ValueError(f"job {number} failed")
    return number


def test_results_come_back_in_the_order_of_the_jobs_from_other_processes():
    jobs = [(number,) for number in range(40)]
    results = start_in_processes(_square_and_pid, jobs)()
    assert [square for square, _ in results] == [number * number for number in range(40)]
    if (os.cpu_count() or 1) > 1:
        assert os.getpid() not in {pid for _, pid in results}


def test_a_little_work_is_done_in_the_callers_process_when_asked_for():
    finish = start_in_processes(_square_and_pid, [(number,) for number in range(ENOUGH - 1)])
    assert {pid for _, pid in finish()} == {os.getpid()}


def test_an_error_in_a_job_reaches_the_caller():
    finish = start_in_processes(_fail, [(number,) for number in range(20)])
    with pytest.raises(ValueError, match="job 5 failed"):
        finish()
