"""The PDF/UA-1 checker the tests judge every PDF by: outloud (a test extra in pyproject.toml).

Why outloud: it checks the Matterhorn Protocol 1.1's machine-checkable conditions of ISO 14289-1
(PDF/UA-1), calibrated by its authors against veraPDF, and runs from the package registries we
have (PyPI, no Java download): veraPDF and PAC cannot be installed here. It also makes the semantic
checks a validator cannot (running footers tagged as text, links with no text, shredded table
headers, text painted out of reading order), which is where WeasyPrint's own tags fall short.
It runs as a command, in a process of its own, as an editor or a CI job would run it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

OUTLOUD = Path(sys.executable).with_name("outloud")


@dataclass(frozen=True)
class Finding:
    file: str
    rule: str
    severity: str
    page: int | None
    message: str
    evidence: str

    def __str__(self) -> str:
        return f"{self.file} p.{self.page}: {self.severity} {self.rule}: {self.message} [{self.evidence}]"


def check(*paths: Path) -> list[Finding]:
    """Every finding outloud makes on `paths` (PDFs, or folders of them)."""
    result = subprocess.run([str(OUTLOUD), *map(str, paths), "--json", "-", "--fail-on", "never"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout[result.stdout.index("{"):])
    findings = []
    for checked in report["results"]:
        assert checked["verdict"] != "unreadable", (checked["path"], checked.get("error"))
        findings += [Finding(Path(checked["path"]).name, item["rule"], item["severity"], item.get("page"),
                             item["message"], item.get("evidence") or "") for item in checked["findings"]]
    return findings


def errors(*paths: Path) -> list[Finding]:
    return [finding for finding in check(*paths) if finding.severity == "error"]
