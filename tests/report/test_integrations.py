"""The pre-commit hook, the GitHub Action and the CI examples: shape and behaviour."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .support import FIXTURES, ROOT


def load(rel: str) -> Any:
    return yaml.safe_load((ROOT / rel).read_text(encoding="utf-8"))


def test_pre_commit_hook_checks_the_playbook_once() -> None:
    (hook,) = load(".pre-commit-hooks.yaml")
    assert hook["id"] == "gtmplay-check"
    assert hook["entry"] == "gtmplay check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert hook["files"] == r"\.ya?ml$"
    assert hook["args"] == ["playbook"]


def _run_hook(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    (hook,) = load(".pre-commit-hooks.yaml")
    exe = shutil.which("gtmplay", path=str(Path(sys.executable).parent))
    entry = shlex.split(hook["entry"])
    command = [exe, *entry[1:]] if exe else [sys.executable, "-m", "gtmplay", *entry[1:]]
    return subprocess.run(
        [*command, *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=60
    )


def test_the_hook_entry_passes_on_the_example_and_fails_on_findings(tmp_path: Path) -> None:
    example = ROOT / "playbooks" / "acme"
    if not (example / "playbook.yaml").is_file():
        pytest.skip("playbooks/acme is not there yet")
    ok = _run_hook([str(example)], ROOT)
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "", "")
    # the hook's own default: a folder named playbook in the repository root
    shutil.copytree(FIXTURES / "acme-mini", tmp_path / "playbook")
    bad = _run_hook(load(".pre-commit-hooks.yaml")[0]["args"], tmp_path)
    assert bad.returncode == 1
    assert "playbook/playbook.yaml:29:12: error[GTM020] unknown team 'marketng'" in bad.stdout


def test_action_is_composite_and_passes_inputs_through_the_environment() -> None:
    action = load("action.yml")
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {
        "path",
        "fail-on",
        "base",
        "sarif-file",
        "upload-sarif",
        "python-version",
    }
    steps = action["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    install, check, upload = steps[1], steps[2], steps[3]
    assert '"$GITHUB_ACTION_PATH"' in install["run"]
    assert "pip install" in install["run"]
    assert "args=(check --format github)" in check["run"]
    assert '--output "sarif=$GTMPLAY_SARIF"' in check["run"]
    assert '--base "$GTMPLAY_BASE"' in check["run"]
    # no ${{ }} inside a script: inputs reach the shell only as variables
    assert "${{" not in check["run"]
    assert all(step.get("shell") == "bash" for step in steps if "run" in step)
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    assert upload["if"].startswith("${{ always() && inputs.sarif-file != ''")


def test_the_action_script_builds_the_right_command(tmp_path: Path) -> None:
    check = load("action.yml")["runs"]["steps"][2]
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "gtmplay").write_text('#!/bin/sh\nprintf "%s\\n" "$@"\nexit 1\n', encoding="utf-8")
    (fake / "gtmplay").chmod(0o755)
    output = tmp_path / "out"
    env = {
        "PATH": f"{fake}:/usr/bin:/bin",
        "GTMPLAY_PATH": "playbooks/acme",
        "GTMPLAY_FAIL_ON": "warning",
        "GTMPLAY_BASE": "origin/main",
        "GTMPLAY_SARIF": "gtmplay.sarif",
        "GITHUB_OUTPUT": str(output),
    }
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash")
    proc = subprocess.run(
        [bash, "-e", "-c", check["run"]], env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "check",
        "--format",
        "github",
        "--fail-on",
        "warning",
        "--base",
        "origin/main",
        "--output",
        "sarif=gtmplay.sarif",
        "--",
        "playbooks/acme",
    ]
    assert output.read_text(encoding="utf-8") == "exit-code=1\n"


def test_github_workflow_example_uses_full_history_and_the_action() -> None:
    workflow = load("examples/github-workflow.yml")
    steps = workflow["jobs"]["gtmplay"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    assert steps[0]["with"]["fetch-depth"] == 0
    assert steps[1]["with"]["sarif-file"] == "gtmplay.sarif"
    assert "origin/" in steps[1]["with"]["base"]
    assert workflow["permissions"]["security-events"] == "write"


def test_gitlab_example_publishes_code_quality_and_junit() -> None:
    job = load("examples/gitlab-ci.yml")["gtmplay"]
    script = "\n".join(job["script"])
    assert "--output gitlab=gl-code-quality-report.json" in script
    assert "--output junit=gtmplay-junit.xml" in script
    assert '--base origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"' in script
    assert job["artifacts"]["when"] == "always"
    assert job["artifacts"]["reports"] == {
        "codequality": "gl-code-quality-report.json",
        "junit": "gtmplay-junit.xml",
    }
    assert job["variables"]["GIT_DEPTH"] == "0"
