"""End-to-end scenarios: `tests/scenarios/<name>/repo/` linted as a user would, against `expected.txt`.

`expected.txt` holds one `path:line:col: KPxxx` line per finding (suppressed ones excluded);
an optional `args.txt` holds the CLI options for the run (one per line), relative paths in it
resolved from the scenario folder. Rewrite expectations with `pytest --update-golden` and review
the diff. A scenario named `good-*` must stay at zero findings.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest

from linter.cli import build_parser
from linter.commands.options import settings_from_args
from linter.engine import run
from tests.helpers import chdir

SCENARIOS = Path(__file__).resolve().parent / "scenarios"


def scenario_dirs() -> list[Path]:
    return sorted(p for p in SCENARIOS.iterdir() if (p / "repo").is_dir()) if SCENARIOS.is_dir() else []


def scenario_args(folder: Path) -> list[str]:
    args_file = folder / "args.txt"
    if not args_file.is_file():
        return []
    args = []
    for line in args_file.read_text(encoding="utf-8").splitlines():
        for word in shlex.split(line, comments=True):
            args.append(str((folder / word[2:]).resolve()) if word.startswith("@/") else word)
    return args


def lint_scenario(folder: Path, cache: Path) -> list[str]:
    args = build_parser().parse_args(["check", "--offline", "--cache-dir", str(cache), *scenario_args(folder)])
    with chdir(folder / "repo"):
        result = run(settings_from_args(args), Path.cwd())
    return sorted(
        f"{f.location.path}:{f.location.line}:{f.location.column}: {f.rule}"
        for f in result.report.findings
        if not f.suppressed_by
    )


@pytest.mark.parametrize("folder", scenario_dirs(), ids=lambda p: p.name)
def test_scenario(folder: Path, tmp_path: Path) -> None:
    got = lint_scenario(folder, tmp_path / "cache")
    expected_file = folder / "expected.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected_file.write_text("".join(line + "\n" for line in got), encoding="utf-8")
    expected = sorted(line for line in expected_file.read_text(encoding="utf-8").splitlines() if line.strip())
    assert got == expected
    if folder.name.startswith("good-"):
        assert got == [], "a known-good repo must stay at zero findings"
