"""Every node of varied YAML configs keeps the kind, value, key and positions pinned in
data/yaml_positions.json (recorded from the reader before it was made faster)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.inputs.gateway_config import parse_gateway_config, walk
from linter.model import Location

DATA = Path(__file__).resolve().parent / "data"
VARIED = (DATA / "yaml_positions.txt").read_text(encoding="utf-8")
_BOMB = "\n".join(['a: &a ["x","x","x","x","x","x","x","x","x"]'] + [
    f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]" for prev, cur in zip("abcdefgh", "bcdefghi", strict=True)])
TEXTS = {
    "varied": VARIED,
    "varied, CRLF line breaks": VARIED.replace("\n", "\r\n"),
    "varied, final line break": VARIED + "\n",
    "template": 'version: 3\nplugin: {{ marshal .plugin }}\nlist:\n  - {{ .x }}\nname: "{{ .n }}"\n'
                "{{ if .a }}\nk: v\n{{ end }}\n",
    "alias bomb": _BOMB,
    "merge only, sources reused": "a: &a {x: 1}\nb: &b {y: 2}\nc: {<<: [*a, *b], x: 3}\nd:\n  <<: *a",
    "block scalar at the end": "a: |\n  x\n  y",
    "block list at the end": "a:\n  - b\n  - c",
    "trailing blank lines": "a:\n  b: c\n\n\n",
    "document markers": "--- \na: 1\n...\n",
    "a bare scalar": "just text",
    "a flow list spanning lines": "[1,\n 2,\n  {a: b}\n]",
    "empty values": "a:\nb: []\nc: {}\nd: ''\n",
    "invalid": "a: [\n",
}


def _place(location: Location | None) -> list[object] | None:
    if location is None:
        return None
    return [location.path, location.line, location.column, location.end_line, location.end_column]


def snapshot(text: str) -> dict[str, object]:
    config = parse_gateway_config(text.encode("utf-8"), "krakend.yaml")
    problems = [[p.kind, p.message, *(_place(p.location) or [])] for p in config.problems]
    nodes = [] if config.root is None else [
        ["/".join(path), node.kind, repr(node.value), node.key, _place(node.location), _place(node.key_location)]
        for path, node in walk(config.root)]
    return {"problems": problems, "nodes": nodes}


def _expected() -> dict[str, object]:
    return dict(json.loads((DATA / "yaml_positions.json").read_text(encoding="utf-8")))


def test_every_text_has_an_expectation() -> None:
    assert sorted(_expected()) == sorted(TEXTS)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_yaml_nodes_keep_their_positions(name: str) -> None:
    assert snapshot(TEXTS[name]) == _expected()[name]
