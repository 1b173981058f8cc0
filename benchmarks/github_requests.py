"""GitHub API requests per reporting scenario, against the fake GitHub on 127.0.0.1.

    python -m benchmarks.github_requests

For each scenario: requests made (reads / writes), how many of the writes are check-run
annotation batches (the only thing allowed to grow with the number of findings), and the seconds
the client slept (a fake clock: nothing really waits). Every request is validated against GitHub's
OpenAPI description; a violation fails the run.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.fakegithub.pulls import PullState, file_entry, patch_for, refuse_once, serve_pull
from tests.fakegithub.server import FakeGitHub, Fault
from tests.github.support import (
    FIXED_SHA,
    GOMOD,
    OUTSIDE,
    FakeClock,
    finding,
    fork_payload,
    many_findings,
    pull_request_payload,
    run_channels,
    runner_env,
    sample_findings,
    sample_pull,
    sample_report,
    webhook_examples,
)

WRITES = ("POST", "PATCH", "PUT", "DELETE")


@dataclass
class Row:
    scenario: str
    findings: int
    reads: int
    writes: int
    batches: int
    slept: float


Scenario = Callable[[FakeGitHub, Path, dict[str, Any]], tuple[int, FakeClock, int]]


def first_run(server: FakeGitHub, tmp: Path, payload: dict[str, Any]) -> tuple[int, FakeClock, int]:
    serve_pull(server, sample_pull())
    ran = run_channels(sample_report(), runner_env(tmp, server, payload))
    return len(sample_findings()), ran.clock, 0


def rerun(server: FakeGitHub, tmp: Path, payload: dict[str, Any]) -> tuple[int, FakeClock, int]:
    serve_pull(server, sample_pull())
    run_channels(sample_report(), runner_env(tmp, server, payload))
    skip = len(server.requests)
    ran = run_channels(sample_report(), runner_env(tmp, server, payload))
    return len(sample_findings()), ran.clock, skip


def push_fixes(server: FakeGitHub, tmp: Path, payload: dict[str, Any]) -> tuple[int, FakeClock, int]:
    pull = serve_pull(server, sample_pull())
    run_channels(sample_report(), runner_env(tmp, server, payload))
    ours = pull.ours(pull.review_comments)
    pull.reply(ours[0]["id"], "on it")
    pull.push(FIXED_SHA, pull.files)
    fixed_payload = json.loads(json.dumps(payload))
    fixed_payload["pull_request"]["head"]["sha"] = FIXED_SHA
    remaining = [f for f in sample_findings() if f.rule not in ("KP101", "KP201")]
    skip = len(server.requests)
    ran = run_channels(sample_report(remaining), runner_env(tmp, server, fixed_payload))
    return len(remaining), ran.clock, skip


def outside_diff(server: FakeGitHub, tmp: Path, payload: dict[str, Any]) -> tuple[int, FakeClock, int]:
    serve_pull(server, sample_pull())
    found = [finding("KP101", OUTSIDE, 3, "not in this PR"), finding("KP102", GOMOD, 11, "unchanged line")]
    ran = run_channels(sample_report(found), runner_env(tmp, server, payload))
    return len(found), ran.clock, 0


def many_files(server: FakeGitHub, tmp: Path, payload: dict[str, Any]) -> tuple[int, FakeClock, int]:
    files = [file_entry(f"plugins/p{n}/go.mod", patch_for([2], total=5)) for n in range(320)]
    serve_pull(server, PullState(files=files))
    found = [finding("KP101", f"plugins/p{n}/go.mod", 2, f"problem {n}") for n in range(0, 320, 40)]
    ran = run_channels(sample_report(found), runner_env(tmp, server, payload))
    return len(found), ran.clock, 0


def findings_2000(server: FakeGitHub, tmp: Path, payload: dict[str, Any]) -> tuple[int, FakeClock, int]:
    serve_pull(server, sample_pull())
    ran = run_channels(sample_report(many_findings(2000)), runner_env(tmp, server, payload))
    return 2000, ran.clock, 0


def fork(server: FakeGitHub, tmp: Path, payload: dict[str, Any]) -> tuple[int, FakeClock, int]:
    serve_pull(server, sample_pull(read_only=True))
    ran = run_channels(sample_report(), runner_env(tmp, server, fork_payload(payload)))
    return len(sample_findings()), ran.clock, 0


def rate_limited(server: FakeGitHub, tmp: Path, payload: dict[str, Any]) -> tuple[int, FakeClock, int]:
    serve_pull(server, sample_pull())
    refuse_once(server, "pulls.create-review", retry_after=30)
    ran = run_channels(sample_report(), runner_env(tmp, server, payload))
    return len(sample_findings()), ran.clock, 0


def review_500_landed(server: FakeGitHub, tmp: Path, payload: dict[str, Any]) -> tuple[int, FakeClock, int]:
    serve_pull(server, sample_pull())
    server.inject("pulls.create-review", Fault.server_error(500))
    ran = run_channels(sample_report(), runner_env(tmp, server, payload))
    return len(sample_findings()), ran.clock, 0


SCENARIOS: dict[str, Scenario] = {
    "first run": first_run,
    "re-run, nothing changed": rerun,
    "push that fixes findings": push_fixes,
    "findings outside the diff": outside_diff,
    "320 changed files": many_files,
    "2,000 findings": findings_2000,
    "fork PR (read-only token)": fork,
    "rate limit on create-review": rate_limited,
    "500 on a review that landed": review_500_landed,
}


def measure(name: str, scenario: Scenario, payload: dict[str, Any]) -> Row:
    with FakeGitHub() as server, tempfile.TemporaryDirectory() as tmp:
        found, clock, skip = scenario(server, Path(tmp), payload)
        server.assert_no_violations()
        requests = server.requests[skip:]
    writes = [r for r in requests if r.method in WRITES and not _graphql_query(r.path, r.json)]
    batches = sum(1 for r in writes if r.method == "PATCH" and "/check-runs/" in r.path)
    return Row(name, found, len(requests) - len(writes), len(writes), batches, sum(clock.sleeps))


def _graphql_query(path: str, body: Any) -> bool:
    """A GraphQL POST that only reads (a mutation counts as a write)."""
    query = str(body.get("query", "")) if isinstance(body, dict) else ""
    return path.endswith("/graphql") and not query.lstrip().startswith("mutation")


def main() -> int:
    payload = pull_request_payload(webhook_examples())
    rows = [measure(name, scenario, payload) for name, scenario in SCENARIOS.items()]
    header = f"{'scenario':<30} {'findings':>8} {'reads':>6} {'writes':>6} {'batches':>8} {'total':>6} {'slept':>6}"
    sys.stdout.write(header + "\n" + "-" * len(header) + "\n")
    for row in rows:
        sys.stdout.write(f"{row.scenario:<30} {row.findings:>8} {row.reads:>6} {row.writes:>6} {row.batches:>8} "
                         f"{row.reads + row.writes:>6} {row.slept:>5.0f}s\n")
    sys.stdout.write("\nreads include GraphQL queries, writes GraphQL mutations; batches = check-run PATCHes "
                     "appending 50 annotations each\n(the only requests that grow with the number of findings, "
                     "capped at 19)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
