"""Find the files the linter reads under the given paths, safely.

Never follows a symlink out of the scanned root, never opens FIFOs or devices, skips `vendor/`,
`.git/`, `node_modules/` and the configured excludes. Paths come back relative to the working
directory with `/` separators, which is what every output shows.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from linter.inputs.build_files import TASKFILE_NAMES
from linter.model import Location, Problem

SKIPPED_DIRS = frozenset({".git", "vendor", "node_modules", ".hg", ".svn", "__pycache__", ".cache", "testdata"})
CONFIG_SUFFIXES = (".json", ".yaml", ".yml", ".toml", ".tmpl")
BUILD_SCRIPT_SUFFIXES = (".mk", ".sh", ".bash")
YAML_SUFFIXES = (".yml", ".yaml")


@dataclass
class Discovered:
    """Display path -> file system path, per kind of input."""

    gomods: dict[str, Path] = field(default_factory=dict)
    gosums: dict[str, Path] = field(default_factory=dict)
    modules_txts: dict[str, Path] = field(default_factory=dict)
    go_files: dict[str, Path] = field(default_factory=dict)
    dockerfiles: dict[str, Path] = field(default_factory=dict)
    gateway_configs: dict[str, Path] = field(default_factory=dict)
    workflows: dict[str, Path] = field(default_factory=dict)
    build_scripts: dict[str, Path] = field(default_factory=dict)  # Makefiles, Taskfiles, shell scripts
    compose_files: dict[str, Path] = field(default_factory=dict)
    dotenv_files: dict[str, Path] = field(default_factory=dict)  # `.env`: read for a Compose file beside it
    go_version_files: dict[str, Path] = field(default_factory=dict)
    shared_objects: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def display_path(path: Path, cwd: Path) -> str:
    """Relative to ``cwd`` when inside it, with `/` separators and no `./`."""
    absolute = Path(os.path.abspath(path))
    try:
        rel = absolute.relative_to(cwd)
    except ValueError:
        rel = Path(os.path.relpath(absolute, cwd))
    text = PurePosixPath(*rel.parts).as_posix() if rel.parts else "."
    # A file name that is not UTF-8 arrives with lone surrogates; every output is UTF-8, so show
    # the bad bytes as U+FFFD (the file itself is still opened through its real Path).
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def is_excluded(rel: str, excludes: Sequence[str]) -> bool:
    return any(fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(rel + "/", pattern) for pattern in excludes)


def classify(name: str, parent_rel: str) -> str:
    """Which kind of input a file name is, or "" when we do not read it."""
    lower = name.lower()
    parent_tail = parent_rel.rsplit("/", 2)[-2:] if parent_rel else []
    kinds = {"go.mod": "gomods", "go.sum": "gosums", ".go-version": "go_version_files",
             ".tool-versions": "go_version_files", "makefile": "build_scripts", "gnumakefile": "build_scripts"}
    if lower in kinds:
        return kinds[lower]
    if name == "modules.txt" and parent_rel.endswith("vendor"):
        return "modules_txts"
    if lower.endswith(".go") and not lower.endswith("_test.go"):
        return "go_files"
    if lower in ("dockerfile", "containerfile") or lower.endswith(".dockerfile") or lower.startswith("dockerfile."):
        return "dockerfiles"
    if parent_tail == [".github", "workflows"] and lower.endswith((".yml", ".yaml")):
        return "workflows"
    if is_compose_file(lower):
        return "compose_files"
    if lower in TASKFILE_NAMES:
        return "build_scripts"
    if lower == ".env":
        return "dotenv_files"
    if lower.startswith("krakend") and lower.endswith(CONFIG_SUFFIXES):
        return "gateway_configs"
    if lower.endswith(BUILD_SCRIPT_SUFFIXES):
        return "build_scripts"
    if lower.endswith(".so"):
        return "shared_objects"
    return ""


def is_compose_file(lower: str) -> bool:
    """``docker-compose*.yml``, ``compose*.yaml``, ``*.compose.yml`` (a lower-cased file name)."""
    if not lower.endswith(YAML_SUFFIXES):
        return False
    return lower.startswith(("docker-compose", "compose")) or lower.rsplit(".", 1)[0].endswith(".compose")


def discover(paths: Sequence[Path], cwd: Path, excludes: Sequence[str] = ()) -> Discovered:
    found = Discovered()
    for start in paths:
        root = Path(os.path.abspath(start))
        if not root.exists():
            found.problems.append(Problem(Location(display_path(root, cwd)), "path does not exist", "skipped"))
            continue
        if root.is_file():
            _add_file(found, root, root.parent, cwd, excludes)
            beside = root.parent / ".env"
            if is_compose_file(root.name.lower()) and beside.exists():  # a Compose file given alone
                _add_file(found, beside, root.parent, cwd, excludes)
            continue
        for file in _walk(root, cwd, excludes, found):
            _add_file(found, file, root, cwd, excludes)
    return found


def _walk(root: Path, cwd: Path, excludes: Sequence[str], found: Discovered) -> Iterator[Path]:
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as err:
            where = Location(display_path(folder, cwd))
            found.problems.append(Problem(where, f"cannot list folder: {err.strerror}", "skipped"))
            continue
        for entry in entries:
            rel = display_path(Path(entry.path), cwd)
            if is_excluded(rel, excludes):
                continue
            if entry.is_dir(follow_symlinks=False):
                # vendor/ itself is skipped, but its modules.txt is an input.
                if entry.name == "vendor" and Path(entry.path, "modules.txt").is_file():
                    yield Path(entry.path, "modules.txt")
                if entry.name not in SKIPPED_DIRS:
                    stack.append(Path(entry.path))
            else:
                yield Path(entry.path)


def _add_file(found: Discovered, file: Path, root: Path, cwd: Path, excludes: Sequence[str]) -> None:
    rel = display_path(file, cwd)
    kind = classify(file.name, display_path(file.parent, cwd))
    if not kind:
        return
    problem = check_regular_file(file, root, rel)
    if problem:
        found.problems.append(problem)
        return
    getattr(found, kind)[rel] = file


def check_regular_file(file: Path, root: Path, rel: str) -> Problem | None:
    """A symlink leaving ``root``, a FIFO or a device is never opened."""
    try:
        if file.is_symlink():
            target = file.resolve()
            if not target.is_relative_to(Path(os.path.abspath(root)).resolve()):
                return Problem(Location(rel), "symlink points outside the scanned folder; not followed", "skipped")
        mode = file.stat().st_mode
    except RuntimeError:  # Path.resolve() on a symlink loop (Python 3.11)
        return Problem(Location(rel), "symlink loop; not followed", "skipped")
    except OSError as err:
        return Problem(Location(rel), f"cannot read file: {err.strerror or err}", "skipped")
    if not stat.S_ISREG(mode):
        return Problem(Location(rel), "not a regular file (FIFO, socket or device); not opened", "skipped")
    return None


def read_bytes(file: Path, rel: str, limit: int) -> tuple[bytes | None, Problem | None]:
    """Read at most ``limit`` bytes; a larger file is a problem, not a memory spike."""
    try:
        with file.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as err:
        return None, Problem(Location(rel), f"cannot read file: {err.strerror}", "skipped")
    if len(data) > limit:
        return None, Problem(Location(rel), f"file is larger than the {limit} byte limit; not read", "too-large")
    return data, None
