"""What every GitHub channel shares: the ``Channel`` protocol and the one ``RunState`` of a pass.

A channel is an object with a ``name`` (the ``--reporters`` word), what it ``needs`` before it can
run, the token ``scope`` it writes with ("" for channels that write nothing on GitHub), and
``run(state)``. The runner (``linter.github.channels.run``) checks the needs, calls ``run`` and
turns whatever goes wrong into a skip with a reason, so one channel never loses the others' output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol, TextIO

from linter.github.channels.common import SourceLines
from linter.github.channels.options import ChannelOptions
from linter.github.client import GitHubClient
from linter.github.context import GitHubContext
from linter.github.diff import PullDiff
from linter.github.markdown import log_safe
from linter.model import Report, RuleDoc

# "token": a GitHub client (a token, and a run with a repository and a commit);
# "pull_request": an event with a pull request; "diff": the pull request's changed lines are known.
Need = Literal["token", "pull_request", "diff"]


class ChannelSkipError(Exception):
    """Raised by a channel that found it cannot do its work; the message says why."""


@dataclass
class RunState:
    """One pass of the channels over one report: what they read, and what happened so far."""

    context: GitHubContext
    report: Report  # paths relative to the repository root
    rules: tuple[RuleDoc, ...]
    options: ChannelOptions
    verdict: str  # "pass" or "fail", by fail-on
    out: TextIO  # the step log
    source_lines: SourceLines | None = None
    client: GitHubClient | None = None
    diff: PullDiff | None = None
    ran: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # for the job summary and the sticky comment
    denied: set[str] = field(default_factory=set)  # token scopes GitHub refused
    degraded: bool = False

    @property
    def api(self) -> GitHubClient:
        """The client; the runner runs a channel that needs the token only when there is one."""
        if self.client is None:
            raise RuntimeError("no GitHub client for a channel that needs the token")
        return self.client

    def mask(self, text: str) -> str:
        token = self.options.token
        return text.replace(token, "***") if token else text

    def log(self, text: str) -> None:
        self.out.write(f"krakend-plugin-lint: {log_safe(self.mask(text))}\n")
        self.out.flush()

    def skip(self, channel: str, why: str) -> None:
        self.skipped.append((channel, why))
        self.notes.append(f"{channel}: {why}")
        self.log(f"{channel} skipped: {why}")


class Channel(Protocol):
    name: str  # the --reporters word, "gh-check-run"
    needs: frozenset[Need]
    scope: str  # the token permission it writes with ("checks", "pull-requests"), "" if none

    def run(self, state: RunState) -> None:
        """Do the channel's work, logging what it did; raise to report a failure (the runner skips it)."""
