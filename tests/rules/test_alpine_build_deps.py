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
