"""Spoofed, corrupted, slow and concurrent GitHub state (issue 16), against the fake GitHub.

Each test is one way the channels used to go wrong: drive-by markers, markers copied from the pull
request's own text, answers that are not JSON, a truncated check-run answer, a 502 on a review
that did not land while older comments are outdated, overlapping runs, and a GitHub too slow to
finish. Deadlines are short (about a second) so the slow cases stay quick.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from linter.github.markdown import marker, marker_pattern
from linter.model import Fix
from tests.fakegithub.pulls import BOT, HUMAN, PullState, Thread, hold_until_all_listed, refuse_once, serve_pull
from tests.fakegithub.server import FakeGitHub, Fault
from tests.github.support import (
    CONFIG,
    DOCKERFILE,
    FIXED_SHA,
    GOMOD,
    finding,
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
MAINTAINER = {"login": "maintainer", "id": 7001, "type": "User"}


def writes_since(server: FakeGitHub, start: int) -> list[str]:
    """Writes, GraphQL mutations included (a GraphQL query is a read)."""
    return [f"{r.method} {r.route}" for r in server.requests[start:] if r.method in WRITES and not (
        r.path.endswith("/graphql") and not str((r.json or {}).get("query", "")).lstrip().startswith("mutation"))]


def live_ours(pull: PullState) -> list[dict[str, Any]]:
    return [c for c in pull.ours(pull.review_comments) if c["line"] is not None and "in_reply_to_id" not in c]


def summary_text(tmp_path: Path) -> str:
    return (tmp_path / "step_summary.md").read_text(encoding="utf-8")


@pytest.fixture
def pull(fake_github: FakeGitHub) -> PullState:
    return serve_pull(fake_github, sample_pull())


@pytest.fixture
def env(tmp_path: Path, fake_github: FakeGitHub, pr_payload: dict[str, Any]) -> dict[str, str]:
    return runner_env(tmp_path, fake_github, pr_payload)


# --- only our own comments count -----------------------------------------------------------------


def test_a_drive_by_review_comment_with_a_made_up_key_is_never_deleted(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str]) -> None:
    theirs = pull.drive_by("review", "nice\n\n" + marker("fp", "0123456789abcdef"), path=GOMOD, line=3)
    run_channels(sample_report(), env)
    assert theirs in pull.review_comments
    assert fake_github.count("DELETE") == 0


def test_a_drive_by_review_comment_with_the_real_key_does_not_suppress_ours(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str]) -> None:
    run_channels(sample_report(), env)
    keys = [FP.search(c["body"]).group(1) for c in live_ours(pull)]  # type: ignore[union-attr]
    fresh = serve_pull(fake_github, sample_pull())  # a new PR where someone posted our keys first
    for key in keys:
        fresh.drive_by("review", "copied\n" + marker("fp", key), path=GOMOD, line=3)
    run_channels(sample_report(), env)
    assert len(live_ours(fresh)) == 3 and len(fresh.review_comments) == 6


def test_a_maintainers_comment_with_our_marker_is_not_edited(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str]) -> None:
    theirs = pull.drive_by("issue", "<!-- krakend-plugin-lint:summary -->\nmy own notes",
                           user=dict(MAINTAINER))
    theirs["author_association"] = "MEMBER"
    run_channels(sample_report(), env)
    assert theirs["body"] == "<!-- krakend-plugin-lint:summary -->\nmy own notes"
    assert len(pull.issue_comments) == 2 and fake_github.count("PATCH", r"/issues/comments/") == 0


def test_with_a_personal_token_only_that_users_comments_are_ours(
        fake_github: FakeGitHub, env: dict[str, str]) -> None:
    pull = serve_pull(fake_github, sample_pull(author=dict(MAINTAINER), token_user=dict(MAINTAINER)))
    bots = pull.drive_by("issue", "<!-- krakend-plugin-lint:summary -->\nby another bot", user=dict(BOT))
    run_channels(sample_report(), env)
    start = len(fake_github.requests)
    run_channels(sample_report(), env)
    assert writes_since(fake_github, start) == []  # the maintainer's own comments were found again
    assert bots["body"].endswith("by another bot") and len(pull.issue_comments) == 2
    assert fake_github.count("GET", r"^/user$") == 2


def test_a_marker_in_a_fix_becomes_no_suggestion_and_reruns_write_nothing(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str]) -> None:
    sneaky = "\trequire x v1 // " + marker("fp", "feedfacefeedface")
    found = [finding("KP101", GOMOD, 3, "exact", fix=Fix(3, sneaky))]
    run_channels(sample_report(found), env)
    (comment,) = pull.review_comments
    assert "suggestion" not in comment["body"] and len(FP.findall(comment["body"])) == 1
    start = len(fake_github.requests)
    run_channels(sample_report(found), env)
    assert writes_since(fake_github, start) == []


def test_a_folder_named_like_the_digest_marker_does_not_cause_an_edit_every_run(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str]) -> None:
    folder = "plugins/" + marker("digest", "0" * 20) + "/go.mod"
    found = [*sample_findings(), finding("KP501", folder, 0, "go.mod has no module directive")]
    run_channels(sample_report(found), env)
    body = pull.issue_comments[0]["body"]
    assert len(marker_pattern("digest").findall(body)) == 1  # the folder's copy is broken
    start = len(fake_github.requests)
    run_channels(sample_report(found), env)
    assert writes_since(fake_github, start) == []


# --- unreadable state: post nothing that could duplicate ----------------------------------------------


@pytest.mark.parametrize("fault", [Fault.html, Fault.empty, Fault.truncated])
def test_an_unreadable_list_of_review_comments_posts_nothing(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str], tmp_path: Path, fault: Any) -> None:
    run_channels(sample_report(), env)
    fake_github.inject("pulls.review-comments", fault(), fault(), fault())
    ran = run_channels(sample_report(), env)
    assert len(pull.reviews) == 1 and len(pull.review_comments) == 3 and len(pull.issue_comments) == 1
    assert "gh-pr-review" in dict(ran.outcome.skipped)
    assert "posted nothing more" in summary_text(tmp_path)


def test_an_empty_200_for_the_issue_comments_posts_no_second_summary(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str], tmp_path: Path) -> None:
    run_channels(sample_report(), env)
    fake_github.inject("issues.list-comments", Fault.empty(), Fault.empty(), Fault.empty())
    ran = run_channels(sample_report(sample_findings()[:2]), env)
    assert len(pull.issue_comments) == 1 and "gh-sticky-comment" in dict(ran.outcome.skipped)
    assert "posted nothing more" in summary_text(tmp_path)


def test_a_truncated_answer_to_the_check_run_post_leaves_one_complete_check_run(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str]) -> None:
    report = sample_report(many_findings(120))
    fake_github.inject("checks.create", Fault.truncated())
    run_channels(report, env)
    run_channels(report, env)
    assert len(pull.check_runs) == 1 and len(pull.check_runs[0]["annotations"]) == 120
    assert fake_github.count("POST", r"/check-runs$") == 1


def test_a_check_run_cut_short_is_finished_by_the_next_run(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str]) -> None:
    report = sample_report(many_findings(120))
    refuse_once(fake_github, "checks.update", status=401)  # the first run stops there, not applied
    run_channels(report, env)
    assert len(pull.check_runs[0]["annotations"]) == 50
    ran = run_channels(report, env)
    assert len(pull.check_runs) == 1 and len(pull.check_runs[0]["annotations"]) == 120
    assert "has 50 of 120 annotations" in ran.log


# --- a 502 on a review that did not land, while older comments are outdated ------------------------------


def pushed(pull: PullState, payload: dict[str, Any], tmp_path: Path, server: FakeGitHub) -> dict[str, str]:
    """A new commit that leaves every comment of ours outdated (the findings stay)."""
    pull.push(FIXED_SHA, pull.files, outdated=[c["id"] for c in pull.review_comments])
    moved = json.loads(json.dumps(payload))
    moved["pull_request"]["head"]["sha"] = FIXED_SHA
    return runner_env(tmp_path, server, moved)


def test_a_502_review_that_did_not_land_keeps_the_outdated_comments(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str], tmp_path: Path,
        pr_payload: dict[str, Any]) -> None:
    run_channels(sample_report(), env)
    old = [c["id"] for c in pull.review_comments]
    refuse_once(fake_github, "pulls.create-review", status=502, retry_after=0, times=2)
    ran = run_channels(sample_report(), pushed(pull, pr_payload, tmp_path, fake_github))
    assert [c["id"] for c in pull.review_comments] == old  # none deleted
    assert len(pull.reviews) == 1 and "new inline comments" not in ran.log
    assert "gh-pr-review" in dict(ran.outcome.skipped)


def test_a_502_review_that_landed_on_retry_replaces_the_outdated_comments(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str], tmp_path: Path,
        pr_payload: dict[str, Any]) -> None:
    run_channels(sample_report(), env)
    refuse_once(fake_github, "pulls.create-review", status=502, retry_after=0, times=1)
    run_channels(sample_report(), pushed(pull, pr_payload, tmp_path, fake_github))
    assert len(pull.reviews) == 2 and len(live_ours(pull)) == 3 and len(pull.review_comments) == 3


# --- overlapping runs converge ----------------------------------------------------------------------------


def test_overlapping_runs_leave_duplicates_that_the_next_run_removes(
        fake_github: FakeGitHub, pull: PullState, tmp_path: Path, pr_payload: dict[str, Any]) -> None:
    for name in ("checks.list-for-ref", "pulls.review-comments", "issues.list-comments"):
        hold_until_all_listed(fake_github, name)
    for n in range(3):
        (tmp_path / f"run{n}").mkdir()
    envs = [runner_env(tmp_path / f"run{n}", fake_github, pr_payload) for n in range(3)]
    threads = [threading.Thread(target=run_channels, args=(sample_report(), env)) for env in envs[:2]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(pull.issue_comments) == 2 and len(live_ours(pull)) == 6  # what overlapping runs leave
    run_channels(sample_report(), envs[2])
    assert len(pull.issue_comments) == 1 and len(live_ours(pull)) == 3
    keys = [FP.search(c["body"]).group(1) for c in live_ours(pull)]  # type: ignore[union-attr]
    assert len(set(keys)) == 3
    assert len(pull.check_runs) == 2  # check runs cannot be deleted; GitHub shows the newest


def test_a_duplicate_someone_replied_to_is_resolved_not_deleted(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str]) -> None:
    run_channels(sample_report(), env)
    first = {c["path"]: c for c in live_ours(pull)}
    copy = pull._review_comment(dict(first[CONFIG]), 0, None)  # our own second copy, as an overlap leaves
    pull.threads.append(Thread(f"PRRT_{copy['id']}", [copy["id"]]))
    pull.reply(copy["id"], "discussing here")
    run_channels(sample_report(), env)
    assert copy in pull.review_comments and first[CONFIG] not in pull.review_comments  # the replied one stays
    assert {c["path"] for c in live_ours(pull)} == {CONFIG, DOCKERFILE, GOMOD}


# --- one deadline for all GitHub work ----------------------------------------------------------------------


def local_channels_still_ran(tmp_path: Path, log: str) -> None:
    assert len(re.findall(r"^::(error|warning|notice) ", log, re.MULTILINE)) == 6
    assert "deadline passed" in summary_text(tmp_path)
    assert parse_outputs(tmp_path / "output.txt")["verdict"] == "fail"


def test_a_trickling_answer_cannot_outlast_the_deadline(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str], tmp_path: Path) -> None:
    fake_github.inject(None, *[Fault.trickling(0.5) for _ in range(10)])
    ran = run_channels(sample_report(), env, ["--github-timeout", "1"])
    assert ran.outcome.channels == ("gh-annotations", "gh-step-summary")
    assert {c for c, _ in ran.outcome.skipped} == {"gh-check-run", "gh-pr-review", "gh-sticky-comment"}
    local_channels_still_ran(tmp_path, ran.log)


def test_a_slow_github_stops_the_remaining_channels_at_the_deadline(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str], tmp_path: Path) -> None:
    fake_github.latency = 3.0
    ran = run_channels(sample_report(), env, ["--github-timeout", "0.5"])
    assert pull.reviews == [] and pull.issue_comments == [] and pull.check_runs == []
    assert all("deadline" in why for _, why in ran.outcome.skipped)
    local_channels_still_ran(tmp_path, ran.log)


def test_a_rate_limit_wait_past_the_deadline_is_not_started(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str], tmp_path: Path) -> None:
    refuse_once(fake_github, "checks.create", retry_after=30)
    ran = run_channels(sample_report(), env, ["--github-timeout", "20"])
    assert ran.clock.sleeps == [] and pull.reviews == []
    assert "deadline" in dict(ran.outcome.skipped)["gh-check-run"]


@pytest.fixture
def black_hole() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield sock.getsockname()[1]


def test_the_git_fallback_stops_at_the_deadline_with_a_black_hole_origin(
        fake_github: FakeGitHub, tmp_path: Path, pr_payload: dict[str, Any], black_hole: int) -> None:
    from tests.fakegithub.pulls import file_entry
    from tests.github.test_diff import git

    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "big.json").write_text("{}\n", encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "remote", "add", "origin", f"http://127.0.0.1:{black_hole}/repo.git")
    pull = serve_pull(fake_github, PullState(files=[file_entry("big.json", None, changes=2)]))
    env = runner_env(tmp_path, fake_github, pr_payload, GITHUB_WORKSPACE=str(repo))
    ran = run_channels(sample_report([finding("KP101", "big.json", 1, "x")]), env, ["--github-timeout", "1"])
    assert "deadline" in ran.log
    assert pull.reviews == [] and (tmp_path / "step_summary.md").is_file()
    assert parse_outputs(tmp_path / "output.txt")["verdict"] == "fail"


def test_github_timeout_must_be_a_positive_number() -> None:
    from tests.github.support import parse_args

    assert parse_args(["--github-timeout", "2.5"]).github_timeout == 2.5
    for bad in ("0", "-1", "soon"):
        with pytest.raises(SystemExit):
            parse_args(["--github-timeout", bad])


def test_identity_matches_one_account() -> None:
    from linter.github.client import Identity

    other_app = {"login": "other[bot]", "id": 3, "type": "Bot"}
    actions = Identity("github-actions[bot]", bot=True)
    assert actions.owns(dict(BOT)) and not actions.owns(other_app) and not actions.owns(dict(HUMAN))
    assert Identity("", bot=True).owns(other_app) and not Identity("", bot=True).owns(dict(HUMAN))
    assert Identity("Maintainer").owns(dict(MAINTAINER)) and not Identity("maintainer").owns(dict(BOT))
    assert not Identity("github-actions[bot]").owns(dict(BOT))  # a user's token is never a bot


def test_another_apps_comment_with_our_marker_is_not_ours(
        fake_github: FakeGitHub, pull: PullState, env: dict[str, str]) -> None:
    other = pull.drive_by("issue", "<!-- krakend-plugin-lint:summary -->\nanother app",
                          user={"login": "other[bot]", "id": 3, "type": "Bot"})
    run_channels(sample_report(), env)
    assert other["body"].endswith("another app") and len(pull.ours(pull.issue_comments)) == 1
    assert fake_github.count("POST", r"/graphql$") >= 1  # the viewer query named our bot
