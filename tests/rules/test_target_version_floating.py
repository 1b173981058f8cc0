from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions
from tests.rules._build_helpers import PLUGIN_FILES


def lint(tmp_path: Path, files: dict[str, str], **settings: str) -> list[tuple[str, str, int, int]]:
    return positions(lint_files(tmp_path, {**PLUGIN_FILES, **files}, **settings), "KP910")


def test_floating_variable_as_the_only_source(tmp_path: Path) -> None:
    assert lint(tmp_path, {"Makefile": "KRAKEND_VERSION ?= 2.7\n"}) == [("KP910", "Makefile", 1, 1)]


def test_exact_sources_images_and_cli_pass(tmp_path: Path) -> None:
    assert lint(tmp_path, {"Makefile": "KRAKEND_VERSION ?= 2.7.0\n"}) == []
    assert lint(tmp_path / "b", {"Dockerfile": "FROM krakend:2.7\n"}) == []  # KP606 reports image tags
    assert lint(tmp_path / "c", {"Makefile": "KRAKEND_VERSION ?= 2.7\n"}, krakend_version="2.7.0") == []


def test_schema_url_as_the_only_source(tmp_path: Path) -> None:
    config = '{\n  "$schema": "https://www.krakend.io/schema/v2.7/krakend.json",\n  "version": 3\n}\n'
    assert lint(tmp_path, {"krakend.json": config}) == [("KP910", "krakend.json", 2, 14)]
