"""What keeps the loader linear on hostile inputs (issue 16); the time ratios are in
benchmarks/reliability.py (section 5)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from linter import load
from linter.inputs.gosource import parse_go_file
from tests.helpers import lint_tree, write_tree


def test_parsers_run_with_the_cycle_collector_paused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The collector rescanning a growing parse tree doubled the time of a 4 MB Go file.
    seen: list[bool] = []

    def parse(data: bytes, path: str) -> object:
        seen.append(gc.isenabled())
        return parse_go_file(data, path)

    monkeypatch.setattr("linter.inputs.gosource.parse_go_file", parse)
    write_tree(tmp_path, {"go.mod": "module m\n\ngo 1.22\n", "a.go": "package main\n", "b.go": "package main\n"})
    assert gc.isenabled()
    lint_tree(tmp_path)
    assert seen == [False, False] and gc.isenabled()


def test_a_parser_error_still_resumes_the_collector(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(data: bytes, path: str) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr("linter.inputs.gosource.parse_go_file", broken)
    write_tree(tmp_path, {"go.mod": "module m\n\ngo 1.22\n", "a.go": "package main\n"})
    run = lint_tree(tmp_path)
    assert gc.isenabled() and any(f.rule == "KP901" and f.location.path == "a.go" for f in run.report.findings)


def test_each_source_line_is_masked_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 8,000 findings on one minified krakend.json line masked that line 16,000 times.
    write_tree(tmp_path, {"krakend.json": '{"version": 3, "password": "hunter2-secret"}\n'})
    run = lint_tree(tmp_path)
    masked: list[str] = []
    real = load.excerpt
    monkeypatch.setattr(load, "excerpt", lambda line: masked.append(line) or real(line))
    shown = {run.loaded.source_line("krakend.json", 1) for _ in range(100)}
    assert len(masked) == 1 and len(shown) == 1 and "hunter2-secret" not in shown.pop()
