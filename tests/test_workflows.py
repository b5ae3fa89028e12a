"""The CI workflows, pre-commit configuration and YAML lint settings (files in the repository root)."""

from __future__ import annotations

import yaml
from yamllint import linter
from yamllint.config import YamlLintConfig

from conftest import ROOT
from handbook.data.validation import DATA_FILES

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


def _steps(flow) -> list[dict]:
    return [step for job in flow["jobs"].values() for step in job["steps"]]


def test_the_preview_is_published_and_linked_without_running_the_pull_requests_code():
    flow = _load(WORKFLOWS / "preview.yml")
    assert flow["on"] == {"workflow_run": {"workflows": [_load(WORKFLOWS / "pull-request.yml")["name"]],
                                           "types": ["completed"]}}
    assert flow["permissions"] == {"contents": "read"}
    # No step checks out the pull request: only this repository's default branch (no ref given).
    checkouts = [s for s in _steps(flow) if s.get("uses", "").startswith("actions/checkout")]
    assert checkouts and all("ref" not in s.get("with", {}) and "repository" not in s.get("with", {})
                             for s in checkouts)
    preview = flow["jobs"]["preview"]
    # Write access for this job alone, and only for a pull request from this repository that passed.
    assert preview["permissions"] == {"contents": "write", "pages": "write", "id-token": "write", "actions": "read"}
    condition = " ".join(preview["if"].split())
    assert "workflow_run.head_repository.full_name == github.repository" in condition
    assert "workflow_run.conclusion == 'success'" in condition
    script = " ".join(s.get("run", "") for s in preview["steps"])
    assert 'pages/pr-preview/pr-$number' in script and "git push origin gh-pages" in script
    downloads = {s["with"]["name"] for s in preview["steps"] if s.get("uses", "").startswith("actions/download")}
    assert downloads == {"change-summary", "draft-preview-site-and-pdf"}
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in preview["steps"])
    # The comment carries the preview's address, and is posted with or without a preview.
    comment = flow["jobs"]["comment"]
    assert comment["needs"] == "preview" and comment["if"].startswith("always()")
    assert comment["permissions"] == {"pull-requests": "write", "actions": "read"}
    step = next(s for s in comment["steps"] if s.get("name") == "Comment")
    assert step["env"]["ADDRESS"] == "${{ needs.preview.outputs.address }}"
    assert '"**Preview (DRAFT, not for practice use):** $ADDRESS"' in step["run"]
    assert preview["outputs"]["address"] == "${{ steps.address.outputs.address }}"
    address = next(s for s in preview["steps"] if s.get("id") == "address")["run"]
    assert "steps.deploy.outputs.page_url" in address and "pr-preview/pr-${NUMBER}/" in address


def test_a_closed_pull_requests_preview_is_removed_without_running_its_code():
    flow = _load(WORKFLOWS / "preview-cleanup.yml")
    assert flow["on"] == {"pull_request_target": {"types": ["closed"]}}
    assert flow["permissions"] == {"contents": "read"}
    job = flow["jobs"]["remove"]
    assert "github.event.pull_request.head.repo.full_name == github.repository" in job["if"]
    checkouts = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout")]
    assert [s["with"]["ref"] for s in checkouts] == ["${{ github.event.repository.default_branch }}"]
    assert 'git rm -r -q "pr-preview/pr-$NUMBER"' in " ".join(s.get("run", "") for s in job["steps"])
    assert job["env"]["NUMBER"] == "${{ github.event.pull_request.number }}"


def test_every_writer_of_the_pages_site_takes_its_turn():
    groups = [_load(WORKFLOWS / "preview.yml")["concurrency"], _load(WORKFLOWS / "preview-cleanup.yml")["concurrency"],
              _load(WORKFLOWS / "main.yml")["jobs"]["deploy"]["concurrency"]]
    assert groups == [{"group": "pages", "cancel-in-progress": False}] * 3


def test_main_builds_tests_and_deploys():
    flow = _load(WORKFLOWS / "main.yml")
    assert flow["on"] == {"push": {"branches": ["main"]}}
    assert set(flow["jobs"]) == {"build", "test", "deploy"}
    assert flow["jobs"]["deploy"]["needs"] == ["build", "test"]
    assert "handbook export" in " ".join(s.get("run", "") for s in flow["jobs"]["deploy"]["steps"])


def test_the_export_gives_the_editors_form_its_repository_and_sign_in_service():
    steps = _load(WORKFLOWS / "main.yml")["jobs"]["deploy"]["steps"]
    export = next(step for step in steps if step.get("name") == "Export the editions")
    assert "handbook export public" in export["run"]
    assert export["env"] == {"HANDBOOK_REPO_URL": "${{ github.server_url }}/${{ github.repository }}",
                             "HANDBOOK_CMS_AUTH_URL": "${{ vars.HANDBOOK_CMS_AUTH_URL }}"}


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
