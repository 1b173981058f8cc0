from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions
from tests.rules._build_helpers import PLUGIN_FILES

BUILDER = "FROM --platform=linux/amd64 krakend/builder:2.7.0 AS builder\n"
RUNTIME_ARM = "FROM --platform=linux/arm64 krakend:2.7.0\nCOPY --from=builder /p.so /opt/krakend/plugins/\n"


def lint(tmp_path: Path, dockerfile: str) -> list[tuple[str, str, int, int]]:
    return positions(lint_files(tmp_path, {**PLUGIN_FILES, "Dockerfile": dockerfile}), "KP302")


def test_amd64_build_for_arm64_runtime(tmp_path: Path) -> None:
    dockerfile = BUILDER + "RUN go build -buildmode=plugin -o /p.so .\n" + RUNTIME_ARM
    assert lint(tmp_path, dockerfile) == [("KP302", "Dockerfile", 1, 6)]


def test_goarch_disagreeing_with_the_runtime(tmp_path: Path) -> None:
    dockerfile = BUILDER + "ENV GOARCH=amd64\nRUN go build -buildmode=plugin -o /p.so .\n" + RUNTIME_ARM
    assert lint(tmp_path, dockerfile) == [("KP302", "Dockerfile", 2, 5)]


def test_cross_compile_to_the_runtime_arch_passes(tmp_path: Path) -> None:
    run = ("RUN CGO_ENABLED=1 GOARCH=arm64 GOHOSTARCH=amd64 CC=aarch64-linux-musl-gcc "
           "go build -buildmode=plugin -ldflags='-extld=aarch64-linux-musl-gcc' -o /p.so .\n")
    assert lint(tmp_path, BUILDER + run + RUNTIME_ARM) == []


def test_buildkit_variables_and_unpinned_stages_pass(tmp_path: Path) -> None:
    dockerfile = ("FROM --platform=$BUILDPLATFORM krakend/builder:2.7.0 AS builder\nARG TARGETARCH\n"
                  "RUN GOARCH=$TARGETARCH go build -buildmode=plugin -o /p.so .\nFROM krakend:2.7.0\n")
    assert lint(tmp_path, dockerfile) == []


def test_an_explicit_goarch_is_dropped_not_flipped(tmp_path: Path) -> None:
    dockerfile = ("FROM --platform=linux/arm64 krakend/builder:2.7.0 AS builder\n"
                  "RUN GOARCH=amd64 go build -buildmode=plugin -o /p.so .\n" + RUNTIME_ARM)
    found = [f for f in lint_files(tmp_path, {**PLUGIN_FILES, "Dockerfile": dockerfile}) if f.rule == "KP302"]
    assert [(f.location.line, f.location.column) for f in found] == [(2, 5)]
    assert found[0].hint.startswith("drop GOARCH=amd64") and "GOARCH=arm64" not in found[0].hint
    assert found[0].fix is not None and found[0].fix.replacement == "RUN go build -buildmode=plugin -o /p.so ."


def test_an_env_goarch_gets_a_hint_but_no_fix(tmp_path: Path) -> None:
    dockerfile = BUILDER + "ENV GOARCH=amd64\nRUN go build -buildmode=plugin -o /p.so .\n" + RUNTIME_ARM
    found = [f for f in lint_files(tmp_path, {**PLUGIN_FILES, "Dockerfile": dockerfile}) if f.rule == "KP302"]
    assert found[0].fix is None and found[0].hint.startswith("drop GOARCH=amd64 and build the stage")
