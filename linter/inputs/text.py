"""Bytes to text for every text parser, with the same answers to the same bad input.

A BOM is dropped, CRLF is read as LF, invalid UTF-8 is replaced (and said once, with the line),
NUL bytes mark a binary file. Parsers call ``decode`` first and keep the problems it returns.
"""

from __future__ import annotations

from dataclasses import dataclass

from linter.model import Location, Problem

# Far above any real go.sum, Dockerfile or gateway config; a larger file is reported, not read.
MAX_TEXT_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Text:
    """Decoded text and its lines (no line endings); ``lines[0]`` is line 1."""

    text: str
    lines: tuple[str, ...]

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""


def decode(data: bytes, path: str, limit: int = MAX_TEXT_BYTES) -> tuple[Text | None, tuple[Problem, ...]]:
    """Decode ``data``; ``None`` when the file must not be parsed at all (binary or too large)."""
    if len(data) > limit:
        return None, (
            Problem(Location(path), f"file is {len(data)} bytes, above the {limit} byte limit; not read", "too-large"),
        )
    if b"\0" in data:
        line = data.count(b"\n", 0, data.index(b"\0")) + 1
        return None, (Problem(Location(path, line), "file contains NUL bytes; it is not a text file"),)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    problems: tuple[Problem, ...] = ()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        problems = (Problem(Location(path, line, column), "invalid UTF-8; the bad bytes were replaced"),)
        text = data.decode("utf-8", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Text(text, tuple(text.split("\n"))), problems
