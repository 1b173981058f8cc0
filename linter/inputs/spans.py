"""A position packed into one int, for parsers that keep hundreds of thousands of them.

A ``Location`` object per node costs several times the file it comes from; a packed span costs
a fraction, and ``unpack_span`` makes an equal ``Location`` when one is read.
"""

from __future__ import annotations

from linter.model import Location

_FIELD = 32  # bits of each of line, column, end line and end column in a packed span
_MASK = (1 << _FIELD) - 1
NO_SPAN = -1  # "no position" where a span is optional


def pack_span(line: int, column: int, end_line: int, end_column: int) -> int:
    return ((line << _FIELD | column) << _FIELD | end_line) << _FIELD | end_column


def pack_location(location: Location) -> int:
    return pack_span(location.line, location.column, location.end_line, location.end_column)


def unpack_span(path: str, span: int) -> Location:
    return Location(path, span >> 3 * _FIELD, span >> 2 * _FIELD & _MASK, span >> _FIELD & _MASK, span & _MASK)


def span_line(span: int) -> int:
    return span >> 3 * _FIELD
