"""Changed lines from PR patches, reviewdog's filter modes, comment anchors, and the git fallback."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from linter.github.diff import (
    FileDiff,
    PullDiff,
    comment_range,
    from_files_api,
    git_diff,
    merge,
    parse_git_diff,
    parse_patch,
    should_report,
)
from linter.model import Location

PATCH = "\n".join([
    "@@ -1,4 +1,5 @@",
    " module example.com/p",
    "-go 1.21",
    "+go 1.22",
    "+toolchain go1.22.7",
    " ",
    " require (",
    "@@ -20,3 +21,4 @@ require (",
    " \tgithub.com/a/b v1.0.0",
    "+\tgithub.com/c/d v1.2.3",
    " )",
    "\\ No newline at end of file",
])


def diff_of(patch: str = PATCH, path: str = "go.mod") -> PullDiff:
    return PullDiff({path: FileDiff(path, hunks=parse_patch(patch))})


def test_patch_gives_right_side_hunks_and_added_lines() -> None:
    hunks = parse_patch(PATCH)
    assert [(h.start, h.end, h.added) for h in hunks] == [(1, 5, (2, 3)), (21, 23, (22,))]


@pytest.mark.parametrize(
    ("mode", "line", "path", "expected"),
    [
        ("added", 2, "go.mod", True),
        ("added", 1, "go.mod", False),  # context line
        ("added", 10, "go.mod", False),  # between hunks
        ("diff_context", 1, "go.mod", True),
        ("diff_context", 10, "go.mod", False),
        ("file", 10, "go.mod", True),
        ("file", 1, "other.go", False),
        ("nofilter", 1, "other.go", True),
        ("added", 0, "go.mod", False),  # whole-file findings: file and nofilter only
        ("file", 0, "go.mod", True),
    ],
)
def test_filter_modes_as_reviewdog_defines_them(mode: str, line: int, path: str, expected: bool) -> None:
    assert should_report(diff_of(), Location(path, line), mode) is expected


def test_a_range_is_kept_when_any_of_its_lines_qualifies() -> None:
    assert should_report(diff_of(), Location("go.mod", 8, 0, 22), "added")
    assert not should_report(diff_of(), Location("go.mod", 6, 0, 20), "diff_context")


def test_comment_anchor_stays_inside_one_hunk() -> None:
    file = diff_of().files["go.mod"]
    assert comment_range(file, Location("go.mod", 2, 0, 3)) == (2, 3)
    assert comment_range(file, Location("go.mod", 4, 0, 22)) == (4, 4)  # ends in another hunk
    assert comment_range(file, Location("go.mod", 10, 0, 22)) == (22, 22)
    assert comment_range(file, Location("go.mod", 10)) is None
    assert comment_range(file, Location("go.mod", 0)) is None


def test_files_api_entries_without_patch_are_listed_as_missing() -> None:
    files, missing = from_files_api([
        {"filename": "a.go", "status": "modified", "patch": "@@ -1 +1 @@\n-x\n+y", "changes": 2},
        {"filename": "big.json", "status": "modified", "changes": 9000},
        {"filename": "gone.go", "status": "removed", "changes": 3},
        {"filename": "b.so", "status": "added", "changes": 0},
    ])
    assert missing == ["big.json"]
    assert files["a.go"].hunks[0].added == (1,)
    assert files["big.json"].hunks == ()


def git(cwd: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@e", "HOME": str(cwd), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, str, str]:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "config.json").write_text("".join(f'"line {n}"\n' for n in range(1, 101)), encoding="utf-8")
    (tmp_path / "a b.txt").write_text("one\ntwo\n", encoding="utf-8")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    base = git(tmp_path, "rev-parse", "HEAD")
    git(tmp_path, "checkout", "-q", "-b", "pr")
    lines = [f'"line {n}"\n' for n in range(1, 101)]
    lines[49] = '"changed 50"\n'
    (tmp_path / "config.json").write_text("".join(lines), encoding="utf-8")
    (tmp_path / "a b.txt").write_text("one\ntwo\nthree\n", encoding="utf-8")
    (tmp_path / "new.go").write_text("package main\n", encoding="utf-8")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "pr")
    return tmp_path, base, git(tmp_path, "rev-parse", "HEAD")


def test_git_fallback_finds_the_merge_base_and_hunks(repo: tuple[Path, str, str]) -> None:
    root, base, head = repo
    files, problem = git_diff(root, base, head)
    assert problem == ""
    assert files["config.json"].hunks[0].added == (50,)
    assert files["config.json"].source == "git"
    assert files["a b.txt"].hunks[0].added == (3,)
    assert files["new.go"].status == "added"
    # git lines are commented only where they are added (GitHub's context may differ)
    assert files["config.json"].commentable(50) and not files["config.json"].commentable(49)


def test_git_fallback_without_history_is_a_problem(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    files, problem = git_diff(tmp_path, "1" * 40, "2" * 40)
    assert files == {} and problem


def test_git_quoted_paths_and_merge() -> None:
    text = (
        'diff --git "a/caf\\303\\251.txt" "b/caf\\303\\251.txt"\n--- "a/caf\\303\\251.txt"\n'
        '+++ "b/caf\\303\\251.txt"\n@@ -1 +1,2 @@\n x\n+y\n'
        "diff --git a/old.go b/new.go\nsimilarity index 90%\nrename from old.go\nrename to new.go\n"
        "--- a/old.go\n+++ b/new.go\n@@ -1 +1 @@\n-a\n+b\n"
    )
    files = parse_git_diff(text)
    assert files["café.txt"].hunks[0].added == (2,)
    assert (files["new.go"].status, files["new.go"].previous_path) == ("renamed", "old.go")
    api = {"café.txt": FileDiff("café.txt")}
    merged = merge(api, files, ["café.txt"], complete=False)
    assert merged["café.txt"].source == "git" and "new.go" in merged


def test_git_fallback_runs_nothing_once_the_deadline_has_passed(tmp_path: Path) -> None:
    calls: list[list[str]] = []

    def runner(args: Sequence[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
        calls.append(list(args))
        return subprocess.CompletedProcess(["git"], 0, "", "")

    files, problem = git_diff(tmp_path, "1" * 40, "2" * 40, runner=runner, remaining=lambda: 0.0)
    assert (files, calls) == ({}, []) and "deadline" in problem


def test_each_git_call_gets_at_most_the_time_left(tmp_path: Path) -> None:
    timeouts: list[float] = []

    def runner(args: Sequence[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
        timeouts.append(timeout)
        return subprocess.CompletedProcess(["git"], 0, "", "")

    git_diff(tmp_path, "1" * 40, "2" * 40, merge_base="3" * 40, runner=runner, remaining=lambda: 7.5)
    assert timeouts and set(timeouts) == {7.5}
