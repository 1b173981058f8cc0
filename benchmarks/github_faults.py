"""GitHub faults injected with the fake GitHub on 127.0.0.1, and what the action leaves behind.

    python -m benchmarks.github_faults [--deadline SECONDS]

Two kinds of scenario:

- state faults (answers that are not JSON, a truncated check-run answer, a 502 on a review that did
  not land while older comments are outdated, overlapping runs, drive-by comments carrying our
  markers): the GitHub channels run in-process, faulted first, then once more against a healthy
  GitHub, and the pull request is compared with what one clean run leaves;
- slow faults (every answer trickling one byte a second, every answer 14 s late, a black-hole
  ``origin`` for the ``git diff`` fallback): the whole step, ``python -m linter check`` in a
  subprocess with ``--github-timeout``, timed by the wall clock.

Printed per scenario: faults served, duplicates left on the PR (ours, by our identity: summary
comments beyond one, live inline comments beyond one per finding), findings lost (missing from the
faulted run's annotations, without any comment of ours right after the faulted run, or missing
from the PR after the healthy run), foreign comments touched, check runs beyond one on the head
commit, and the step's wall time. Must hold: duplicates 0, lost 0, foreign 0, extra check runs 0
except for overlapping runs, wall time <= deadline + 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linter.github.markdown import marker, marker_pattern
from linter.model import Report
from tests.fakegithub.pulls import (
    HUMAN,
    PullState,
    file_entry,
    hold_until_all_listed,
    patch_for,
    refuse_once,
    serve_pull,
)
from tests.fakegithub.server import FakeGitHub, Fault
from tests.github.support import (
    FIXED_SHA,
    GOMOD,
    Ran,
    many_findings,
    parse_outputs,
    pull_request_payload,
    run_channels,
    runner_env,
    sample_pull,
    sample_report,
    webhook_examples,
)

ROOT = Path(__file__).resolve().parents[1]
SCENARIO_REPO = ROOT / "tests" / "scenarios" / "build-single-stage" / "repo"
FP = marker_pattern("fp")
ANNOTATION = re.compile(r"^::(error|warning|notice) ", re.MULTILINE)


@dataclass
class Row:
    scenario: str
    faults: int
    duplicates: int
    lost: int
    foreign: int
    wall: float  # seconds of the faulted step (0: not timed, an in-process run)
    extra_check_runs: int = 0


# --- what a pull request holds ---------------------------------------------------------------------


@dataclass(frozen=True)
class Picture:
    inline: Counter[str]  # live inline comments of ours per finding key
    stickies: int
    annotations: int  # on the newest complete check run of ours for the head
    check_runs: int


def picture(pull: PullState, *, outdated_too: bool = False) -> Picture:
    login = pull.author["login"]
    live = Counter(_key(c) for c in pull.review_comments if c["user"]["login"] == login
                   and (outdated_too or c["line"] is not None) and "in_reply_to_id" not in c)
    live.pop("", None)
    stickies = sum(1 for c in pull.issue_comments
                   if c["user"]["login"] == login and c["body"].startswith(str(marker("summary")) + "\n"))
    runs = [r for r in pull.check_runs if r["head_sha"] == pull.head_sha]
    annotations = max((len(r["annotations"]) for r in runs), default=0)
    return Picture(live, stickies, annotations, len(runs))


def _key(comment: dict[str, Any]) -> str:
    lines = comment["body"].rstrip().rsplit("\n", 1)
    found = FP.fullmatch(lines[-1].strip())
    return found.group(1) if found else ""


def duplicates(got: Picture) -> int:
    return max(0, got.stickies - 1) + sum(n - 1 for n in got.inline.values() if n > 1)


def lost(reference: Picture, got: Picture, *, check_runs: bool = True) -> int:
    missing_inline = len(set(reference.inline) - set(got.inline))
    missing_sticky = 1 if reference.stickies and not got.stickies else 0
    missing_annotations = max(0, reference.annotations - got.annotations) if check_runs else 0
    return missing_inline + missing_sticky + missing_annotations


def annotations_lost(reference_log: str, log: str) -> int:
    return max(0, len(ANNOTATION.findall(reference_log)) - len(ANNOTATION.findall(log)))


# --- state faults (in-process) ----------------------------------------------------------------------


@dataclass
class Case:
    """A faulted run: returns (faults served, the faulted run, env of the healthy run)."""

    name: str
    report: Callable[[], Report]
    run: Callable[[FakeGitHub, PullState, Path, dict[str, Any], Report], tuple[int, Ran, dict[str, str]]]
    pushed: bool = False


def _env(tmp: Path, server: FakeGitHub, payload: dict[str, Any], name: str) -> dict[str, str]:
    folder = tmp / name
    folder.mkdir(exist_ok=True)
    return runner_env(folder, server, payload)


def non_json_listing(server: FakeGitHub, pull: PullState, tmp: Path, payload: dict[str, Any],
                     report: Report) -> tuple[int, Ran, dict[str, str]]:
    run_channels(report, _env(tmp, server, payload, "first"))
    server.inject("pulls.review-comments", Fault.html(), Fault.html(), Fault.html())
    ran = run_channels(report, _env(tmp, server, payload, "faulted"))
    return 3, ran, _env(tmp, server, payload, "healthy")


def empty_listing(server: FakeGitHub, pull: PullState, tmp: Path, payload: dict[str, Any],
                  report: Report) -> tuple[int, Ran, dict[str, str]]:
    run_channels(report, _env(tmp, server, payload, "first"))
    server.inject("issues.list-comments", Fault.empty(), Fault.empty(), Fault.empty())
    ran = run_channels(report, _env(tmp, server, payload, "faulted"))
    return 3, ran, _env(tmp, server, payload, "healthy")


def truncated_check_run(server: FakeGitHub, pull: PullState, tmp: Path, payload: dict[str, Any],
                        report: Report) -> tuple[int, Ran, dict[str, str]]:
    server.inject("checks.create", Fault.truncated())
    ran = run_channels(report, _env(tmp, server, payload, "faulted"))
    return 1, ran, _env(tmp, server, payload, "healthy")


def review_502_outdated(server: FakeGitHub, pull: PullState, tmp: Path, payload: dict[str, Any],
                        report: Report) -> tuple[int, Ran, dict[str, str]]:
    run_channels(report, _env(tmp, server, payload, "first"))
    pull.push(FIXED_SHA, pull.files, outdated=[c["id"] for c in pull.review_comments])
    moved = json.loads(json.dumps(payload))
    moved["pull_request"]["head"]["sha"] = FIXED_SHA
    refuse_once(server, "pulls.create-review", status=502, retry_after=0, times=2)
    ran = run_channels(report, _env(tmp, server, moved, "faulted"))
    return 2, ran, _env(tmp, server, moved, "healthy")


def overlapping_runs(server: FakeGitHub, pull: PullState, tmp: Path, payload: dict[str, Any],
                     report: Report) -> tuple[int, Ran, dict[str, str]]:
    for name in ("checks.list-for-ref", "pulls.review-comments", "issues.list-comments"):
        hold_until_all_listed(server, name)
    results: list[Ran] = []
    threads = [threading.Thread(target=lambda n=n: results.append(
        run_channels(report, _env(tmp, server, payload, f"overlap{n}")))) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return 2, results[0], _env(tmp, server, payload, "healthy")


def drive_by_markers(server: FakeGitHub, pull: PullState, tmp: Path, payload: dict[str, Any],
                     report: Report) -> tuple[int, Ran, dict[str, str]]:
    """Someone else's comments carrying our markers: a made-up key, the real keys, a summary marker
    from a user and one from another app's bot."""
    other_app = {"login": "other[bot]", "id": 3, "type": "Bot"}
    planted = [pull.drive_by("review", "copied\n" + marker("fp", "0123456789abcdef"), path=GOMOD, line=3)]
    planted += [pull.drive_by("review", "copied\n" + marker("fp", key), path=GOMOD, line=3)
                for key in _reference_keys(report, payload)]
    planted.append(pull.drive_by("issue", str(marker("summary")) + "\nnot the action's", user=dict(HUMAN)))
    planted.append(pull.drive_by("issue", str(marker("summary")) + "\nanother app's", user=other_app))
    FOREIGN.update({c["id"]: c["body"] for c in planted})
    ran = run_channels(report, _env(tmp, server, payload, "faulted"))
    return len(planted), ran, _env(tmp, server, payload, "healthy")


FOREIGN: dict[int, str] = {}  # comment id -> body, of comments someone else wrote


def _reference_keys(report: Report, payload: dict[str, Any]) -> list[str]:
    with FakeGitHub() as server, tempfile.TemporaryDirectory() as tmp:
        pull = serve_pull(server, sample_pull())
        run_channels(report, _env(Path(tmp), server, payload, "reference"))
        return sorted(picture(pull).inline)


CASES = [
    Case("200 with an HTML page (review comments)", sample_report, non_json_listing),
    Case("200 with an empty body (issue comments)", sample_report, empty_listing),
    Case("truncated check-run POST answer", lambda: sample_report(many_findings(120)), truncated_check_run),
    Case("502 on a review that did not land", sample_report, review_502_outdated, pushed=True),
    Case("two runs overlapping", sample_report, overlapping_runs),
    Case("drive-by comments with our markers", sample_report, drive_by_markers),
]


def reference_run(report: Report, payload: dict[str, Any], pushed: bool) -> tuple[Picture, str]:
    """What one clean run leaves on a healthy GitHub, and its log."""
    with FakeGitHub() as server, tempfile.TemporaryDirectory() as tmp:
        pull = serve_pull(server, sample_pull())
        if pushed:
            pull.push(FIXED_SHA, pull.files)
            payload = json.loads(json.dumps(payload))
            payload["pull_request"]["head"]["sha"] = FIXED_SHA
        ran = run_channels(report, _env(Path(tmp), server, payload, "reference"))
        return picture(pull), ran.log


def state_case(case: Case, payload: dict[str, Any]) -> Row:
    report = case.report()
    reference, reference_log = reference_run(report, payload, case.pushed)
    with FakeGitHub() as server, tempfile.TemporaryDirectory() as tmp:
        pull = serve_pull(server, sample_pull())
        FOREIGN.clear()
        faults, ran, healthy_env = case.run(server, pull, Path(tmp), payload, report)
        # Right after the faulted run every finding must still have a comment (an outdated one
        # counts): a run that removes the old comments without landing new ones loses findings.
        between = lost(reference, picture(pull, outdated_too=True), check_runs=False)
        run_channels(report, healthy_env)
        server.assert_no_violations()
        got = picture(pull)
        now = {c["id"]: c["body"] for c in [*pull.review_comments, *pull.issue_comments]}
    touched = sum(1 for cid, body in FOREIGN.items() if now.get(cid) != body)
    gone = annotations_lost(reference_log, ran.log)
    return Row(case.name, faults, duplicates(got), lost(reference, got) + gone + between, touched, 0.0,
               max(0, got.check_runs - 1))


# --- slow faults (the whole step, timed) ---------------------------------------------------------------


@contextmanager
def black_hole() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield sock.getsockname()[1]


def _git(cwd: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@e", "GIT_COMMITTER_NAME": "b",
           "GIT_COMMITTER_EMAIL": "b@e", "HOME": str(cwd), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def workspace(tmp: Path, origin: str) -> Path:
    repo = tmp / "workspace"
    shutil.copytree(SCENARIO_REPO, repo)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "plugin")
    _git(repo, "remote", "add", "origin", origin)
    return repo


def step(server: FakeGitHub, tmp: Path, payload: dict[str, Any], repo: Path, deadline: float) -> tuple[float, str]:
    env = runner_env(tmp, server, payload, GITHUB_WORKSPACE=str(repo), PYTHONPATH=str(ROOT),
                     PATH="/usr/bin:/bin", HOME=str(tmp))
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "linter", "check", "--offline", f"--github-timeout={deadline:g}",
                           "."], cwd=repo, env=env, capture_output=True, text=True, timeout=600, check=False)
    return time.monotonic() - start, done.stdout


def expected_annotations(repo: Path) -> int:
    """How many findings the plugin really has: one annotation each when nothing goes wrong."""
    done = subprocess.run([sys.executable, "-m", "linter", "check", "--offline", "--format", "json", "."], cwd=repo,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300,
                          check=False)
    return sum(1 for finding in json.loads(done.stdout)["findings"] if not finding.get("suppressed"))


def slow_case(name: str, deadline: float, payload: dict[str, Any], *, trickle: bool = False, latency: float = 0.0,
              git_black_hole: bool = False) -> Row:
    with FakeGitHub() as server, tempfile.TemporaryDirectory() as tmp, black_hole() as port:
        files = [file_entry("Dockerfile", None if git_black_hole else patch_for([5, 6], total=8))]
        pull = serve_pull(server, PullState(files=files))
        repo = workspace(Path(tmp), f"http://127.0.0.1:{port}/plugin.git")
        served = 0
        if trickle:
            served = 200
            server.inject(None, *[Fault.trickling(1.0) for _ in range(served)])
        server.latency = latency
        wall, stdout = step(server, Path(tmp), payload, repo, deadline)
        outputs = parse_outputs(Path(tmp) / "output.txt")
        served = min(served, len(server.requests)) if trickle else len(server.requests) if latency else 1
        summary = Path(tmp) / "step_summary.md"
        missing = max(0, expected_annotations(repo) - len(ANNOTATION.findall(stdout)))
        missing += 0 if summary.is_file() and outputs.get("verdict") == "fail" else 3
        return Row(name, max(served, 1), duplicates(picture(pull)), missing, 0, wall)


# --- main ------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--deadline", type=float, default=5.0, help="github-timeout of the timed steps")
    args = parser.parse_args(argv)
    payload = pull_request_payload(webhook_examples())
    rows = [state_case(case, payload) for case in CASES]
    rows += [
        slow_case("every answer trickles 1 byte/s", args.deadline, payload, trickle=True),
        slow_case("every answer 14 s late", args.deadline, payload, latency=14.0),
        slow_case("black-hole origin for git diff", args.deadline, payload, git_black_hole=True),
    ]
    header = (f"{'fault':<42} {'faults':>6} {'dupes':>6} {'lost':>5} {'foreign':>8} {'extra check runs':>17} "
              f"{'wall':>7}")
    out = [header, "-" * len(header)]
    for row in rows:
        wall = f"{row.wall:6.1f}s" if row.wall else "      -"
        out.append(f"{row.scenario:<42} {row.faults:>6} {row.duplicates:>6} {row.lost:>5} {row.foreign:>8} "
                   f"{row.extra_check_runs:>17} {wall}")
    longest = max(row.wall for row in rows)
    out += [
        "",
        f"faults injected and survived: {sum(r.faults for r in rows)} in {len(rows)} scenarios",
        f"duplicates left: {sum(r.duplicates for r in rows)} (must be 0)",
        f"findings lost: {sum(r.lost for r in rows)} (must be 0)",
        f"foreign comments touched: {sum(r.foreign for r in rows)} (must be 0)",
        f"longest step wall time under slow faults: {longest:.1f}s with github-timeout {args.deadline:g}s "
        f"(must be <= {args.deadline + 10:g}s)",
        f"extra check runs: {sum(r.extra_check_runs for r in rows)} (only overlapping runs may leave one: "
        "the API cannot delete check runs; GitHub shows the newest of a name)",
    ]
    sys.stdout.write("\n".join(out) + "\n")
    extra = sum(r.extra_check_runs for r in rows if r.scenario != "two runs overlapping")
    ok = not any(r.duplicates or r.lost or r.foreign for r in rows) and not extra and longest <= args.deadline + 10
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
