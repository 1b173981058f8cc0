"""entrypoint.py as the runner runs it: INPUT_* variables, a real pull_request payload, the fake
GitHub on 127.0.0.1 (PR routes and the KrakenD reference), and the real engine on a plugin repo.

Every request the fake GitHub gets is validated against GitHub's OpenAPI description; each
scenario records its API request count (``record_property("github_requests", ...)``).
"""

from __future__ import annotations

import json
import os
import re
import runpy
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from linter.github import client as client_module
from tests.fakegithub.contents import serve_contents
from tests.fakegithub.pulls import PullState, file_entry, patch_for, refuse_once, serve_pull
from tests.fakegithub.server import FakeGitHub, Fault
from tests.github.support import (
    TOKEN,
    FakeClock,
    fork_payload,
    parse_outputs,
    pull_request_payload,
    runner_env,
    webhook_examples,
)

ENTRYPOINT = Path(__file__).resolve().parents[1] / "entrypoint.py"
WRITES = ("POST", "PATCH", "PUT", "DELETE")

FILES = {
    "go.mod": """\
        module github.com/acme/auth

        go 1.23.1

        require github.com/gin-gonic/gin v1.9.0
        """,
    "Dockerfile": """\
        FROM golang:1.22.4-alpine3.19 AS builder
        WORKDIR /src
        COPY . .
        RUN go build -buildmode=plugin -o /out/auth.so .
        FROM devopsfaith/krakend:2.7.0
        COPY --from=builder /out/auth.so /etc/krakend/plugins/
        """,
    "main.go": """\
        package main

        import (
        \t"context"
        \t"net/http"
        )

        var HandlerRegisterer = registerer("auth")

        type registerer string

        func (r registerer) RegisterHandlers(f func(name string, handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error))) {
        \tf(string(r), r.registerHandlers)
        }

        func (r registerer) registerHandlers(_ context.Context, _ map[string]interface{}, h http.Handler) (http.Handler, error) {
        \treturn h, nil
        }

        func main() {}
        """,
    "krakend.json": """\
        {
          "version": 3,
          "plugin": {"pattern": ".so", "folder": "/opt/krakend/plugins/"},
          "extra_config": {
            "plugin/http-server": {"name": ["auth", "missing-one"]}
          }
        }
        """,
}


# --- the mapping itself ----------------------------------------------------------------------------


def entry() -> dict[str, Any]:
    return runpy.run_path(str(ENTRYPOINT), run_name="entrypoint")


def test_inputs_map_to_cli_options_with_hyphens_kept() -> None:
    argv = entry()["argv_from_env"]({
        "INPUT_PATHS": "plugins/auth\nplugins/rate limiter\n",
        "INPUT_FAIL-ON": "warning",
        "INPUT_KRAKEND-VERSION": "2.7.0",
        "INPUT_MAX-COMMENTS": "10",
        "INPUT_FILTER-MODE": "diff_context",
        "INPUT_REPORTERS": "gh-annotations, gh-pr-review",
        "INPUT_CONFIG": "",
        "INPUT_GITHUB-TOKEN": TOKEN,
    })
    assert argv == ["check", "--krakend-version=2.7.0", "--fail-on=warning", "--reporters=gh-annotations, gh-pr-review",
                    "--filter-mode=diff_context", "--max-comments=10", "--", "plugins/auth", "plugins/rate limiter"]
    assert not any(TOKEN in arg for arg in argv)


def test_paths_are_one_per_line_taken_literally_and_default_is_none() -> None:
    ep = entry()
    assert ep["paths_from"]("o'brien") == ["o'brien"]  # shlex.split raised "No closing quotation"
    assert ep["paths_from"]("my plugin") == ["my plugin"]
    assert ep["paths_from"]('a "b c" d') == ['a "b c" d']
    assert ep["paths_from"](" plugins/auth \r\n\n  my plugin\n") == ["plugins/auth", "my plugin"]
    assert ep["argv_from_env"]({}) == ["check", "--"]


def test_a_nul_byte_in_paths_is_an_input_error() -> None:
    ep = entry()  # an environment variable cannot hold NUL; a mapping given to argv_from_env can
    with pytest.raises(ep["InputError"], match=r"paths, line 2: .* control character U\+0000"):
        ep["argv_from_env"]({"INPUT_PATHS": "ok\nplugins\0evil"})


@pytest.mark.parametrize(("value", "line"), [("ok\nbad\x1bname", 2), ("a\rb", 1), ("\x7f", 1)])
def test_a_control_character_in_paths_is_exit_two_with_the_reason(
        value: str, line: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("INPUT_PATHS", value)
    assert entry()["main"]() == 2
    err = capsys.readouterr().err
    assert f"paths, line {line}" in err and "control character" in err and "Traceback" not in err


@pytest.mark.parametrize("folder", ["my plugin", "o'brien"])
def test_a_path_with_a_space_or_quote_is_linted(folder: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / folder
    root.mkdir()
    (root / "go.mod").write_text("module example.com/bad\n\ngo 1.22\n", encoding="utf-8")
    (root / "main.go").write_text("package main\n\nvar HandlerRegisterer = &struct{}{}\n\nfunc main() {}\n",
                                  encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(("GITHUB_", "INPUT_", "RUNNER_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("INPUT_PATHS", f"{folder}\n")
    monkeypatch.setenv("INPUT_CACHE-DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("INPUT_KRAKEND-VERSION", "2.7.0")
    assert entry()["main"]() == 1  # before: "my" and "plugin" did not exist, nothing was linted, exit 0
    assert f"{folder}/main.go:3:5: error KP403" in capsys.readouterr().out


def test_token_is_handed_over_through_the_environment() -> None:
    env = {"INPUT_GITHUB-TOKEN": TOKEN}
    entry()["export_token"](env)
    assert env["GITHUB_TOKEN"] == TOKEN
    mine = {"INPUT_GITHUB-TOKEN": TOKEN, "GITHUB_TOKEN": "explicit"}
    entry()["export_token"](mine)
    assert mine["GITHUB_TOKEN"] == "explicit"


def test_entrypoint_has_little_logic() -> None:
    code = [line for line in ENTRYPOINT.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.strip().startswith(("#", '"', "from ", "import "))]
    docstring_free = [line for line in code if not line.startswith(("    \"\"\"", "    '"))]
    assert len(docstring_free) <= 40


# --- scenarios ---------------------------------------------------------------------------------------


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    """The fake GitHub; fails the test if any request broke GitHub's API description."""
    with FakeGitHub() as server:
        yield server
        server.assert_no_violations()


@pytest.fixture(scope="module")
def examples() -> list[dict[str, Any]] | None:
    return webhook_examples()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "workspace"
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def added_files(root: Path, names: list[str] | None = None) -> list[dict[str, Any]]:
    """PR files: ``names`` (default all of the workspace) added in full by the PR."""
    out = []
    for name in names or sorted(FILES):
        path = root / name
        total = len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 3
        out.append(file_entry(name, patch_for(range(1, total + 1), total), status="added", changes=total))
    return out


Action = Callable[..., tuple[int, str]]


@pytest.fixture
def action(fake_github: FakeGitHub, workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
           examples: list[dict[str, Any]] | None, capsys: pytest.CaptureFixture[str]) -> Iterator[Action]:
    """Run entrypoint.main() in-process as the runner would; returns (exit code, stdout)."""
    serve_contents(fake_github)
    clock = FakeClock()
    monkeypatch.setattr(client_module, "TIME", client_module.Clock(clock.monotonic, clock.wall, clock.sleep))
    for name in list(os.environ):
        if name.startswith(("GITHUB_", "INPUT_", "RUNNER_")):
            monkeypatch.delenv(name)
    payload = pull_request_payload(examples)

    def run(payload_: dict[str, Any] | None = None, **inputs: str) -> tuple[int, str]:
        env = runner_env(tmp_path, fake_github, payload_ or payload, GITHUB_WORKSPACE=str(workspace),
                         **{"INPUT_CACHE-DIR": str(tmp_path / "cache"), "INPUT_PATHS": "", "INPUT_FAIL-ON": "error"})
        env.update({f"INPUT_{k.upper().replace('_', '-')}": v for k, v in inputs.items()})
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.chdir(workspace)
        capsys.readouterr()
        code = entry()["main"]()
        return code, capsys.readouterr().out

    yield run


def pr_requests(server: FakeGitHub, start: int = 0) -> list[str]:
    return [f"{r.method} {r.route}" for r in server.requests[start:] if r.route != "contents"]


def pr_writes(server: FakeGitHub, start: int = 0) -> list[str]:
    """Writes, without GraphQL queries (the viewer query that names the token's bot only reads)."""
    return [f"{r.method} {r.route}" for r in server.requests[start:] if r.route != "contents"
            and r.method in WRITES and not (r.route == "graphql" and "viewer" in str((r.json or {}).get("query")))]


def test_first_run_then_rerun_writes_nothing(
        action: Action, fake_github: FakeGitHub, workspace: Path, tmp_path: Path,
        record_property: Callable[[str, object], None]) -> None:
    pull = serve_pull(fake_github, PullState(files=added_files(workspace)))
    code, out = action()
    assert code == 1  # errors at or above fail-on error: the exit code is the CLI's
    annotations = re.findall(r"^::(error|warning|notice) file=([^,]+),line=(\d+)", out, re.MULTILINE)
    assert annotations and all(path in FILES for _, path, _ in annotations)
    inline = pull.ours(pull.review_comments)
    assert inline and len(pull.reviews) == 1 and pull.reviews[0]["commit_id"] == pull.head_sha
    assert {c["path"] for c in inline} <= set(FILES)
    assert len(pull.issue_comments) == 1 and len(pull.check_runs) == 1
    assert pull.check_runs[0]["conclusion"] == "failure"
    outputs = parse_outputs(tmp_path / "output.txt")
    assert outputs["verdict"] == "fail" and int(outputs["errors"]) >= 1
    assert Path(outputs["sarif-file"]).is_file() and not str(outputs["sarif-file"]).startswith(str(workspace))
    assert "KrakenD 2.7.0" in (tmp_path / "step_summary.md").read_text(encoding="utf-8")
    assert TOKEN not in out
    first = len(fake_github.requests)
    record_property("github_requests_first_run", len(pr_requests(fake_github)))

    code_again, _ = action()
    assert code_again == 1
    assert pr_writes(fake_github, first) == []
    record_property("github_requests_rerun", len(pr_requests(fake_github, first)))


def test_findings_outside_the_diff_get_no_inline_comment(
        action: Action, fake_github: FakeGitHub, workspace: Path) -> None:
    pull = serve_pull(fake_github, PullState(files=added_files(workspace, ["README.md"])))
    code, out = action()
    assert code == 1
    assert pull.review_comments == [] and pull.reviews == []
    assert "::error file=" in out and len(pull.issue_comments) == 1


def test_fork_pull_request_degrades_and_keeps_the_exit_code(
        action: Action, fake_github: FakeGitHub, workspace: Path, tmp_path: Path,
        examples: list[dict[str, Any]] | None) -> None:
    pull = serve_pull(fake_github, PullState(files=added_files(workspace), read_only=True))
    code, out = action(fork_payload(pull_request_payload(examples)))
    assert code == 1
    assert pr_writes(fake_github) == ["POST checks.create"]
    assert "fork" in out and "::error file=" in out
    assert pull.reviews == [] and pull.issue_comments == []
    assert "fork" in (tmp_path / "step_summary.md").read_text(encoding="utf-8")


def test_rate_limit_and_a_5xx_that_landed(action: Action, fake_github: FakeGitHub, workspace: Path) -> None:
    pull = serve_pull(fake_github, PullState(files=added_files(workspace)))
    refuse_once(fake_github, "issues.create-comment", retry_after=12)
    fake_github.inject("pulls.create-review", Fault.server_error(500))
    code, out = action()
    assert code == 1
    assert len(pull.reviews) == 1 and len(pull.issue_comments) == 1
    assert "waiting 12.0s" in out


def test_entrypoint_as_a_script(fake_github: FakeGitHub, workspace: Path, tmp_path: Path) -> None:
    """The real process, as `docker run` starts it (no token: annotations and summary only)."""
    serve_contents(fake_github)
    env = runner_env(tmp_path, fake_github, pull_request_payload(None), GITHUB_WORKSPACE=str(workspace))
    env.pop("INPUT_GITHUB-TOKEN")
    env.update({"PATH": os.environ.get("PATH", ""), "INPUT_CACHE-DIR": str(tmp_path / "cache"),
                "INPUT_FAIL-ON": "never", "HOME": str(tmp_path)})
    done = subprocess.run([sys.executable, str(ENTRYPOINT)], cwd=workspace, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "::error file=Dockerfile" in done.stdout
    outputs = parse_outputs(tmp_path / "output.txt")
    assert outputs["verdict"] == "pass"
    assert json.loads(Path(outputs["json-file"]).read_text(encoding="utf-8"))
    assert not [r for r in fake_github.requests if r.route != "contents"]
