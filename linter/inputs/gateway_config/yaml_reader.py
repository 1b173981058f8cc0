"""YAML gateway configs: PyYAML's composer gives the positions; aliases expand within a budget."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from linter.inputs.gateway_config.model import ConfigNode
from linter.inputs.gateway_config.positions import MAX_PROBLEMS, Lines
from linter.inputs.gateway_config.templates import scalar_node
from linter.inputs.gcpause import paused_gc
from linter.inputs.limits import compose_yaml
from linter.model import Location, Problem

_ALIAS_BUDGET = 100_000  # nodes a YAML file may produce through aliases before we refuse it


def _yaml_location(lines: Lines, node: yaml.Node) -> Location:
    start, end = node.start_mark, node.end_mark
    end_line, end_column = end.line + 1, end.column
    if end_column == 0 and end.line > start.line:  # ends at a line break: the line before
        end_line -= 1
        end_column = lines.starts[end_line] - lines.starts[end_line - 1] - 1 if end_line < len(lines.starts) else 1
    return Location(lines.path, start.line + 1, start.column + 1, end_line, max(end_column, 1))


_STR_TAG = "tag:yaml.org,2002:str"


@dataclass
class _YamlFrame:
    node: yaml.Node
    key: str
    key_location: Location | None
    items: list[tuple[str, Location | None, yaml.Node]]
    children: list[ConfigNode] = field(default_factory=list)
    index: int = 0


class _YamlConverter:
    """Composed YAML nodes -> ConfigNodes, iteratively, expanding aliases within a budget."""

    def __init__(self, lines: Lines) -> None:
        self.lines = lines
        self.constructor = SafeConstructor()
        self.seen: set[int] = set()
        self.budget = _ALIAS_BUDGET
        self.problems: list[Problem] = []

    def convert(self, top: yaml.Node) -> ConfigNode | None:
        stack: list[_YamlFrame] = []
        on_path: set[int] = set()
        result = self._enter(top, "", None, stack, on_path)
        while stack:
            frame = stack[-1]
            if frame.index >= len(frame.items):
                stack.pop()
                on_path.discard(id(frame.node))
                built = self._finish(frame)
                if not stack:
                    return built
                stack[-1].children.append(built)
                continue
            key, key_location, child = frame.items[frame.index]
            frame.index += 1
            if id(child) in on_path:
                location = _yaml_location(self.lines, child)
                self._problem(location, "recursive YAML alias; read as null")
                frame.children.append(ConfigNode("null", None, location, key_location, (), key))
                continue
            if self.budget < 0:
                return None
            node = self._enter(child, key, key_location, stack, on_path)
            if node is not None:
                frame.children.append(node)
        if self.budget < 0:
            return None
        return result

    def _enter(self, node: yaml.Node, key: str, key_location: Location | None, stack: list[_YamlFrame],
               on_path: set[int]) -> ConfigNode | None:
        if id(node) in self.seen:
            self.budget -= 1
            if self.budget == -1:
                self._problem(_yaml_location(self.lines, node),
                              f"YAML aliases expand to more than {_ALIAS_BUDGET} nodes; refused (alias bomb)")
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, key, key_location)
        items = self._items(node)
        stack.append(_YamlFrame(node, key, key_location, items))
        on_path.add(id(node))
        return None

    def _items(self, node: yaml.Node) -> list[tuple[str, Location | None, yaml.Node]]:
        if isinstance(node, yaml.SequenceNode):
            return [(str(i), None, child) for i, child in enumerate(node.value)]
        items: list[tuple[str, Location | None, yaml.Node]] = []
        seen: dict[str, Location] = {}
        merged, own = self._merged(node)
        for key_node, value_node in merged:
            items.append((str(key_node.value), _yaml_location(self.lines, key_node), value_node))
        for key_node, value_node in own:
            key_location = _yaml_location(self.lines, key_node)
            key = str(key_node.value)
            if key in seen:
                message = f"duplicate key {key!r} (first at line {seen[key].line}); the last one is used"
                self._problem(key_location, message)
            seen[key] = key_location
            items.append((key, key_location, value_node))
        return items

    def _merged(self, node: yaml.Node) -> tuple[list[tuple[yaml.Node, yaml.Node]], list[tuple[yaml.Node, yaml.Node]]]:
        """`<<` merge-key members not overridden (earlier sources win), then the own members."""
        own: list[tuple[yaml.Node, yaml.Node]] = []
        merged: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for k, v in node.value:
            if not isinstance(k, yaml.ScalarNode):
                continue
            if k.tag != "tag:yaml.org,2002:merge":
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
        return [item for key, item in merged.items() if key not in own_keys], own

    def _scalar(self, node: yaml.ScalarNode, key: str, key_location: Location | None) -> ConfigNode:
        location = _yaml_location(self.lines, node)
        if node.tag == _STR_TAG:  # most scalars: the constructor would return the text as it is
            return scalar_node(node.value, "string", location, key, key_location)
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ConstructorError, ValueError, TypeError, OverflowError):
            value = node.value
        if value is None:
            return ConfigNode("null", None, location, key_location, (), key)
        if isinstance(value, bool):
            return ConfigNode("bool", value, location, key_location, (), key)
        if isinstance(value, int | float):
            return ConfigNode("number", value, location, key_location, (), key)
        return scalar_node(str(value), "string", location, key, key_location)

    def _finish(self, frame: _YamlFrame) -> ConfigNode:
        kind = "array" if isinstance(frame.node, yaml.SequenceNode) else "object"
        location = _yaml_location(self.lines, frame.node)
        return ConfigNode(kind, None, location, frame.key_location, tuple(frame.children), frame.key)

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
