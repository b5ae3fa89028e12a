"""The lock files (requirements/) hold what pyproject.toml's ranges allow, each other's versions,
and what the tests run on (tools/lock.py)."""

from __future__ import annotations

import importlib.util
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _lock_module():
    spec = importlib.util.spec_from_file_location("lock_under_test", ROOT / "tools" / "lock.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up by name
    spec.loader.exec_module(module)
    return module


LOCK = _lock_module()
PYPROJECT = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
LOCKS = {file: (ROOT / file).read_text(encoding="utf-8") for file in [*LOCK.LOCKS, LOCK.OLDEST]}


def test_the_locks_agree_with_pyproject_and_with_each_other():
    assert LOCK.lock_problems(PYPROJECT, LOCKS) == []


def test_every_package_of_the_real_locks_is_exact_and_hashed():
    for file, text in LOCKS.items():
        pins, problems = LOCK.read_lock(text, file)
        assert problems == [] and len(pins) > 20, file
        assert all(pin.hashes for pin in pins.values()), file
    # The set-up's own installers are locked too, so nothing is downloaded unlocked.
    build, _ = LOCK.read_lock(LOCKS["requirements/build.txt"], "build")
    assert {"pip", "setuptools", "weasyprint", "mkdocs"} <= set(build)


def test_a_range_changed_without_locking_again_fails():
    weasyprint = next(line for line in PYPROJECT.splitlines() if line.strip().startswith('"weasyprint'))
    moved = PYPROJECT.replace(weasyprint, '    "weasyprint>=99",')
    added = PYPROJECT.replace('dependencies = [\n', 'dependencies = [\n    "humanize>=4",\n', 1)
    assert moved != PYPROJECT and added != PYPROJECT
    outside = LOCK.lock_problems(moved, LOCKS)
    # In each of the three locks, at the line of its pin; and the oldest lock no longer holds the oldest.
    assert len(outside) == 4 and all("is outside pyproject.toml's range for it" in p for p in outside[:3])
    assert outside[0].startswith("requirements/build.txt:") and "weasyprint>=99" in outside[0]
    assert outside[3].startswith(f"{LOCK.OLDEST}:") and "holds weasyprint 68.1, but the oldest pyproject.toml " \
        "allows is 99" in outside[3]
    missing = LOCK.lock_problems(added, LOCKS)
    assert len(missing) == 3 and all("names humanize>=4, which the lock does not hold" in p for p in missing)
    assert all(p.endswith(LOCK.FIX) for p in outside + missing)


def test_a_lock_that_is_not_exact_or_names_this_machine_fails():
    text = ("--find-links /opt/wheels\n\njinja2>=3.1\nmkdocs==1.6.1\n    # via practice-handbook\n"
            "pyyaml==6.0.2 \\\n    --hash=sha256:" + "a" * 64 + "\n")
    pins, problems = LOCK.read_lock(text, "requirements/build.txt")
    assert set(pins) == {"mkdocs", "pyyaml"} and pins["pyyaml"].hashes == 1 and pins["pyyaml"].line == 6
    assert [p.split(":")[1] for p in problems] == ["1", "3", "4"]
    assert '"--find-links" is not an exact version' in problems[0]
    assert '"jinja2>=3.1" is not an exact version' in problems[1]
    assert "mkdocs==1.6.1 has no --hash" in problems[2]


def test_locks_that_disagree_with_each_other_fail():
    build = LOCKS["requirements/build.txt"]
    pins, _ = LOCK.read_lock(build, "build")
    jinja = pins["jinja2"]
    older = build.replace(f"jinja2=={jinja.version}", "jinja2==3.1.0")
    problems = LOCK.lock_problems(PYPROJECT, {**LOCKS, "requirements/build.txt": older})
    in_test = LOCK.read_lock(LOCKS["requirements/test.txt"], "test")[0]["jinja2"]
    assert problems == [f"requirements/test.txt:{in_test.line}: jinja2=={jinja.version}, "
                        f"but requirements/build.txt:{jinja.line} has 3.1.0. {LOCK.FIX}"]
    gone = LOCK.lock_problems(PYPROJECT, {k: v for k, v in LOCKS.items() if k != "requirements/test.txt"})
    assert gone == [f"requirements/test.txt: missing. {LOCK.FIX}"]


def test_the_oldest_weasyprint_lock_is_the_test_lock_but_for_weasyprint():
    oldest = LOCKS[LOCK.OLDEST]
    pins, _ = LOCK.read_lock(oldest, LOCK.OLDEST)
    assert pins["weasyprint"].version == LOCK.oldest_allowed(LOCK.tomllib.loads(PYPROJECT)) == "68.1"
    jinja = pins["jinja2"]
    other = oldest.replace(f"jinja2=={jinja.version}", "jinja2==3.1.0")
    assert LOCK.lock_problems(PYPROJECT, {**LOCKS, LOCK.OLDEST: other}) == [
        f"{LOCK.OLDEST}:{jinja.line}: jinja2==3.1.0, but requirements/test.txt:"
        f"{LOCK.read_lock(LOCKS['requirements/test.txt'], 'test')[0]['jinja2'].line} has {jinja.version}: only "
        f"weasyprint may differ. {LOCK.FIX}"]
    # The constraints `make lock` compiles it with: the test lock without its WeasyPrint and its hashes.
    kept = LOCK.without(LOCKS["requirements/test.txt"], "weasyprint")
    assert "weasyprint==" not in kept and LOCK.read_lock(kept, "kept")[1] == []
    assert set(LOCK.read_lock(kept, "kept")[0]) == set(LOCK.read_lock(LOCKS["requirements/test.txt"], "t")[0]) - {
        "weasyprint"}


def test_the_tests_run_on_the_locked_versions():
    """`make test` installed requirements/test.txt: what this process imports is what it names."""
    pins, _ = LOCK.read_lock(LOCKS["requirements/test.txt"], "test")
    differ = {name: (pin.version, metadata.version(name)) for name, pin in pins.items()
              if metadata.version(name) != pin.version}
    assert differ == {}, "(locked, installed): make test installs the locks"
