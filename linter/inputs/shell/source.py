"""Where each character of a shell text came from: offsets -> 1-based (line, column) in a file."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from linter.model import Location


@dataclass(frozen=True)
class SourceMap:
    """Maps offsets in the text handed to the parser back to 1-based (line, column) in a file.

    Each anchor says "the text from ``offset`` on starts at ``line``:``column``"; an anchor that
    does not advance maps every character of its run to the same place (a Makefile variable
    expanded into a recipe points at the ``$(VAR)`` reference).
    """

    path: str
    anchors: tuple[tuple[int, int, int, bool], ...] = ((0, 1, 1, True),)
    base: int = 0  # offsets asked for count from here (a shifted map shares its parent's anchors)

    def position(self, offset: int) -> tuple[int, int]:
        offset += self.base
        start, line, column, advances = self.anchors[self._index(offset)]
        return line, column + (offset - start if advances else 0)

    def location(self, start: int, end: int | None = None) -> Location:
        line, column = self.position(start)
        if end is None or end <= start:
            return Location(self.path, line, column)
        end_line, end_column = self.position(end - 1)
        return Location(self.path, line, column, end_line, end_column + 1)

    def shifted(self, offset: int) -> SourceMap:
        """The map of the text that starts at ``offset`` of this one (a `sh -c` string, a line).
        O(1): copying the anchors for every `sh -c` or line made long scripts quadratic."""
        return SourceMap(self.path, self.anchors, self.base + offset)

    def _index(self, offset: int) -> int:
        # key= probes only O(log n) anchors; building the list of starts made every lookup O(n)
        return max(bisect.bisect_right(self.anchors, offset, key=lambda anchor: anchor[0]) - 1, 0)

    @classmethod
    def of_text(cls, path: str, text: str, line: int = 1, column: int = 1, indent: int = 0) -> SourceMap:
        """``text`` whose first line starts at ``line``:``column`` and whose other lines start at
        column ``indent + 1`` (a YAML block scalar has its indentation removed)."""
        anchors = [(0, line, column, True)]
        offset = text.find("\n")
        while offset >= 0:
            line += 1
            anchors.append((offset + 1, line, indent + 1, True))
            offset = text.find("\n", offset + 1)
        return cls(path, tuple(anchors))


class SourceBuilder:
    """Builds a text piece by piece together with its ``SourceMap``."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._parts: list[str] = []
        self._anchors: list[tuple[int, int, int, bool]] = []
        self._length = 0

    def add(self, text: str, line: int, column: int, advances: bool = True) -> None:
        if not text:
            return
        self._anchors.append((self._length, line, column, advances))
        self._parts.append(text)
        self._length += len(text)

    def add_lines(self, first_line: int, lines: Iterable[str], column: int = 1) -> None:
        """Whole lines, joined with newlines, the first at ``first_line``."""
        for index, line in enumerate(lines):
            if index:
                self.add("\n", first_line + index, 0, advances=False)
            self.add(line, first_line + index, column)

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def build(self) -> tuple[str, SourceMap]:
        anchors = tuple(self._anchors) or ((0, 1, 1, True),)
        return self.text, SourceMap(self.path, anchors)
