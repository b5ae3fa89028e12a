"""The lock files (requirements/*.txt) against pyproject.toml's ranges.

pyproject.toml keeps ranges, for partnerships who install the engine as a library; the handbook's
own set-up (`make build`, `make test`, CI) installs the exact versions of requirements/, each with
its hashes, so that next month's machine installs what this one tested. pip-compile (pip-tools)
writes the lock files (`make lock`, `make upgrade`); this checks what it cannot: that a lock still
agrees with the ranges after pyproject.toml changed, and that the three locks agree with each
other. `python tools/lock.py` prints each disagreement and exits 1; the tests run it.
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
# Each lock, with the extras of pyproject.toml it holds besides the project's own dependencies, each
# holding the one before (`make lock` compiles them from the last, each with the next as its
# constraints: pip-compile's -c): what `make build`, `make test` and `make bench` install.
LOCKS = {"requirements/build.txt": (), "requirements/test.txt": ("test",),
         "requirements/bench.txt": ("test", "bench")}
# The same as the test lock but for WeasyPrint, at the oldest version pyproject.toml allows: `make test`
# runs the PDF tests on it too (make test-oldest-weasyprint), so the range's floor is one the tests pass on.
OLDEST = "requirements/oldest-weasyprint.txt"
OLDEST_OF = "weasyprint"
FIX = "Run `make lock` to write the lock files again from pyproject.toml, and commit them."

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


@dataclass(frozen=True)
class Pin:
    name: str  # canonical: lower case, runs of -_. as one -
    version: str
    line: int
    hashes: int


def read_lock(text: str, file: str) -> tuple[dict[str, Pin], list[str]]:
    """The pins of a pip-compile lock file, and each line that is not one (a problem)."""
    pins: dict[str, Pin] = {}
    problems = []
    # A requirement continues over the lines that end in a backslash: its hashes.
    logical: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.split(" #", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if logical and logical[-1][1].endswith("\\"):
            logical[-1] = (logical[-1][0], logical[-1][1][:-1] + " " + stripped)
        elif stripped:
            logical.append((number, stripped))
    for number, requirement in logical:
        match = _PIN.match(requirement)
        if match is None:
            problems.append(f"{file}:{number}: \"{requirement.split()[0]}\" is not an exact version "
                            "(name==version) with its hashes: a lock names nothing else, not an index or a "
                            f"folder of this machine. {FIX}")
            continue
        name = canonicalize_name(match.group(1))
        hashes = requirement.count("--hash=sha256:")
        if not hashes:
            problems.append(f"{file}:{number}: {match.group(1)}=={match.group(2)} has no --hash, so pip "
                            f"would install whatever file the index serves under that name. {FIX}")
        pins[name] = Pin(name, match.group(2), number, hashes)
    return pins, problems


def _requirements(pyproject: dict, extras: tuple[str, ...]) -> list[tuple[str, Requirement]]:
    listed = [("dependencies", text) for text in pyproject["project"]["dependencies"]]
    for extra in extras:
        listed += [(f"optional-dependencies.{extra}", text)
                   for text in pyproject["project"]["optional-dependencies"][extra]]
    return [(where, Requirement(text)) for where, text in listed]


def lock_problems(pyproject_text: str, locks: dict[str, str]) -> list[str]:
    """Every way the lock files (path to text) disagree with pyproject.toml or with each other."""
    pyproject = tomllib.loads(pyproject_text)
    problems = []
    read: dict[str, dict[str, Pin]] = {}
    for file, extras in LOCKS.items():
        if file not in locks:
            problems.append(f"{file}: missing. {FIX}")
            continue
        pins, found = read_lock(locks[file], file)
        read[file] = pins
        problems += found
        for where, requirement in _requirements(pyproject, extras):
            if requirement.marker is not None and not requirement.marker.evaluate():
                continue
            pin = pins.get(canonicalize_name(requirement.name))
            if pin is None:
                problems.append(f"{file}: pyproject.toml's {where} names {requirement}, which the lock does not "
                                f"hold. {FIX}")
            elif not requirement.specifier.contains(pin.version, prereleases=True):
                problems.append(f"{file}:{pin.line}: {requirement.name}=={pin.version} is outside pyproject.toml's "
                                f"range for it ({where}: {requirement}). {FIX}")
    # Each lock holds the one before: a package both hold must be the same version, or `make test`
    # would test other versions than `make build` installs.
    files = [file for file in LOCKS if file in read]
    for smaller, larger in zip(files, files[1:], strict=False):
        for name, pin in read[smaller].items():
            other = read[larger].get(name)
            if other is None:
                problems.append(f"{larger}: {name} is in {smaller} but not here. {FIX}")
            elif other.version != pin.version:
                problems.append(f"{larger}:{other.line}: {name}=={other.version}, but {smaller}:{pin.line} has "
                                f"{pin.version}. {FIX}")
    problems += _oldest_problems(pyproject, locks, read.get("requirements/test.txt", {}))
    return problems


def oldest_allowed(pyproject: dict, name: str = OLDEST_OF) -> str:
    """The lowest version of `name` that pyproject.toml's range allows (its >= bound)."""
    for _, requirement in _requirements(pyproject, ()):
        if canonicalize_name(requirement.name) == name:
            floors = [spec.version for spec in requirement.specifier if spec.operator in (">=", "==")]
            if len(floors) == 1:
                return floors[0]
            raise ValueError(f"pyproject.toml's range for {name} ({requirement}) has no single >= bound")
    raise ValueError(f"pyproject.toml does not name {name}")


def _oldest_problems(pyproject: dict, locks: dict[str, str], test: dict[str, Pin]) -> list[str]:
    if OLDEST not in locks:
        return [f"{OLDEST}: missing. {FIX}"]
    pins, problems = read_lock(locks[OLDEST], OLDEST)
    floor = oldest_allowed(pyproject)
    pin = pins.get(OLDEST_OF)
    if pin is None or pin.version != floor:
        where = f"{OLDEST}:{pin.line}" if pin else OLDEST
        problems.append(f"{where}: holds {OLDEST_OF} {pin.version if pin else '(none)'}, but the oldest "
                        f"pyproject.toml allows is {floor}. {FIX}")
    for name, other in test.items():
        mine = pins.get(name)
        if name != OLDEST_OF and mine is not None and mine.version != other.version:
            problems.append(f"{OLDEST}:{mine.line}: {name}=={mine.version}, but requirements/test.txt:{other.line} "
                            f"has {other.version}: only {OLDEST_OF} may differ. {FIX}")
    return problems


def without(text: str, name: str) -> str:
    """A lock's text without `name`'s entry (its line and hash lines): constraints for the oldest lock."""
    out, skipping = [], False
    for line in text.splitlines():
        if skipping:
            skipping = line.rstrip().endswith("\\")
            continue
        match = _PIN.match(line)
        if match is not None and canonicalize_name(match.group(1)) == name:
            skipping = line.rstrip().endswith("\\")
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def main() -> int:
    if sys.argv[1:2] == ["--oldest-constraints"]:
        # What `make lock` compiles the oldest lock with: the test lock but for WeasyPrint, and
        # WeasyPrint at the oldest version pyproject.toml allows.
        pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        text = without((ROOT / "requirements/test.txt").read_text(encoding="utf-8"), OLDEST_OF)
        sys.stdout.write(text + f"{OLDEST_OF}=={oldest_allowed(pyproject)}\n")
        return 0
    files = [*LOCKS, OLDEST]
    locks = {file: (ROOT / file).read_text(encoding="utf-8") for file in files if (ROOT / file).is_file()}
    problems = lock_problems((ROOT / "pyproject.toml").read_text(encoding="utf-8"), locks)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
