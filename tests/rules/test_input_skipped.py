from __future__ import annotations

import os
from pathlib import Path

from tests.helpers import lint_tree, positions, write_tree


def test_symlink_leaving_the_scanned_folder_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "krakend.json").write_text('{"version": 1}', encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "krakend.json").symlink_to(outside / "krakend.json")
    findings = lint_tree(repo).report.findings
    assert positions(findings, "KP903") == [("KP903", "krakend.json", 0, 0)]
    assert positions(findings, "KP501") == [], "the linked file must not have been read"


def test_fifo_is_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "go.mod")
    findings = lint_tree(tmp_path).report.findings
    assert positions(findings, "KP903") == [("KP903", "go.mod", 0, 0)]


def test_symlink_inside_the_folder_is_read(tmp_path: Path) -> None:
    write_tree(tmp_path, {"config/real.json": '{"version": 3}'})
    (tmp_path / "krakend.json").symlink_to(tmp_path / "config" / "real.json")
    assert positions(lint_tree(tmp_path).report.findings, "KP903") == []
