"""action.yml, the Dockerfile, the lock file and the example workflows agree with the code."""

from __future__ import annotations

import re
import runpy
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import dockerfile
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
OUTPUTS = {"errors", "warnings", "notices", "verdict", "sarif-file", "json-file"}


def action() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def test_every_input_reaches_the_cli_and_every_output_is_written() -> None:
    flags = runpy.run_path(str(ROOT / "entrypoint.py"), run_name="entrypoint")["FLAGS"]
    assert set(action()["inputs"]) == set(flags) | {"paths", "github-token"}
    assert set(action()["outputs"]) == OUTPUTS
    assert action()["inputs"]["github-token"]["default"] == "${{ github.token }}"
    assert action()["inputs"]["max-comments"]["default"] == "25"
    assert action()["runs"] == {"using": "docker", "image": "Dockerfile"}


def test_dockerfile_is_a_well_behaved_container_action() -> None:
    commands = dockerfile.parse_file(str(ROOT / "Dockerfile"))
    by_cmd: dict[str, list[Any]] = {}
    for command in commands:
        by_cmd.setdefault(command.cmd.upper(), []).append(command)
    assert commands[0].cmd.upper() == "FROM" and commands[0].value[0].startswith("python:3.11")
    assert "USER" not in by_cmd and "WORKDIR" not in by_cmd  # root, and the runner's workdir
    entry = by_cmd["ENTRYPOINT"][-1]
    assert entry.json and entry.value == ("python", "/app/entrypoint.py")
    runs = " ".join(c.value[0] for c in by_cmd["RUN"])
    assert "--require-hashes --no-deps -r /app/requirements.lock" in runs
    assert "safe.directory '*'" in runs and "git" in runs


def test_lock_file_pins_every_dependency_by_hash() -> None:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pinned = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\$", text, re.MULTILINE))
    blocks = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", text)
    assert all("--hash=sha256:" in block for block in blocks if re.match(r"[A-Za-z0-9_.-]+==", block))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = {re.split(r"[<>=!~\[ ;]", dep)[0].lower().replace("_", "-") for dep in
              project["project"]["dependencies"]}
    assert wanted <= {name.lower() for name in pinned}
    assert {"setuptools", "wheel"} <= set(pinned)  # the build backend, for --no-build-isolation


@pytest.mark.parametrize(("tool", "args"), [
    ("check-jsonschema", ["--builtin-schema", "vendor.github-actions", "action.yml"]),
    ("hadolint", ["Dockerfile"]),
    ("actionlint", ["examples/workflows/krakend-plugin-lint.yml", "examples/workflows/krakend-plugin-lint-pr.yml",
                    "examples/workflows/krakend-plugin-lint-comment.yml"]),
])
def test_linters_accept_the_action_files(tool: str, args: list[str]) -> None:
    beside = Path(sys.executable).parent / tool  # installed in the same virtualenv as pytest
    found = str(beside) if beside.exists() else shutil.which(tool)
    if found is None:
        pytest.skip(f"{tool} is not installed")
    done = subprocess.run([found, *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("name", ["krakend-plugin-lint.yml", "krakend-plugin-lint-pr.yml",
                                  "krakend-plugin-lint-comment.yml"])
def test_example_workflows_run_once_per_pull_request_at_a_time(name: str) -> None:
    workflow = yaml.safe_load((ROOT / "examples" / "workflows" / name).read_text(encoding="utf-8"))
    group = workflow["concurrency"]["group"]
    assert "pull_request.number" in group or "workflow_run.head_branch" in group
    writes = any("write" in str(job.get("permissions", {}).get("pull-requests", ""))
                 for job in workflow["jobs"].values())
    assert workflow["concurrency"]["cancel-in-progress"] is not writes  # a run that posts is never cut off


def test_github_timeout_input_reaches_the_cli() -> None:
    entry = runpy.run_path(str(ROOT / "entrypoint.py"), run_name="entrypoint")
    argv = entry["argv_from_env"]({"INPUT_GITHUB-TIMEOUT": "5", "INPUT_PATHS": "."})
    assert "--github-timeout=5" in argv and action()["inputs"]["github-timeout"]["default"] == "60"
