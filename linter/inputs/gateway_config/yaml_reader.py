"""YAML gateway configs: PyYAML's composer gives the positions; aliases expand within a budget.

A 4 MiB config composes into some 230,000 nodes, so the conversion is kept lean: positions are
packed ints (``linter.inputs.spans``), frames are plain tuples, and the merge-key work runs only
for a mapping that has a ``<<`` key.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count, repeat

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from linter.inputs.gateway_config.model import ConfigNode
from linter.inputs.gateway_config.positions import MAX_PROBLEMS, Lines
from linter.inputs.gateway_config.templates import IN_STRING, PLACEHOLDER, scalar_node
from linter.inputs.gcpause import paused_gc
from linter.inputs.limits import compose_yaml
from linter.inputs.spans import NO_SPAN, pack_span, span_line, unpack_span
from linter.model import Location, Problem

_ALIAS_BUDGET = 100_000  # nodes a YAML file may produce through aliases before we refuse it
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"

_Item = tuple[str, int, yaml.Node]  # key, key span (packed), value
# A container being converted: its node, key and key span, an iterator over its items that the
# conversion resumes after each nested container, and the children converted so far.
_Frame = tuple[yaml.Node, str, int, Iterator[_Item], list[ConfigNode]]


def _yaml_span(starts: tuple[int, ...], node: yaml.Node) -> int:
    """The node's marks as a packed span; a node that ends at a line break ends on the line before."""
    start, end = node.start_mark, node.end_mark
    line, end_line, end_column = start.line, end.line, end.column
    if end_column == 0 and end_line > line:  # 0-based end_line is now the 1-based line before
        end_column = starts[end_line] - starts[end_line - 1] - 1 if end_line < len(starts) else 1
    else:
        end_line += 1
    return pack_span(line + 1, start.column + 1, end_line, end_column if end_column > 0 else 1)


class _YamlConverter:
    """Composed YAML nodes -> ConfigNodes, iteratively and in document order, expanding aliases
    within a budget. A node reached a second time came through an alias; one reached again while
    it is still being converted is a recursive alias."""

    def __init__(self, lines: Lines) -> None:
        self.path = lines.path
        self.starts = lines.starts
        self.constructor = SafeConstructor()
        self.seen: set[int] = set()
        self.budget = _ALIAS_BUDGET
        self.problems: list[Problem] = []

    def convert(self, top: yaml.Node) -> ConfigNode | None:
        if isinstance(top, yaml.ScalarNode):
            self.seen.add(id(top))
            return self._scalar(top, "", NO_SPAN)
        path, starts, seen = self.path, self.starts, self.seen
        stack: list[_Frame] = [self._frame(top, "", NO_SPAN)]
        on_path = {id(top)}
        seen.add(id(top))
        while stack:
            node, key, key_span, pending, children = stack[-1]
            for child_key, child_key_span, child in pending:  # resumed here after a nested container
                if id(child) in on_path:
                    span = _yaml_span(starts, child)
                    self._problem(unpack_span(path, span), "recursive YAML alias; read as null")
                    children.append(ConfigNode("null", None, path, span, child_key_span, (), child_key))
                    continue
                if self.budget < 0:
                    return None
                before = len(seen)
                seen.add(id(child))
                if len(seen) == before:
                    self._reached_again(child)
                if isinstance(child, yaml.ScalarNode):
                    children.append(self._scalar(child, child_key, child_key_span))
                    continue
                stack.append(self._frame(child, child_key, child_key_span))
                on_path.add(id(child))
                break
            else:
                stack.pop()
                on_path.discard(id(node))
                kind = "array" if isinstance(node, yaml.SequenceNode) else "object"
                built = ConfigNode(kind, None, path, _yaml_span(starts, node), key_span, tuple(children), key)
                if not stack:
                    return built
                stack[-1][4].append(built)
        return None

    def _reached_again(self, node: yaml.Node) -> None:
        self.budget -= 1
        if self.budget == -1:
            self._problem(unpack_span(self.path, _yaml_span(self.starts, node)),
                          f"YAML aliases expand to more than {_ALIAS_BUDGET} nodes; refused (alias bomb)")

    def _frame(self, node: yaml.Node, key: str, key_span: int) -> _Frame:
        if isinstance(node, yaml.SequenceNode):
            items: Iterator[_Item] = zip(map(str, count()), repeat(NO_SPAN), node.value)
        else:
            items = iter(self._members(node))
        return node, key, key_span, items, []

    def _members(self, node: yaml.Node) -> list[_Item]:
        """A mapping's members, with a problem for each duplicate key; a key that is not a scalar is left out."""
        starts = self.starts
        items: list[_Item] = []
        spans: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            if key_node.tag == _MERGE_TAG:
                return self._merged_members(node)
            key: str = key_node.value
            key_span = _yaml_span(starts, key_node)
            spans[key] = key_span
            items.append((key, key_span, value_node))
        if len(spans) < len(items):
            self._duplicates(items)
        return items

    def _duplicates(self, items: list[_Item]) -> None:
        first_lines: dict[str, int] = {}
        for key, key_span, _value in items:
            if key in first_lines:
                message = f"duplicate key {key!r} (first at line {first_lines[key]}); the last one is used"
                self._problem(unpack_span(self.path, key_span), message)
            first_lines[key] = span_line(key_span)

    def _merged_members(self, node: yaml.Node) -> list[_Item]:
        """`<<` merge-key members not overridden (earlier sources win), then the own members."""
        own: list[tuple[yaml.Node, yaml.Node]] = []
        merged: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for k, v in node.value:
            if not isinstance(k, yaml.ScalarNode):
                continue
            if k.tag != _MERGE_TAG:
                own.append((k, v))
                continue
            sources = v.value if isinstance(v, yaml.SequenceNode) else [v]
            for source in sources:
                if isinstance(source, yaml.MappingNode):
                    self.budget -= len(source.value)
                    for mk, mv in source.value:
                        if isinstance(mk, yaml.ScalarNode):
                            merged.setdefault(str(mk.value), (mk, mv))
        own_keys = {str(k.value) for k, _ in own}
        items = [(key, _yaml_span(self.starts, mk), mv) for key, (mk, mv) in merged.items() if key not in own_keys]
        own_items = [(str(k.value), _yaml_span(self.starts, k), v) for k, v in own]
        self._duplicates(own_items)
        return items + own_items

    def _scalar(self, node: yaml.ScalarNode, key: str, key_span: int) -> ConfigNode:
        span = _yaml_span(self.starts, node)
        if node.tag == _STR_TAG:  # most scalars: the constructor would return the text as it is
            text: str = node.value
            if PLACEHOLDER in text or IN_STRING in text:
                return ConfigNode("template", None, self.path, span, key_span, (), key)
            return ConfigNode("string", text, self.path, span, key_span, (), key)
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ConstructorError, ValueError, TypeError, OverflowError):
            value = node.value
        if value is None:
            return ConfigNode("null", None, self.path, span, key_span, (), key)
        if isinstance(value, bool):
            return ConfigNode("bool", value, self.path, span, key_span, (), key)
        if isinstance(value, int | float):
            return ConfigNode("number", value, self.path, span, key_span, (), key)
        return scalar_node(str(value), "string", self.path, span, key, key_span)

    def _problem(self, location: Location, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(location, message))


def parse_yaml(text: str, lines: Lines, _lenient: bool) -> tuple[ConfigNode | None, tuple[Problem, ...]]:
    with paused_gc(long_lived=True):
        return _compose_and_convert(text, lines)


def _compose_and_convert(text: str, lines: Lines) -> tuple[ConfigNode | None, tuple[Problem, ...]]:
    try:
        top = compose_yaml(text)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        return None, (Problem(Location(lines.path, line, column), f"invalid YAML: {err.problem or err}"),)
    except (yaml.YAMLError, RecursionError) as err:
        reason = "nesting is too deep" if isinstance(err, RecursionError) else str(err)
        return None, (Problem(Location(lines.path), f"invalid YAML: {reason}"),)
    if top is None:
        return None, ()
    converter = _YamlConverter(lines)
    root = converter.convert(top)
    return root, tuple(converter.problems)
