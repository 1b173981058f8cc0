from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions
from tests.rules._build_helpers import PLUGIN_FILES

BUILD = "RUN go build -buildmode=plugin -o /p.so .\n"


def lint(tmp_path: Path, dockerfile: str) -> list[tuple[str, str, int, int]]:
    return positions(lint_files(tmp_path, {**PLUGIN_FILES, "Dockerfile": dockerfile}), "KP603")


def test_golang_alpine_without_gcc(tmp_path: Path) -> None:
    assert lint(tmp_path, "FROM golang:1.22.5-alpine3.19 AS builder\nRUN apk add musl-dev\n" + BUILD) == [
        ("KP603", "Dockerfile", 1, 6)]


def test_packages_installed_in_a_base_stage_count(tmp_path: Path) -> None:
    dockerfile = ("FROM golang:1.22.5-alpine3.19 AS base\nRUN apk add --no-cache gcc musl-dev\n"
                  "FROM base AS builder\n" + BUILD)
    assert lint(tmp_path, dockerfile) == []


def test_build_base_and_krakend_builder_pass(tmp_path: Path) -> None:
    assert lint(tmp_path, "FROM golang:1.22.5-alpine3.19\nRUN apk add build-base\n" + BUILD) == []
    assert lint(tmp_path / "b", "FROM krakend/builder:2.7.0\n" + BUILD) == []


def test_the_fix_installs_the_packages_after_from(tmp_path: Path) -> None:
    dockerfile = "FROM golang:1.22.5-alpine3.19 AS builder\n" + BUILD + "FROM krakend:2.7.0\n"
    found = [f for f in lint_files(tmp_path, {**PLUGIN_FILES, "Dockerfile": dockerfile}) if f.rule == "KP603"]
    assert [(f.location.line, f.location.column) for f in found] == [(1, 6)]
    assert found[0].fix is not None and found[0].fix.replacement == (
        "FROM golang:1.22.5-alpine3.19 AS builder\nRUN apk add --no-cache gcc musl-dev")
    assert found[0].hint.endswith("or build in krakend/builder:2.7.0")
