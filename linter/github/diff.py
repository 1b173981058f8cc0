"""Which lines a pull request changed, on the new (RIGHT) side, and the filter modes on top.

The primary source is the PR files API: each entry's ``patch`` is the unified diff of that file.
GitHub leaves ``patch`` out for large and binary files and lists at most 3,000 files; for those
we run ``git diff`` between the merge base and the head in the checkout. Lines that came from git
are only commented on when they are *added* lines: GitHub's own hunks may have other context.

Filter modes follow reviewdog's definitions:
``added`` keeps findings on an added line, ``diff_context`` anywhere inside a hunk (added or
context lines), ``file`` anywhere in a file the PR touches, ``nofilter`` everything. A finding that
spans lines is kept when any line of its range qualifies; a whole-file finding (line 0) only in
``file`` and ``nofilter``.
"""

from __future__ import annotations

import bisect
import math
import os
import re
import signal
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linter.model import Location

FILTER_MODES = ("added", "diff_context", "file", "nofilter")
FILES_API_LIMIT = 3000
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_GIT_TIMEOUT = 120


@dataclass(frozen=True)
class Hunk:
    start: int  # first line of the hunk on the RIGHT side
    end: int  # last line (inclusive); end < start for a hunk that only deletes
    added: tuple[int, ...]  # sorted RIGHT line numbers of added lines

    def contains(self, line: int) -> bool:
        return self.start <= line <= self.end

    def has_added_between(self, first: int, last: int) -> bool:
        i = bisect.bisect_left(self.added, first)
        return i < len(self.added) and self.added[i] <= last


@dataclass(frozen=True)
class FileDiff:
    path: str
    status: str = "modified"  # added, modified, removed, renamed, copied, changed, unchanged
    previous_path: str = ""
    hunks: tuple[Hunk, ...] = ()
    source: str = "api"  # "api": GitHub's hunks; "git": our own git diff (only added lines are safe)

    def hunk_of(self, line: int) -> Hunk | None:
        for hunk in self.hunks:
            if hunk.contains(line):
                return hunk
        return None

    def is_added(self, line: int) -> bool:
        hunk = self.hunk_of(line)
        return hunk is not None and hunk.has_added_between(line, line)

    def commentable(self, line: int) -> bool:
        """GitHub accepts a review comment on this RIGHT line (it is inside one of its hunks)."""
        return self.is_added(line) if self.source == "git" else self.hunk_of(line) is not None


@dataclass(frozen=True)
class PullDiff:
    files: Mapping[str, FileDiff] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    def get(self, path: str) -> FileDiff | None:
        return self.files.get(path)


def parse_patch(patch: str) -> tuple[Hunk, ...]:
    """Hunks of one file's unified diff (the ``patch`` field, or one file of ``git diff``)."""
    hunks: list[Hunk] = []
    start = line = 0
    added: list[int] = []
    in_hunk = False
    lines = patch.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line, not an empty context line
    for raw in lines:
        header = _HUNK.match(raw)
        if header:
            if in_hunk:
                hunks.append(Hunk(start, line - 1, tuple(added)))
            start = line = int(header.group(1))
            added = []
            in_hunk = True
        elif in_hunk and raw.startswith("+"):
            added.append(line)
            line += 1
        elif in_hunk and (raw.startswith(" ") or raw == ""):
            line += 1  # context; some tools strip the space of an empty context line
        # "-" lines and "\ No newline at end of file" do not exist on the RIGHT side
    if in_hunk:
        hunks.append(Hunk(start, line - 1, tuple(added)))
    return tuple(hunks)


def from_files_api(entries: Iterable[Mapping[str, Any]]) -> tuple[dict[str, FileDiff], list[str]]:
    """FileDiffs from ``GET /pulls/{n}/files`` entries, and the paths whose patch GitHub left out."""
    files: dict[str, FileDiff] = {}
    missing: list[str] = []
    for entry in entries:
        path = str(entry.get("filename") or "")
        if not path:
            continue
        status = str(entry.get("status") or "modified")
        patch = entry.get("patch")
        previous = str(entry.get("previous_filename") or "")
        if isinstance(patch, str):
            files[path] = FileDiff(path, status, previous, parse_patch(patch))
        else:
            files[path] = FileDiff(path, status, previous)
            if status != "removed" and int(entry.get("changes") or 0) > 0:
                missing.append(path)
    return files, missing


def should_report(diff: PullDiff, location: Location, mode: str) -> bool:
    """reviewdog's filter: is this finding inside what the PR changed, for ``mode``?"""
    if mode == "nofilter":
        return True
    file = diff.get(location.path)
    if file is None:
        return False
    if mode == "file":
        return True
    if location.line <= 0:
        return False
    first, last = location.line, max(location.end_line, location.line)
    for hunk in file.hunks:
        if hunk.end < first or hunk.start > last:
            continue
        if mode == "diff_context" or hunk.has_added_between(first, last):
            return True
    return False


def comment_range(file: FileDiff, location: Location) -> tuple[int, int] | None:
    """The (start_line, line) a review comment can anchor to, or None if GitHub would 422.

    Both ends must be in the same hunk; when only one end is, the comment goes on that line.
    """
    if location.line <= 0:
        return None
    first, last = location.line, max(location.end_line, location.line)
    start_hunk, end_hunk = file.hunk_of(first), file.hunk_of(last)
    if file.commentable(first) and file.commentable(last) and start_hunk is end_hunk:
        if file.source == "git" and not all(file.is_added(n) for n in range(first, last + 1)):
            return (first, first)
        return (first, last)
    if file.commentable(first):
        return (first, first)
    if file.commentable(last):
        return (last, last)
    return None


# --- git fallback ------------------------------------------------------------------------------------

GitRunner = Callable[[Sequence[str], Path, float], "subprocess.CompletedProcess[str]"]


def run_git(args: Sequence[str], cwd: Path, timeout: float = _GIT_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """``git args`` in ``cwd``, killed with everything it started once ``timeout`` passes (a
    ``git fetch`` leaves a remote helper holding the pipes, which would outlive killing git alone)."""
    with subprocess.Popen(["git", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, text=True, encoding="utf-8", errors="replace",
                          env=_git_env(), start_new_session=True) as proc:
        try:
            out, err = proc.communicate(timeout=max(timeout, 0.001))
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            proc.communicate()
            raise
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _kill_group(proc: subprocess.Popen[str]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        proc.kill()


def _git_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    return env


def git_diff(
    workspace: Path,
    base: str,
    head: str,
    *,
    merge_base: str = "",
    runner: GitRunner = run_git,
    remaining: Callable[[], float] = lambda: math.inf,
) -> tuple[dict[str, FileDiff], str]:
    """Per-file hunks of ``git diff <merge-base> <head>`` in ``workspace``; ("", problem) on failure.

    Shallow checkouts lack the merge base and often the PR head: fetch them (depth 1) by SHA.
    ``merge_base`` comes from the compare API when the caller has it; otherwise ask git.
    ``remaining()`` is the time left of the run's GitHub deadline: no git call outlives it.
    """

    def git(args: Sequence[str]) -> subprocess.CompletedProcess[str]:
        left = min(float(_GIT_TIMEOUT), remaining())
        if left <= 0:
            raise subprocess.TimeoutExpired(["git", *args], 0)
        return runner(args, workspace, left)

    try:
        for sha in filter(None, (merge_base, head, base)):
            if git(["cat-file", "-e", f"{sha}^{{commit}}"]).returncode != 0:
                git(["fetch", "--no-tags", "--quiet", "--depth=1", "origin", sha])
        if not merge_base:
            found = git(["merge-base", base, head])
            merge_base = found.stdout.strip() if found.returncode == 0 else ""
        if not merge_base:
            return {}, "git could not find the merge base of the pull request"
        out = git(["-c", "core.quotepath=off", "diff", "--no-color", "--no-ext-diff", "--unified=3",
                   "--find-renames", merge_base, head, "--"])
    except subprocess.TimeoutExpired:
        if remaining() <= 0:
            return {}, "git diff stopped: the GitHub deadline passed"
        return {}, "git diff failed: it took too long"
    except (OSError, subprocess.SubprocessError) as err:
        return {}, f"git diff failed: {type(err).__name__}"
    if out.returncode != 0:
        return {}, "git diff failed: " + (out.stderr.strip().splitlines() or ["no output"])[-1][:200]
    return parse_git_diff(out.stdout), ""


def parse_git_diff(text: str) -> dict[str, FileDiff]:
    """Split a multi-file ``git diff`` into FileDiffs (source "git") keyed by new path."""
    files: dict[str, FileDiff] = {}
    for chunk in re.split(r"^(?=diff --git )", text, flags=re.MULTILINE):
        path, status, previous, body = _git_file_header(chunk)
        if path:
            files[path] = FileDiff(path, status, previous, parse_patch(body), source="git")
    return files


def _git_file_header(chunk: str) -> tuple[str, str, str, str]:
    new = old = ""
    status = "modified"
    body_at = len(chunk)
    for match in re.finditer(r"^(.*)$", chunk, flags=re.MULTILINE):
        line = match.group(1)
        if line.startswith("@@"):
            body_at = match.start()
            break
        if line.startswith("+++ "):
            new = _git_path(line[4:], "b/")
        elif line.startswith("--- "):
            old = _git_path(line[4:], "a/")
        elif line.startswith("new file mode"):
            status = "added"
        elif line.startswith("rename from "):
            status = "renamed"
    if not new:
        return "", status, "", ""
    return new, status, old if status == "renamed" else "", chunk[body_at:]


def _git_path(raw: str, prefix: str) -> str:
    raw = raw.rstrip("\t")
    if raw == "/dev/null":
        return ""
    if raw.startswith('"') and raw.endswith('"'):
        raw = _unquote_c(raw[1:-1])
    return raw.removeprefix(prefix)


def _unquote_c(text: str) -> str:
    # git quotes unusual names C-style: \" \\ \t \n and octal bytes of UTF-8.
    data = bytearray()
    i = 0
    simple = {"n": 10, "t": 9, '"': 34, "\\": 92, "a": 7, "b": 8, "f": 12, "r": 13, "v": 11}
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in simple:
                data.append(simple[nxt])
                i += 2
                continue
            if re.match(r"[0-7]{3}", text[i + 1 : i + 4]):
                data.append(int(text[i + 1 : i + 4], 8))
                i += 4
                continue
        data.extend(ch.encode("utf-8"))
        i += 1
    return data.decode("utf-8", "replace")


def merge(api: Mapping[str, FileDiff], git: Mapping[str, FileDiff], missing: Iterable[str],
          complete: bool) -> dict[str, FileDiff]:
    """API hunks where GitHub gave them; git's for files without a patch or beyond the API's list."""
    files = dict(api)
    for path in missing:
        if path in git:
            files[path] = git[path]
    if not complete:
        for path, file in git.items():
            files.setdefault(path, file)
    return files
