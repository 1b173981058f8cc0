"""JSON gateway configs: an iterative reader of our own that keeps positions and reports duplicate keys."""

from __future__ import annotations

from dataclasses import dataclass, field

from linter.inputs.gateway_config.model import ConfigNode
from linter.inputs.gateway_config.positions import MAX_PROBLEMS, Lines
from linter.inputs.gateway_config.templates import scalar_node
from linter.inputs.spans import NO_SPAN, span_line, unpack_span
from linter.model import Location, Problem


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
    key_span: int  # packed (linter.inputs.spans); NO_SPAN for an array element and the root
    children: list[ConfigNode] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)


_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_WHITESPACE = " \t\n\r"
_DIGITS = "0123456789"


class _JsonReader:
    """Iterative JSON reader (RFC 8259) with positions; ``lenient`` accepts the stray and missing
    commas that removing template actions leaves behind."""

    def __init__(self, text: str, lines: Lines, lenient: bool) -> None:
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
        value = self._value_start(stack, "", NO_SPAN)
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
            return self._value_start(stack, str(len(top.children)), NO_SPAN)
        if self._peek() != '"':
            raise _JsonError(self.pos, f"expected a string key, found {self._describe()}")
        start = self.pos
        key = self._string()
        key_span = self.lines.packed(start, self.pos)
        if key in top.seen:
            message = f"duplicate key {key!r} (first at line {span_line(top.seen[key])}); KrakenD keeps the last one"
            self._problem(unpack_span(self.lines.path, key_span), message)
        top.seen[key] = key_span
        if self._peek() != ":":
            raise _JsonError(self.pos, f"expected ':' after the key, found {self._describe()}")
        self.pos += 1
        return self._value_start(stack, key, key_span)

    def _close(self, stack: list[_Frame]) -> ConfigNode:
        frame = stack.pop()
        span = self.lines.packed(frame.start, self.pos)
        return ConfigNode(frame.kind, None, self.lines.path, span, frame.key_span, tuple(frame.children), frame.key)

    def _value_start(self, stack: list[_Frame], key: str, key_span: int) -> ConfigNode | None:
        char = self._peek()
        start = self.pos
        if char in ("{", "["):
            self.pos += 1
            stack.append(_Frame("object" if char == "{" else "array", start, key, key_span))
            return None
        if char == '"':
            value = self._string()
            return scalar_node(value, "string", self.lines.path, self.lines.packed(start, self.pos), key, key_span)
        for word, literal in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, start):
                self.pos += len(word)
                kind = "null" if literal is None else "bool"
                return ConfigNode(kind, literal, self.lines.path, self.lines.packed(start, self.pos), key_span, (), key)
        if char and char in "-0123456789":
            number = self._number()
            return ConfigNode("number", number, self.lines.path, self.lines.packed(start, self.pos), key_span, (), key)
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
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(location, message))


def parse_json(text: str, lines: Lines, lenient: bool) -> tuple[ConfigNode | None, tuple[Problem, ...]]:
    reader = _JsonReader(text, lines, lenient)
    return reader.read(), tuple(reader.problems)
