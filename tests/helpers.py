"""Helpers for rule and scenario tests: write a tiny tree, run the real engine, compare positions."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from linter.engine import Run, run
from linter.model import Finding
from linter.settings import Settings

Position = tuple[str, str, int, int]


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")


@contextmanager
def chdir(path: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def lint_tree(root: Path, **settings: Any) -> Run:
    """Run the engine on ``root`` as `krakend-plugin-lint check .` run inside it would."""
    settings.setdefault("offline", True)
    # Never the user's cache: a reference pulled on this machine must not change a test's result.
    settings.setdefault("cache_dir", root / ".cache" / "references")
    with chdir(root):
        return run(Settings(**settings), Path.cwd())


def lint_files(tmp_path: Path, files: Mapping[str, str | bytes], **settings: Any) -> list[Finding]:
    write_tree(tmp_path, files)
    return list(lint_tree(tmp_path, **settings).report.findings)


def positions(findings: Iterable[Finding], prefix: str = "KP") -> list[Position]:
    """Sorted (rule, path, line, column) of the findings whose rule ID starts with ``prefix``."""
    return sorted(
        (f.rule, f.location.path, f.location.line, f.location.column)
        for f in findings
        if f.rule.startswith(prefix) and not f.suppressed_by
    )
