"""KrakenD gateway configurations (JSON, YAML, TOML) as one position-keeping node tree.

``parse_gateway_config(data, path)`` returns a ``GatewayConfig`` whose ``root`` is a
``ConfigNode`` tree: every value and every object key carries its ``Location``. JSON is read by a
small iterative parser of our own (no recursion, so 100,000 levels of nesting are fine) that
also reports duplicate keys (Go's encoding/json, which KrakenD uses, silently keeps the last).
YAML goes through PyYAML's composer (marks give positions; aliases are expanded within a budget
so an alias bomb is refused), TOML through ``tomllib`` with key positions found by scanning the
lines (best effort: a nested value without its own line gets its parent's position).

Flexible Configuration templates (Go ``text/template`` actions ``{{ ... }}``): a file with
actions is marked ``is_template``. An action that stands for a whole value becomes a
``template`` node (a placeholder, value unknown); an action elsewhere (``range``, ``if``,
``end``, an ``include`` between members) is skipped and listed in ``template_actions``, and
the JSON reader tolerates the stray or missing commas that skipping leaves. Linting the
rendered file (``rendered=True``) is exact.

This module is longer than our usual 300 lines: three formats feed one tree and share it.
"""

from __future__ import annotations

import bisect
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from linter.inputs.limits import compose_yaml, paused_gc
from linter.inputs.text import decode
from linter.model import Location, Problem

# Positions are kept, so a placeholder must have the length of the action it replaces:
# a value action becomes `"<PLACEHOLDER>   "`, an action inside a string becomes IN_STRING + spaces.
PLACEHOLDER = "\ue000"
IN_STRING = "\ue001"
_CONTROL_WORDS = frozenset({"if", "else", "end", "range", "with", "define", "block", "template", "break",
                            "continue"})
_ALIAS_BUDGET = 100_000  # nodes a YAML file may produce through aliases before we refuse it
_MAX_PROBLEMS = 50


@dataclass(frozen=True, eq=False)
class ConfigNode:
    """One value of the config. ``kind``: object, array, string, number, bool, null, template.

    ``children`` are the members of an object (each with its ``key``) or the elements of an
    array (``key`` is the index as text). Identity comparison only: trees can be very deep.
    """

    kind: str
    value: Any
    location: Location
    key_location: Location | None = None
    children: tuple[ConfigNode, ...] = ()
    key: str = ""

    def __repr__(self) -> str:
        return f"ConfigNode({self.kind}, {self.key!r}, {self.location})"

    @cached_property
    def _index(self) -> dict[str, ConfigNode]:
        # The last of duplicate keys wins, as in Go's encoding/json.
        return {child.key: child for child in self.children}

    def get(self, key: str) -> ConfigNode | None:
        if self.kind not in ("object", "array"):
            return None
        return self._index.get(key)

    def keys(self) -> tuple[str, ...]:
        return tuple(self._index) if self.kind == "object" else ()

    @property
    def is_template(self) -> bool:
        return self.kind == "template"

    def lookup(self, pointer: str) -> ConfigNode | None:
        """The node at a JSON pointer (RFC 6901: ``/a/0/b``, ``~1`` is ``/``, ``~0`` is ``~``)."""
        if pointer in ("", "#"):
            return self
        if not pointer.startswith("/"):
            return None
        node: ConfigNode | None = self
        for raw in pointer[1:].split("/"):
            if node is None:
                return None
            node = node.get(raw.replace("~1", "/").replace("~0", "~"))
        return node

    def string(self, key: str) -> str | None:
        child = self.get(key)
        return child.value if child is not None and child.kind == "string" else None


def pointer_of(parts: tuple[str, ...]) -> str:
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


@dataclass(frozen=True)
class TemplateAction:
    location: Location
    text: str
    handling: str  # "placeholder" (stands for a value), "in-string" or "skipped"


@dataclass(frozen=True)
class GatewayConfig:
    path: str
    format: str  # "json", "yaml", "toml"
    root: ConfigNode | None
    problems: tuple[Problem, ...] = ()
    is_template: bool = False
    template_actions: tuple[TemplateAction, ...] = ()
    rendered: bool = False
    lines: tuple[str, ...] = field(default=(), repr=False, compare=False)  # for one-line fixes

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def lookup(self, pointer: str) -> ConfigNode | None:
        return self.root.lookup(pointer) if self.root is not None else None

    @property
    def schema(self) -> str:
        """The `$schema` URL ("" when none), which names a KrakenD minor version."""
        node = self.root.get("$schema") if self.root is not None else None
        return node.value if node is not None and node.kind == "string" else ""

    @property
    def schema_location(self) -> Location | None:
        node = self.root.get("$schema") if self.root is not None else None
        return node.location if node is not None else None

    @property
    def skipped(self) -> tuple[TemplateAction, ...]:
        return tuple(a for a in self.template_actions if a.handling == "skipped")


def config_format(path: str) -> str:
    """From the file name; a Flexible Configuration template `x.yaml.tmpl` is YAML, `x.tmpl` JSON."""
    lower = path.lower().removesuffix(".tmpl")
    if lower.endswith((".yaml", ".yml")):
        return "yaml"
    if lower.endswith(".toml"):
        return "toml"
    return "json"


def parse_gateway_config(data: bytes, path: str, rendered: bool = False) -> GatewayConfig:
    """Parse a gateway config; the format comes from the file name (JSON by default)."""
    fmt = config_format(path)
    text, problems = decode(data, path)
    if text is None:
        return GatewayConfig(path, fmt, None, problems, rendered=rendered)
    lines = _Lines(path, text.text)
    source = text.text
    actions: tuple[TemplateAction, ...] = ()
    if "{{" in source and not rendered:
        source, actions = _neutralise_templates(source, fmt, lines)
    reader = {"json": _parse_json, "yaml": _parse_yaml, "toml": _parse_toml}[fmt]
    root, found = reader(source, lines, bool(actions))
    if actions and _unreadable(found):
        root, found, fmt = _read_template(source, lines, fmt, root, found)
    if actions:
        found = (Problem(Location(path, actions[0].location.line, actions[0].location.column), _template_note(actions),
                         "template"), *found)
    return GatewayConfig(path, fmt, root, problems + tuple(found), bool(actions), actions, rendered, text.lines)


def _unreadable(found: tuple[Problem, ...]) -> bool:
    return any(problem.kind == "unparsable" for problem in found)


def _read_template(source: str, lines: _Lines, fmt: str, root: ConfigNode | None, found: tuple[Problem, ...]
                   ) -> tuple[ConfigNode | None, tuple[Problem, ...], str]:
    """A template that its format's reader refused. A `.tmpl` may hold YAML; an action may stand
    where a key or a whole member goes (`{{ include "cors.tmpl" }},`), which only rendering
    resolves. Either way this is not a broken config: say that the rendered file must be linted."""
    if fmt == "json":
        yaml_root, yaml_found = _parse_yaml(source, lines, True)
        if yaml_root is not None and not _unreadable(yaml_found):
            return yaml_root, yaml_found, "yaml"
    notes = tuple(
        replace(problem, kind="template", message=f"the template cannot be read before it is rendered "
                f"({problem.message}); lint the rendered file with --gateway-config-rendered")
        if problem.kind == "unparsable" else problem
        for problem in found
    )
    return root, notes, fmt


def _template_note(actions: tuple[TemplateAction, ...]) -> str:
    skipped = sum(1 for a in actions if a.handling == "skipped")
    values = len(actions) - skipped
    return (f"file is a Flexible Configuration template: {values} template value(s) were read as unknown "
            f"and {skipped} template action(s) were skipped; lint the rendered file for exact results")


@dataclass(frozen=True)
class _Lines:
    """Character offset -> 1-based (line, column) of the decoded text."""

    path: str
    text: str
    starts: tuple[int, ...] = field(init=False)

    def __post_init__(self) -> None:
        starts = [0]
        offset = self.text.find("\n")
        while offset >= 0:  # str.find runs in C: a per-character loop cost 0.6 s on 4 MiB
            starts.append(offset + 1)
            offset = self.text.find("\n", offset + 1)
        object.__setattr__(self, "starts", tuple(starts))

    def point(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def span(self, start: int, end: int) -> Location:
        """``end`` exclusive; the location's end column is inclusive."""
        line, column = self.point(start)
        end_line, end_column = self.point(max(end - 1, start))
        return Location(self.path, line, column, end_line, end_column)


# --- templates ------------------------------------------------------------------------------


def _neutralise_templates(text: str, fmt: str, lines: _Lines) -> tuple[str, tuple[TemplateAction, ...]]:
    """Replace each `{{ ... }}` with something of the same length the format's reader accepts."""
    out: list[str] = []
    actions: list[TemplateAction] = []
    pos = 0
    quote = ""
    index = 0
    while index < len(text):
        char = text[index]
        if text.startswith("{{", index):
            end = text.find("}}", index + 2)
            end = len(text) if end < 0 else end + 2
            action = text[index:end]
            handling = "in-string" if quote else _action_handling(action, text, index, end, fmt)
            out.append(text[pos:index])
            out.append(_replacement(action, handling))
            actions.append(TemplateAction(lines.span(index, end), action, handling))
            pos = index = end
            continue
        if quote and char == "\\":
            index += 2
            continue
        if char in ('"', "'") and (fmt != "json" or char == '"'):
            quote = "" if quote == char else (quote or char)
        elif char == "\n" and fmt != "json":
            quote = ""
        index += 1
    out.append(text[pos:])
    return "".join(out), tuple(actions)


def _action_handling(action: str, text: str, start: int, end: int, fmt: str) -> str:
    words = action[2:-2].strip().strip("-").split()
    if not words or words[0] in _CONTROL_WORDS or words[0].startswith("/*"):
        return "skipped"
    before = text[:start].rstrip(" \t")
    after = text[end:].lstrip(" \t")
    if fmt == "json":
        in_value = before.rstrip()[-1:] in (":", "[", ",") and after.lstrip()[:1] in (",", "}", "]", "")
    elif fmt == "yaml":
        item = before.endswith("-") and (len(before) == 1 or before[-2] in " \t\n")
        in_value = (before.endswith(":") or item) and after[:1] in ("\n", "#", "")
    else:
        in_value = before[-1:] == "=" and after[:1] in ("\n", "#", "")
    return "placeholder" if in_value else "skipped"


def _replacement(action: str, handling: str) -> str:
    def blank(part: str) -> str:
        return "".join(ch if ch == "\n" else " " for ch in part)

    first, newline, rest = action.partition("\n")
    if handling == "placeholder":
        head = '"' + PLACEHOLDER + '"'
        return head + blank(first[len(head):]) + newline + blank(rest)
    if handling == "in-string":
        return IN_STRING + blank(action[1:])
    return blank(action)


def _scalar_node(value: Any, kind: str, location: Location, key: str = "",
                 key_location: Location | None = None) -> ConfigNode:
    if kind == "string" and isinstance(value, str) and (PLACEHOLDER in value or IN_STRING in value):
        return ConfigNode("template", None, location, key_location, (), key)
    return ConfigNode(kind, value, location, key_location, (), key)


# --- JSON -----------------------------------------------------------------------------------


class _JsonError(Exception):
    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


@dataclass
class _Frame:
    kind: str  # "object" or "array"
    start: int
    key: str
    key_location: Location | None
    children: list[ConfigNode] = field(default_factory=list)
    seen: dict[str, Location] = field(default_factory=dict)
    pending_key: str = ""
    pending_key_location: Location | None = None


_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_WHITESPACE = " \t\n\r"
_DIGITS = "0123456789"


class _JsonReader:
    """Iterative JSON reader (RFC 8259) with positions; ``lenient`` accepts the stray and missing
    commas that removing template actions leaves behind."""

    def __init__(self, text: str, lines: _Lines, lenient: bool) -> None:
        self.text = text
        self.lines = lines
        self.lenient = lenient
        self.pos = 0
        self.problems: list[Problem] = []

    def read(self) -> ConfigNode | None:
        try:
            return self._document()
        except _JsonError as err:
            line, column = self.lines.point(min(err.offset, len(self.text)))
            self.problems.append(Problem(Location(self.lines.path, line, column), f"invalid JSON: {err.message}"))
            return None

    def _document(self) -> ConfigNode:
        stack: list[_Frame] = []
        value = self._value_start(stack, "", None)
        while True:
            if value is not None:
                if not stack:
                    self._expect_end()
                    return value
                stack[-1].children.append(value)
                value = self._after_value(stack)
            else:
                value = self._first_in_container(stack)

    def _expect_end(self) -> None:
        self._skip_ws()
        if self.pos < len(self.text):
            raise _JsonError(self.pos, f"unexpected {self.text[self.pos]!r} after the top-level value")

    def _after_value(self, stack: list[_Frame]) -> ConfigNode | None:
        top = stack[-1]
        char = self._peek()
        closer = "}" if top.kind == "object" else "]"
        if char == ",":
            self.pos += 1
            while self.lenient and self._peek() == ",":
                self.pos += 1
            if self.lenient and self._peek() == closer:
                self.pos += 1
                return self._close(stack)
            return self._member(stack)
        if char == closer:
            self.pos += 1
            return self._close(stack)
        if self.lenient and char and char in '"{[-0123456789tfn':
            return self._member(stack)
        raise _JsonError(self.pos, f"expected ',' or {closer!r}, found {self._describe()}")

    def _first_in_container(self, stack: list[_Frame]) -> ConfigNode | None:
        top = stack[-1]
        while self.lenient and self._peek() == ",":
            self.pos += 1
        if self._peek() == ("}" if top.kind == "object" else "]"):
            self.pos += 1
            return self._close(stack)
        return self._member(stack)

    def _member(self, stack: list[_Frame]) -> ConfigNode | None:
        top = stack[-1]
        if top.kind == "array":
            return self._value_start(stack, str(len(top.children)), None)
        if self._peek() != '"':
            raise _JsonError(self.pos, f"expected a string key, found {self._describe()}")
        start = self.pos
        key = self._string()
        key_location = self.lines.span(start, self.pos)
        if key in top.seen:
            first = top.seen[key]
            message = f"duplicate key {key!r} (first at line {first.line}); KrakenD keeps the last one"
            self._problem(key_location, message)
        top.seen[key] = key_location
        if self._peek() != ":":
            raise _JsonError(self.pos, f"expected ':' after the key, found {self._describe()}")
        self.pos += 1
        return self._value_start(stack, key, key_location)

    def _close(self, stack: list[_Frame]) -> ConfigNode:
        frame = stack.pop()
        location = self.lines.span(frame.start, self.pos)
        return ConfigNode(frame.kind, None, location, frame.key_location, tuple(frame.children), frame.key)

    def _value_start(self, stack: list[_Frame], key: str, key_location: Location | None) -> ConfigNode | None:
        char = self._peek()
        start = self.pos
        if char in ("{", "["):
            self.pos += 1
            stack.append(_Frame("object" if char == "{" else "array", start, key, key_location))
            return None
        if char == '"':
            value = self._string()
            return _scalar_node(value, "string", self.lines.span(start, self.pos), key, key_location)
        for word, literal in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, start):
                self.pos += len(word)
                kind = "null" if literal is None else "bool"
                return ConfigNode(kind, literal, self.lines.span(start, self.pos), key_location, (), key)
        if char and char in "-0123456789":
            number = self._number()
            return ConfigNode("number", number, self.lines.span(start, self.pos), key_location, (), key)
        raise _JsonError(self.pos, f"expected a value, found {self._describe()}")

    def _string(self) -> str:
        text = self.text
        index = self.pos + 1
        parts: list[str] = []
        while True:
            stop = index
            while stop < len(text) and text[stop] not in '"\\' and text[stop] >= " ":
                stop += 1
            parts.append(text[index:stop])
            if stop >= len(text):
                raise _JsonError(self.pos, "unterminated string")
            char = text[stop]
            if char == '"':
                self.pos = stop + 1
                return "".join(parts)
            if char < " ":
                raise _JsonError(stop, "control character in string (escape it)")
            index = self._escape(stop, parts)

    def _escape(self, index: int, parts: list[str]) -> int:
        code = self.text[index + 1:index + 2]
        if code in _ESCAPES:
            parts.append(_ESCAPES[code])
            return index + 2
        if code != "u":
            raise _JsonError(index, f"invalid escape \\{code}")
        digits = self.text[index + 2:index + 6]
        if len(digits) != 4 or any(c not in "0123456789abcdefABCDEF" for c in digits):
            raise _JsonError(index, "invalid \\u escape")
        value = int(digits, 16)
        if 0xD800 <= value < 0xDC00 and self.text.startswith("\\u", index + 6):
            low = self.text[index + 8:index + 12]
            if len(low) == 4 and all(c in "0123456789abcdefABCDEF" for c in low) and 0xDC00 <= int(low, 16) < 0xE000:
                parts.append(chr(0x10000 + ((value - 0xD800) << 10) + (int(low, 16) - 0xDC00)))
                return index + 12
        parts.append("\ufffd" if 0xD800 <= value < 0xE000 else chr(value))  # lone surrogates, as Go does
        return index + 6

    def _number(self) -> int | float:
        text, start = self.text, self.pos
        index = start + (text[start] == "-")
        if text[index:index + 1] == "0":
            index += 1
        elif text[index:index + 1] and text[index] in _DIGITS:
            while index < len(text) and text[index] in _DIGITS:
                index += 1
        else:
            raise _JsonError(index, "invalid number")
        is_float = False
        if text[index:index + 1] == ".":
            index, is_float = self._digits(index + 1), True
        if text[index:index + 1] in ("e", "E"):
            index += 1
            if text[index:index + 1] in ("+", "-"):
                index += 1
            index, is_float = self._digits(index), True
        self.pos = index
        raw = text[start:index]
        return float(raw) if is_float else int(raw)

    def _digits(self, index: int) -> int:
        begin = index
        while index < len(self.text) and self.text[index] in _DIGITS:
            index += 1
        if index == begin:
            raise _JsonError(index, "invalid number")
        return index

    def _skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in _WHITESPACE:
            self.pos += 1

    def _peek(self) -> str:
        self._skip_ws()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def _describe(self) -> str:
        return repr(self.text[self.pos]) if self.pos < len(self.text) else "end of file"

    def _problem(self, location: Location, message: str) -> None:
        if len(self.problems) < _MAX_PROBLEMS:
            self.problems.append(Problem(location, message))


def _parse_json(text: str, lines: _Lines, lenient: bool) -> tuple[ConfigNode | None, tuple[Problem, ...]]:
    reader = _JsonReader(text, lines, lenient)
    return reader.read(), tuple(reader.problems)


# --- YAML -----------------------------------------------------------------------------------


def _yaml_location(lines: _Lines, node: yaml.Node) -> Location:
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

    def __init__(self, lines: _Lines) -> None:
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
            return _scalar_node(node.value, "string", location, key, key_location)
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
        return _scalar_node(str(value), "string", location, key, key_location)

    def _finish(self, frame: _YamlFrame) -> ConfigNode:
        kind = "array" if isinstance(frame.node, yaml.SequenceNode) else "object"
        location = _yaml_location(self.lines, frame.node)
        return ConfigNode(kind, None, location, frame.key_location, tuple(frame.children), frame.key)

    def _problem(self, location: Location, message: str) -> None:
        if len(self.problems) < _MAX_PROBLEMS:
            self.problems.append(Problem(location, message))


def _parse_yaml(text: str, lines: _Lines, lenient: bool) -> tuple[ConfigNode | None, tuple[Problem, ...]]:
    with paused_gc():
        return _compose_and_convert(text, lines)


def _compose_and_convert(text: str, lines: _Lines) -> tuple[ConfigNode | None, tuple[Problem, ...]]:
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


# --- TOML -----------------------------------------------------------------------------------

Path = tuple[str | int, ...]


def _parse_toml(text: str, lines: _Lines, lenient: bool) -> tuple[ConfigNode | None, tuple[Problem, ...]]:
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

    lines: _Lines
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
            node = ConfigNode("object" if isinstance(value, dict) else "array", None, location,
                              key_location if named_member else None, tuple(built), key)
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
            built.append(_toml_scalar(child, key, location, None if isinstance(value, list) else key_location))


def _toml_scalar(value: Any, key: str, location: Location, key_location: Location | None) -> ConfigNode:
    if isinstance(value, bool):
        return ConfigNode("bool", value, location, key_location, (), key)
    if isinstance(value, int | float):
        return ConfigNode("number", value, location, key_location, (), key)
    if isinstance(value, str):
        return _scalar_node(value, "string", location, key, key_location)
    return ConfigNode("string", str(value), location, key_location, (), key)  # dates and times


def walk(root: ConfigNode) -> Iterator[tuple[tuple[str, ...], ConfigNode]]:
    """Every node with its key path, depth first, without recursion (paths cost O(depth) each:
    use on real configs, not on adversarial nesting)."""
    stack: list[tuple[tuple[str, ...], ConfigNode]] = [((), root)]
    while stack:
        path, node = stack.pop()
        yield path, node
        stack.extend(((*path, child.key), child) for child in reversed(node.children))
