"""Shared pieces of the GitHub channel tests: a fake clock, runner environments, a sample PR and
report, and ``run_channels`` (run_github_channels with the fake clock and captured output)."""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linter.github.channels.run import ChannelOutcome, run_github_channels
from linter.github.client import GitHubClient, Pacing
from linter.github_flags import add_arguments, channel_options
from linter.model import Fact, Finding, Fix, Location, PluginSummary, Report, RuleDoc, RuleMeta, Severity
from tests.fakegithub.pulls import PullState, file_entry, patch_for
from tests.fakegithub.server import FakeGitHub

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_VERSION = "7.6.1"
EXAMPLES_DIR = REPO_ROOT / ".cache" / "octokit" / f"webhooks-examples-{EXAMPLES_VERSION}"
FALLBACK_PAYLOAD = Path(__file__).parent / "data" / "pull_request.opened.json"
TOKEN = "ghs_FAKEtokenVALUE0123456789abcdefABCDEF"
MERGE_SHA = "a" * 40
FIXED_SHA = "b" * 40


# --- time ------------------------------------------------------------------------------------------


@dataclass
class FakeClock:
    """Monotonic and wall clocks that only move when the client sleeps."""

    now: float = 1000.0
    wall_base: float = 1_800_000_000.0
    sleeps: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    def wall(self) -> float:
        return self.wall_base + self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


# --- event payloads -----------------------------------------------------------------------------------


def webhook_examples() -> list[dict[str, Any]] | None:
    """``@octokit/webhooks-examples`` (api.github.com), unpacked once into ``.cache/octokit/``."""
    index = EXAMPLES_DIR / "package" / "api.github.com" / "index.json"
    if not index.is_file():
        _npm_pack(index.parent.parent.parent)
    if not index.is_file():
        return None
    data = json.loads(index.read_text(encoding="utf-8"))
    return data if isinstance(data, list) else None


def _npm_pack(target: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        try:
            subprocess.run([npm, "pack", f"@octokit/webhooks-examples@{EXAMPLES_VERSION}", "--silent"], cwd=tmp,
                           capture_output=True, timeout=120, check=False)
        except (OSError, subprocess.SubprocessError):
            return
        tarballs = list(Path(tmp).glob("*.tgz"))
        if not tarballs:
            return
        with tarfile.open(tarballs[0]) as archive:
            members = [m for m in archive.getmembers() if m.name == "package/api.github.com/index.json"]
            target.mkdir(parents=True, exist_ok=True)
            archive.extractall(target, members=members, filter="data")


def example_payload(examples: list[dict[str, Any]] | None, event: str, action: str | None) -> dict[str, Any] | None:
    for entry in examples or []:
        if entry.get("name") == event:
            for example in entry.get("examples") or []:
                if action is None or example.get("action") == action:
                    return dict(example)
    return None


def pull_request_payload(examples: list[dict[str, Any]] | None) -> dict[str, Any]:
    found = example_payload(examples, "pull_request", "opened")
    return found if found is not None else json.loads(FALLBACK_PAYLOAD.read_text(encoding="utf-8"))


def fork_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The same PR, opened from a fork (the token of such a run is read-only)."""
    forked = json.loads(json.dumps(payload))
    head_repo = forked["pull_request"]["head"]["repo"]
    head_repo.update(id=999_001, full_name="forker/Hello-World", fork=True)
    head_repo["owner"] = {"login": "forker", "id": 999_002, "type": "User"}
    forked["pull_request"]["head"]["label"] = "forker:changes"
    return forked


# --- environment ------------------------------------------------------------------------------------------


def runner_env(tmp: Path, server: FakeGitHub, payload: Mapping[str, Any], event: str = "pull_request",
               **extra: str) -> dict[str, str]:
    """What the runner sets for a container action step (paths translated into ``tmp``)."""
    event_file = tmp / "event.json"
    event_file.write_text(json.dumps(payload), encoding="utf-8")
    (tmp / "runner_temp").mkdir(exist_ok=True)
    env = {
        "GITHUB_ACTIONS": "true",
        "CI": "true",
        "GITHUB_EVENT_NAME": event,
        "GITHUB_EVENT_PATH": str(event_file),
        "GITHUB_REPOSITORY": "Codertocat/Hello-World",
        "GITHUB_SHA": MERGE_SHA,
        "GITHUB_REF": "refs/pull/2/merge",
        "GITHUB_ACTOR": "Codertocat",
        "GITHUB_API_URL": server.url,
        "GITHUB_GRAPHQL_URL": server.url + "/graphql",
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_RUN_ID": "4242",
        "GITHUB_RUN_ATTEMPT": "1",
        "GITHUB_STEP_SUMMARY": str(tmp / "step_summary.md"),
        "GITHUB_OUTPUT": str(tmp / "output.txt"),
        "RUNNER_TEMP": str(tmp / "runner_temp"),
        "INPUT_GITHUB-TOKEN": TOKEN,
    }
    env.update(extra)
    return env


def parse_outputs(path: Path) -> dict[str, str]:
    """``name<<DELIM`` blocks of a GITHUB_OUTPUT file."""
    out: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").split("\n") if path.exists() else []
    i = 0
    while i < len(lines):
        if "<<" in lines[i]:
            name, delim = lines[i].split("<<", 1)
            end = lines.index(delim, i + 1)
            out[name] = "\n".join(lines[i + 1 : end])
            i = end
        i += 1
    return out


# --- the sample pull request and findings ---------------------------------------------------------------------

GOMOD = "plugins/auth/go.mod"
DOCKERFILE = "plugins/auth/Dockerfile"
CONFIG = "config/krakend.json"
OUTSIDE = "plugins/other/main.go"


def sample_files() -> list[dict[str, Any]]:
    return [
        file_entry(GOMOD, patch_for([3, 5], total=12)),
        file_entry(DOCKERFILE, patch_for([1, 2], total=6)),
        file_entry(CONFIG, patch_for([20], total=40)),
    ]


def sample_pull(**kwargs: Any) -> PullState:
    return PullState(files=sample_files(), **kwargs)


def meta(rule: str, name: str, severity: Severity) -> RuleMeta:
    return RuleMeta(rule, name, f"{name} summary", severity)


RULES = (
    RuleDoc(meta("KP101", "gomod-require-version", Severity.ERROR),
            "A required module must have the version KrakenD was built with.\n\n## Why\nplugin.Open fails."),
    RuleDoc(meta("KP102", "gomod-go-directive", Severity.WARNING), "The go directive should match.\n\n## Why\n..."),
    RuleDoc(meta("KP201", "builder-go-version", Severity.ERROR), "Builder image Go version must match.\n\n## Why\n."),
    RuleDoc(meta("KP301", "config-plugin-folder", Severity.WARNING), "The plugin folder must exist.\n\n## Why\n."),
    RuleDoc(meta("KP401", "handler-registerer", Severity.NOTICE), "Export HandlerRegisterer.\n\n## Why\n."),
    RuleDoc(meta("KP501", "gomod-missing-module", Severity.ERROR), "go.mod must name the module.\n\n## Why\n."),
)
_BY_ID = {doc.meta.id: doc.meta for doc in RULES}


def finding(rule: str, path: str, line: int, message: str, *, end_line: int = 0, column: int = 0,
            severity: Severity | None = None, hint: str = "", fix: Fix | None = None,
            plugin: str = "plugins/auth") -> Finding:
    return _BY_ID[rule].finding(Location(path, line, column, end_line), message, hint=hint, fix=fix,
                                severity=severity, plugin=plugin)


def sample_findings() -> list[Finding]:
    return [
        finding("KP201", DOCKERFILE, 1, "builder image golang:1.22.4 has Go 1.22.4 but KrakenD 2.7.0 needs 1.22.7",
                column=6, hint="use the builder image of the same release",
                fix=Fix(1, "FROM krakend/builder:2.7.0 AS builder")),
        finding("KP101", GOMOD, 3, "github.com/gin-gonic/gin is v1.9.0 but KrakenD 2.7.0 has v1.9.1",
                hint="require github.com/gin-gonic/gin v1.9.1"),
        finding("KP102", GOMOD, 8, "go directive 1.21 is older than the Go of KrakenD 2.7.0 (1.22)"),
        finding("KP301", CONFIG, 20, "plugin folder ./plugins is not where the Dockerfile copies the .so",
                plugin=""),
        finding("KP401", OUTSIDE, 10, "no HandlerRegisterer is exported", plugin="plugins/other"),
        finding("KP501", GOMOD, 0, "go.mod has no module directive"),
    ]


def sample_report(findings: list[Finding] | None = None) -> Report:
    return Report(
        findings=tuple(sorted(findings if findings is not None else sample_findings(), key=Finding.sort_key)),
        plugins=(PluginSummary("plugins/auth", "github.com/acme/auth", ("http-server",)),
                 PluginSummary("plugins/other", "github.com/acme/other", ("http-client",))),
        krakend=(Fact("version", "2.7.0", "plugins/auth/Dockerfile:6"), Fact("go", "1.22.7", "release table")),
        tool_version="0.1.0",
    )


def many_findings(n: int) -> list[Finding]:
    """``n`` findings spread over the sample files (in and out of the diff) and one big file."""
    out = []
    for i in range(n):
        path = (GOMOD, DOCKERFILE, CONFIG, OUTSIDE)[i % 4]
        line = 1 + (i % 40)
        out.append(finding(("KP101", "KP102", "KP301", "KP401")[i % 4], path, line,
                           f"problem number {i} with `code` and @someone " + "x" * (i % 300)))
    return out


# --- running the channels ------------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fail-on", default=None)
    parser.add_argument("--output", action="append", default=[])
    add_arguments(parser)
    return parser.parse_args(argv)


@dataclass
class Ran:
    outcome: ChannelOutcome
    log: str
    clock: FakeClock


def run_channels(report: Report, env: Mapping[str, str], argv: list[str] | None = None,
                 clock: FakeClock | None = None, pacing: Pacing | None = None,
                 source_lines: Any = None) -> Ran:
    clock = clock or FakeClock()
    out = io.StringIO()

    def factory(token: str, api_url: str, graphql_url: str, **kwargs: Any) -> GitHubClient:
        return GitHubClient(token, api_url, graphql_url, pacing=pacing, clock=clock.monotonic,
                            wall_clock=clock.wall, sleep=clock.sleep, **kwargs)

    args = parse_args(argv or [])
    outputs = [(name, Path(file)) for name, _, file in (item.partition("=") for item in args.output)]
    outcome = run_github_channels(report, RULES, channel_options(args, env, outputs), env, source_lines, out=out,
                                  client_factory=factory)
    return Ran(outcome, out.getvalue(), clock)
