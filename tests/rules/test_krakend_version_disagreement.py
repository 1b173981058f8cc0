from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions
from tests.rules._build_helpers import PLUGIN_FILES


def lint(tmp_path: Path, files: dict[str, str], **settings: str) -> list[tuple[str, str, int, int]]:
    return positions(lint_files(tmp_path, {**PLUGIN_FILES, **files}, **settings), "KP608")


def test_makefile_pin_disagreeing_with_the_runtime_image(tmp_path: Path) -> None:
    files = {"Dockerfile": "FROM krakend:2.7.0\n", "Makefile": "KRAKEND_VERSION ?= 2.6.3\n"}
    assert lint(tmp_path, files) == [("KP608", "Makefile", 1, 1)]


def test_cli_version_disagreeing_with_the_dockerfile(tmp_path: Path) -> None:
    assert lint(tmp_path, {"Dockerfile": "FROM krakend:2.7.0\n"}, krakend_version="2.8.0") == [
        ("KP608", "Dockerfile", 1, 6)]


def test_agreeing_and_floating_sources_pass(tmp_path: Path) -> None:
    files = {"Dockerfile": "FROM krakend/builder:2.6.3 AS b\nRUN go build -buildmode=plugin -o /p.so .\nFROM krakend:2.7.0\n",
             ".github/workflows/b.yml": "env:\n  KRAKEND_VERSION: '2.7'\njobs: {}\n",
             "Makefile": "KRAKEND_VERSION = 2.7.0\n"}
    assert lint(tmp_path, files) == []  # the builder/runtime pair is KP605's
