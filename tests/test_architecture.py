"""Imports point one way between the packages of linter/ (ARCHITECTURE.md, "Packages and import
direction"); this test keeps it so, and keeps that page and the tree in step."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINTER = REPO / "linter"

# package (or top-level module) -> what it may import besides itself
ALLOWED: dict[str, set[str]] = {
    "model": set(),
    "inputs": {"model"},
    "redact": {"model"},  # remote answers and rendered texts are masked with it
    "krakend": {"model", "inputs", "redact"},
    "analysis": {"model", "inputs", "krakend"},  # build recipes, dependencies, runtime, target detection
    "rules": {"model", "inputs", "krakend", "analysis"},
    # Pure output formats and every text/Markdown rendering: a Report (or krakend data) in, text out.
    "formats": {"model", "krakend", "redact"},
    # The GitHub API, context and log guard, and the channels (linter/github/channels/), which render
    # through the pure formats.
    "github": {"model", "formats"},
    "templates": set(),
    # What the rules say about themselves, precomputed so `rules` and `explain` import no rule.
    "rule_index": {"model", "rule_index_data"},
    "rule_index_data": set(),
    "rootcause": {"model"},  # folds findings of one cause; the engine calls it
    # The pipeline's steps, below the wiring: files found, parsed, configured, resolved, fixed.
    "discovery": {"model", "inputs"},
    "load": {"model", "inputs", "krakend", "discovery", "redact"},
    "suppression": {"model", "inputs"},
    "settings": {"model", "suppression"},
    "fix": {"model", "krakend"},
    "resolver": {"model", "inputs", "krakend", "analysis", "github", "discovery", "load", "settings"},
    "github_flags": {"model", "github"},  # the GitHub flags, turned into the channels' options
}
# The wiring may import everything; nothing else may import it (no package above lists it).
WIRING = {"cli", "commands", "engine", "__main__", "__init__"}


def package_of(path: Path) -> str:
    rel = path.relative_to(LINTER)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "linter" and len(parts) > 1:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("path", sorted(LINTER.rglob("*.py")), ids=lambda p: str(p.relative_to(LINTER)))
def test_imports_point_the_right_way(path: Path) -> None:
    package = package_of(path)
    if package in WIRING:
        return
    assert package in ALLOWED, f"{package} is not a known package: add it to ARCHITECTURE.md and this test"
    wrong = imported_packages(path) - ALLOWED[package] - {package}
    assert not wrong, f"linter/{path.relative_to(LINTER)} ({package}) must not import {sorted(wrong)}"


def test_nothing_outside_the_wiring_imports_it() -> None:
    assert not any(WIRING & allowed for allowed in ALLOWED.values())


def test_every_package_of_the_tree_is_known_and_every_known_one_exists() -> None:
    present = {package_of(path) for path in LINTER.rglob("*.py")} | {
        path.name for path in LINTER.iterdir() if path.is_dir() and not path.name.startswith("_")}
    assert present - set(ALLOWED) - WIRING == set()
    assert set(ALLOWED) | (WIRING - {"__main__", "__init__"}) <= present


@pytest.mark.parametrize("path", sorted(LINTER.rglob("*.py")), ids=lambda p: str(p.relative_to(LINTER)))
def test_no_module_over_500_lines(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= 500, f"linter/{path.relative_to(LINTER)} has {lines} lines: split it along its sections"


def test_architecture_page_names_only_what_exists() -> None:
    """Every `linter/...` path ARCHITECTURE.md names exists, and its package table lists every
    package this test knows, with the same imports."""
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for named in sorted(set(re.findall(r"`(linter/[\w/.]+)`", text))):
        assert (REPO / named).exists() or (REPO / (named.rstrip("/") + ".py")).exists(), f"{named} does not exist"
    table = dict(re.findall(r"^\| `([\w/]+)` \| ([^|]+) \|", text, flags=re.M))
    for package, allowed in ALLOWED.items():
        if package in ("templates", "rule_index_data"):
            continue
        assert package in table, f"ARCHITECTURE.md's package table has no row for {package}"
        said = set(re.findall(r"`(\w+)`", table[package]))
        assert said == allowed, f"ARCHITECTURE.md says {package} may import {sorted(said)}, the test {sorted(allowed)}"


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

