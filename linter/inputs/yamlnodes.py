"""YAML read as PyYAML's node tree, with positions: shared by the workflow, Compose and Taskfile readers.

PyYAML's composer keeps a mark on every node, so scalars are read from the node tree rather than
from loaded Python values: positions survive, and ``1.20`` stays the text the author wrote. The
tree is never constructed into Python objects, so an alias bomb costs nothing until a reader walks
it, and the readers only walk the few keys they need. Merge keys (``<<: *defaults``), common in
Compose files, are followed by ``Mappings``, once per mapping node, so chains of merges stay cheap.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from linter.inputs.gcpause import paused_gc
from linter.inputs.limits import YAML_TOO_DEEP, compose_yaml
from linter.inputs.shell import SourceMap
from linter.inputs.text import Text
from linter.model import Location, Problem

FLOAT_TAG = "tag:yaml.org,2002:float"
INT_TAG = "tag:yaml.org,2002:int"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_MAX_MERGE_DEPTH = 32  # a merge of a merge of ...: far above real files, and no deep recursion


def read_mapping(text: Text, path: str, what: str) -> tuple[yaml.MappingNode | None, tuple[Problem, ...]]:
    """The document's root mapping; ``None`` and a problem (with its line) when it is not one.
    An empty document is ``None`` without a problem. ``what`` names the file: "a workflow"."""
    try:
        with paused_gc():
            root = compose_yaml(text.text)
    except RecursionError:
        return None, (Problem(Location(path), YAML_TOO_DEEP),)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        reason = getattr(err, "problem", None) or str(err)
        return None, (Problem(Location(path, line, column), f"invalid YAML: {reason}"),)
    if root is None:
        return None, ()
    if not isinstance(root, yaml.MappingNode):
        return None, (Problem(node_location(path, root), f"{what} must be a mapping"),)
    return root, ()


def node_location(path: str, node: yaml.Node) -> Location:
    return Location(path, node.start_mark.line + 1, node.start_mark.column + 1)


def items(node: yaml.Node | None) -> Iterator[tuple[str, yaml.Node]]:
    """(key, value) of a mapping with scalar keys, as written (merge keys are not followed)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                yield str(key.value), value


def get(node: yaml.Node | None, name: str) -> yaml.Node | None:
    return next((value for key, value in items(node) if key == name), None)


def scalar(node: yaml.Node | None) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def is_null(node: yaml.Node | None) -> bool:
    """``KEY:`` or ``KEY: null``: a value left out, not the text "null"."""
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def is_number(node: yaml.Node) -> bool:
    """An unquoted YAML number: ``1.20`` is read as 1.2 by most tools."""
    return isinstance(node, yaml.ScalarNode) and not node.style and node.tag in (FLOAT_TAG, INT_TAG)


def scalar_location(path: str, node: yaml.ScalarNode) -> Location:
    """The scalar's text: after an opening quote, ending on its line (a multi-line one has no end)."""
    text = str(node.value)
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if node.style in ('"', "'"):
        column += 1
    end = column + len(text) if "\n" not in text else 0
    return Location(path, line, column, line, end)


def source_map(path: str, text: Text, node: yaml.ScalarNode) -> SourceMap:
    """Where each character of a scalar's value is: exact for literal blocks and one-line scalars;
    folded and multi-line flow scalars, whose lines do not map one to one, point at their start."""
    value = str(node.value)
    line = node.start_mark.line + 1
    if node.style == "|":
        first = line + 1
        raw = text.line(first)
        indent = len(raw) - len(raw.lstrip(" "))
        return SourceMap.of_text(path, value, first, indent + 1, indent)
    column = node.start_mark.column + 1 + (1 if node.style in ('"', "'") else 0)
    if "\n" in value:
        return SourceMap(path, ((0, line, column, False),))
    return SourceMap.of_text(path, value, line, column)


class Mappings:
    """Mapping items with merge keys followed: ``<<: *base`` and ``<<: [*a, *b]`` bring in the keys
    of those mappings that the mapping does not set itself (the first merged mapping wins among
    them). Each mapping is flattened once per reader, so a chain of merges costs its size, not
    its expansion."""

    def __init__(self) -> None:
        self._flat: dict[int, tuple[tuple[yaml.ScalarNode, yaml.Node], ...]] = {}

    def entries(self, node: yaml.Node | None) -> tuple[tuple[yaml.ScalarNode, yaml.Node], ...]:
        """(key node, value node) pairs: the key node says where the key is written."""
        return self._entries(node, 0) if isinstance(node, yaml.MappingNode) else ()

    def items(self, node: yaml.Node | None) -> Iterator[tuple[str, yaml.Node]]:
        return ((str(key.value), value) for key, value in self.entries(node))

    def get(self, node: yaml.Node | None, name: str) -> yaml.Node | None:
        return next((value for key, value in self.items(node) if key == name), None)

    def _entries(self, node: yaml.MappingNode, depth: int) -> tuple[tuple[yaml.ScalarNode, yaml.Node], ...]:
        cached = self._flat.get(id(node))
        if cached is not None:
            return cached
        self._flat[id(node)] = ()  # a mapping that merges itself (through an alias cycle) adds nothing
        own: dict[str, tuple[yaml.ScalarNode, yaml.Node]] = {}
        merged: dict[str, tuple[yaml.ScalarNode, yaml.Node]] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            if key.tag != _MERGE_TAG:
                own[str(key.value)] = (key, value)
            elif depth < _MAX_MERGE_DEPTH:
                sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
                for source in sources:
                    if isinstance(source, yaml.MappingNode):
                        for entry in self._entries(source, depth + 1):
                            merged.setdefault(str(entry[0].value), entry)
        flat = tuple({**merged, **own}.values())
        self._flat[id(node)] = flat
        return flat
