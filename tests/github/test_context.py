"""GitHubContext from the runner's environment and real webhook payloads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from linter.github.context import from_env
from linter.github.token import github_token
from tests.fakegithub.server import FakeGitHub
from tests.github.support import (
    MERGE_SHA,
    example_payload,
    fork_payload,
    parse_outputs,
    run_channels,
    runner_env,
    sample_report,
)

HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"


def env_for(tmp_path: Path, event: str, payload: Any, **extra: str) -> dict[str, str]:
    path = tmp_path / "event.json"
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload), encoding="utf-8")
    return {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event, "GITHUB_EVENT_PATH": str(path),
            "GITHUB_REPOSITORY": "Codertocat/Hello-World", "GITHUB_SHA": MERGE_SHA,
            "GITHUB_REF": "refs/pull/2/merge", "GITHUB_ACTOR": "Codertocat", **extra}


def test_pull_request_reports_on_the_head_commit_not_the_merge_commit(tmp_path: Path, pr_payload: Any) -> None:
    ctx = from_env(env_for(tmp_path, "pull_request", pr_payload))
    assert (ctx.pr_number, ctx.head_sha, ctx.fork, ctx.likely_read_only) == (2, HEAD, False, False)
    assert ctx.head_sha != MERGE_SHA
    assert ctx.base_ref == "master" and ctx.head_ref == "changes"
    assert (ctx.owner, ctx.repo) == ("Codertocat", "Hello-World")


def test_fork_pull_request_is_read_only_but_pull_request_target_is_not(tmp_path: Path, pr_payload: Any) -> None:
    fork = fork_payload(pr_payload)
    ctx = from_env(env_for(tmp_path, "pull_request", fork))
    assert ctx.fork and ctx.likely_read_only and "fork" in ctx.read_only_reason
    target = from_env(env_for(tmp_path, "pull_request_target", fork))
    assert target.fork and not target.likely_read_only


def test_deleted_fork_counts_as_fork(tmp_path: Path, pr_payload: Any) -> None:
    payload = json.loads(json.dumps(pr_payload))
    payload["pull_request"]["head"]["repo"] = None
    assert from_env(env_for(tmp_path, "pull_request", payload)).fork


def test_dependabot_runs_are_read_only(tmp_path: Path, pr_payload: Any) -> None:
    ctx = from_env(env_for(tmp_path, "pull_request", pr_payload, GITHUB_ACTOR="dependabot[bot]"))
    assert ctx.likely_read_only and "Dependabot" in ctx.read_only_reason


def test_push_uses_after(tmp_path: Path, examples: Any) -> None:
    payload = example_payload(examples, "push", None) or {"after": "c" * 40, "before": "d" * 40}
    ctx = from_env(env_for(tmp_path, "push", payload, GITHUB_SHA="e" * 40))
    assert ctx.pr_number == 0
    assert ctx.head_sha == payload["after"]


def test_workflow_dispatch_uses_github_sha(tmp_path: Path) -> None:
    ctx = from_env(env_for(tmp_path, "workflow_dispatch", {"inputs": {}}, GITHUB_SHA="f" * 40))
    assert (ctx.head_sha, ctx.pr_number) == ("f" * 40, 0)


def test_workflow_run_takes_the_pr_from_the_payload(tmp_path: Path, examples: Any) -> None:
    run = {"workflow_run": {"event": "pull_request", "head_sha": HEAD, "head_branch": "changes",
                            "head_repository": {"full_name": "Codertocat/Hello-World", "owner": {"login": "Codertocat"}},
                            "pull_requests": [{"number": 2, "head": {"sha": HEAD, "ref": "changes", "repo": {"id": 1}},
                                               "base": {"sha": "0" * 40, "ref": "master", "repo": {"id": 1}}}]}}
    ctx = from_env(env_for(tmp_path, "workflow_run", run))
    assert (ctx.pr_number, ctx.head_sha, ctx.fork, ctx.pr_lookup_head) == (2, HEAD, False, "")


def test_workflow_run_from_a_fork_looks_the_pr_up_by_head(tmp_path: Path) -> None:
    run = {"workflow_run": {"event": "pull_request", "head_sha": HEAD, "head_branch": "changes",
                            "head_repository": {"full_name": "forker/Hello-World", "owner": {"login": "forker"}},
                            "pull_requests": []}}
    ctx = from_env(env_for(tmp_path, "workflow_run", run))
    assert (ctx.pr_number, ctx.head_sha, ctx.pr_lookup_head) == (0, HEAD, "forker:changes")
    assert not ctx.likely_read_only  # workflow_run runs in the base repository with its token


def test_real_workflow_run_example_parses(tmp_path: Path, examples: Any) -> None:
    payload = example_payload(examples, "workflow_run", "completed")
    if payload is None:
        return
    ctx = from_env(env_for(tmp_path, "workflow_run", payload))
    assert ctx.head_sha == payload["workflow_run"]["head_sha"]


def test_broken_payload_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    ctx = from_env(env_for(tmp_path, "pull_request", "{not json"))
    assert ctx.problems and ctx.pr_number == 2 and ctx.head_sha == ""
    missing = from_env({"GITHUB_EVENT_PATH": str(tmp_path / "nope.json"), "GITHUB_EVENT_NAME": "push"})
    assert missing.problems and not missing.in_actions


def test_enterprise_server_urls(tmp_path: Path) -> None:
    ctx = from_env({"GITHUB_API_URL": "https://ghe.example/api/v3", "GITHUB_SERVER_URL": "https://ghe.example/"})
    assert ctx.api_url == "https://ghe.example/api/v3"
    assert ctx.graphql_url == "https://ghe.example/api/graphql"
    assert ctx.server_url == "https://ghe.example"
    given = from_env({"GITHUB_API_URL": "https://ghe.example/api/v3", "GITHUB_GRAPHQL_URL": "https://x/gql"})
    assert given.graphql_url == "https://x/gql"
    assert from_env({}).graphql_url == "https://api.github.com/graphql"


DEEP = '{"pull_request": ' + "[" * 1_000 + "]" * 1_000 + "}"


def test_a_deeply_nested_payload_is_a_problem_naming_the_file(tmp_path: Path) -> None:
    ctx = from_env(env_for(tmp_path, "pull_request", DEEP))  # json.loads alone raises RecursionError
    assert ctx.pr_number == 2 and ctx.head_sha == ""  # the PR number still comes from GITHUB_REF
    assert any(str(tmp_path / "event.json") in problem and "1001 levels" in problem for problem in ctx.problems)


def test_a_shallow_payload_with_brackets_in_strings_is_read(tmp_path: Path, pr_payload: Any) -> None:
    payload = {**pr_payload, "comment": {"body": "[" * 5_000 + '"{\\' * 100}}
    ctx = from_env(env_for(tmp_path, "pull_request", payload))
    assert ctx.problems == () and ctx.head_sha == pr_payload["pull_request"]["head"]["sha"]


def test_a_deep_payload_costs_only_the_pull_request_channels(tmp_path: Path, fake_github: FakeGitHub,
                                                             pr_payload: Any) -> None:
    env = runner_env(tmp_path, fake_github, pr_payload)
    Path(env["GITHUB_EVENT_PATH"]).write_text(DEEP, encoding="utf-8")
    ran = run_channels(sample_report(), env, ["--reporters", "gh-annotations,gh-step-summary,gh-pr-review"])
    assert {"gh-annotations", "gh-step-summary"} <= set(ran.outcome.channels)
    assert "gh-pr-review" in dict(ran.outcome.skipped)
    assert "::error file=" in ran.log and env["GITHUB_EVENT_PATH"] in ran.log
    assert Path(env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    assert parse_outputs(Path(env["GITHUB_OUTPUT"]))["verdict"] == "fail"


@pytest.mark.parametrize(("flag", "env", "expected"), [
    ("flag", {"INPUT_GITHUB-TOKEN": "input", "GITHUB_TOKEN": "env"}, "flag"),
    (None, {"INPUT_GITHUB-TOKEN": " input ", "GITHUB_TOKEN": "env"}, "input"),
    ("", {"GITHUB_TOKEN": "env\n"}, "env"),
    (None, {}, ""),
])
def test_one_place_picks_the_token(flag: str | None, env: dict[str, str], expected: str) -> None:
    assert github_token(flag, env) == expected
