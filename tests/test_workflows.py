"""The CI workflows, pre-commit configuration and YAML lint settings (files in the repository root)."""

from __future__ import annotations

import yaml
from yamllint import linter
from yamllint.config import YamlLintConfig

from conftest import ROOT
from handbook.validation import DATA_FILES

WORKFLOWS = ROOT / ".github" / "workflows"


def _load(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_the_pull_request_workflow_checks_builds_a_draft_tests_and_summarises_safely():
    text = (WORKFLOWS / "pull-request.yml").read_text(encoding="utf-8")
    flow = _load(WORKFLOWS / "pull-request.yml")
    assert list(flow["on"]) == ["pull_request"]  # never pull_request_target, which runs with write access
    assert flow["permissions"] == {"contents": "read"}
    assert "secrets." not in "".join(line.split("#")[0] for line in text.splitlines())
    assert {name: job["name"] for name, job in flow["jobs"].items()} == {
        "check": "Check content and data", "build": "Build the draft preview", "test": "Run the tests",
        "summary": "Summarise the change"}
    runs = {name: " ".join(step.get("run", "") for step in job["steps"]) for name, job in flow["jobs"].items()}
    assert "handbook check" in runs["check"] and "make test" in runs["test"]
    assert "handbook changes" in runs["summary"]
    assert flow["jobs"]["build"]["env"]["HANDBOOK_PREVIEW"] == "1" and "make build" in runs["build"]
    assert flow["jobs"]["build"]["env"]["HANDBOOK_REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    uploads = [s for s in flow["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
    assert uploads and uploads[0]["with"]["path"] == "site/"


def test_the_summary_is_commented_without_running_the_pull_requests_code():
    flow = _load(WORKFLOWS / "comment-summary.yml")
    assert flow["on"]["workflow_run"]["workflows"] == [_load(WORKFLOWS / "pull-request.yml")["name"]]
    steps = [step for job in flow["jobs"].values() for step in job["steps"]]
    assert not any(step.get("uses", "").startswith("actions/checkout") for step in steps)
    assert flow["permissions"]["pull-requests"] == "write"


def test_main_builds_tests_and_deploys():
    flow = _load(WORKFLOWS / "main.yml")
    assert flow["on"] == {"push": {"branches": ["main"]}}
    assert set(flow["jobs"]) == {"build", "test", "deploy"}
    assert flow["jobs"]["deploy"]["needs"] == ["build", "test"]
    assert "handbook export" in " ".join(s.get("run", "") for s in flow["jobs"]["deploy"]["steps"])


def test_pre_commit_mirrors_the_checks():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    ids = {hook["id"] for hook in hooks}
    assert {"check-jsonschema", "yamllint", "ruff", "codespell", "handbook-check"} <= ids
    schema_checks = {hook["args"][1] for hook in hooks if hook["id"] == "check-jsonschema"}
    assert schema_checks == {f"data/schema/{name}.schema.json" for name in DATA_FILES}
    assert all((ROOT / path).is_file() for path in schema_checks)


def _lint(text: str) -> list[str]:
    config = YamlLintConfig(file=str(ROOT / ".yamllint.yml"))
    return [f"{p.line}: {p.desc}" for p in linter.run(text, config)]


def test_the_data_files_pass_yaml_lint():
    for filename in DATA_FILES.values():
        assert _lint((ROOT / "data" / filename).read_text(encoding="utf-8")) == [], filename


def test_yaml_lint_catches_an_unquoted_value_and_bad_indentation():
    assert _lint('people:\n  - id: "a"\n    name: Jane Smith\n') == [
        "3: string value is not quoted with double quotes"]
    assert any("syntax error" in p for p in _lint('people:\n  - id: "a"\n    name: "Jane"\n     role: "x"\n'))
