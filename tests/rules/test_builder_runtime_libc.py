from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions
from tests.rules._build_helpers import PLUGIN_FILES

RUNTIME = "FROM krakend:2.7.0\nCOPY --from=builder /p.so /opt/krakend/plugins/\n"
BUILD = "RUN go build -buildmode=plugin -o /p.so .\n"


def lint(tmp_path: Path, files: dict[str, str], **settings: str):  # type: ignore[no-untyped-def]
    return lint_files(tmp_path, {**PLUGIN_FILES, **files}, **settings)


def test_debian_builder_into_alpine_runtime(tmp_path: Path) -> None:
    found = lint(tmp_path, {"Dockerfile": "FROM golang:1.22.5-bookworm AS builder\n" + BUILD + RUNTIME})
    assert positions(found, "KP301") == [("KP301", "Dockerfile", 1, 6)]
    fix = next(f for f in found if f.rule == "KP301").fix
    assert fix is not None and fix.replacement == "FROM golang:1.22.5-alpine3.19 AS builder"


def test_linux_generic_builder_into_alpine_runtime(tmp_path: Path) -> None:
    found = lint(tmp_path, {"Dockerfile": "FROM krakend/builder:2.7.0-linux-generic AS builder\n" + BUILD + RUNTIME})
    assert positions(found, "KP301") == [("KP301", "Dockerfile", 1, 6)]
    assert next(f for f in found if f.rule == "KP301").fix.replacement == "FROM krakend/builder:2.7.0 AS builder"  # type: ignore[union-attr]


def test_alpine_builder_into_debian_runtime(tmp_path: Path) -> None:
    dockerfile = "FROM krakend/builder:2.7.0 AS builder\n" + BUILD + "FROM debian:bookworm-slim\n"
    assert positions(lint(tmp_path, {"Dockerfile": dockerfile}), "KP301") == [("KP301", "Dockerfile", 1, 6)]


def test_ubuntu_runner_build_for_the_docker_image(tmp_path: Path) -> None:
    workflow = "jobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go build -buildmode=plugin -o p.so .\n"
    files = {".github/workflows/b.yml": workflow, "Dockerfile": "FROM krakend:2.7.0\nCOPY p.so /opt/krakend/plugins/\n"}
    assert positions(lint(tmp_path, files), "KP301") == [("KP301", ".github/workflows/b.yml", 5, 14)]


def test_matching_libc_passes(tmp_path: Path) -> None:
    assert positions(lint(tmp_path, {"Dockerfile": "FROM krakend/builder:2.7.0 AS builder\n" + BUILD + RUNTIME}), "KP301") == []
    generic = "FROM krakend/builder:2.7.0-linux-generic\n" + BUILD
    assert positions(lint(tmp_path / "b", {"Dockerfile": generic}), "KP301") == []
