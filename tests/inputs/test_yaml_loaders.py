"""libyaml (CSafeLoader) and the pure-Python loader give the same trees, positions and errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from linter.inputs import limits
from linter.inputs.gateway_config import ConfigNode, parse_gateway_config, walk
from linter.inputs.text import decode
from linter.inputs.yamlnodes import read_mapping

REPO = Path(__file__).resolve().parent.parent.parent
FILES = sorted(p for folder in ("tests", "examples") for p in (REPO / folder).rglob("*.y*ml") if p.is_file())
TEXTS = [
    "a: é\nb: [ü, 'x', \"y\"]\nc: |\n  é\n  z\nd: 😀e\n",
    "\ufeffversion: 3\nendpoints: []\n",
    "version: 3\r\nendpoints:\r\n  - endpoint: /a\r\n",
    "base: &b {backend: [{host: [h]}]}\nendpoints:\n  - <<: *b\n    endpoint: /x\n",
    "version: 3\nendpoints: [\n",  # an error: same message and place
    "a: 1\na: 2\n",
    "k: 'unterminated\n",
]


def _pure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "_FAST_LOADER", None)


def test_libyaml_is_used_here() -> None:
    assert limits._FAST_LOADER is yaml.CSafeLoader  # otherwise the comparisons below compare nothing


@pytest.mark.parametrize("text", TEXTS + [p.read_text(encoding="utf-8", errors="replace") for p in FILES])
def test_gateway_config_same_with_either_loader(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = parse_gateway_config(text.encode("utf-8"), "krakend.yaml")
    _pure(monkeypatch)
    pure = parse_gateway_config(text.encode("utf-8"), "krakend.yaml")
    assert pure.problems == fast.problems
    assert _tree(pure.root) == _tree(fast.root)


def _tree(root: ConfigNode | None) -> list[tuple[object, ...]]:
    """ConfigNodes compare by identity; this is their content, in order."""
    if root is None:
        return []
    return [(path, n.kind, n.value, n.location, n.key_location, n.key) for path, n in walk(root)]


@pytest.mark.parametrize("text", TEXTS + [p.read_text(encoding="utf-8", errors="replace") for p in FILES])
def test_yaml_nodes_same_with_either_loader(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    decoded, _problems = decode(text.encode("utf-8"), "w.yml")
    assert decoded is not None
    fast_root, fast_problems = read_mapping(decoded, "w.yml", "a workflow")
    _pure(monkeypatch)
    root, problems = read_mapping(decoded, "w.yml", "a workflow")
    assert problems == fast_problems
    assert _marks(root) == _marks(fast_root)


def _marks(node: yaml.Node | None) -> list[tuple[object, ...]]:
    found: list[tuple[object, ...]] = []
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        start, end = current.start_mark, current.end_mark
        style = getattr(current, "style", None) or None
        value = current.value if isinstance(current.value, str) else None
        found.append((type(current).__name__, current.tag, start.line, start.column, end.line, end.column, style, value))
        if isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            stack.extend(item for pair in current.value for item in pair)
    return found
