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
    final = _stages(commands)[-1]
    by_cmd: dict[str, list[Any]] = {}
    for command in final:
        by_cmd.setdefault(command.cmd.upper(), []).append(command)
    assert final[0].value[0].startswith("python:3.11")
    assert "USER" not in by_cmd and "WORKDIR" not in by_cmd  # root, and the runner's workdir
    entry = by_cmd["ENTRYPOINT"][-1]
    assert entry.json and entry.value == (f"{VENV}/bin/python", "/app/entrypoint.py")
    runs = " ".join(c.value[0] for c in by_cmd["RUN"])
    assert "safe.directory '*'" in runs and "git" in runs
    build_runs = " ".join(c.value[0] for c in commands if c.cmd.upper() == "RUN")
    assert "--require-hashes --no-deps -r /src/requirements.lock" in build_runs


VENV = "/opt/krakend-plugin-lint"
RUNTIME_VIA = "krakend-plugin-lint (pyproject.toml)"


def _stages(commands: tuple[Any, ...]) -> list[list[Any]]:
    stages: list[list[Any]] = []
    for command in commands:
        if command.cmd.upper() == "FROM":
            stages.append([])
        stages[-1].append(command)
    return stages


def _pip_commands(run: str) -> list[list[str]]:
    """The argument words of every `pip ...` command of a RUN line, read by our own shell parser."""
    from linter.inputs.shell import SourceMap
    from linter.inputs.shell.analysis import parse_shell

    script = parse_shell(run, SourceMap.of_text("Dockerfile", run))
    return [[w.text for w in c.args] for c in script.commands if c.name == "pip"]


def test_final_image_holds_only_the_virtualenv_pip_resolved_from_the_lock() -> None:
    # No Docker engine runs the tests: this reads the Dockerfile. The last stage installs nothing
    # itself; it copies one virtualenv, into which pip installed the built wheel with --no-index
    # from the locked wheels only (so pip resolved exactly the wheel's requirements), and the
    # locked wheels were fetched by hash.
    stages = _stages(dockerfile.parse_file(str(ROOT / "Dockerfile")))
    assert len(stages) == 2 and stages[0][0].value[2] == "build"
    assert stages[0][0].value[0] == stages[1][0].value[0]  # the venv's interpreter is the same one
    final = stages[1]
    copies = [c for c in final if c.cmd.upper() == "COPY"]
    assert [(c.flags, c.value) for c in copies] == [
        (("--from=build",), (VENV, VENV)), ((), ("entrypoint.py", "/app/entrypoint.py"))]
    assert not [words for c in final if c.cmd.upper() == "RUN" for words in _pip_commands(c.value[0])]
    build = [words for c in stages[0] if c.cmd.upper() == "RUN" for words in _pip_commands(c.value[0])]
    fetched = next(w for w in build if w[0] == "wheel" and "-r" in w)
    assert {"--require-hashes", "--no-deps"} <= set(fetched) and fetched[fetched.index("--wheel-dir") + 1] == "/wheels"
    installed = next(w for w in build if "install" in w and "--python" in w)
    assert installed[installed.index("--python") + 1] == f"{VENV}/bin/python"
    assert installed[installed.index("install") + 1:] == ["--no-index", "--find-links", "/wheels", "/dist/*.whl"]


def _lock() -> dict[str, set[str]]:
    """Each locked distribution and what it is there for (pip-compile's ``# via`` lines)."""
    found: dict[str, set[str]] = {}
    current = ""
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        pinned = re.match(r"([A-Za-z0-9_.-]+)==", line)
        if pinned:
            current = _normal(pinned.group(1))
            found[current] = set()
        elif current and (via := re.match(r"\s+#\s+(?:via\s+)?(\S.*)$", line)) and via.group(1) != "via":
            found[current].add(via.group(1).strip())
    return found


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_closure(requirements: list[str]) -> set[str]:
    """What `pip install` of a wheel with these requirements installs: names, transitively, read
    from the installed distributions' metadata (markers and extras evaluated here)."""
    from importlib import metadata

    from packaging.requirements import Requirement

    found: set[str] = set()
    pending = [(Requirement(text), {""}) for text in requirements]
    while pending:
        requirement, extras = pending.pop()
        if requirement.marker is not None and not any(requirement.marker.evaluate({"extra": e}) for e in extras):
            continue
        name = _normal(requirement.name)
        if name in found:
            continue
        found.add(name)
        wanted = {"", *requirement.extras}
        pending.extend((Requirement(text), wanted) for text in metadata.requires(requirement.name) or [])
    return found


def test_the_locked_runtime_set_is_what_pip_install_gives() -> None:
    lock = _lock()
    runtime = {name for name, via in lock.items() if RUNTIME_VIA in via}
    while True:
        grown = runtime | {name for name, via in lock.items() if via & runtime}
        if grown == runtime:
            break
        runtime = grown
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert runtime == _requirement_closure(project["project"]["dependencies"])
    assert {"setuptools", "wheel"} <= set(lock) - runtime  # the build backend stays in the build stage


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
                    "examples/workflows/krakend-plugin-lint-comment.yml", ".github/workflows/release.yml"]),
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
