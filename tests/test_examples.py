"""The bundled examples say what the README promises: one clean plugin, one with every classic mistake."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers import lint_tree

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _lint(tmp_path: Path, name: str) -> list[tuple[str, str, int, int]]:
    repo = tmp_path / name
    shutil.copytree(EXAMPLES / name, repo)
    report = lint_tree(repo).report
    return sorted((f.rule, f.location.path, f.location.line, f.location.column) for f in report.active)


def test_the_example_plugin_is_clean_offline_with_the_embedded_reference(tmp_path: Path) -> None:
    assert _lint(tmp_path, "plugin") == []


def test_the_broken_example_shows_each_classic_mistake(tmp_path: Path) -> None:
    assert _lint(tmp_path, "broken-plugin") == [
        ("KP101", "go.mod", 7, 2),  # golang.org/x/text v0.3.7, KrakenD 2.7.0 has v0.16.0 (embedded reference)
        ("KP104", "go.mod", 6, 2),  # lura required by a plugin
        ("KP201", "Dockerfile", 1, 6),  # builder Go 1.22.4, KrakenD 2.7.0 is 1.22.5
        ("KP301", "Dockerfile", 1, 6),  # glibc builder, musl runtime
        ("KP403", "main.go", 11, 5),  # pointer registerer
        ("KP404", "main.go", 15, 22),  # named callback type
        ("KP407", "main.go", 16, 2),  # registered for both directions
        ("KP503", "krakend.json", 5, 16),  # pattern the .so name misses
        ("KP506", "krakend.json", 12, 19),  # string name for a modifier
        ("KP602", "Dockerfile", 4, 5),  # CGO_ENABLED=0
        ("KP604", "Dockerfile", 4, 28),  # -trimpath
    ]
