from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files
from tests.rules._build_helpers import PLUGIN_FILES


def lint(tmp_path: Path, files: dict[str, str]):  # type: ignore[no-untyped-def]
    return [f for f in lint_files(tmp_path, {**PLUGIN_FILES, **files}) if f.rule == "KP601"]


def test_so_output_without_buildmode(tmp_path: Path) -> None:
    found = lint(tmp_path, {"Dockerfile": "FROM krakend/builder:2.7.0\nRUN go build -o /p.so .\n"})
    assert [(f.location.line, f.location.column) for f in found] == [(2, 8)]
    assert found[0].fix is not None and found[0].fix.replacement == "RUN go build -buildmode=plugin -o /p.so ."


def test_c_shared_is_not_a_plugin(tmp_path: Path) -> None:
    found = lint(tmp_path, {"build.sh": "go build -buildmode=c-shared -o p.so .\n"})
    assert [(f.location.path, f.location.line, f.location.column) for f in found] == [("build.sh", 1, 10)]
    assert found[0].fix is not None and found[0].fix.replacement == "go build -buildmode=plugin -o p.so ."


def test_builder_image_build_without_output(tmp_path: Path) -> None:
    found = lint(tmp_path, {"Dockerfile": "FROM krakend/builder:2.7.0\nRUN go build .\n"})
    assert [(f.location.line, f.location.column) for f in found] == [(2, 8)]


def test_plugin_builds_and_other_programs_pass(tmp_path: Path) -> None:
    files = {"Dockerfile": "FROM krakend/builder:2.7.0\nRUN go build -buildmode=plugin -o /p.so .\n",
             "build.sh": "go build -o bin/tool ./cmd/tool\n"}
    assert lint(tmp_path, files) == []
