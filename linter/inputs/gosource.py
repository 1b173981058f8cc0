"""Go source files read with tree-sitter's Go grammar: declarations, types and register calls.

``parse_go_file(data, path)`` returns a ``GoFile``: the package clause, imports (aliases, dot and
blank imports), package-level vars/consts with their initializer expressions, type declarations,
functions, methods with normalised signatures, the calls each function body makes to one of its
own parameters (how a registerer hands names to KrakenD's callback), every comment with its
line, and syntax errors as ``Problem``s (tree-sitter recovers, so the rest is still read).

Types are normalised into ``GoType`` trees so that two spellings of the same Go type compare
equal: ``any`` is ``interface{}``, ``byte``/``rune`` are ``uint8``/``int32``, qualified types carry
the import path instead of the alias, parameter names are dropped. Named types stay named (a
named callback type is not identical to its underlying func type in Go).

``GoModule`` merges the files of each directory into ``GoPackage``s (``_test.go`` and
``//go:build ignore`` files left out) and resolves names across the packages of one module:
the registerer type may live in another package than the exported variable.

This module is longer than our usual 300 lines because the parser, the type model and the
module view share one set of node conventions and are easier to keep right together.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache, cached_property

import tree_sitter_go
from tree_sitter import Language, Node, Parser

from linter.inputs.limits import paused_gc
from linter.inputs.text import decode
from linter.model import Location, Problem

_BASIC = frozenset({
    "bool", "complex64", "complex128", "error", "float32", "float64", "int", "int8", "int16", "int32",
    "int64", "string", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "comparable",
})
_BASIC_ALIASES = {"byte": "uint8", "rune": "int32"}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Literal syntax -> GoExpr.kind; "int", "float", "rune" and "imaginary" are untyped numeric constants.
_LITERAL_KINDS = {"int_literal": "int", "float_literal": "float", "rune_literal": "rune",
                  "imaginary_literal": "imaginary", "nil": "nil", "iota": "iota"}
# Names a dot import of these packages brings in that matter for plugin signatures.
_KNOWN_EXPORTS = {
    "context": frozenset({"Context", "CancelFunc"}),
    "net/http": frozenset({"Handler", "HandlerFunc", "Request", "ResponseWriter", "Client", "Header"}),
}
_MAX_PROBLEMS = 20
_MAX_DEPTH = 32  # alias chains, constant folding and embedding are followed this far, no further
_MAX_NESTING = 100  # types and expressions nested deeper than this are kept as source text
_EXCLUDED_OS = frozenset({
    "aix", "android", "darwin", "dragonfly", "freebsd", "illumos", "ios", "js", "netbsd", "openbsd",
    "plan9", "solaris", "wasip1", "windows",
})


# --- the type model -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GoType:
    """A normalised Go type. Equal trees are identical Go types (after alias expansion).

    ``kind``: basic, named, pointer, slice, array, map, chan, func, interface, struct, generic,
    unknown. ``name``: the type name (basic/named/generic), the array length, the channel
    direction, or the source text (struct/unknown). ``package``: the import path of a named type
    ("" for the declaring package). ``elems``: element types, map key and value, func
    parameters, generic type arguments, embedded interfaces. ``results``: func results.
    """

    kind: str
    name: str = ""
    package: str = ""
    elems: tuple[GoType, ...] = ()
    results: tuple[GoType, ...] = ()
    variadic: bool = False
    methods: tuple[tuple[str, GoType], ...] = ()

    def __str__(self) -> str:
        return self.render(short=False)

    def render(self, short: bool = True) -> str:
        """Go syntax; ``short`` writes qualified names as users do (``http.Handler``)."""
        return _render(self, short)

    @property
    def is_empty_interface(self) -> bool:
        return self.kind == "interface" and not self.methods and not self.elems


def basic(name: str) -> GoType:
    return GoType("basic", name)


def named(name: str, package: str = "") -> GoType:
    return GoType("named", name, package)


def pointer(elem: GoType) -> GoType:
    return GoType("pointer", elems=(elem,))


def func(params: Iterable[GoType], results: Iterable[GoType] = (), variadic: bool = False) -> GoType:
    return GoType("func", elems=tuple(params), results=tuple(results), variadic=variadic)


def go_map(key: GoType, value: GoType) -> GoType:
    return GoType("map", elems=(key, value))


EMPTY_INTERFACE = GoType("interface")


def _render(t: GoType, short: bool) -> str:
    r = lambda x: _render(x, short)  # noqa: E731 - a local shorthand keeps the table readable
    if t.kind in ("basic", "unknown", "struct"):
        return t.name
    if t.kind == "named":
        if not t.package:
            return t.name
        prefix = _package_name(t.package) if short else t.package
        return f"{prefix}.{t.name}"
    if t.kind == "generic":
        return f"{r(named(t.name, t.package))}[{', '.join(r(e) for e in t.elems)}]"
    if t.kind == "pointer":
        return "*" + r(t.elems[0])
    if t.kind == "slice":
        return "[]" + r(t.elems[0])
    if t.kind == "array":
        return f"[{t.name}]{r(t.elems[0])}"
    if t.kind == "map":
        return f"map[{r(t.elems[0])}]{r(t.elems[1])}"
    if t.kind == "chan":
        return f"{t.name} {r(t.elems[0])}"
    if t.kind == "interface":
        parts = [r(e) for e in t.elems] + [name + r(sig).removeprefix("func") for name, sig in t.methods]
        return "interface{" + "; ".join(parts) + "}"
    return "func" + _render_signature(t, short)


def _render_signature(t: GoType, short: bool) -> str:
    params = [_render(p, short) for p in t.elems]
    if t.variadic and params:
        params[-1] = "..." + _render(t.elems[-1].elems[0], short)
    text = "(" + ", ".join(params) + ")"
    if len(t.results) == 1:
        return f"{text} {_render(t.results[0], short)}"
    if t.results:
        return f"{text} ({', '.join(_render(x, short) for x in t.results)})"
    return text


def _package_name(import_path: str) -> str:
    """The default package name of an import path (last element, minus a /vN or .vN suffix)."""
    parts = [p for p in import_path.split("/") if p]
    if not parts:
        return import_path
    last = parts[-1]
    if len(parts) > 1 and last.startswith("v") and last[1:].isdigit():
        last = parts[-2]
    if ".v" in last and last.rsplit(".v", 1)[1].isdigit():  # gopkg.in/yaml.v3
        last = last.rsplit(".v", 1)[0]
    return last.replace("-", "_")


# --- documents ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoImport:
    path: str
    alias: str  # "" (default name), "." (dot import), "_" (blank import) or the alias
    location: Location

    @property
    def name(self) -> str:
        """The identifier the file uses for this package ("" for dot and blank imports)."""
        if self.alias in (".", "_"):
            return ""
        return self.alias or _package_name(self.path)


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class GoValue:
    """A package-level var or const."""

    name: str
    kind: str  # "var" or "const"
    type: GoType | None
    init: GoExpr | None
    location: Location  # the name
    path: str = ""


@dataclass(frozen=True)
class GoTypeDecl:
    name: str
    alias: bool  # `type A = B`
    type: GoType  # the right-hand side
    location: Location
    generic: bool = False
    embedded: tuple[GoType, ...] = ()  # embedded struct fields (their methods are promoted)
    path: str = ""

    @property
    def underlying_kind(self) -> str:
        """struct, string (or another basic name), func, interface, pointer, named, ..."""
        return self.type.name if self.type.kind == "basic" else self.type.kind


@dataclass(frozen=True)
class GoParam:
    name: str
    type: GoType
    location: Location


@dataclass(frozen=True)
class GoCall:
    """A call inside a function body to one of the function's own parameters."""

    callee: str
    args: tuple[GoExpr, ...]
    location: Location


@dataclass(frozen=True)
class GoReceiver:
    name: str  # "" when unnamed
    type_name: str
    pointer: bool
    location: Location


@dataclass(frozen=True)
class GoFunc:
    """A function or (with ``receiver``) a method."""

    name: str
    location: Location  # the name
    params: tuple[GoParam, ...]
    results: tuple[GoType, ...]
    variadic: bool = False
    receiver: GoReceiver | None = None
    calls: tuple[GoCall, ...] = ()
    generic: bool = False
    line_location: Location | None = None  # the start of the declaration (`func`)
    path: str = ""
    statements: int = -1  # top-level statements in the body; -1 when there is no body

    @property
    def signature(self) -> GoType:
        return func((p.type for p in self.params), self.results, self.variadic)


@dataclass(frozen=True)
class GoComment:
    line: int
    column: int
    text: str


@dataclass(frozen=True)
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
    lines: tuple[str, ...] = field(default=(), repr=False, compare=False)  # for one-line fixes

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

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

    def comment_at(self, line: int) -> tuple[GoComment, ...]:
        return tuple(c for c in self.comments if c.line == line)


# --- parsing --------------------------------------------------------------------------------


@cache
def _parser() -> Parser:
    return Parser(Language(tree_sitter_go.language()))


def parse_go_file(data: bytes, path: str) -> GoFile:
    """Parse one Go file. Never raises; syntax errors become problems and the rest is kept."""
    text, problems = decode(data, path)
    if text is None:
        return GoFile(path, problems=problems)
    source = text.text.encode("utf-8", "surrogatepass")
    with paused_gc():  # a large file makes millions of objects and no cycles (see limits.paused_gc)
        tree = _parser().parse(source)
        reader = _Reader(path, source, text.lines)
        return reader.read(tree.root_node, problems)


@dataclass
class _Reader:
    path: str
    source: bytes
    lines: tuple[str, ...]
    imports: dict[str, str] = field(default_factory=dict)  # name -> import path
    dot_imports: list[str] = field(default_factory=list)
    depth: int = 0  # nesting of type()/expr() calls: deeper input is summarised, never recursed into
    # Per non-ASCII line, read once: the byte offset where each non-ASCII character starts, the extra
    # bytes (UTF-8 length - 1) up to and including it, and the line's length in bytes. A minified
    # one-line file has a node every few bytes; re-encoding the line for each was quadratic.
    wide_rows: dict[int, tuple[list[int], list[int], int]] = field(default_factory=dict)

    # positions

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

    # top level

    def read(self, root: Node, problems: tuple[Problem, ...]) -> GoFile:
        package, package_loc = "", None
        for child in root.named_children:
            if child.type == "package_clause":
                ident = _first_named(child, "package_identifier")
                package, package_loc = self.text(ident), self.loc(ident or child)
            elif child.type == "import_declaration":
                self._imports(child)
        top = root.named_children
        return GoFile(
            path=self.path,
            package=package,
            package_location=package_loc,
            imports=self._import_list(root),
            values=tuple(v for n in top if n.type in ("var_declaration", "const_declaration") for v in self._values(n)),
            types=tuple(t for n in top if n.type == "type_declaration" for t in self._types(n)),
            functions=tuple(self._function(n) for n in top if n.type == "function_declaration"),
            methods=tuple(self._function(n) for n in top if n.type == "method_declaration"),
            comments=tuple(self._comments(root)),
            build_constraint=self._build_constraint(root),
            problems=problems + tuple(self._syntax_errors(root)),
            lines=self.lines,
        )

    def _imports(self, node: Node) -> None:
        for spec in _descendants_of_type(node, "import_spec"):
            path = _string_value(self, spec.child_by_field_name("path"))
            name = spec.child_by_field_name("name")
            alias = self.text(name) if name is not None else ""
            if alias == ".":
                self.dot_imports.append(path)
            elif alias != "_":
                self.imports[alias or _package_name(path)] = path

    def _import_list(self, root: Node) -> tuple[GoImport, ...]:
        found = []
        for decl in root.named_children:
            if decl.type != "import_declaration":
                continue
            for spec in _descendants_of_type(decl, "import_spec"):
                name = spec.child_by_field_name("name")
                found.append(GoImport(
                    _string_value(self, spec.child_by_field_name("path")),
                    self.text(name) if name is not None else "",
                    self.loc(spec),
                ))
        return tuple(found)

    def _comments(self, root: Node) -> Iterator[GoComment]:
        for node in _walk(root):
            if node.type == "comment":
                yield GoComment(node.start_point[0] + 1, self.column(*node.start_point), self.text(node, 10_000))

    def _build_constraint(self, root: Node) -> str:
        for node in root.children:
            if node.type == "package_clause":
                break
            if node.type == "comment":
                body = self.text(node, 10_000)
                if body.startswith("//go:build "):
                    return body.removeprefix("//go:build ").strip()
        return ""

    def _syntax_errors(self, root: Node) -> Iterator[Problem]:
        if not root.has_error:
            return
        count = 0
        for node in _walk(root):
            if count >= _MAX_PROBLEMS:
                return
            if node.is_error or node.is_missing:
                count += 1
                what = f"missing {node.type!r}" if node.is_missing else f"unexpected {self.text(node, 30)!r}"
                yield Problem(self.loc(node), f"Go syntax error: {what}; the rest of the file is still read")

    # declarations

    def _values(self, node: Node) -> Iterator[GoValue]:
        kind = "var" if node.type == "var_declaration" else "const"
        for spec in _descendants_of_type(node, f"{kind}_spec", stop=("func_literal", "block")):
            type_node = spec.child_by_field_name("type")
            declared = self.type(type_node) if type_node is not None else None
            names = [c for c in spec.children_by_field_name("name")]
            value_list = spec.child_by_field_name("value")
            inits = list(value_list.named_children) if value_list is not None else []
            for index, ident in enumerate(names):
                init = self.expr(inits[index]) if index < len(inits) and len(inits) == len(names) else None
                yield GoValue(self.text(ident), kind, declared, init, self.loc(ident), self.path)

    def _types(self, node: Node) -> Iterator[GoTypeDecl]:
        for spec in node.named_children:
            if spec.type not in ("type_spec", "type_alias"):
                continue
            name = spec.child_by_field_name("name")
            rhs = spec.child_by_field_name("type")
            if name is None or rhs is None:
                continue
            yield GoTypeDecl(
                name=self.text(name),
                alias=spec.type == "type_alias",
                type=self.type(rhs),
                location=self.loc(name),
                generic=spec.child_by_field_name("type_parameters") is not None,
                embedded=tuple(self._embedded(rhs)),
                path=self.path,
            )

    def _embedded(self, node: Node) -> Iterator[GoType]:
        if node.type != "struct_type":
            return
        for decl in _descendants_of_type(node, "field_declaration", stop=("struct_type",)):
            if decl.child_by_field_name("name") is not None:
                continue
            type_node = decl.child_by_field_name("type")
            if type_node is None:
                continue
            embedded = self.type(type_node)
            starred = any(c.type == "*" for c in decl.children)
            yield pointer(embedded) if starred else embedded

    def _function(self, node: Node) -> GoFunc:
        name = node.child_by_field_name("name")
        params, variadic = self.params(node.child_by_field_name("parameters"))
        results = self.results(node.child_by_field_name("result"))
        receiver = self._receiver(node.child_by_field_name("receiver"))
        body = node.child_by_field_name("body")
        calls = tuple(self._param_calls(body, {p.name for p in params if p.name})) if body else ()
        return GoFunc(
            name=self.text(name),
            location=self.loc(name or node),
            params=tuple(params),
            results=results,
            variadic=variadic,
            receiver=receiver,
            calls=calls,
            generic=node.child_by_field_name("type_parameters") is not None,
            line_location=self.loc(node),
            path=self.path,
            statements=_statement_count(body),
        )

    def _receiver(self, node: Node | None) -> GoReceiver | None:
        if node is None:
            return None
        decl = _first_named(node, "parameter_declaration")
        type_node = decl.child_by_field_name("type") if decl is not None else None
        if decl is None or type_node is None:
            return GoReceiver("", "", False, self.loc(node))
        is_pointer = type_node.type == "pointer_type"
        base = type_node.named_children[0] if is_pointer and type_node.named_children else type_node
        if base.type == "generic_type":
            base = base.child_by_field_name("type") or base
        name = decl.child_by_field_name("name")
        return GoReceiver(self.text(name), self.text(base), is_pointer, self.loc(decl))

    def _param_calls(self, body: Node, names: set[str]) -> Iterator[GoCall]:
        if not names:
            return
        for node in _walk(body):
            if node.type != "call_expression":
                continue
            callee = node.child_by_field_name("function")
            if callee is None or callee.type != "identifier" or self.text(callee) not in names:
                continue
            args = node.child_by_field_name("arguments")
            exprs = tuple(self.expr(a) for a in args.named_children) if args is not None else ()
            yield GoCall(self.text(callee), exprs, self.loc(node))

    # types

    def params(self, node: Node | None) -> tuple[list[GoParam], bool]:
        params: list[GoParam] = []
        variadic = False
        if node is None:
            return params, variadic
        for decl in node.named_children:
            if decl.type not in ("parameter_declaration", "variadic_parameter_declaration"):
                continue
            type_node = decl.child_by_field_name("type")
            if type_node is None:
                continue
            ptype = self.type(type_node)
            if decl.type == "variadic_parameter_declaration":
                ptype, variadic = GoType("slice", elems=(ptype,)), True
            names: list[Node | None] = list(decl.children_by_field_name("name")) or [None]
            for ident in names:
                params.append(GoParam(self.text(ident), ptype, self.loc(ident or decl)))
        return params, variadic

    def results(self, node: Node | None) -> tuple[GoType, ...]:
        if node is None:
            return ()
        if node.type == "parameter_list":
            return tuple(p.type for p in self.params(node)[0])
        return (self.type(node),)

    def type(self, node: Node) -> GoType:
        if self.depth > _MAX_NESTING:
            return GoType("unknown", self.text(node))
        self.depth += 1
        try:
            return self._type(node)
        finally:
            self.depth -= 1

    def _type(self, node: Node) -> GoType:  # noqa: C901 - one branch per type syntax
        kind = node.type
        if kind == "type_identifier":
            return self._identifier_type(self.text(node))
        if kind == "qualified_type":
            pkg = self.text(node.child_by_field_name("package"))
            return named(self.text(node.child_by_field_name("name")), self.imports.get(pkg, "?" + pkg))
        if kind in ("pointer_type", "parenthesized_type", "type_elem", "type_constraint"):
            inner = node.named_children
            if kind == "type_elem" and len(inner) != 1:
                return GoType("unknown", self.text(node))
            base = self.type(inner[0]) if inner else GoType("unknown", self.text(node))
            return pointer(base) if kind == "pointer_type" else base
        if kind == "slice_type":
            return GoType("slice", elems=(self._field_type(node, "element"),))
        if kind in ("array_type", "implicit_length_array_type"):
            length = self.text(node.child_by_field_name("length")) or "..."
            return GoType("array", length, elems=(self._field_type(node, "element"),))
        if kind == "map_type":
            return go_map(self._field_type(node, "key"), self._field_type(node, "value"))
        if kind == "channel_type":
            return GoType("chan", _chan_direction(node), elems=(self._field_type(node, "value"),))
        if kind == "function_type":
            params, variadic = self.params(node.child_by_field_name("parameters"))
            return func((p.type for p in params), self.results(node.child_by_field_name("result")), variadic)
        if kind == "interface_type":
            return self._interface(node)
        if kind == "struct_type":
            return GoType("struct", " ".join(self.text(node, 10_000).split()))
        if kind == "generic_type":
            base = self.type(node.child_by_field_name("type") or node)
            args = node.child_by_field_name("type_arguments")
            elems = tuple(self.type(a) for a in args.named_children) if args is not None else ()
            return GoType("generic", base.name, base.package, elems)
        return GoType("unknown", self.text(node))

    def _field_type(self, node: Node, name: str) -> GoType:
        child = node.child_by_field_name(name)
        return self.type(child) if child is not None else GoType("unknown", self.text(node))

    def _identifier_type(self, name: str) -> GoType:
        if name == "any":
            return EMPTY_INTERFACE
        if name in _BASIC_ALIASES:
            return basic(_BASIC_ALIASES[name])
        if name in _BASIC:
            return basic(name)
        for path in self.dot_imports:
            if name in _KNOWN_EXPORTS.get(path, ()):
                return named(name, path)
        return named(name)

    def _interface(self, node: Node) -> GoType:
        methods: list[tuple[str, GoType]] = []
        elems: list[GoType] = []
        for child in node.named_children:
            if child.type == "method_elem":
                params, variadic = self.params(child.child_by_field_name("parameters"))
                sig = func((p.type for p in params), self.results(child.child_by_field_name("result")), variadic)
                methods.append((self.text(child.child_by_field_name("name")), sig))
            elif child.type == "type_elem":
                elems.append(self.type(child))
        return GoType("interface", elems=tuple(elems), methods=tuple(sorted(methods, key=lambda m: m[0])))

    # expressions

    def expr(self, node: Node) -> GoExpr:
        if self.depth > _MAX_NESTING:
            return GoExpr("other", self.text(node), self.loc(node))
        self.depth += 1
        try:
            return self._expr(node)
        finally:
            self.depth -= 1

    def _expr(self, node: Node) -> GoExpr:  # noqa: C901 - one branch per expression syntax
        kind, loc, text = node.type, self.loc(node), self.text(node)
        if kind in ("interpreted_string_literal", "raw_string_literal"):
            return GoExpr("string", text, loc, _string_value(self, node))
        if kind in ("true", "false"):
            return GoExpr("bool", text, loc, kind)
        if kind in _LITERAL_KINDS:
            return GoExpr(_LITERAL_KINDS[kind], text, loc, text)
        if kind == "identifier":
            return GoExpr("identifier", text, loc, text)
        if kind == "parenthesized_expression" and node.named_children:
            return self.expr(node.named_children[0])
        if kind == "selector_expression":
            operand = node.child_by_field_name("operand")
            field_name = self.text(node.child_by_field_name("field"))
            operand_expr = self.expr(operand) if operand is not None else GoExpr("other", "", loc)
            package = self.imports.get(operand_expr.value, "") if operand_expr.kind == "identifier" else ""
            return GoExpr("selector", text, loc, field_name, package, args=(operand_expr,))
        if kind == "call_expression":
            return self._call(node, text, loc)
        if kind == "type_conversion_expression":
            operand = node.child_by_field_name("operand")
            args = (self.expr(operand),) if operand is not None else ()
            return GoExpr("call", text, loc, type=self._field_type(node, "type"), args=args)
        if kind == "composite_literal":
            return self._composite(node, text, loc)
        if kind == "unary_expression":
            op = self.text(node.child_by_field_name("operator"))
            operand = node.child_by_field_name("operand")
            unary_args = (self.expr(operand),) if operand is not None else ()
            return GoExpr({"&": "address", "*": "deref"}.get(op, "unary"), text, loc, op, args=unary_args)
        if kind == "binary_expression":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            operands = tuple(self.expr(n) for n in (left, right) if n is not None)
            return GoExpr("binary", text, loc, self.text(node.child_by_field_name("operator")), args=operands)
        if kind == "func_literal":
            params, variadic = self.params(node.child_by_field_name("parameters"))
            sig = func((p.type for p in params), self.results(node.child_by_field_name("result")), variadic)
            return GoExpr("func_literal", text, loc, type=sig)
        return GoExpr("other", text, loc)

    def _call(self, node: Node, text: str, loc: Location) -> GoExpr:
        callee_node = node.child_by_field_name("function")
        arg_list = node.child_by_field_name("arguments")
        arg_nodes = list(arg_list.named_children) if arg_list is not None else []
        callee = self.expr(callee_node) if callee_node is not None else GoExpr("other", "", loc)
        if callee.kind == "identifier" and callee.value == "new" and len(arg_nodes) == 1:
            return GoExpr("new", text, loc, type=self._type_or_expr(arg_nodes[0]))
        callee_type = self._callee_type(callee_node) if callee_node is not None else None
        args = tuple(self.expr(a) for a in arg_nodes if not a.type.endswith("_type"))
        return GoExpr("call", text, loc, type=callee_type, args=args, callee=callee)

    def _callee_type(self, node: Node) -> GoType | None:
        """The callee when it can only be a type: `(*T)(x)`, `[]byte(x)`, `func()(x)`."""
        if node.type.endswith("_type"):
            return self.type(node)
        if node.type == "parenthesized_expression" and node.named_children:
            inner = node.named_children[0]
            if inner.type == "unary_expression" and self.text(inner.child_by_field_name("operator")) == "*":
                operand = inner.child_by_field_name("operand")
                if operand is not None and operand.type in ("identifier", "selector_expression"):
                    return pointer(self._expr_as_type(operand))
            return self._callee_type(inner)
        return None

    def _expr_as_type(self, node: Node) -> GoType:
        if node.type == "selector_expression":
            pkg = self.text(node.child_by_field_name("operand"))
            return named(self.text(node.child_by_field_name("field")), self.imports.get(pkg, "?" + pkg))
        return self._identifier_type(self.text(node))

    def _type_or_expr(self, node: Node) -> GoType:
        if node.type in ("identifier", "selector_expression"):
            return self._expr_as_type(node)
        return self.type(node)

    def _composite(self, node: Node, text: str, loc: Location) -> GoExpr:
        type_node = node.child_by_field_name("type")
        body = node.child_by_field_name("body")
        fields: list[tuple[str, GoExpr]] = []
        for element in body.named_children if body is not None else []:
            if element.type != "keyed_element" or len(element.named_children) != 2:
                continue
            key_node, value_node = element.named_children
            key = self.text(key_node)
            value = value_node.named_children[0] if value_node.named_children else value_node
            fields.append((key, self.expr(value)))
        ctype = self.type(type_node) if type_node is not None else GoType("unknown", "")
        return GoExpr("composite", text, loc, type=ctype, fields=tuple(fields))


def _statement_count(body: Node | None) -> int:
    if body is None:
        return -1
    statements = _first_named(body, "statement_list")
    if statements is None:
        return sum(1 for c in body.named_children if c.type != "comment")
    return sum(1 for c in statements.named_children if c.type != "comment")


def _chan_direction(node: Node) -> str:
    tokens = [c.type for c in node.children if not c.is_named]
    if tokens[:2] == ["<-", "chan"]:
        return "<-chan"
    if "<-" in tokens:
        return "chan<-"
    return "chan"


_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\",
            "'": "'", '"': '"'}


def _string_value(reader: _Reader, node: Node | None) -> str:
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


def _walk(root: Node) -> Iterator[Node]:
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


def _descendants_of_type(root: Node, kind: str, stop: tuple[str, ...] = ()) -> Iterator[Node]:
    stack = list(reversed(root.named_children))
    while stack:
        node = stack.pop()
        if node.type == kind:
            yield node
            continue
        if node.type in stop:
            continue
        stack.extend(reversed(node.named_children))


def _first_named(node: Node, kind: str) -> Node | None:
    return next((c for c in node.named_children if c.type == kind), None)


# --- packages and modules -------------------------------------------------------------------


def is_built(file: GoFile) -> bool:
    """Whether `go build` on linux compiles this file (tests, `ignore` and other-OS files are not)."""
    if file.is_test or file.build_constraint.strip() == "ignore":
        return False
    stem = file.path.rsplit("/", 1)[-1].removesuffix(".go")
    parts = stem.split("_")[1:]
    return not any(part in _EXCLUDED_OS for part in parts[-2:])


@dataclass(frozen=True)
class GoPackage:
    """The files of one directory that `go build` compiles, merged."""

    dir: str
    files: tuple[GoFile, ...]
    import_path: str = ""

    @property
    def name(self) -> str:
        names = [f.package for f in self.files if f.package]
        return max(names, key=names.count) if names else ""

    @property
    def package_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.package for f in self.files if f.package))

    @property
    def values(self) -> tuple[GoValue, ...]:
        return tuple(v for f in self.files for v in f.values)

    @property
    def types(self) -> tuple[GoTypeDecl, ...]:
        return tuple(t for f in self.files for t in f.types)

    @property
    def functions(self) -> tuple[GoFunc, ...]:
        return tuple(fn for f in self.files for fn in f.functions)

    @property
    def methods(self) -> tuple[GoFunc, ...]:
        return tuple(m for f in self.files for m in f.methods)

    @cached_property
    def _index(self) -> dict[str, dict[str, object]]:
        # First declaration wins, as the Go compiler reports the later one as the redeclaration.
        index: dict[str, dict[str, object]] = {"value": {}, "type": {}, "func": {}}
        for kind, items in (("value", self.values), ("type", self.types), ("func", self.functions)):
            for item in items:
                index[kind].setdefault(item.name, item)
        return index

    @cached_property
    def _methods_by_type(self) -> dict[str, tuple[GoFunc, ...]]:
        grouped: dict[str, list[GoFunc]] = {}
        for method in self.methods:
            if method.receiver is not None:
                grouped.setdefault(method.receiver.type_name, []).append(method)
        return {name: tuple(methods) for name, methods in grouped.items()}

    def value(self, name: str) -> GoValue | None:
        found = self._index["value"].get(name)
        return found if isinstance(found, GoValue) else None

    def type_decl(self, name: str) -> GoTypeDecl | None:
        found = self._index["type"].get(name)
        return found if isinstance(found, GoTypeDecl) else None

    def function(self, name: str) -> GoFunc | None:
        found = self._index["func"].get(name)
        return found if isinstance(found, GoFunc) else None

    def methods_of(self, type_name: str) -> tuple[GoFunc, ...]:
        return self._methods_by_type.get(type_name, ())

    def file(self, path: str) -> GoFile | None:
        return next((f for f in self.files if f.path == path), None)


@dataclass(frozen=True)
class Member:
    """A method of a type's method set and the package that declares it."""

    method: GoFunc
    package: GoPackage


@dataclass(frozen=True)
class GoModule:
    """The packages of one module, with name resolution across them."""

    path: str  # module path from go.mod ("" when unknown)
    root: str  # the module directory (display path, "." for the working directory)
    packages: tuple[GoPackage, ...]

    def package(self, directory: str) -> GoPackage | None:
        return next((p for p in self.packages if p.dir == directory), None)

    def by_import(self, import_path: str) -> GoPackage | None:
        return next((p for p in self.packages if p.import_path and p.import_path == import_path), None)

    def home_of(self, t: GoType, home: GoPackage) -> GoPackage | None:
        """The package declaring named type ``t`` as seen from ``home``; None for outside ones."""
        return home if not t.package else self.by_import(t.package)

    def lookup_type(self, t: GoType, home: GoPackage) -> tuple[GoPackage, GoTypeDecl] | None:
        if t.kind not in ("named", "generic"):
            return None
        pkg = self.home_of(t, home)
        decl = pkg.type_decl(t.name) if pkg else None
        return (pkg, decl) if pkg and decl else None

    def expand(self, t: GoType, home: GoPackage, depth: int = 0) -> GoType:
        """``t`` with aliases replaced by what they stand for, and module types qualified
        relative to ``home`` (so types from two packages compare)."""
        if depth > _MAX_DEPTH:
            return t
        if t.kind == "named":
            found = self.lookup_type(t, home)
            if found and found[1].alias:
                return self.expand(found[1].type, found[0], depth + 1)
            if not t.package and home.import_path and found:
                return named(t.name, home.import_path)
            return t
        if not (t.elems or t.results or t.methods):
            return t
        sub = lambda x: self.expand(x, home, depth + 1)  # noqa: E731
        return replace(
            t,
            elems=tuple(sub(e) for e in t.elems),
            results=tuple(sub(r) for r in t.results),
            methods=tuple((n, sub(s)) for n, s in t.methods),
        )

    def underlying(self, t: GoType, home: GoPackage) -> GoType:
        """The underlying type (named types followed to their definition; outside ones stay)."""
        for _ in range(_MAX_DEPTH):
            found = self.lookup_type(t, home)
            if found is None:
                return t
            home, t = found[0], found[1].type
        return t

    def method_set(self, t: GoType, home: GoPackage, addressable: bool = True) -> tuple[Member, ...]:
        """Methods callable on a value of ``*T`` (``addressable``) or ``T``: declared ones plus
        the ones promoted from embedded fields. The loader's symbol is a ``*T``."""
        return tuple(self._members(t, home, addressable, 0))

    def _members(self, t: GoType, home: GoPackage, addressable: bool, depth: int) -> Iterator[Member]:
        if depth > _MAX_DEPTH:
            return
        if t.kind == "pointer":
            yield from self._members(t.elems[0], home, True, depth + 1)
            return
        found = self.lookup_type(t, home)
        if found is None:
            return
        pkg, decl = found
        if decl.alias:
            yield from self._members(decl.type, pkg, addressable, depth + 1)
            return
        seen = set()
        for method in pkg.methods_of(decl.name):
            assert method.receiver is not None
            if addressable or not method.receiver.pointer:
                seen.add(method.name)
                yield Member(method, pkg)
        for embedded in decl.embedded:
            for member in self._members(embedded, pkg, addressable, depth + 1):
                if member.method.name not in seen:
                    seen.add(member.method.name)
                    yield member

    def value(self, name: str, home: GoPackage, package: str = "") -> tuple[GoPackage, GoValue] | None:
        pkg = home if not package else self.by_import(package)
        found = pkg.value(name) if pkg else None
        return (pkg, found) if pkg and found else None


def build_module(module_path: str, root: str, files: Iterable[GoFile]) -> GoModule:
    """Group the built files under ``root`` by directory into packages of module ``module_path``."""
    by_dir: dict[str, list[GoFile]] = {}
    for file in files:
        if is_built(file):
            by_dir.setdefault(file.dir, []).append(file)
    packages = []
    for directory in sorted(by_dir):
        packages.append(GoPackage(directory, tuple(by_dir[directory]), _import_path(module_path, root, directory)))
    return GoModule(module_path, root, tuple(packages))


def _import_path(module_path: str, root: str, directory: str) -> str:
    if not module_path:
        return ""
    if directory == root:
        return module_path
    prefix = "" if root in ("", ".") else root + "/"
    if not directory.startswith(prefix):
        return ""
    return f"{module_path}/{directory[len(prefix):]}"
