from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files
from tests.rules._build_helpers import PLUGIN_FILES


def lint(tmp_path: Path, files: dict[str, str]):  # type: ignore[no-untyped-def]
    return [f for f in lint_files(tmp_path, {**PLUGIN_FILES, **files}) if f.rule == "KP602"]


def test_env_in_the_builder_stage(tmp_path: Path) -> None:
    dockerfile = "FROM krakend/builder:2.7.0\nENV CGO_ENABLED=0\nRUN go build -buildmode=plugin -o /a.so . && go build -buildmode=plugin -o /b.so ./b\n"
    found = lint(tmp_path, {"Dockerfile": dockerfile})
    assert [(f.location.line, f.location.column) for f in found] == [(2, 5)]
    assert found[0].fix is not None and found[0].fix.replacement == "ENV CGO_ENABLED=1"


def test_command_prefix_and_workflow_env(tmp_path: Path) -> None:
    workflow = ("jobs:\n  b:\n    runs-on: ubuntu-latest\n    container: krakend/builder:2.7.0\n    env:\n"
                "      CGO_ENABLED: 0\n    steps:\n      - run: go build -buildmode=plugin -o p.so .\n")
    found = lint(tmp_path, {"build.sh": "CGO_ENABLED=0 go build -buildmode=plugin -o p.so .\n",
                            ".github/workflows/b.yml": workflow})
    assert sorted((f.location.path, f.location.line, f.location.column) for f in found) == [
        (".github/workflows/b.yml", 6, 20), ("build.sh", 1, 1)]
    assert {f.fix.replacement for f in found if f.fix} == {"      CGO_ENABLED: 1", "CGO_ENABLED=1 go build -buildmode=plugin -o p.so ."}


def test_cgo_on_or_unset_passes(tmp_path: Path) -> None:
    files = {"build.sh": "CGO_ENABLED=1 go build -buildmode=plugin -o p.so .\nCGO_ENABLED=0 go build -o tool ./cmd/tool\n"}
    assert lint(tmp_path, files) == []
