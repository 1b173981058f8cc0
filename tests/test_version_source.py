"""A KrakenD version set in the config file is labelled as coming from the config file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.cli import main
from tests.helpers import chdir, write_tree

FILES = {
    "go.mod": "module example.com/p\n\ngo 1.22\n",
    "main.go": "package main\n\nfunc main() {}\n",
    "Dockerfile": "FROM golang:1.22.4-alpine3.19 AS builder\nRUN go build -buildmode=plugin -o /p.so .\n",
}


def kp201_message(tmp_path: Path, *args: str) -> str:
    report = tmp_path / "out.json"
    with chdir(tmp_path):
        main(["check", ".", "--offline", "--cache-dir", str(tmp_path / "c"), "--output", f"json={report}",
              "--fail-on", "never", *args])
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    return next(f["message"] for f in findings if f["rule"] == "KP201")


def test_config_file_version_is_labelled_with_the_file(tmp_path: Path) -> None:
    write_tree(tmp_path, {**FILES, ".github/krakend-lint.yml": "krakend-version: 2.7.0\n"})
    message = kp201_message(tmp_path)
    assert "KrakenD 2.7.0 (.github/krakend-lint.yml: krakend-version)" in message
    assert "--krakend-version" not in message


def test_command_line_version_wins_and_says_so(tmp_path: Path) -> None:
    write_tree(tmp_path, {**FILES, ".github/krakend-lint.yml": "krakend-version: 2.6.3\n"})
    assert "KrakenD 2.7.0 (--krakend-version)" in kp201_message(tmp_path, "--krakend-version", "2.7.0")


def test_reference_show_names_the_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, {".github/krakend-lint.yml": "krakend-version: 2.7.0\n"})
    with chdir(tmp_path):
        main(["reference", "show", "--offline", "--cache-dir", str(tmp_path / "c")])
    out = capsys.readouterr().out
    assert ".github/krakend-lint.yml: krakend-version" in out and "(--krakend-version)" not in out
