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

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TextIO

from linter.github.channels import outputs as step_outputs
from linter.github.channels.annotations import Annotations
from linter.github.channels.check_run import CheckRun
from linter.github.channels.common import SourceLines, verdict
from linter.github.channels.options import API_CHANNELS, PERMISSIONS, ChannelOptions
from linter.github.channels.pr_review import PullRequestReview
from linter.github.channels.state import Channel, ChannelSkipError, RunState
from linter.github.channels.step_summary import StepSummary
from linter.github.channels.sticky_comment import StickyComment
from linter.github.client import Deadline, GitHubClient, GitHubError, ReadOnlyTokenError
from linter.github.context import GitHubContext, from_env
from linter.github.diff import PullDiff
from linter.github.pull import load_pull
from linter.model import Location, Report, RuleDoc

# Every channel, in the order they run. The job summary comes last: it lists what the others could not do.
CHANNELS: tuple[Channel, ...] = (Annotations(), CheckRun(), PullRequestReview(), StickyComment(), StepSummary())


@dataclass(frozen=True)
class ChannelOutcome:
    channels: tuple[str, ...] = ()  # channels that completed
    skipped: tuple[tuple[str, str], ...] = ()  # (channel, why)
    degraded: bool = False  # the token could not write: only annotations and the job summary ran
    notes: tuple[str, ...] = ()
    outputs: Mapping[str, str] = field(default_factory=dict)
    requests: int = 0  # GitHub API requests made
    api_waited: float = 0.0  # seconds spent waiting on rate limits and retries


def run_github_channels(report: Report, rules: tuple[RuleDoc, ...], opts: ChannelOptions,
                        env: Mapping[str, str], source_lines: SourceLines | None = None, *,
                        out: TextIO | None = None, client_factory: Callable[..., GitHubClient] | None = None
                        ) -> ChannelOutcome:
    """Send ``report`` to every channel ``opts`` selects; never raises for GitHub's sake. ``env`` is the
    runner's environment (the event, the repository, the files for the job summary and outputs)."""
    ctx = from_env(env)
    report = _repo_relative(report, ctx)
    state = RunState(ctx, report, rules, opts, verdict(report, opts.fail_on), out or sys.stdout, source_lines)
    for problem in ctx.problems:
        state.log(problem)
    outputs: dict[str, str] = {"sarif-file": "", "json-file": ""}
    _guard(state, "report files", lambda: outputs.update(
        step_outputs.write_report_files(report, rules, env, opts, source_lines, state.log)))
    state.client = _client(state, client_factory, Deadline(opts.timeout))
    last_api = max(i for i, channel in enumerate(CHANNELS) if "token" in channel.needs)
    try:
        if state.client is not None:
            state.context, state.diff = _guarded_diff(state.client, state)
        for channel in CHANNELS[: last_api + 1]:
            _run(channel, state)
    finally:
        requests, waited = _close(state)
    for channel in CHANNELS[last_api + 1 :]:
        _run(channel, state)
    outputs.update(step_outputs.counts_and_verdict(report, state.verdict))
    step_outputs.write_outputs(state.context.output_file, outputs, state.log)
    return ChannelOutcome(tuple(state.ran), tuple(state.skipped), state.degraded, tuple(state.notes),
                          outputs, requests, waited)


def _guard(state: RunState, what: str, action: Callable[[], object]) -> None:
    """Run one local step; a bug in it is logged and noted, and the other channels still run."""
    try:
        action()
    except Exception as err:  # the findings must reach the other channels whatever happens here
        state.skip(what, f"internal error: {type(err).__name__}: {str(err)[:200]}")


def _guarded_diff(client: GitHubClient, state: RunState) -> tuple[GitHubContext, PullDiff | None]:
    try:
        return load_pull(client, state.context, state.log)
    except Exception as err:  # GitHub errors are handled inside; this is a bug or a broken checkout
        state.log(f"cannot work out the pull request's changed lines: {type(err).__name__}: {str(err)[:200]}")
        return state.context, None


def _close(state: RunState) -> tuple[int, float]:
    """Close the client once the channels that need it are done; (requests made, seconds waited)."""
    client = state.client
    if client is None:
        return 0, 0.0
    requests, waited = len(client.records), client.waited
    client.close()
    state.log(f"GitHub API: {requests} requests, {waited:.0f}s waited")
    return requests, waited


# --- setup -------------------------------------------------------------------------------------------


def _client(state: RunState, factory: Callable[..., GitHubClient] | None, deadline: Deadline) -> GitHubClient | None:
    wanted = [name for name in state.options.channels if name in API_CHANNELS]
    if not wanted:
        return None
    why = ""
    if not state.options.token:
        why = "no GitHub token (pass github-token, or set GITHUB_TOKEN)"
    elif not state.context.repository or not state.context.head_sha:
        why = "not in a GitHub Actions run with a repository and a commit (GITHUB_REPOSITORY, event payload)"
    if why:
        for name in wanted:
            state.skip(name, why)
        return None
    make = factory or GitHubClient
    return make(state.options.token, state.context.api_url, state.context.graphql_url, log=state.log, deadline=deadline)


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


# --- running one channel ----------------------------------------------------------------------------


def _run(channel: Channel, state: RunState) -> None:
    """Run ``channel`` if it was selected and what it needs is there; any failure becomes a skip."""
    if channel.name not in state.options.channels:
        return
    why = _missing(channel, state)
    if why is not None:
        if why:
            state.skip(channel.name, why)
        return
    try:
        channel.run(state)
    except ChannelSkipError as err:
        state.skip(channel.name, str(err))
    except ReadOnlyTokenError as err:
        _read_only(channel, err, state)
    except GitHubError as err:
        state.skip(channel.name, _api_error_text(err, state))
    except Exception as err:  # a channel's bug must not lose the other channels
        state.skip(channel.name, f"internal error: {type(err).__name__}: {state.mask(str(err))[:200]}")
    else:
        state.ran.append(channel.name)


def _missing(channel: Channel, state: RunState) -> str | None:
    """Why ``channel`` cannot run: None when it can, "" when that was already said (no client)."""
    if "token" in channel.needs:
        if state.client is None:
            return ""  # _client said why, once per channel
        if state.client.dead:
            return state.client.dead
        if channel.scope in state.denied:
            return f"the token cannot write {channel.scope}"
    if "pull_request" in channel.needs and not state.context.has_pr:
        return "no pull request for this event"
    if "diff" in channel.needs and state.diff is None:
        return "the pull request's changed lines are unknown"
    return None


def _api_error_text(err: GitHubError, state: RunState) -> str:
    text = state.mask(str(err))
    if err.kind == "deadline":
        return f"{text}; stopped before finishing (raise github-timeout if GitHub is slow here)"
    if err.kind == "unreadable":
        return (f"could not read what is already on GitHub ({text}); posted nothing more, so that nothing "
                "is posted twice")
    return f"GitHub API error: {text}"


def _read_only(channel: Channel, err: ReadOnlyTokenError, state: RunState) -> None:
    scopes = {c.scope for c in CHANNELS if c.scope}
    state.denied.add(channel.scope)
    if state.context.likely_read_only or state.denied >= scopes:
        state.denied.update(scopes)
        state.degraded = True
        reason = state.context.read_only_reason or "the token is read-only"
        state.skip(channel.name, f"{reason}: reporting through annotations, the job summary and the exit code "
                                 "only. For comments on fork PRs use the two-workflow setup (examples/workflows)")
    else:
        state.skip(channel.name, f"the token may not write {channel.scope} (403); the workflow needs {PERMISSIONS}")
