from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions
from tests.rules._build_helpers import PLUGIN_FILES

GOOD_MUSL = ("RUN CGO_ENABLED=1 GOARCH=arm64 GOHOSTARCH=amd64 CC=aarch64-linux-musl-gcc go build -buildmode=plugin "
             "-ldflags='-extldflags=-fuse-ld=bfd -extld=aarch64-linux-musl-gcc' -o /p.so .\n")
GOOD_GNU = GOOD_MUSL.replace("musl", "gnu")


def lint(tmp_path: Path, dockerfile: str) -> list[tuple[str, str, int, int]]:
    return positions(lint_files(tmp_path, {**PLUGIN_FILES, "Dockerfile": dockerfile}), "KP303")


def test_missing_cgo_and_compiler(tmp_path: Path) -> None:
    dockerfile = "FROM krakend/builder:2.7.0\nRUN GOARCH=arm64 go build -buildmode=plugin -o /p.so .\n"
    assert lint(tmp_path, dockerfile) == [("KP303", "Dockerfile", 2, 5), ("KP303", "Dockerfile", 2, 5)]


def test_musl_compiler_on_the_glibc_builder(tmp_path: Path) -> None:
    dockerfile = "FROM krakend/builder:2.7.0-linux-generic\n" + GOOD_MUSL
    assert lint(tmp_path, dockerfile) == [("KP303", "Dockerfile", 2, 49), ("KP303", "Dockerfile", 2, 102)]


def test_builder_2_10_2_lacks_the_musl_cross_compiler(tmp_path: Path) -> None:
    assert lint(tmp_path, "FROM krakend/builder:2.10.2\n" + GOOD_MUSL) == [("KP303", "Dockerfile", 1, 6)]


def test_golang_debian_needs_the_cross_gcc_package(tmp_path: Path) -> None:
    dockerfile = "FROM --platform=linux/amd64 golang:1.22.5-bookworm\n" + GOOD_GNU
    assert lint(tmp_path, dockerfile) == [("KP303", "Dockerfile", 1, 29)]
    installed = "FROM --platform=linux/amd64 golang:1.22.5-bookworm\nRUN apt-get update && apt-get install -y gcc-aarch64-linux-gnu\n" + GOOD_GNU
    assert lint(tmp_path / "b", installed) == []


def test_documented_cross_builds_pass(tmp_path: Path) -> None:
    assert lint(tmp_path, "FROM krakend/builder:2.7.0\n" + GOOD_MUSL) == []
    assert lint(tmp_path / "b", "FROM krakend/builder:2.7.0-linux-generic\n" + GOOD_GNU) == []


def test_native_arm64_builders_are_left_alone(tmp_path: Path) -> None:
    assert lint(tmp_path, "FROM --platform=linux/arm64 golang:1.22.5-alpine3.19\nRUN GOARCH=arm64 go build -buildmode=plugin -o p.so .\n") == []
