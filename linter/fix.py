"""`fix`: apply the fixes findings carry, and the whole move to a target release, in a scratch copy.

The checked tree is copied to a temporary folder. Each round checks the copy (against the target
release when one is given), applies every fix the findings carry and the upgrade plan's edits,
and stops when a round changes nothing. Then each changed file is compared with the original: a
unified diff for ``--dry-run``; otherwise the file is written back, only if it still holds the
bytes first read (a file edited meanwhile is refused, never overwritten).

Edits replace whole lines. The line ending of the replaced line is kept (CRLF stays CRLF), as are a
UTF-8 byte order mark and every line no edit touches.
"""

from __future__ import annotations

import difflib
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from linter.model import Finding

MAX_ROUNDS = 5
BOM = b"\xef\xbb\xbf"
_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$")
_SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".cache"})


@dataclass(frozen=True)
class Edit:
    """Replace lines ``line``..``end_line`` of ``path`` by ``replacement`` (lines joined by ``\\n``).

    ``replacement`` None deletes the lines; ``line`` 0 appends ``replacement`` at the end."""

    path: str
    line: int
    end_line: int
    replacement: str | None
    reason: str


@dataclass(frozen=True)
class FileChange:
    path: str
    before: bytes
    after: bytes


@dataclass(frozen=True)
class Refused:
    path: str
    reason: str


@dataclass(frozen=True)
class FixResult:
    changes: tuple[FileChange, ...]
    applied: tuple[Edit, ...]
    commands: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    rounds: int = 0
    left: tuple[Finding, ...] = ()  # findings with a fix that could not be applied (overlaps)
    refused: tuple[Refused, ...] = field(default=())

    @property
    def changed(self) -> bool:
        return bool(self.changes)


# --- one file ------------------------------------------------------------------------------------

def split_lines(data: bytes) -> list[bytes]:
    """Lines with their endings (``\\r\\n``, ``\\n`` or ``\\r``); the last may have none."""
    return _LINE.findall(data)


def _ending(line: bytes) -> bytes:
    for end in (b"\r\n", b"\n", b"\r"):
        if line.endswith(end):
            return end
    return b""


def _body(line: bytes) -> bytes:
    return line[: len(line) - len(_ending(line))]


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def apply_edits(data: bytes, edits: Iterable[Edit]) -> tuple[bytes, tuple[Edit, ...]]:
    """``data`` with ``edits`` made; edits overlapping an earlier one are left out (second tuple:
    the edits that were applied, those that changed nothing included)."""
    bom = BOM if data.startswith(BOM) else b""
    lines = split_lines(data[len(bom):])
    usual = next((_ending(line) for line in lines if _ending(line)), b"\n")
    chosen: list[Edit] = []
    taken: set[int] = set()
    for edit in sorted(set(edits), key=lambda e: (e.line or len(lines) + 1, e.end_line, e.path, e.reason)):
        span = set(range(edit.line, edit.end_line + 1)) if edit.line else {len(lines) + 1}
        if edit.line > len(lines) or edit.end_line > len(lines) or span & taken:
            continue
        taken |= span
        chosen.append(edit)
    for edit in sorted(chosen, key=lambda e: e.line or len(lines) + 1, reverse=True):
        if not edit.line:
            if lines and not _ending(lines[-1]):
                lines[-1] += usual
            lines.extend(_encode(text) + usual for text in (edit.replacement or "").split("\n"))
            continue
        end = _ending(lines[edit.end_line - 1]) or (usual if edit.end_line < len(lines) else b"")
        new = [] if edit.replacement is None else [_encode(text) for text in edit.replacement.split("\n")]
        lines[edit.line - 1 : edit.end_line] = [
            text + (end if i == len(new) - 1 else usual) for i, text in enumerate(new)]
    return bom + b"".join(lines), tuple(chosen)


def current_lines(data: bytes) -> tuple[str, ...]:
    start = len(BOM) if data.startswith(BOM) else 0
    return tuple(_body(line).decode("utf-8", "surrogateescape") for line in split_lines(data[start:]))


# --- where the edits come from -------------------------------------------------------------------

def finding_edits(findings: Iterable[Finding]) -> list[Edit]:
    """The fixes that active findings carry."""
    return [Edit(f.location.path, f.fix.line, f.fix.last_line, f.fix.replacement, f"{f.rule} {f.name}")
            for f in findings if f.fix is not None and not f.suppressed_by and f.location.path]


def plan_edits(plans: Iterable[object], read: Callable[[str], bytes | None]) -> tuple[list[Edit], list[str], list[str]]:
    """The upgrade plans' edits as line edits, their commands and notes (``read``: a file's bytes)."""
    from linter.krakend.upgrade import UpgradePlan

    edits: list[Edit] = []
    commands: list[str] = []
    notes: list[str] = []
    for plan in plans:
        assert isinstance(plan, UpgradePlan)
        for e in (*plan.gomod_edits, *plan.text_edits):
            edits.append(Edit(e.path, e.line, e.line, None if e.delete else e.replacement, e.reason))
        for d in plan.docker_edits:
            data = read(d.path)
            lines = current_lines(data) if data is not None else ()
            if 0 < d.line <= len(lines) and lines[d.line - 1].count(d.old_image) == 1:
                edits.append(Edit(d.path, d.line, d.line, lines[d.line - 1].replace(d.old_image, d.new_image),
                                  d.reason))
        for a in plan.gomod_additions:
            data = read(a.path)
            if data is not None and a.text not in current_lines(data):
                edits.append(Edit(a.path, 0, 0, a.text, a.reason))
        commands += plan.commands
        notes += plan.notes
    return edits, list(dict.fromkeys(commands)), list(dict.fromkeys(notes))


# --- the scratch copy and the rounds -------------------------------------------------------------

Checker = Callable[[Path], tuple[Sequence[Finding], Sequence[object]]]


def fix_tree(root: Path, check: Checker, *, max_rounds: int = MAX_ROUNDS) -> FixResult:
    """Fix a copy of ``root``: ``check(copy)`` returns the findings (paths relative to the copy) and
    the upgrade plans for it. Nothing under ``root`` is written here."""
    originals: dict[str, bytes] = {}  # each edited file as copied, i.e. as first read from ``root``
    with tempfile.TemporaryDirectory(prefix="kpl-fix-") as scratch:
        copy = Path(scratch) / "tree"
        _copy_tree(root, copy)
        applied: list[Edit] = []
        commands: list[str] = []
        notes: list[str] = []
        rounds = 0
        left: tuple[Finding, ...] = ()
        for rounds in range(1, max_rounds + 1):  # noqa: B007 (the count is reported)
            findings, plans = check(copy)
            edits = finding_edits(findings)
            more, cmds, found_notes = plan_edits(plans, lambda rel: _read(copy / rel))
            commands += cmds
            notes += found_notes
            made, kept = _apply_round(copy, edits + more, originals)
            applied += made
            left = tuple(f for f in findings if f.fix is not None and not f.suppressed_by
                         and not _already(f, copy) and not any(_same(f, e) for e in kept))
            if not made:
                break
        changes = []
        for rel, before in sorted(originals.items()):
            after = _read(copy / rel)
            if after is not None and after != before:
                changes.append(FileChange(rel, before, after))
    return FixResult(tuple(changes), tuple(applied), tuple(dict.fromkeys(commands)), tuple(dict.fromkeys(notes)),
                     rounds, left)


def _same(finding: Finding, edit: Edit) -> bool:
    assert finding.fix is not None
    return finding.location.path == edit.path and finding.fix.line == edit.line


def _already(finding: Finding, copy: Path) -> bool:
    """The fix's text is what the file holds already (nothing left to do)."""
    assert finding.fix is not None
    data = _read(copy / finding.location.path)
    if data is None:
        return False
    lines = current_lines(data)
    fix = finding.fix
    return "\n".join(lines[fix.line - 1 : fix.last_line]) == fix.replacement


def _apply_round(copy: Path, edits: list[Edit], originals: dict[str, bytes]) -> tuple[list[Edit], list[Edit]]:
    """Apply ``edits`` in the copy; (the edits that changed a file, every edit applied). The first
    content of each file written is kept in ``originals``."""
    made: list[Edit] = []
    kept: list[Edit] = []
    by_path: dict[str, list[Edit]] = {}
    for edit in edits:
        by_path.setdefault(edit.path, []).append(edit)
    for rel, group in sorted(by_path.items()):
        file = copy / rel
        data = _read(file)
        if data is None or not _inside(copy, file):
            continue
        after, chosen = apply_edits(data, group)
        kept += chosen
        if after != data:
            originals.setdefault(rel, data)
            file.write_bytes(after)
            made += [e for e in chosen if apply_edits(data, [e])[0] != data]
    return made, kept


def _inside(root: Path, file: Path) -> bool:
    try:
        file.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def _read(file: Path) -> bytes | None:
    try:
        return file.read_bytes() if file.is_file() and not file.is_symlink() else None
    except OSError:
        return None


def _copy_tree(root: Path, copy: Path) -> None:
    shutil.copytree(root, copy, symlinks=True,
                    ignore=lambda folder, names: [n for n in names if n in _SKIPPED_DIRS])


# --- output --------------------------------------------------------------------------------------

def unified_diff(changes: Iterable[FileChange], prefix: str = "") -> str:
    """A ``git apply``-able diff of the changes (a/ and b/ paths, ``prefix`` before each path)."""
    out: list[str] = []
    for change in changes:
        before = [_show(line) for line in split_lines(change.before)]
        after = [_show(line) for line in split_lines(change.after)]
        out += difflib.unified_diff(before, after, f"a/{prefix}{change.path}", f"b/{prefix}{change.path}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in out)


def _show(line: bytes) -> str:
    text = line.decode("utf-8", "replace")
    return text[:-2] + "\n" if text.endswith("\r\n") else text


def write_changes(root: Path, changes: Iterable[FileChange]) -> tuple[tuple[str, ...], tuple[Refused, ...]]:
    """Write each change under ``root`` unless the file no longer holds ``before`` (edited since it
    was read): (written paths, refusals). A write goes to a temporary file renamed over the old one,
    keeping its permissions."""
    written = []
    refused = []
    for change in changes:
        file = root / change.path
        now = _read(file)
        if now != change.before:
            refused.append(Refused(change.path, "changed after it was read; not written (run fix again)"))
            continue
        try:
            mode = file.stat().st_mode
            tmp = file.with_name(f".{file.name}.kpl-fix")
            tmp.write_bytes(change.after)
            tmp.chmod(mode & 0o7777)
            tmp.replace(file)
        except OSError as err:
            refused.append(Refused(change.path, f"cannot write: {err.strerror}"))
            continue
        written.append(change.path)
    return tuple(written), tuple(refused)


def with_refusals(result: FixResult, refused: Sequence[Refused]) -> FixResult:
    return replace(result, refused=tuple(refused))
