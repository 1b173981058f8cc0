"""YAML gateway configs: PyYAML's composer gives the positions; aliases expand within a budget.

A 4 MiB config composes into some 230,000 nodes, so the conversion is kept lean: positions are
packed ints (``linter.inputs.spans``), frames are plain tuples, and the merge-key work runs only
for a mapping that has a ``<<`` key.
"""

from __future__ import annotations

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from linter.inputs.gateway_config.model import ConfigNode
from linter.inputs.gateway_config.positions import MAX_PROBLEMS, Lines
from linter.inputs.gateway_config.templates import IN_STRING, PLACEHOLDER, scalar_node
from linter.inputs.limits import compose_yaml, paused_gc
from linter.inputs.spans import NO_SPAN, pack_span, span_line, unpack_span
from linter.model import Location, Problem

_ALIAS_BUDGET = 100_000  # nodes a YAML file may produce through aliases before we refuse it
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"

_Item = tuple[str, int, yaml.Node]  # key, key span (packed), value
# A container being converted: its node, key, key span, the items still to convert (last first)
# and the children converted so far.
_Frame = tuple[yaml.Node, str, int, list[_Item], list[ConfigNode]]


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
    """Composed YAML nodes -> ConfigNodes, iteratively, expanding aliases within a budget."""

    def __init__(self, lines: Lines) -> None:
        self.path = lines.path
        self.starts = lines.starts
        self.constructor = SafeConstructor()
        self.seen: set[int] = set()
        self.budget = _ALIAS_BUDGET
        self.problems: list[Problem] = []

    def convert(self, top: yaml.Node) -> ConfigNode | None:
        stack: list[_Frame] = []
        on_path: set[int] = set()
        result = self._enter(top, "", NO_SPAN, stack, on_path)
        while stack:
            node, key, key_span, pending, children = stack[-1]
            while pending:  # the scalars here; a container's frame goes on the stack and is done first
                child_key, child_key_span, child = pending.pop()
                if id(child) in on_path:
                    span = _yaml_span(self.starts, child)
                    self._problem(unpack_span(self.path, span), "recursive YAML alias; read as null")
                    children.append(ConfigNode("null", None, self.path, span, child_key_span, (), child_key))
                    continue
                if self.budget < 0:
                    return None
                converted = self._enter(child, child_key, child_key_span, stack, on_path)
                if converted is None:
                    break
                children.append(converted)
            else:
                stack.pop()
                on_path.discard(id(node))
                kind = "array" if isinstance(node, yaml.SequenceNode) else "object"
                built = ConfigNode(kind, None, self.path, _yaml_span(self.starts, node), key_span, tuple(children), key)
                if not stack:
                    return built
                stack[-1][4].append(built)
        if self.budget < 0:
            return None
        return result

    def _enter(self, node: yaml.Node, key: str, key_span: int, stack: list[_Frame],
               on_path: set[int]) -> ConfigNode | None:
        """A scalar's ConfigNode; for a container, None and its frame pushed on ``stack``."""
        seen = self.seen
        count = len(seen)
        seen.add(id(node))
        if len(seen) == count:  # reached again, through an alias
            self.budget -= 1
            if self.budget == -1:
                self._problem(unpack_span(self.path, _yaml_span(self.starts, node)),
                              f"YAML aliases expand to more than {_ALIAS_BUDGET} nodes; refused (alias bomb)")
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, key, key_span)
        if isinstance(node, yaml.SequenceNode):
            items = [(str(i), NO_SPAN, child) for i, child in enumerate(node.value)]
        else:
            items = self._members(node)
        items.reverse()
        stack.append((node, key, key_span, items, []))
        on_path.add(id(node))
        return None

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


def parse_yaml(text: str, lines: Lines, lenient: bool) -> tuple[ConfigNode | None, tuple[Problem, ...]]:
    with paused_gc():
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
