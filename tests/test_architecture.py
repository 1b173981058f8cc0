"""Imports point one way between rooms (see ../shared/DESIGN.md); this test keeps it so."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LINTER = Path(__file__).resolve().parent.parent / "linter"

# room -> the rooms it may import from (besides itself)
ALLOWED: dict[str, set[str]] = {
    "model": set(),
    "inputs": {"model"},
    "krakend": {"model", "inputs", "redact"},
    "analysis": {"model", "inputs", "krakend"},  # build recipes, dependencies, runtime, target detection
    "rules": {"model", "inputs", "krakend", "analysis"},
    # The GitHub API, context and log guard, and the channels (linter/github/channels/), which render
    # through the pure formats.
    "github": {"model", "formats"},
    # Pure output formats and every text/Markdown rendering: a Report (or krakend data) in, text out.
    "formats": {"model", "krakend", "redact"},
    "templates": set(),
    # What the rules say about themselves, precomputed so `rules` and `explain` import no rule.
    "rule_index": {"model", "rule_index_data"},
    "rule_index_data": set(),
    "rootcause": {"model"},  # folds findings of one cause; the engine calls it
}
# Wiring modules may import every room; nothing but cli/commands may import them, except redact,
# which imports only model at run time: remote answers and the formats' texts are masked with it.
WIRING = {"cli", "commands", "engine", "load", "discovery", "settings", "suppression", "redact", "fix", "resolver",
          "github_flags", "__main__", "__init__"}


def room_of(path: Path) -> str:
    rel = path.relative_to(LINTER)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def imported_rooms(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rooms = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "linter" and len(parts) > 1:
                rooms.add(parts[1])
    return rooms


@pytest.mark.parametrize("path", sorted(LINTER.rglob("*.py")), ids=lambda p: str(p.relative_to(LINTER)))
def test_imports_point_the_right_way(path: Path) -> None:
    room = room_of(path)
    if room in WIRING:
        return
    assert room in ALLOWED, f"{room} is not a known room: add it to DESIGN and this test"
    wrong = imported_rooms(path) - ALLOWED[room] - {room}
    assert not wrong, f"linter/{path.relative_to(LINTER)} ({room}) must not import {sorted(wrong)}"


def _reaches_outside(node: ast.Attribute) -> bool:
    """`os.environ`, `os.getenv`, `Path(...).read_text()` and the like."""
    if isinstance(node.value, ast.Name) and node.value.id == "os":
        return node.attr in ("environ", "getenv", "listdir", "scandir", "walk")
    return node.attr in ("read_text", "read_bytes", "write_text", "write_bytes", "iterdir", "glob")


def test_rules_never_touch_files_env_or_print() -> None:
    banned = {"open", "print", "input", "exec", "eval"}
    for path in (LINTER / "rules").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in banned, f"{path.name} calls {node.func.id}()"
            if isinstance(node, ast.Attribute) and _reaches_outside(node):
                raise AssertionError(f"{path.name} uses .{node.attr}")
            if isinstance(node, ast.Import | ast.ImportFrom):
                mod = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                assert (mod or "").split(".")[0] not in ("subprocess", "socket", "urllib", "requests", "github"), (
                    f"{path.name} imports {mod}"
                )


def test_formats_are_pure() -> None:
    """A format turns data into text: no printing, files, environment, processes or network."""
    banned_modules = ("subprocess", "socket", "requests", "github", "http", "jinja2")
    for path in (LINTER / "formats").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("open", "print", "input"), f"{path.name} calls {node.func.id}()"
            if isinstance(node, ast.Attribute) and _reaches_outside(node):
                raise AssertionError(f"{path.name} uses .{node.attr}")
            if isinstance(node, ast.Import | ast.ImportFrom):
                mod = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                assert (mod or "").split(".")[0] not in banned_modules, f"{path.name} imports {mod}"

