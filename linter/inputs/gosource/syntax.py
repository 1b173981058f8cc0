"""Tree-sitter nodes to text and positions: character columns, string literals, tree walks."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field

from tree_sitter import Node

from linter.inputs.spans import pack_span
from linter.model import Location

_CONTINUATION = re.compile(rb"[\x80-\xbf]")  # the second to fourth bytes of a UTF-8 character


@dataclass
class Positions:
    """One file's UTF-8 bytes: tree-sitter points to character positions, nodes to text.

    A line is addressed by the byte offset where it starts (a node's start byte minus its byte
    column), so no list of lines is kept. Columns of a file that is not all ASCII come from the
    offsets of its UTF-8 continuation bytes, found once for the whole file: a character column is
    the byte column minus the continuation bytes before it on its line.
    """

    path: str
    source: bytes
    _ascii: bool | None = field(default=None, init=False, repr=False)
    _continuations: array[int] | None = field(default=None, init=False, repr=False)

    def column(self, line_start: int, byte_column: int) -> int:
        """1-based character column of the byte ``byte_column`` of the line at ``line_start``."""
        if self._ascii is None:
            self._ascii = self.source.isascii()
        if self._ascii:
            return byte_column + 1
        if self._continuations is None:
            self._continuations = array("I", (m.start() for m in _CONTINUATION.finditer(self.source)))
        found = self._continuations
        # A point inside a character (never from tree-sitter) counts it as one, as decoding it would.
        inside = bisect_left(found, line_start + byte_column) - bisect_left(found, line_start)
        return byte_column - inside + 1

    def byte_length(self, line_start: int) -> int:
        """Bytes in the line at ``line_start``, its line break left out."""
        end = self.source.find(b"\n", line_start)
        return (len(self.source) if end < 0 else end) - line_start

    def loc(self, node: Node) -> Location:
        """The node's span; ``end_column`` is the last character covered (inclusive)."""
        return Location(self.path, *self._points(node))

    def span(self, node: Node) -> int:
        """``loc`` packed into one int (``linter.inputs.spans.pack_span``)."""
        return pack_span(*self._points(node))

    def _points(self, node: Node) -> tuple[int, int, int, int]:
        (sr, sc), (er, ec) = node.start_point, node.end_point
        start_line, end_line = node.start_byte - sc, node.end_byte - ec
        if ec == 0 and er > sr:  # ends at a line break: the span ends on the line before
            end_line = self.source.rfind(b"\n", 0, end_line - 1) + 1
            er, ec = er - 1, self.byte_length(end_line)
        line = sr + 1
        end = line if er == sr else er + 1  # one int object for both when they are equal
        return line, self.column(start_line, sc), end, max(self.column(end_line, ec) - 1, 1)

    def text(self, node: Node | None, limit: int = 200) -> str:
        if node is None:
            return ""
        raw = self.source[node.start_byte:node.end_byte].decode("utf-8", "replace")
        return raw if len(raw) <= limit else raw[:limit] + "…"


def statement_count(body: Node | None) -> int:
    if body is None:
        return -1
    statements = first_named(body, "statement_list")
    if statements is None:
        return sum(1 for c in body.named_children if c.type != "comment")
    return sum(1 for c in statements.named_children if c.type != "comment")


def chan_direction(node: Node) -> str:
    tokens = [c.type for c in node.children if not c.is_named]
    if tokens[:2] == ["<-", "chan"]:
        return "<-chan"
    if "<-" in tokens:
        return "chan<-"
    return "chan"


_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\",
            "'": "'", '"': '"'}


def string_value(reader: Positions, node: Node | None) -> str:
    """The value of a Go string literal (escapes decoded; raw strings drop carriage returns)."""
    if node is None:
        return ""
    if node.type == "raw_string_literal":
        return reader.text(node, 1_000_000)[1:-1].replace("\r", "")
    out: list[str] = []
    for child in node.named_children:
        piece = reader.text(child, 1_000_000)
        out.append(_unescape(piece) if child.type == "escape_sequence" else piece)
    return "".join(out)


def _unescape(seq: str) -> str:
    body = seq[1:]
    if body[:1] in _ESCAPES:
        return _ESCAPES[body[:1]]
    try:
        if body[:1] in ("x", "u", "U"):
            number = int(body[1:], 16)
            return chr(number) if body[0] != "x" else bytes([number]).decode("latin-1")
        return bytes([int(body, 8) & 0xFF]).decode("latin-1")
    except ValueError:
        return seq


def walk(root: Node) -> Iterator[Node]:
    """Every node under ``root`` in document order, without recursion."""
    cursor = root.walk()
    while True:
        node = cursor.node
        if node is not None:
            yield node
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return


def descendants_of_type(root: Node, kind: str, stop: tuple[str, ...] = ()) -> Iterator[Node]:
    stack = list(reversed(root.named_children))
    while stack:
        node = stack.pop()
        if node.type == kind:
            yield node
            continue
        if node.type in stop:
            continue
        stack.extend(reversed(node.named_children))


def first_named(node: Node, kind: str) -> Node | None:
    return next((c for c in node.named_children if c.type == kind), None)
