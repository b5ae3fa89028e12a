"""The build's caches of results (handbook/cache.py): what comes out is what working it out again
would give, whatever changed in between."""

from __future__ import annotations

import os
import shutil
import time

import pytest

from handbook import cache
from handbook.cache import Memo
from handbook.checks.check import run_checks
from tests.conftest import copy_project


@pytest.fixture
def fresh_memory(monkeypatch):
    """An empty in-process memory, as in a new process."""
    monkeypatch.setattr(cache, "_MEMORY", cache.OrderedDict())


def test_a_result_is_worked_out_once_then_remembered_in_memory_and_on_disk(tmp_path, fresh_memory, monkeypatch):
    calls = []

    def shout(text):
        calls.append(text)
        return {"loud": text.upper()}

    memo = Memo(tmp_path)
    assert memo.remember("shout", ["hello"], shout, "hello") == {"loud": "HELLO"}
    assert memo.remember("shout", ["hello"], shout, "hello") == {"loud": "HELLO"}
    assert calls == ["hello"]
    # A new process: nothing in memory, the disk still has it.
    monkeypatch.setattr(cache, "_MEMORY", cache.OrderedDict())
    assert Memo(tmp_path).remember("shout", ["hello"], shout, "hello") == {"loud": "HELLO"}
    assert calls == ["hello"]
    # Another input, or another kind of result, is worked out.
    assert memo.remember("shout", ["hello!"], shout, "hello!") == {"loud": "HELLO!"}
    assert memo.remember("whisper", ["hello"], shout, "hello") == {"loud": "HELLO"}
    assert calls == ["hello", "hello!", "hello"]


def test_each_caller_gets_its_own_copy(tmp_path, fresh_memory):
    memo = Memo(tmp_path)
    first = memo.remember("list", [1], lambda: [1, 2])
    first.append(3)
    assert memo.remember("list", [1], lambda: [9]) == [1, 2]


def test_a_damaged_or_deleted_cache_is_worked_out_again(tmp_path, fresh_memory, monkeypatch):
    Memo(tmp_path).remember("n", [1], lambda: 1)
    entries = [p for p in tmp_path.rglob("*.json")]
    assert len(entries) == 1
    entries[0].write_text("{not json")
    monkeypatch.setattr(cache, "_MEMORY", cache.OrderedDict())
    assert Memo(tmp_path).remember("n", [1], lambda: 2) == 2
    shutil.rmtree(tmp_path)
    monkeypatch.setattr(cache, "_MEMORY", cache.OrderedDict())
    assert Memo(tmp_path).remember("n", [1], lambda: 3) == 3


def test_several_results_at_once_work_out_only_the_missing(tmp_path, fresh_memory):
    memo = Memo(tmp_path)
    asked = []

    def lengths(names):
        asked.append(sorted(names))
        return {name: len(name) for name in names}

    assert memo.remember_many("len", {"a": "a", "bb": "bb"}, lengths) == {"a": 1, "bb": 2}
    assert memo.remember_many("len", {"a": "a", "bb": "bb", "ccc": "ccc"}, lengths) == {"a": 1, "bb": 2, "ccc": 3}
    assert asked == [["a", "bb"], ["ccc"]]


def test_started_work_is_finished_and_kept_once_however_often_its_results_are_asked_for(tmp_path, fresh_memory,
                                                                                      monkeypatch):
    memo = Memo(tmp_path)
    steps, kept = [], []
    monkeypatch.setattr(memo.store, "put", lambda kind, name, value: kept.append(name))

    def start(names):
        steps.append(("start", sorted(names)))
        return lambda: steps.append(("finish",)) or {name: len(name) for name in names}

    finished = memo.remember_many_started("len", {"a": "a", "bb": "bb"}, start)
    assert steps == [("start", ["a", "bb"])]  # begun before anything is asked for
    assert finished() == finished() == {"a": 1, "bb": 2}
    assert steps == [("start", ["a", "bb"]), ("finish",)] and len(kept) == 2


def test_the_checks_keep_each_result_once(tmp_path, fresh_memory, monkeypatch):
    project = copy_project(tmp_path / "project")
    memo = Memo(tmp_path / "memo")
    kept = []
    put = memo.store.put
    monkeypatch.setattr(memo.store, "put",
                        lambda kind, name, value: kept.append((kind, name)) or put(kind, name, value))
    run_checks(project, memo=memo)
    assert kept and len(kept) == len(set(kept))


def test_handbook_memo_0_keeps_nothing_on_disk(tmp_path, fresh_memory, monkeypatch):
    monkeypatch.setenv("HANDBOOK_CACHE", str(tmp_path))
    monkeypatch.setenv("HANDBOOK_MEMO", "0")
    Memo().remember("n", [1], lambda: 1)
    assert cache.template_cache("theme") is None
    assert not any(tmp_path.iterdir())
    monkeypatch.delenv("HANDBOOK_MEMO")
    Memo().remember("n", [2], lambda: 2)
    assert list((tmp_path / "memo").rglob("*.json"))


def test_the_checks_with_a_warm_memo_find_what_a_cold_run_finds(tmp_path, monkeypatch):
    """Run the checks over the real handbook, change pages and data in ways each memoised check
    notices, and run them again with the memo: the same findings as a run with none."""
    project = copy_project(tmp_path / "project")
    warm, cold = tmp_path / "warm", tmp_path / "cold"
    monkeypatch.setattr(cache, "_MEMORY", cache.OrderedDict())
    first = [str(f) for f in run_checks(project, memo=Memo(warm))]
    assert first == [str(f) for f in run_checks(project, memo=Memo(warm))]

    page = project / "docs" / "handbook" / "case-management.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("It sets out the timeframes", "It sets out the the timefrmaes, which recieve "
                                 + "many words " * 20 + "in one sentence. It sets out the timeframes", 1),
                    encoding="utf-8")
    contacts = project / "data" / "contacts.yaml"
    layout_changed = contacts.read_text(encoding="utf-8").replace('\n  - id: "urgent"', '\n  - id:   "urgent"', 1)
    contacts.write_text(layout_changed, encoding="utf-8")

    memo = Memo(warm)
    again = [str(f) for f in run_checks(project, memo=memo)]
    assert memo.hits and memo.misses  # most remembered, the changed files worked out again
    monkeypatch.setattr(cache, "_MEMORY", cache.OrderedDict())
    afresh = [str(f) for f in run_checks(project, memo=Memo(cold))]
    assert again == afresh
    new = set(again) - set(first)
    assert any("recieve" in finding for finding in new), new
    assert any("data/contacts.yaml" in finding and "layout" in finding for finding in new)
    assert any("words" in finding and "case-management.md" in finding for finding in new)


def test_results_unused_for_a_month_are_pruned_at_most_once_an_hour(tmp_path, fresh_memory):
    memo = Memo(tmp_path)
    memo.remember("n", [1], lambda: 1)
    memo.remember("n", [2], lambda: 2)
    first, second = sorted(tmp_path.rglob("*.json"))
    month_ago = time.time() - 31 * 86400
    os.utime(first, (month_ago, month_ago))
    assert memo.prune() == 1
    assert not first.exists() and second.exists()
    os.utime(second, (month_ago, month_ago))
    assert memo.prune() == 0  # pruned less than an hour ago
    hour_ago = time.time() - 3601
    os.utime(tmp_path / cache.MEMO_FORMAT / ".pruned", (hour_ago, hour_ago))
    assert memo.prune() == 1
    assert not second.exists()



@pytest.fixture
def as_properdocs(monkeypatch):
    """This process as ProperDocs sees it: ProperDocs builds in MkDocs' place, as the module `mkdocs`
    (properdocs.replacement), so the version of an mkdocs package installed beside it says nothing of
    the code that runs."""
    import mkdocs

    def switch():
        cache.engine_fingerprint.cache_clear()
        monkeypatch.setattr(mkdocs, "__name__", "properdocs")

    yield switch
    monkeypatch.undo()
    cache.engine_fingerprint.cache_clear()


def test_a_result_worked_out_under_one_site_tool_is_not_taken_for_the_others(tmp_path, fresh_memory, as_properdocs):
    import mkdocs

    calls = []
    memo = Memo(tmp_path)
    memo.remember("shout", ["hello"], calls.append, "hello")
    assert cache.site_tool() == {"name": "mkdocs", "version": mkdocs.__version__}
    as_properdocs()
    assert cache.site_tool() == {"name": "properdocs", "version": mkdocs.__version__}
    memo.remember("shout", ["hello"], calls.append, "hello")
    assert calls == ["hello", "hello"]
