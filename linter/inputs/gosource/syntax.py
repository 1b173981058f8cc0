"""Tree-sitter nodes to text and positions: character columns, string literals, tree walks."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field

from tree_sitter import Node

from linter.model import Location

_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@dataclass
class Positions:
    """One file's bytes and lines: tree-sitter points to character positions, nodes to text."""

    path: str
    source: bytes
    lines: tuple[str, ...]
    # Per non-ASCII line, read once: the byte offset where each non-ASCII character starts, the extra
    # bytes (UTF-8 length - 1) up to and including it, and the line's length in bytes. A minified
    # one-line file has a node every few bytes; re-encoding the line for each was quadratic.
    wide_rows: dict[int, tuple[list[int], list[int], int]] = field(default_factory=dict)


    def _wide_row(self, row: int) -> tuple[list[int], list[int], int]:
        found = self.wide_rows.get(row)
        if found is None:
            line = self.lines[row] if row < len(self.lines) else ""
            starts: list[int] = []
            extras: list[int] = []
            extra = 0
            for char in _NON_ASCII.finditer(line):
                starts.append(char.start() + extra)
                extra += len(char.group().encode("utf-8", "surrogatepass")) - 1
                extras.append(extra)
            found = self.wide_rows[row] = (starts, extras, len(line) + extra)
        return found

    def column(self, row: int, byte_column: int) -> int:
        """1-based character column of a tree-sitter (row, byte column) point."""
        line = self.lines[row] if row < len(self.lines) else ""
        if line.isascii():
            return byte_column + 1
        starts, extras, _ = self._wide_row(row)
        count = bisect_left(starts, byte_column)  # non-ASCII characters starting before the point
        if not count:
            return byte_column + 1
        before = extras[count - 2] if count > 1 else 0
        last_end = starts[count - 1] + extras[count - 1] - before + 1
        # A point inside a character (never from tree-sitter) counts it as one, as decoding it would.
        extra = extras[count - 1] if last_end <= byte_column else before + byte_column - starts[count - 1] - 1
        return byte_column - extra + 1

    def byte_length(self, row: int) -> int:
        line = self.lines[row] if row < len(self.lines) else ""
        return len(line) if line.isascii() else self._wide_row(row)[2]

    def loc(self, node: Node) -> Location:
        """The node's span; ``end_column`` is the last character covered (inclusive)."""
        (sr, sc), (er, ec) = node.start_point, node.end_point
        if ec == 0 and er > sr:  # ends at a line break: the span ends on the line before
            er, ec = er - 1, self.byte_length(er - 1) if er - 1 < len(self.lines) else 0
        return Location(self.path, sr + 1, self.column(sr, sc), er + 1, max(self.column(er, ec) - 1, 1))

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
