"""The GitHub channels end to end against the fake GitHub, from Report objects.

Each scenario records how many API requests it made (``REQUESTS``, printed by
benchmarks/github_requests.py); the assertions pin the behaviour that matters: what lands on the
PR, that nothing is ever posted twice, and that every size limit holds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from linter.github.channels.annotations import PER_LEVEL
from linter.github.markdown import marker_pattern
from linter.model import Fix, Severity
from tests.fakegithub.pulls import BOT, PullState, file_entry, patch_for, refuse_once, serve_pull
from tests.fakegithub.server import FakeGitHub, Fault
from tests.github.support import (
    CONFIG,
    DOCKERFILE,
    FIXED_SHA,
    GOMOD,
    OUTSIDE,
    TOKEN,
    finding,
    fork_payload,
    many_findings,
    parse_outputs,
    run_channels,
    runner_env,
    sample_findings,
    sample_pull,
    sample_report,
)

FP = marker_pattern("fp")
WRITES = ("POST", "PATCH", "PUT", "DELETE")


def writes(server: FakeGitHub) -> list[str]:
    return [f"{r.method} {r.route}" for r in server.requests if r.method in WRITES and not r.path.endswith("graphql")]


def inline_paths(pull: PullState) -> list[tuple[str, int]]:
    return sorted((c["path"], c["line"]) for c in pull.ours(pull.review_comments) if "in_reply_to_id" not in c)


@pytest.fixture
def pull(fake_github: FakeGitHub) -> PullState:
    return serve_pull(fake_github, sample_pull())


@pytest.fixture
def env(tmp_path: Path, fake_github: FakeGitHub, pr_payload: dict[str, Any]) -> dict[str, str]:
    return runner_env(tmp_path, fake_github, pr_payload)


def test_first_run_posts_one_review_one_comment_one_check_run(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str], tmp_path: Path) -> None:
    ran = run_channels(sample_report(), env, source_lines=lambda path, line: "FROM golang:1.22.4 AS builder")
    assert ran.outcome.channels == ("gh-annotations", "gh-check-run", "gh-pr-review", "gh-sticky-comment",
                                    "gh-step-summary")
    assert not ran.outcome.skipped and not ran.outcome.degraded
    # inline only on added lines (filter-mode added), warning and above (comment-on warning)
    assert inline_paths(pull) == [(CONFIG, 20), (DOCKERFILE, 1), (GOMOD, 3)]
    review = pull.reviews[0]
    assert len(pull.reviews) == 1 and review["state"] == "COMMENTED" and review["commit_id"] == pull.head_sha
    assert "go.mod has no module directive" in review["body"]  # whole-file finding: in the body
    assert "go directive 1.21" in review["body"]  # context line: in the body
    docker = next(c for c in pull.review_comments if c["path"] == DOCKERFILE)
    assert "```suggestion\nFROM krakend/builder:2.7.0 AS builder\n```" in docker["body"]
    gomod = next(c for c in pull.review_comments if c["path"] == GOMOD)
    assert "suggestion" not in gomod["body"]
    # sticky comment and check run
    assert len(pull.issue_comments) == 1 and pull.issue_comments[0]["body"].startswith(
        "<!-- krakend-plugin-lint:summary -->")
    run = pull.check_runs[0]
    assert (run["name"], run["head_sha"], run["conclusion"], len(run["annotations"])) == (
        "krakend-plugin-lint", pull.head_sha, "failure", 6)
    assert run["head_sha"] != env["GITHUB_SHA"]
    first = run["annotations"][0]
    assert first["annotation_level"] == "failure" and first["raw_details"].startswith("FROM golang")
    # annotations on stdout, step summary, outputs, report files
    assert len(re.findall(r"^::(error|warning|notice) ", ran.log, re.MULTILINE)) == 6
    summary = (tmp_path / "step_summary.md").read_text(encoding="utf-8")
    assert "KrakenD 2.7.0 from" in summary and "❌ failed" in summary and "### Plugin `plugins/auth`" in summary
    outputs = parse_outputs(tmp_path / "output.txt")
    assert {k: outputs[k] for k in ("errors", "warnings", "notices", "verdict")} == {
        "errors": "3", "warnings": "2", "notices": "1", "verdict": "fail"}
    assert outputs["sarif-file"].endswith("results.sarif") and Path(outputs["sarif-file"]).is_file()
    assert json.loads(Path(outputs["json-file"]).read_text(encoding="utf-8"))
    assert TOKEN not in ran.log
    assert writes(fake_github) == ["POST checks.create", "POST pulls.create-review", "POST issues.create-comment"]
    assert ran.outcome.requests == len(fake_github.requests) == 9  # + GET /user and the viewer: who we are


def test_rerun_with_nothing_changed_writes_nothing(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str]) -> None:
    run_channels(sample_report(), env)
    first = len(fake_github.requests)
    ran = run_channels(sample_report(), env)
    assert writes(fake_github)[3:] == []
    assert len(pull.reviews) == 1 and len(pull.issue_comments) == 1 and len(pull.check_runs) == 1
    assert len(fake_github.requests) - first == ran.outcome.requests == 6  # files, checks, identity x2, comments x2


def test_push_that_fixes_findings_resolves_and_deletes_without_new_comments(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str], tmp_path: Path,
        pr_payload: dict[str, Any]) -> None:
    run_channels(sample_report(), env)
    by_path = {c["path"]: c for c in pull.ours(pull.review_comments)}
    pull.reply(by_path[GOMOD]["id"], "thanks, fixing")
    pull.push(FIXED_SHA, pull.files, outdated=[by_path[GOMOD]["id"], by_path[DOCKERFILE]["id"]])
    payload = json.loads(json.dumps(pr_payload))
    payload["pull_request"]["head"]["sha"] = FIXED_SHA
    fixed = [f for f in sample_findings() if f.rule not in ("KP101", "KP201")]
    start = len(fake_github.requests)
    ran = run_channels(sample_report(fixed), runner_env(tmp_path, fake_github, payload))
    new = [f"{r.method} {r.route}" for r in fake_github.requests[start:] if r.method in WRITES
           and "viewer" not in str((r.json or {}).get("query", ""))]
    assert len(pull.reviews) == 1  # no new review, no new inline comment
    assert DOCKERFILE not in {c["path"] for c in pull.review_comments}  # nobody replied: deleted
    thread = next(t for t in pull.threads if by_path[GOMOD]["id"] in t.comment_ids)
    assert thread.resolved  # someone replied: the conversation stays, resolved
    assert next(t for t in pull.threads if by_path[CONFIG]["id"] in t.comment_ids).resolved is False
    assert sorted(new) == sorted(["DELETE pulls.delete-review-comment", "POST graphql", "POST graphql",
                                  "POST checks.create", "PATCH issues.update-comment"])
    assert "1 threads resolved" in ran.log and pull.check_runs[-1]["head_sha"] == FIXED_SHA


def test_findings_outside_the_diff_are_never_inline(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str]) -> None:
    outside = [finding("KP101", OUTSIDE, 3, "not in this PR"), finding("KP102", GOMOD, 11, "unchanged line"),
               finding("KP301", CONFIG, 0, "whole file")]
    ran = run_channels(sample_report(outside), env, ["--filter-mode", "nofilter"])
    assert pull.review_comments == [] and pull.reviews == []  # nothing commentable: no review at all
    assert not [r for r in fake_github.requests if r.route == "pulls.create-review"]
    assert "gh-pr-review" in ran.outcome.channels
    assert "not in this PR" in pull.issue_comments[0]["body"]


def test_three_hundred_changed_files(fake_github: FakeGitHub, env: dict[str, str]) -> None:
    files = [file_entry(f"plugins/p{n}/go.mod", patch_for([2], total=5)) for n in range(320)]
    pull = serve_pull(fake_github, PullState(files=files))
    found = [finding("KP101", f"plugins/p{n}/go.mod", 2, f"problem {n}") for n in (0, 150, 319)]
    ran = run_channels(sample_report(found), env)
    assert inline_paths(pull) == [("plugins/p0/go.mod", 2), ("plugins/p150/go.mod", 2),
                                  ("plugins/p319/go.mod", 2)]
    assert fake_github.count("GET", r"/files$") == 4  # 100 per page
    assert ran.outcome.requests == 12


def test_two_thousand_findings_keep_every_size_limit(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str], tmp_path: Path) -> None:
    ran = run_channels(sample_report(many_findings(2000)), env)
    assert len(pull.ours(pull.review_comments)) == 25  # max-comments
    assert all(len(c["body"]) < 65_536 for c in pull.review_comments)
    assert len(pull.reviews[0]["body"]) < 65_536
    assert len(pull.issue_comments[0]["body"]) < 65_536 and "more findings" in pull.issue_comments[0]["body"]
    run = pull.check_runs[0]
    assert len(run["output"]["summary"]) <= 65_535 and len(run["output"].get("text") or "") <= 65_535
    assert len(run["annotations"]) == 1000  # capped: 20 requests, the summary counts the rest
    summary = (tmp_path / "step_summary.md").read_bytes()
    assert len(summary) < 1024 * 1024
    annotations = re.findall(r"^::(error|warning|notice) ", ran.log, re.MULTILINE)
    assert all(annotations.count(level) <= PER_LEVEL for level in ("error", "warning", "notice"))
    assert "more findings are not annotated" in ran.log
    patches = fake_github.count("PATCH", r"/check-runs/")
    assert patches == 19
    assert ran.outcome.requests - patches == 9  # the same as with 6 findings
    MarkdownIt("commonmark").enable("table").parse(summary.decode("utf-8"))


def test_requests_do_not_grow_with_findings_beyond_check_run_batches(
        fake_github: FakeGitHub, env: dict[str, str]) -> None:
    counts = {}
    for n in (10, 200, 1200):
        server_before = len(fake_github.requests)
        serve_pull(fake_github, sample_pull())  # a fresh PR state (routes registered later win)
        ran = run_channels(sample_report(many_findings(n)), env)
        batches = fake_github.count("PATCH", r"/check-runs/")
        counts[n] = (len(fake_github.requests) - server_before, batches)
        fake_github.requests.clear()
        assert ran.outcome.requests == counts[n][0]
    base = {n: total - batches for n, (total, batches) in counts.items()}
    assert base[10] == base[200] == base[1200]


def test_fork_token_degrades_after_one_refused_write(
        fake_github: FakeGitHub, tmp_path: Path, pr_payload: dict[str, Any]) -> None:
    pull = serve_pull(fake_github, sample_pull(read_only=True))
    env = runner_env(tmp_path, fake_github, fork_payload(pr_payload))
    ran = run_channels(sample_report(), env)
    assert ran.outcome.degraded
    assert writes(fake_github) == ["POST checks.create"]  # one 403, then no more writes
    assert {c for c, _ in ran.outcome.skipped} == {"gh-check-run", "gh-pr-review", "gh-sticky-comment"}
    assert "fork" in ran.log and "annotations" in ran.log
    assert ran.outcome.channels == ("gh-annotations", "gh-step-summary")
    assert "fork" in (tmp_path / "step_summary.md").read_text(encoding="utf-8")
    assert pull.reviews == [] and ran.outcome.requests == 3  # files, check runs, the refused POST


def test_rate_limit_mid_run_is_honoured_and_bounded(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str]) -> None:
    refuse_once(fake_github, "pulls.create-review", retry_after=30)
    refuse_once(fake_github, "issues.list-comments", status=429, retry_after=5)
    ran = run_channels(sample_report(), env)
    assert 30.0 in ran.clock.sleeps and 5.0 in ran.clock.sleeps
    assert ran.outcome.api_waited == 35.0
    assert len(pull.reviews) == 1 and len(pull.issue_comments) == 1  # retried once, applied once
    assert ran.outcome.channels[-1] == "gh-step-summary" and not ran.outcome.skipped


def test_rate_limit_longer_than_the_budget_stops_api_channels(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str], tmp_path: Path) -> None:
    refuse_once(fake_github, "checks.create", retry_after=900)
    ran = run_channels(sample_report(), env)
    assert ran.clock.sleeps == [] and pull.reviews == [] and pull.issue_comments == []
    assert {c for c, _ in ran.outcome.skipped} == {"gh-check-run", "gh-pr-review", "gh-sticky-comment"}
    assert (tmp_path / "step_summary.md").is_file() and "::error " in ran.log


def test_server_error_on_a_review_that_landed_does_not_post_it_twice(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str]) -> None:
    fake_github.inject("pulls.create-review", Fault.server_error(500))
    ran = run_channels(sample_report(), env)
    assert len(pull.reviews) == 1 and len(inline_paths(pull)) == 3
    assert fake_github.count("POST", r"/reviews$") == 1
    assert fake_github.count("GET", r"/pulls/2/comments$") == 2  # listed, then re-listed to check
    assert "gh-pr-review" in ran.outcome.channels


def test_server_error_on_a_review_that_did_not_land_is_sent_once_more(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str]) -> None:
    refuse_once(fake_github, "pulls.create-review", status=502, retry_after=0)
    run_channels(sample_report(), env)
    assert len(pull.reviews) == 1 and fake_github.count("POST", r"/reviews$") == 2


FAULTS = {
    "401": lambda: Fault.status(401, f"Bad credentials {TOKEN}"),
    "404": lambda: Fault.status(404, f"Not Found {TOKEN}"),
    "422": lambda: Fault.status(422, f"Validation Failed {TOKEN}"),
    "500": lambda: Fault.status(500, f"failure {TOKEN}"),
    "502": lambda: Fault.status(502, f"Bad Gateway {TOKEN}"),
    "503": lambda: Fault.status(503, f"Unavailable {TOKEN}"),
    "malformed-json": lambda: Fault.malformed_json(),
    "connection-reset": lambda: Fault.disconnect(),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_api_failures_never_lose_the_findings(
        fake_github: FakeGitHub, env: dict[str, str], tmp_path: Path, fault: str) -> None:
    pull = serve_pull(fake_github, sample_pull(number=3 if fault == "404" else 2))
    for _ in range(20):
        fake_github.inject(None, FAULTS[fault]())
    ran = run_channels(sample_report(), env)
    assert pull.reviews == [] and pull.issue_comments == []
    assert len(re.findall(r"^::error ", ran.log, re.MULTILINE)) == 3
    assert (tmp_path / "step_summary.md").is_file()
    assert parse_outputs(tmp_path / "output.txt")["verdict"] == "fail"
    assert TOKEN not in ran.log and TOKEN not in json.dumps(ran.outcome.notes)
    assert ran.outcome.requests <= 8


def test_network_down(tmp_path: Path, pr_payload: dict[str, Any], fake_github: FakeGitHub) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = runner_env(tmp_path, fake_github, pr_payload, GITHUB_API_URL=f"http://127.0.0.1:{port}")
    ran = run_channels(sample_report(), env)
    assert ran.outcome.requests == 1 and ran.clock.sleeps == []
    assert ran.outcome.channels == ("gh-annotations", "gh-step-summary")
    assert "unreachable" in (tmp_path / "step_summary.md").read_text(encoding="utf-8")


def test_without_a_token_only_local_channels_run(
        fake_github: FakeGitHub, tmp_path: Path, pr_payload: dict[str, Any]) -> None:
    env = runner_env(tmp_path, fake_github, pr_payload)
    del env["INPUT_GITHUB-TOKEN"]
    ran = run_channels(sample_report(), env)
    assert ran.outcome.channels == ("gh-annotations", "gh-step-summary") and ran.outcome.requests == 0
    assert fake_github.requests == []


def test_push_event_gets_a_check_run_but_no_pr_channels(
        fake_github: FakeGitHub, pull: PullState, tmp_path: Path) -> None:
    env = runner_env(tmp_path, fake_github, {"after": pull.head_sha, "before": "0" * 40}, event="push")
    ran = run_channels(sample_report(), env, ["--reporters", "gh-check-run,gh-pr-review,gh-annotations"])
    assert ran.outcome.channels == ("gh-annotations", "gh-check-run")
    assert ran.outcome.skipped == (("gh-pr-review", "no pull request for this event"),)
    assert pull.check_runs[0]["head_sha"] == pull.head_sha


def test_existing_sticky_comment_is_edited_in_place(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str]) -> None:
    run_channels(sample_report(), env)
    run_channels(sample_report(sample_findings()[:2]), env)
    assert len(pull.issue_comments) == 1
    assert "**2** errors" in pull.issue_comments[0]["body"]
    assert fake_github.count("PATCH", r"/issues/comments/") == 1


def test_clean_pr_posts_no_summary_comment(fake_github: FakeGitHub, pull: PullState, env: dict[str, str]) -> None:
    ran = run_channels(sample_report([]), env)
    assert pull.issue_comments == [] and pull.reviews == []
    assert pull.check_runs[0]["conclusion"] == "success"
    assert "gh-sticky-comment" in ran.outcome.channels


def test_workflow_run_from_a_fork_finds_the_pr(fake_github: FakeGitHub, tmp_path: Path) -> None:
    pull = serve_pull(fake_github, sample_pull(head_label="forker:changes"))
    payload = {"workflow_run": {"event": "pull_request", "head_sha": pull.head_sha, "head_branch": "changes",
                                "head_repository": {"full_name": "forker/Hello-World", "owner": {"login": "forker"}},
                                "pull_requests": []}}
    env = runner_env(tmp_path, fake_github, payload, event="workflow_run")
    ran = run_channels(sample_report(), env)
    assert len(pull.reviews) == 1 and not ran.outcome.degraded
    assert fake_github.count("GET", r"/pulls$") == 1


def test_suggestion_only_when_the_fix_covers_the_comment_range(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str]) -> None:
    found = [
        finding("KP101", GOMOD, 3, "exact", fix=Fix(3, "\trequire x v1")),
        finding("KP102", GOMOD, 5, "other line", severity=Severity.ERROR, fix=Fix(4, "x")),
        finding("KP301", DOCKERFILE, 1, "range", end_line=2, fix=Fix(1, "A\nB", end_line=2)),
    ]
    run_channels(sample_report(found), env)
    bodies = {c["path"] + str(c["line"]): c["body"] for c in pull.review_comments}
    assert "```suggestion\n\trequire x v1\n```" in bodies[GOMOD + "3"]
    assert "suggestion" not in bodies[GOMOD + "5"]
    assert "```suggestion\nA\nB\n```" in bodies[DOCKERFILE + "2"]
    multi = next(c for c in pull.review_comments if c["path"] == DOCKERFILE)
    assert (multi["start_line"], multi["line"]) == (1, 2)


def test_a_fix_spanning_a_require_block_is_one_multi_line_suggestion(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str]) -> None:
    block = "require (\n\tgithub.com/gin-gonic/gin v1.9.1\n)"
    run_channels(sample_report([finding("KP101", GOMOD, 3, "in a block", fix=Fix(3, block, end_line=5))]), env)
    comment = next(c for c in pull.review_comments if c["path"] == GOMOD)
    assert (comment.get("start_line"), comment["line"]) == (3, 5)
    assert f"```suggestion\n{block}\n```" in comment["body"]


def test_sticky_comment_offers_the_fix_command_when_a_finding_has_a_fix(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str]) -> None:
    run_channels(sample_report([finding("KP101", GOMOD, 3, "old", fix=Fix(3, "\tx v2"))]), env)
    assert "```sh\nkrakend-plugin-lint fix\n```" in pull.issue_comments[0]["body"]
    run_channels(sample_report([finding("KP101", GOMOD, 3, "no fix")]), env)
    assert "krakend-plugin-lint fix" not in pull.issue_comments[0]["body"]


def test_duplicate_fingerprints_get_separate_comments(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str]) -> None:
    same = [finding("KP101", GOMOD, 3, "same text"), finding("KP101", GOMOD, 5, "same text")]
    run_channels(sample_report(same), env)
    keys = sorted(FP.search(c["body"]).group(1) for c in pull.review_comments)  # type: ignore[union-attr]
    assert len(keys) == 2 and keys[1] == keys[0] + ".2"
    start = len(fake_github.requests)
    run_channels(sample_report(same), env)
    assert not [r for r in fake_github.requests[start:] if r.method in WRITES and r.route != "graphql"]


def test_a_drive_by_user_copying_the_marker_is_ignored(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str]) -> None:
    pull.issue_comments.append({"id": 1, "body": "<!-- krakend-plugin-lint:summary --> hi",
                                "user": {"login": "mallory", "id": 5, "type": "User"},
                                "author_association": "NONE"})
    pull.issue_comments.append({"id": 2, "body": "<!-- krakend-plugin-lint:summary -->\nold", "user": dict(BOT),
                                "author_association": "NONE"})
    run_channels(sample_report(), env)
    assert pull.issue_comments[0]["body"] == "<!-- krakend-plugin-lint:summary --> hi"
    assert pull.issue_comments[1]["body"].startswith("<!-- krakend-plugin-lint:summary -->\n###")
    assert len(pull.issue_comments) == 2


def test_files_without_a_patch_use_git_with_the_merge_base(
        fake_github: FakeGitHub, tmp_path: Path, pr_payload: dict[str, Any]) -> None:
    from tests.github.test_diff import git

    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    big = [f'"line {n}"\n' for n in range(1, 2001)]
    (repo / "big.json").write_text("".join(big), encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    base = git(repo, "rev-parse", "HEAD")
    big[999] = '"changed"\n'
    (repo / "big.json").write_text("".join(big), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "pr")
    head = git(repo, "rev-parse", "HEAD")
    pull = serve_pull(fake_github, PullState(
        head_sha=head, base_sha=base, files=[file_entry("big.json", None, changes=2)],
        hidden_patches={"big.json": patch_for([1000], total=2000)}))
    payload = json.loads(json.dumps(pr_payload))
    payload["pull_request"]["head"]["sha"], payload["pull_request"]["base"]["sha"] = head, base
    env = runner_env(tmp_path, fake_github, payload, GITHUB_WORKSPACE=str(repo))
    found = [finding("KP101", "big.json", 1000, "on the changed line"),
             finding("KP102", "big.json", 999, "on a context line (not commented from git)")]
    ran = run_channels(sample_report(found), env, ["--filter-mode", "diff_context"])
    assert inline_paths(pull) == [("big.json", 1000)]
    assert "on a context line" in pull.reviews[0]["body"]
    assert fake_github.count("GET", r"/compare/") == 1 and "no patch" not in ran.log


def test_reports_written_in_a_container_are_found_by_later_steps(tmp_path: Path) -> None:
    from linter.github.channels.outputs import _results_dir

    home = tmp_path / "github_home"
    home.mkdir()
    env = {"RUNNER_TEMP": "/home/runner/work/_temp", "HOME": str(home)}
    inside, host = _results_dir(env, container_home=str(home))  # type: ignore[misc]
    assert inside == home / "krakend-plugin-lint"
    assert host == Path("/home/runner/work/_temp/_github_home/krakend-plugin-lint")
    assert _results_dir({}) is None


def test_a_broken_formatter_loses_no_channel(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    from linter.formats import sarif

    def broken(*_: object) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(sarif, "render", broken)
    ran = run_channels(sample_report(), env)
    assert "cannot write the sarif report: RuntimeError: boom" in ran.log
    assert ran.outcome.outputs["sarif-file"] == "" and ran.outcome.outputs["json-file"]
    assert len(pull.reviews) == 1 and "gh-step-summary" in ran.outcome.channels


def test_the_registry_runs_every_channel_the_cli_accepts_summary_last() -> None:
    from linter.github.channels.options import ALL_CHANNELS, API_CHANNELS
    from linter.github.channels.run import CHANNELS

    assert sorted(channel.name for channel in CHANNELS) == sorted(ALL_CHANNELS)
    assert [c.name for c in CHANNELS if "token" in c.needs] == list(API_CHANNELS)
    assert CHANNELS[-1].name == "gh-step-summary"


def test_a_crashing_channel_loses_no_other_channel_and_no_token(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    from linter.github.channels.check_run import CheckRun
    from linter.github.channels.state import RunState

    def broken(self: CheckRun, state: RunState) -> None:
        raise RuntimeError(f"boom with {TOKEN}")

    monkeypatch.setattr(CheckRun, "run", broken)
    ran = run_channels(sample_report(), env)
    assert ("gh-check-run", "internal error: RuntimeError: boom with ***") in ran.outcome.skipped
    assert TOKEN not in ran.log and TOKEN not in "".join(ran.outcome.notes)
    assert {"gh-annotations", "gh-pr-review", "gh-sticky-comment", "gh-step-summary"} <= set(ran.outcome.channels)
    assert len(pull.reviews) == 1
