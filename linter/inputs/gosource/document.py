"""What one parsed Go file holds: imports, declarations, functions, comments."""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field

from linter.inputs.gosource.typemodel import GoType, func, package_name
from linter.inputs.spans import unpack_span
from linter.model import Location, Problem

_LINE_BREAK = re.compile(rb"\n")


@dataclass(frozen=True, slots=True)
class GoImport:
    path: str
    alias: str  # "" (default name), "." (dot import), "_" (blank import) or the alias
    location: Location

    @property
    def name(self) -> str:
        """The identifier the file uses for this package ("" for dot and blank imports)."""
        if self.alias in (".", "_"):
            return ""
        return self.alias or package_name(self.path)


@dataclass(frozen=True, slots=True)
class GoExpr:
    """An expression, reduced to what name and type resolution need.

    ``kind``: string, int, float, rune, imaginary, bool, nil, iota, identifier, selector, call, new,
    composite, address, deref, unary, binary, func_literal, other. ``value``: the decoded string,
    the identifier, the selected field, "true"/"false", the operator. ``package``: for a selector ``pkg.X`` whose
    operand is an import, its path. ``type``: the composite literal's type, ``new``'s argument,
    a func literal's signature, or the callee when it is written as a type (``(*T)(x)``,
    ``[]byte(x)``).
    """

    kind: str
    text: str
    location: Location
    value: str = ""
    package: str = ""
    type: GoType | None = None
    args: tuple[GoExpr, ...] = ()  # call arguments; operands of unary/binary/selector/address
    callee: GoExpr | None = None
    fields: tuple[tuple[str, GoExpr], ...] = ()  # keyed elements of a composite literal


@dataclass(frozen=True, slots=True)
class GoValue:
    """A package-level var or const."""

    name: str
    kind: str  # "var" or "const"
    type: GoType | None
    init: GoExpr | None
    span: int  # the name, packed (see pack_span)
    path: str = ""

    @property
    def location(self) -> Location:
        return unpack_span(self.path, self.span)


@dataclass(frozen=True, slots=True)
class GoTypeDecl:
    name: str
    alias: bool  # `type A = B`
    type: GoType  # the right-hand side
    span: int  # the name, packed
    generic: bool = False
    embedded: tuple[GoType, ...] = ()  # embedded struct fields (their methods are promoted)
    path: str = ""

    @property
    def location(self) -> Location:
        return unpack_span(self.path, self.span)


@dataclass(frozen=True, slots=True)
class GoParam:
    name: str
    type: GoType
    span: int  # the name (the type when unnamed), packed
    path: str = ""

    @property
    def location(self) -> Location:
        return unpack_span(self.path, self.span)


@dataclass(frozen=True, slots=True)
class GoCall:
    """A call inside a function body to one of the function's own parameters."""

    callee: str
    args: tuple[GoExpr, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class GoReceiver:
    name: str  # "" when unnamed
    type_name: str
    pointer: bool
    location: Location


@dataclass(frozen=True, slots=True)
class GoFunc:
    """A function or (with ``receiver``) a method."""

    name: str
    span: int  # the name, packed
    params: tuple[GoParam, ...]
    results: tuple[GoType, ...]
    variadic: bool = False
    receiver: GoReceiver | None = None
    calls: tuple[GoCall, ...] = ()
    generic: bool = False
    path: str = ""
    statements: int = -1  # top-level statements in the body; -1 when there is no body

    @property
    def location(self) -> Location:
        return unpack_span(self.path, self.span)

    @property
    def signature(self) -> GoType:
        return func((p.type for p in self.params), self.results, self.variadic)


@dataclass(frozen=True, slots=True)
class GoComment:
    line: int
    column: int
    text: str


class SourceLines:
    """The lines of a file kept as its UTF-8 bytes; where each line starts is found on the first
    request (a tuple of line strings costs several times the file)."""

    __slots__ = ("_starts", "data")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._starts: array[int] | None = None

    def line(self, number: int) -> str:
        """Line ``number`` (1-based) without its line break; "" outside the file."""
        if self._starts is None:
            self._starts = array("I", [0])
            self._starts.extend(m.end() for m in _LINE_BREAK.finditer(self.data))
        if not 0 < number <= len(self._starts):
            return ""
        start = self._starts[number - 1]
        end = self._starts[number] - 1 if number < len(self._starts) else len(self.data)
        return self.data[start:end].decode("utf-8", "surrogatepass")


@dataclass(frozen=True, slots=True)
class GoFile:
    path: str
    package: str = ""
    package_location: Location | None = None
    imports: tuple[GoImport, ...] = ()
    values: tuple[GoValue, ...] = ()
    types: tuple[GoTypeDecl, ...] = ()
    functions: tuple[GoFunc, ...] = ()
    methods: tuple[GoFunc, ...] = ()
    comments: tuple[GoComment, ...] = ()
    build_constraint: str = ""  # the `//go:build` expression, "" when none
    problems: tuple[Problem, ...] = ()
    content: SourceLines = field(default_factory=lambda: SourceLines(b""), repr=False, compare=False)

    def line(self, number: int) -> str:
        return self.content.line(number)

    @property
    def declarations(self) -> tuple[GoValue | GoTypeDecl | GoFunc, ...]:
        """Every package-level name this file declares (methods are not package-level)."""
        return (*self.values, *self.types, *self.functions)

    @property
    def is_test(self) -> bool:
        return self.path.endswith("_test.go")

    @property
    def dir(self) -> str:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else "."

