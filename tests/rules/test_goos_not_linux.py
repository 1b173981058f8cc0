from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions
from tests.rules._build_helpers import PLUGIN_FILES


def lint(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str, int, int]]:
    return positions(lint_files(tmp_path, {**PLUGIN_FILES, **files}), "KP304")


def test_goos_darwin_in_a_script(tmp_path: Path) -> None:
    script = "#!/bin/sh\nexport GOOS=darwin\ngo build -buildmode=plugin -o p.so .\n"
    assert lint(tmp_path, {"build.sh": script}) == [("KP304", "build.sh", 2, 8)]


def test_macos_runner_without_goos(tmp_path: Path) -> None:
    workflow = "jobs:\n  b:\n    runs-on: macos-14\n    steps:\n      - run: go build -buildmode=plugin -o p.so .\n"
    assert lint(tmp_path, {".github/workflows/b.yml": workflow}) == [("KP304", ".github/workflows/b.yml", 5, 14)]


def test_linux_builds_pass(tmp_path: Path) -> None:
    files = {"build.sh": "GOOS=linux go build -buildmode=plugin -o p.so .\n",
             "Dockerfile": "FROM krakend/builder:2.7.0\nRUN go build -buildmode=plugin -o p.so .\n"}
    assert lint(tmp_path, files) == []
