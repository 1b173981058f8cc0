"""Running the linter on one corpus repository: its mirror, its tree at the commit, the references.

* Mirrors: ``$KPL_REALWORLD_MIRRORS`` (default ``/work/.mirror``) holds one folder per repository,
  ``<owner>+<name>/``, with a bare git directory somewhere inside (the one holding HEAD and objects).
* Trees: the corpus commit is extracted with ``git archive`` into
  ``$KPL_REALWORLD_WORK/<owner>+<name>-<short commit>`` (default under ``.cache/realworld/``), once.
* References: the linter runs offline; KrakenD's go.mod/go.sum of every v2 tag in
  ``$KPL_SHARED/krakend/v<tag>/`` (default ``shared/`` beside the checkout or a folder above) are stored into a
  reference cache through ``linter.krakend.cache.Cache``, as ``reference pull`` would leave it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.realworld.corpus import Entry, clean_path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_MIRRORS = Path("/work/.mirror")
LINT_TIMEOUT_SECONDS = 180
GIT_TIMEOUT_SECONDS = 300
EXIT_INTERNAL = 3
DONE_SUFFIX = ".done"  # <tree>.done, written after the tree is in place: the files the mirror lacks, one a line


@dataclass(frozen=True)
class Places:
    """Where mirrors, extracted trees and the shared KrakenD data are."""

    mirrors: Path
    work: Path
    shared: Path

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Places:
        shared = env.get("KPL_SHARED") or env.get("KPL_SHARED_DIR")
        return cls(Path(env.get("KPL_REALWORLD_MIRRORS") or DEFAULT_MIRRORS),
                   Path(env.get("KPL_REALWORLD_WORK") or REPO / ".cache" / "realworld"),
                   Path(shared) if shared else default_shared())

    @property
    def references(self) -> Path:
        return self.work / "references"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str  # error | warning | notice
    path: str
    line: int
    message: str
    suppressed: bool = False


@dataclass
class LintRun:
    """What the linter said on one tree: findings, or the reason it gave none (a crash)."""

    findings: list[Finding] = field(default_factory=list)
    crash: str = ""  # non-empty: exit 3, timeout or no JSON report
    exit_code: int | None = None
    seconds: float = 0.0


def default_shared() -> Path:
    """``shared/`` beside the checkout, or beside a folder above it (a worktree kept in a subfolder)."""
    for folder in REPO.parents:
        if (folder / "shared" / "krakend").is_dir():
            return folder / "shared"
    return REPO.parent / "shared"


# --- mirrors and trees ----------------------------------------------------------------------------


def find_git_dir(mirrors: Path, entry: Entry) -> Path | None:
    """The git directory (HEAD + objects) under ``<mirrors>/<owner>+<name>/``, nearest first."""
    base = mirrors / entry.folder_name
    if not base.is_dir():
        return None
    levels = [[base]]
    for _ in range(3):
        levels.append(sorted(child for folder in levels[-1] for child in _subdirs(folder)))
    for level in levels:
        for folder in level:
            if (folder / "HEAD").is_file() and (folder / "objects").is_dir():
                return folder
    return None


def _subdirs(folder: Path) -> list[Path]:
    try:
        return [child for child in folder.iterdir() if child.is_dir() and not child.is_symlink()]
    except OSError:
        return []


def has_commit(git_dir: Path, commit: str) -> bool:
    proc = _git(git_dir, "cat-file", "-e", f"{commit}^{{commit}}")
    return proc.returncode == 0


def tree_dir(work: Path, entry: Entry) -> Path:
    return work / f"{entry.folder_name}-{entry.commit[:12]}"


def extract(git_dir: Path, entry: Entry, work: Path) -> tuple[Path, list[str]]:
    """The repository at the corpus commit, extracted once (reused when already complete), and the
    files the mirror lacks (a snapshot may leave its largest blobs out; they are not extracted)."""
    dest = tree_dir(work, entry)
    done = dest.with_name(dest.name + DONE_SUFFIX)
    if done.is_file() and dest.is_dir():
        return dest, [line for line in done.read_text().splitlines() if line]
    work.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=work))
    try:
        tree = temp / "tree"
        tree.mkdir()
        absent: list[str] = []
        if not _archive(git_dir, entry.commit, temp / "tree.tar", tree):
            shutil.rmtree(tree)
            tree.mkdir()
            absent = _blob_by_blob(git_dir, entry.commit, tree)
        done.unlink(missing_ok=True)
        shutil.rmtree(dest, ignore_errors=True)
        tree.rename(dest)
        done.write_text("".join(f"{path}\n" for path in absent))
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return dest, absent


def _archive(git_dir: Path, commit: str, archive: Path, tree: Path) -> bool:
    """`git archive` into ``tree``; False when git cannot (a blob missing from the mirror)."""
    if _git(git_dir, "archive", "--format=tar", "-o", str(archive), commit).returncode != 0:
        return False
    untar = subprocess.run(["tar", "-x", "--no-same-owner", "-f", str(archive), "-C", str(tree)],
                           capture_output=True, text=True, timeout=GIT_TIMEOUT_SECONDS, check=False)
    if untar.returncode != 0:
        raise RuntimeError(f"tar failed: {untar.stderr.strip()[-300:]}")
    return True


def _blob_by_blob(git_dir: Path, commit: str, tree: Path) -> list[str]:
    """Write every file of the commit that the mirror holds; the paths of those it does not."""
    listing = subprocess.run(["git", f"--git-dir={git_dir}", "ls-tree", "-r", "-z", commit], capture_output=True,
                             timeout=GIT_TIMEOUT_SECONDS, check=False)
    if listing.returncode != 0:
        raise RuntimeError(f"git ls-tree {commit[:12]} failed: {listing.stderr.decode(errors='replace')[-300:]}")
    files: list[tuple[str, str, str]] = []  # (mode, object, path)
    for record in listing.stdout.split(b"\0"):
        meta, _, raw_path = record.partition(b"\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == b"blob":
            files.append((parts[0].decode(), parts[2].decode(), raw_path.decode("utf-8", errors="surrogateescape")))
    contents = _blobs(git_dir, [obj for _, obj, _ in files])
    absent = []
    for mode, obj, path in files:
        target = tree / path
        if ".." in Path(path).parts or Path(path).is_absolute():
            continue
        data = contents.get(obj)
        if data is None:
            absent.append(path)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if mode == "120000":
            target.symlink_to(os.fsdecode(data))
        else:
            target.write_bytes(data)
            if mode == "100755":
                target.chmod(0o755)
    return absent


def _blobs(git_dir: Path, objects: list[str]) -> dict[str, bytes]:
    """The contents of the objects the mirror holds (``git cat-file --batch``)."""
    proc = subprocess.run(["git", f"--git-dir={git_dir}", "cat-file", "--batch"],
                          input="".join(f"{obj}\n" for obj in objects).encode(), capture_output=True,
                          timeout=GIT_TIMEOUT_SECONDS, check=False)
    out, pos, found = proc.stdout, 0, {}
    while pos < len(out):
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) == 3:
            size = int(header[2])
            found[header[0].decode()] = out[pos:pos + size]
            pos += size + 1
    return found


def _git(git_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", f"--git-dir={git_dir}", *args], capture_output=True, text=True,
                          timeout=GIT_TIMEOUT_SECONDS, check=False)


# --- references -----------------------------------------------------------------------------------


def seed_references(shared: Path, cache_dir: Path) -> tuple[int, str]:
    """Store KrakenD's go.mod/go.sum of every tag under ``shared/krakend`` into the reference cache.

    Returns (releases available in the cache, a note); the note says why when none could be seeded.
    """
    from linter.krakend.cache import Cache

    source = shared / "krakend"
    folders = sorted(f for f in source.glob("v*") if (f / "go.mod").is_file() and (f / "go.sum").is_file())
    if not folders:
        return 0, f"no KrakenD references: {source} has no v<tag>/go.mod+go.sum; dependency rules run blind"
    cache = Cache(cache_dir)
    failed: list[str] = []
    for folder in folders:
        version = folder.name.removeprefix("v")
        entry, _ = cache.load("github", version)
        if entry is not None:
            continue
        files = {name: (folder / name).read_text(encoding="utf-8") for name in ("go.mod", "go.sum")}
        if not cache.store("github", version, files, f"krakend/krakend-ce@{folder.name}"):
            failed.append(version)
    stored = len(folders) - len(failed)
    note = f"KrakenD references: {stored} releases from {source} in {cache_dir}"
    if failed:
        note += f" (could not store {', '.join(failed)})"
    return stored, note


# --- the linter -----------------------------------------------------------------------------------


def lint_argv(entry: Entry, cache_dir: Path) -> list[str]:
    return [sys.executable, "-m", "linter", "check", *entry.paths, "--format", "json", "--offline", "--no-color",
            "--cache-dir", str(cache_dir)]


def lint_env() -> dict[str, str]:
    """This environment without GitHub Actions' variables, with this checkout first on the path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_", "RUNNER_"))}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    return env


def lint(tree: Path, argv: list[str], timeout: float = LINT_TIMEOUT_SECONDS) -> LintRun:
    started = time.perf_counter()
    try:
        proc = subprocess.run(argv, cwd=tree, env=lint_env(), capture_output=True, text=True, timeout=timeout,
                              check=False)
    except subprocess.TimeoutExpired:
        return LintRun(crash=f"timed out after {timeout:g} s", seconds=time.perf_counter() - started)
    run = LintRun(exit_code=proc.returncode, seconds=time.perf_counter() - started)
    if proc.returncode == EXIT_INTERNAL:
        run.crash = f"exit {EXIT_INTERNAL}: {_tail(proc.stderr)}"
        return run
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        run.crash = f"no JSON report (exit {proc.returncode}): {_tail(proc.stderr)}"
        return run
    run.findings = parse_findings(report)
    return run


def _tail(text: str) -> str:
    return " | ".join(text.strip().splitlines()[-3:])[-400:]


def parse_findings(report: Any) -> list[Finding]:
    items = report.get("findings", []) if isinstance(report, dict) else []
    found = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        line = item.get("line")
        found.append(Finding(
            rule=str(item.get("rule", "")).upper(),
            severity=str(item.get("severity", "")).lower(),
            path=clean_path(str(item.get("path") or "")),
            line=line if isinstance(line, int) else 0,
            message=str(item.get("message", "")),
            suppressed=bool(item.get("suppressed")),
        ))
    return found
