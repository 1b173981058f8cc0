"""The GitHub channels, run in one pass over one Report (the CLI calls ``run_github_channels``).

Order: report files (SARIF, JSON) -> the PR diff (reads) -> workflow-command annotations -> the
check run, the PR review and the sticky comment (writes) -> the job summary -> step outputs.
Annotations and the job summary need no token and are written whatever GitHub does; every API
failure is caught, logged once without the token, and noted in the job summary. A read-only token
(fork PRs, Dependabot) is detected from the first 403 and the run degrades to annotations, job
summary and exit code. All GitHub work (API calls and the ``git diff`` fallback) shares one
wall-clock deadline (``--github-timeout``, default 60 s); once it passes the remaining channels
are skipped and the local ones still run. A channel that cannot read what is already on GitHub
posts nothing (it could only duplicate) and says so. Nothing here decides the exit code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TextIO

from linter.github.channels import annotations as gh_annotations
from linter.github.channels import check_run as gh_check_run
from linter.github.channels import outputs as gh_outputs
from linter.github.channels import pr_review as gh_pr_review
from linter.github.channels import step_summary as gh_step_summary
from linter.github.channels import sticky_comment as gh_sticky_comment
from linter.github.channels.common import Options, SourceLines, threshold, verdict
from linter.github.channels.options import (  # noqa: F401 - add_arguments is part of this API
    ALL_CHANNELS,
    API_CHANNELS,
    DEFAULT_TIMEOUT,
    LEVEL_CHOICES,
    LOCAL_CHANNELS,
    PERMISSIONS,
    SCOPES,
    add_arguments,
)
from linter.github.client import Deadline, GitHubClient, GitHubError, ReadOnlyTokenError
from linter.github.context import GitHubContext, from_env
from linter.github.diff import PullDiff
from linter.github.markdown import log_safe
from linter.github.pull import load_pull
from linter.model import Finding, Location, Report, RuleDoc, Severity


@dataclass(frozen=True)
class ChannelOutcome:
    channels: tuple[str, ...] = ()  # channels that completed
    skipped: tuple[tuple[str, str], ...] = ()  # (channel, why)
    degraded: bool = False  # the token could not write: only annotations and the job summary ran
    notes: tuple[str, ...] = ()
    outputs: Mapping[str, str] = field(default_factory=dict)
    requests: int = 0  # GitHub API requests made
    api_waited: float = 0.0  # seconds spent waiting on rate limits and retries


def options_from(args: argparse.Namespace, has_token: bool, in_actions: bool) -> Options:
    reporters = _reporters(getattr(args, "reporters", None), has_token, in_actions)
    max_comments = getattr(args, "max_comments", None)
    return Options(
        reporters=reporters,
        comment_on=threshold(getattr(args, "comment_on", None), Severity.WARNING),
        annotate_on=threshold(getattr(args, "annotate_on", None), Severity.NOTICE),
        fail_on=threshold(getattr(args, "fail_on", None), Severity.ERROR),
        filter_mode=getattr(args, "filter_mode", None) or "added",
        max_comments=25 if max_comments is None else max(0, int(max_comments)),
    )


def _reporters(value: str | None, has_token: bool, in_actions: bool) -> tuple[str, ...]:
    if value is None or not value.strip():
        if not in_actions:
            return ()
        return ALL_CHANNELS if has_token else LOCAL_CHANNELS
    names = [name.strip() for name in value.replace("\n", ",").split(",") if name.strip()]
    return tuple(name for name in dict.fromkeys(names) if name in ALL_CHANNELS)


def timeout_from(args: argparse.Namespace) -> float:
    """Seconds all GitHub work of a run may take (``--github-timeout``; 0 or less: the default)."""
    value = getattr(args, "github_timeout", None)
    return float(value) if isinstance(value, int | float) and value > 0 else DEFAULT_TIMEOUT


def token_from(args: argparse.Namespace, env: Mapping[str, str]) -> str:
    return (getattr(args, "github_token", None) or env.get("INPUT_GITHUB-TOKEN") or env.get("GITHUB_TOKEN")
            or "").strip()


class _Run:
    """The state of one pass: what ran, what was skipped, notes for the summary, the log."""

    def __init__(self, out: TextIO, token: str) -> None:
        self.out = out
        self.token = token
        self.ran: list[str] = []
        self.skipped: list[tuple[str, str]] = []
        self.notes: list[str] = []
        self.denied: set[str] = set()
        self.degraded = False

    def log(self, text: str) -> None:
        if self.token:
            text = text.replace(self.token, "***")
        self.out.write(f"krakend-plugin-lint: {log_safe(text)}\n")
        self.out.flush()

    def skip(self, channel: str, why: str) -> None:
        self.skipped.append((channel, why))
        self.notes.append(f"{channel}: {why}")
        self.log(f"{channel} skipped: {why}")


def run_github_channels(report: Report, rules: tuple[RuleDoc, ...], args: argparse.Namespace,
                        env: Mapping[str, str], source_lines: SourceLines | None = None, *,
                        out: TextIO | None = None, client_factory: Callable[..., GitHubClient] | None = None
                        ) -> ChannelOutcome:
    """Send ``report`` to every selected GitHub channel; never raises for GitHub's sake."""
    ctx = from_env(env)
    token = token_from(args, env)
    opts = options_from(args, bool(token), ctx.in_actions)
    state = _Run(out or sys.stdout, token)
    report = _repo_relative(report, ctx)
    the_verdict = verdict(report, opts.fail_on)
    for problem in ctx.problems:
        state.log(problem)
    outputs: dict[str, str] = {"sarif-file": "", "json-file": ""}
    _guard(state, "report files", lambda: outputs.update(
        gh_outputs.write_report_files(report, rules, args, env, opts, source_lines, state.log)))
    deadline = Deadline(timeout_from(args))
    client = _client(ctx, token, opts, state, client_factory, deadline)
    diff: PullDiff | None = None
    try:
        if client is not None:
            ctx, diff = _guarded_diff(client, ctx, state)
        if "gh-annotations" in opts.reporters and _guard(state, "gh-annotations", lambda: gh_annotations.emit(
                findings_for_annotations(report, opts), state.out, diff)):
            state.ran.append("gh-annotations")
        if client is not None:
            _api_channels(client, ctx, report, rules, opts, the_verdict, diff, source_lines, state)
    finally:
        requests, waited = (len(client.records), client.waited) if client else (0, 0.0)
        if client is not None:
            client.close()
            state.log(f"GitHub API: {requests} requests, {waited:.0f}s waited")
    if "gh-step-summary" in opts.reporters:
        _guard(state, "gh-step-summary", lambda: _step_summary(ctx, report, opts, the_verdict, state))
    outputs.update(gh_outputs.counts_and_verdict(report, the_verdict))
    gh_outputs.write_outputs(ctx.output_file, outputs, state.log)
    return ChannelOutcome(tuple(state.ran), tuple(state.skipped), state.degraded, tuple(state.notes),
                          outputs, requests, waited)


def _guard(state: _Run, what: str, action: Callable[[], object]) -> bool:
    """Run one local step; a bug in it is logged and noted, and the other channels still run."""
    try:
        action()
    except Exception as err:  # the findings must reach the other channels whatever happens here
        state.skip(what, f"internal error: {type(err).__name__}: {str(err)[:200]}")
        return False
    return True


def _guarded_diff(client: GitHubClient, ctx: GitHubContext, state: _Run) -> tuple[GitHubContext, PullDiff | None]:
    try:
        return load_pull(client, ctx, state.log)
    except Exception as err:  # GitHub errors are handled inside; this is a bug or a broken checkout
        state.log(f"cannot work out the pull request's changed lines: {type(err).__name__}: {str(err)[:200]}")
        return ctx, None


# --- setup -------------------------------------------------------------------------------------------


def _client(ctx: GitHubContext, token: str, opts: Options, state: _Run,
            factory: Callable[..., GitHubClient] | None, deadline: Deadline) -> GitHubClient | None:
    wanted = [c for c in opts.reporters if c in API_CHANNELS]
    if not wanted:
        return None
    why = ""
    if not token:
        why = "no GitHub token (pass github-token, or set GITHUB_TOKEN)"
    elif not ctx.repository or not ctx.head_sha:
        why = "not in a GitHub Actions run with a repository and a commit (GITHUB_REPOSITORY, event payload)"
    if why:
        for channel in wanted:
            state.skip(channel, why)
        return None
    make = factory or GitHubClient
    return make(token, ctx.api_url, ctx.graphql_url, log=state.log, deadline=deadline)


def _repo_relative(report: Report, ctx: GitHubContext) -> Report:
    """Paths relative to the repository root, as GitHub wants them (we may run in a subfolder)."""
    prefix = ""
    if ctx.workspace:
        try:
            rel = Path.cwd().resolve().relative_to(Path(ctx.workspace).resolve())
            prefix = rel.as_posix() if rel.as_posix() != "." else ""
        except (ValueError, OSError):
            prefix = ""

    def fix(loc: Location) -> Location:
        path = loc.path.replace("\\", "/").removeprefix("./")
        if path.startswith("/github/workspace/"):
            path = path.removeprefix("/github/workspace/")
        elif prefix and not path.startswith("/"):
            path = str(PurePosixPath(prefix) / path)
        return loc if path == loc.path else replace(loc, path=path)

    findings = tuple(replace(f, location=fix(f.location)) for f in report.findings)
    return replace(report, findings=findings)


# --- the API channels ----------------------------------------------------------------------------------


def _api_channels(client: GitHubClient, ctx: GitHubContext, report: Report, rules: tuple[RuleDoc, ...],
                  opts: Options, the_verdict: str, diff: PullDiff | None, source_lines: SourceLines | None,
                  state: _Run) -> None:
    for channel in API_CHANNELS:
        if channel not in opts.reporters:
            continue
        if client.dead:
            state.skip(channel, client.dead)
            continue
        if SCOPES[channel] in state.denied:
            state.skip(channel, f"the token cannot write {SCOPES[channel]}")
            continue
        if channel != "gh-check-run" and not ctx.has_pr:
            state.skip(channel, "no pull request for this event")
            continue
        if channel == "gh-pr-review" and diff is None:
            state.skip(channel, "the pull request's changed lines are unknown")
            continue
        try:
            _one_channel(channel, client, ctx, report, rules, opts, the_verdict, diff, source_lines, state)
            state.ran.append(channel)
        except ReadOnlyTokenError as err:
            _read_only(channel, ctx, err, state)
        except GitHubError as err:
            state.skip(channel, _api_error_text(err, client))
        except Exception as err:  # a reporter bug must not lose the other channels
            state.skip(channel, f"internal error: {type(err).__name__}: {client.redact(str(err))[:200]}")


def _api_error_text(err: GitHubError, client: GitHubClient) -> str:
    text = client.redact(str(err))
    if err.kind == "deadline":
        return f"{text}; stopped before finishing (raise github-timeout if GitHub is slow here)"
    if err.kind == "unreadable":
        return (f"could not read what is already on GitHub ({text}); posted nothing more, so that nothing "
                "is posted twice")
    return f"GitHub API error: {text}"


def _one_channel(channel: str, client: GitHubClient, ctx: GitHubContext, report: Report,
                 rules: tuple[RuleDoc, ...], opts: Options, the_verdict: str, diff: PullDiff | None,
                 source_lines: SourceLines | None, state: _Run) -> None:
    if channel == "gh-check-run":
        fields = gh_check_run.build(report, rules, the_verdict, opts.fail_on, diff, source_lines)
        result = gh_check_run.publish(client, ctx, fields, state.log)
        state.log(f"check run {result.check_run_id}: "
                  + ("unchanged" if result.reused else f"{result.annotations} annotations"))
    elif channel == "gh-pr-review":
        assert diff is not None
        review = gh_pr_review.publish(client, ctx, report, rules, opts, diff, source_lines, state.log)
        state.log(f"PR review: {review.posted} new inline comments, {review.kept} already there, "
                  f"{review.body_only} in the review body")
    else:
        body, content = gh_sticky_comment.render_body(report, the_verdict, opts.fail_on, state.notes,
                                                      ctx.run_url, diff)
        sticky = gh_sticky_comment.publish(client, ctx, body, content, bool(report.active))
        state.log(f"summary comment: {sticky.action}"
                  + (f", {sticky.removed} duplicate(s) of ours deleted" if sticky.removed else ""))


def _read_only(channel: str, ctx: GitHubContext, err: ReadOnlyTokenError, state: _Run) -> None:
    scope = SCOPES[channel]
    state.denied.add(scope)
    if ctx.likely_read_only or len(state.denied) == len(set(SCOPES.values())):
        state.denied.update(SCOPES.values())
        state.degraded = True
        reason = ctx.read_only_reason or "the token is read-only"
        state.skip(channel, f"{reason}: reporting through annotations, the job summary and the exit code only. "
                            "For comments on fork PRs use the two-workflow setup (examples/workflows)")
    else:
        state.skip(channel, f"the token may not write {scope} (403); the workflow needs {PERMISSIONS}")


# --- local outputs ---------------------------------------------------------------------------------------


def _step_summary(ctx: GitHubContext, report: Report, opts: Options, the_verdict: str, state: _Run) -> None:
    if not ctx.step_summary:
        state.skip("gh-step-summary", "GITHUB_STEP_SUMMARY is not set")
        return
    problem = gh_step_summary.publish(ctx.step_summary, report, the_verdict, opts.fail_on, state.notes)
    if problem:
        state.skip("gh-step-summary", problem)
    else:
        state.ran.append("gh-step-summary")


def findings_for_annotations(report: Report, opts: Options) -> list[Finding]:
    """Active findings at or above annotate-on."""
    return [f for f in report.active if opts.annotate_on is not None and f.severity >= opts.annotate_on]
