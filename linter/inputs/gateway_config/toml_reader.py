"""TOML gateway configs: ``tomllib`` reads the values, a line scanner finds where each key is."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from typing import Any

from linter.inputs.gateway_config.model import ConfigNode
from linter.inputs.gateway_config.positions import Lines
from linter.inputs.gateway_config.templates import scalar_node
from linter.inputs.spans import NO_SPAN, pack_location
from linter.model import Location, Problem

Path = tuple[str | int, ...]


def parse_toml(text: str, lines: Lines, _lenient: bool) -> tuple[ConfigNode | None, tuple[Problem, ...]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        line, column = _toml_error_point(str(err))
        return None, (Problem(Location(lines.path, line, column), f"invalid TOML: {str(err).split(' (at')[0]}"),)
    except RecursionError:
        return None, (Problem(Location(lines.path), "invalid TOML: nesting is too deep"),)
    positions = _TomlScanner(lines).scan()
    return _toml_tree(data, positions, lines.path), ()


def _toml_error_point(message: str) -> tuple[int, int]:
    """tomllib says "... (at line 3, column 7)" (or "at end of document")."""
    _, _, tail = message.rpartition("(at line ")
    line_text, _, rest = tail.partition(", column ")
    column_text = rest.rstrip(")")
    if line_text.isdigit() and column_text.isdigit():
        return int(line_text), int(column_text)
    return 0, 0


@dataclass
class _TomlScanner:
    """Finds the line and column of every key and table header (best effort, never fails)."""

    lines: Lines
    positions: dict[Path, tuple[Location, Location]] = field(default_factory=dict)  # key, value
    arrays: dict[Path, int] = field(default_factory=dict)

    def scan(self) -> dict[Path, tuple[Location, Location]]:
        table: Path = ()
        skip_until = ""
        depth = 0
        for number, line in enumerate(self.lines.text.split("\n"), 1):
            if skip_until:
                if skip_until in line:
                    skip_until = ""
                continue
            if depth > 0:
                depth += _bracket_balance(line)
                continue
            stripped = line.lstrip()
            column = len(line) - len(stripped) + 1
            if stripped.startswith("["):
                table = self._header(stripped, number, column) or table
            elif stripped and not stripped.startswith("#"):
                skip_until, depth = self._key_line(table, stripped, number, column)
        return self.positions

    def _header(self, text: str, number: int, column: int) -> Path | None:
        is_array = text.startswith("[[")
        inner = text[2:] if is_array else text[1:]
        parts, rest = _toml_key(inner)
        if not parts or not rest.lstrip().startswith("]"):
            return None
        location = Location(self.lines.path, number, column)
        if not is_array:
            path = self._resolve(parts)
            self.positions.setdefault(path, (location, location))
            return path
        parent = self._resolve(parts[:-1])
        key = (*parent, parts[-1])
        self.arrays[key] = self.arrays.get(key, 0) + 1
        self.positions.setdefault(key, (location, location))
        element = (*key, self.arrays[key] - 1)
        self.positions[element] = (location, location)
        return element

    def _resolve(self, parts: list[str]) -> Path:
        path: Path = ()
        for part in parts:
            path = (*path, part)
            if path in self.arrays:
                path = (*path, self.arrays[path] - 1)
        return path

    def _key_line(self, table: Path, text: str, number: int, column: int) -> tuple[str, int]:
        parts, rest = _toml_key(text)
        if not parts or not rest.lstrip().startswith("="):
            return "", 0
        after = rest.lstrip()[1:]
        value_offset = len(text) - len(after.lstrip())
        key_location = Location(self.lines.path, number, column)
        value_location = Location(self.lines.path, number, column + value_offset)
        self.positions[(*table, *parts)] = (key_location, value_location)
        value = after.strip()
        for fence in ('"""', "'''"):
            if value.startswith(fence) and value.count(fence) == 1:
                return fence, 0
        return "", max(_bracket_balance(value), 0)


def _toml_key(text: str) -> tuple[list[str], str]:
    """Split a (dotted, possibly quoted) key off the start of ``text``."""
    parts: list[str] = []
    index = 0
    while True:
        while index < len(text) and text[index] in " \t":
            index += 1
        if index < len(text) and text[index] in "\"'":
            quote = text[index]
            end = text.find(quote, index + 1)
            if end < 0:
                return [], text
            parts.append(text[index + 1:end])
            index = end + 1
        else:
            start = index
            while index < len(text) and (text[index].isalnum() or text[index] in "_-"):
                index += 1
            if index == start:
                return [], text
            parts.append(text[start:index])
        while index < len(text) and text[index] in " \t":
            index += 1
        if index < len(text) and text[index] == ".":
            index += 1
            continue
        return parts, text[index:]


def _bracket_balance(text: str) -> int:
    balance, quote = 0, ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char in "[{":
            balance += 1
        elif char in "]}":
            balance -= 1
    return balance


def _toml_tree(data: dict[str, Any], positions: dict[Path, tuple[Location, Location]], path: str) -> ConfigNode:
    """Build the node tree bottom-up without recursion."""
    top = Location(path, 1, 1)
    stack: list[tuple[Path, Any, list[tuple[str, Any]], list[ConfigNode], Location]] = []

    def members(value: Any) -> list[tuple[str, Any]]:
        """Reversed, so that ``pop()`` takes them in document order."""
        if isinstance(value, dict):
            return list(reversed(value.items()))
        return [(str(i), item) for i, item in reversed(list(enumerate(value)))]

    stack.append(((), data, members(data), [], top))
    while True:
        node_path, value, pending, built, fallback = stack[-1]
        if not pending:
            stack.pop()
            key_location, location = positions.get(node_path, (fallback, fallback))
            key = str(node_path[-1]) if node_path else ""
            named_member = bool(node_path) and isinstance(node_path[-1], str)
            node = ConfigNode("object" if isinstance(value, dict) else "array", None, path, pack_location(location),
                              pack_location(key_location) if named_member else NO_SPAN, tuple(built), key)
            if not stack:
                return node
            stack[-1][3].append(node)
            continue
        key, child = pending.pop()
        child_path: Path = (*node_path, int(key) if isinstance(value, list) else key)
        key_location, location = positions.get(child_path, (fallback, fallback))
        if isinstance(child, dict | list):
            stack.append((child_path, child, members(child), [], location))
        else:
            key_span = NO_SPAN if isinstance(value, list) else pack_location(key_location)
            built.append(_toml_scalar(child, key, path, pack_location(location), key_span))


def _toml_scalar(value: Any, key: str, path: str, span: int, key_span: int) -> ConfigNode:
    if isinstance(value, bool):
        return ConfigNode("bool", value, path, span, key_span, (), key)
    if isinstance(value, int | float):
        return ConfigNode("number", value, path, span, key_span, (), key)
    if isinstance(value, str):
        return scalar_node(value, "string", path, span, key, key_span)
    return ConfigNode("string", str(value), path, span, key_span, (), key)  # dates and times
