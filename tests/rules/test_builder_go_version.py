from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions

PLUGIN = {
    "go.mod": "module example.com/p\n\ngo 1.22\n",
    "main.go": "package main\n\nfunc main() {}\n",
}
BUILD = "RUN apk add --no-cache gcc musl-dev && go build -buildmode=plugin -o /p.so .\n"
RUNTIME = "FROM devopsfaith/krakend:2.7.0\nCOPY --from=builder /p.so /opt/krakend/plugins/\n"


def lint(tmp_path: Path, dockerfile: str, **files: str) -> list[tuple[str, str, int, int]]:
    findings = lint_files(tmp_path, {**PLUGIN, "Dockerfile": dockerfile, **files})
    return positions(findings, "KP201")


def test_golang_patch_mismatch_is_reported_on_the_image(tmp_path: Path) -> None:
    found = lint_files(tmp_path, {**PLUGIN, "Dockerfile": "FROM golang:1.22.4-alpine3.19 AS builder\n" + BUILD + RUNTIME})
    assert positions(found, "KP201") == [("KP201", "Dockerfile", 1, 6)]
    finding = next(f for f in found if f.rule == "KP201")
    assert finding.fix is not None and finding.fix.replacement == "FROM golang:1.22.5-alpine3.19 AS builder"
    assert "1.22.5" in finding.message and "runtime/internal/sys" in finding.hint


def test_arg_templated_tag_is_reported_on_the_arg_line(tmp_path: Path) -> None:
    dockerfile = "ARG GO=1.21.0\nFROM golang:${GO}-alpine3.19 AS builder\n" + BUILD + RUNTIME
    found = lint_files(tmp_path, {**PLUGIN, "Dockerfile": dockerfile})
    assert positions(found, "KP201") == [("KP201", "Dockerfile", 1, 5)]
    fix = next(f for f in found if f.rule == "KP201").fix
    assert fix is not None and fix.replacement == "ARG GO=1.22.5"


def test_floating_golang_tag_is_reported(tmp_path: Path) -> None:
    assert lint(tmp_path, "FROM golang:1.22-alpine AS builder\n" + BUILD + RUNTIME) == [("KP201", "Dockerfile", 1, 6)]


def test_builder_for_another_release_without_runtime_stage(tmp_path: Path) -> None:
    found = lint_files(tmp_path, {**PLUGIN, "Dockerfile": "FROM krakend/builder:2.6.3\nRUN go build -buildmode=plugin -o p.so .\n"},
                       krakend_version="2.7.0")
    assert positions(found, "KP201") == [("KP201", "Dockerfile", 1, 6)]
    assert next(f for f in found if f.rule == "KP201").fix.replacement == "FROM krakend/builder:2.7.0"  # type: ignore[union-attr]


def test_makefile_docker_run_and_go_wrapper(tmp_path: Path) -> None:
    makefile = (
        "GOIMG = golang:1.22.4\n"
        "build:\n"
        "\tdocker run --rm -v $(PWD):/src -w /src $(GOIMG) go build -buildmode=plugin -o p.so .\n"
        "local:\n"
        "\tgo1.22.3 build -buildmode=plugin -o p.so .\n"
    )
    found = lint_files(tmp_path, {**PLUGIN, "Makefile": makefile}, krakend_version="2.7.0")
    assert positions(found, "KP201") == [("KP201", "Makefile", 1, 1), ("KP201", "Makefile", 5, 2)]


def test_matching_builders_pass(tmp_path: Path) -> None:
    assert lint(tmp_path, "FROM krakend/builder:2.7.0 AS builder\n" + BUILD + RUNTIME) == []
    assert lint(tmp_path, "FROM golang:1.22.5-alpine3.19 AS builder\n" + BUILD + RUNTIME) == []


def test_builder_of_another_release_next_to_the_runtime_is_left_to_kp605(tmp_path: Path) -> None:
    assert lint(tmp_path, "FROM krakend/builder:2.6.3 AS builder\n" + BUILD + RUNTIME) == []


def test_a_floating_alpine_golang_gets_a_fully_pinned_suggestion(tmp_path: Path) -> None:
    found = lint_files(tmp_path, {**PLUGIN, "Dockerfile": "FROM golang:1.22-alpine AS builder\n" + BUILD + RUNTIME})
    finding = next(f for f in found if f.rule == "KP201")
    assert finding.fix is not None and finding.fix.replacement == "FROM golang:1.22.5-alpine3.19 AS builder"
    assert finding.hint.startswith("build with golang:1.22.5-alpine3.19 (or krakend/builder:2.7.0);")
