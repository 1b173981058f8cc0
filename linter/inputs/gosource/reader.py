"""``parse_go_file``: one Go file read with tree-sitter's Go grammar into a ``GoFile``."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

import tree_sitter_go
from tree_sitter import Language, Node, Parser, Point, Query, QueryCursor, Range

from linter.inputs.gcpause import paused_gc
from linter.inputs.gosource.document import (
    GoCall,
    GoComment,
    GoFile,
    GoFunc,
    GoImport,
    GoReceiver,
    GoTypeDecl,
    GoValue,
    SourceLines,
)
from linter.inputs.gosource.syntax import descendants_of_type, first_named, statement_count, string_value, walk
from linter.inputs.gosource.typeexpr import Syntax
from linter.inputs.gosource.typemodel import GoType, package_name, pointer
from linter.inputs.text import MAX_TEXT_BYTES, decode
from linter.model import Location, Problem

_MAX_PROBLEMS = 20
# A file longer than this is parsed a piece at a time: tree-sitter's tree of a whole 16 MiB file
# takes some 35 times the file in memory, a piece's tree is freed before the next is parsed.
_PIECE_BYTES = 64 * 1024
# Where a piece may end: before a top-level declaration keyword at the start of a line.
_DECLARATION_START = re.compile(rb"\n(?=(?:func|type|var|const)[ \t(])")
_BOM = b"\xef\xbb\xbf"


@cache
def _language() -> Language:
    return Language(tree_sitter_go.language())


@cache
def _query(kind: str) -> Query:
    return Query(_language(), f"({kind}) @found")


def _nodes_of_type(root: Node, kind: str) -> list[Node]:
    """The nodes of type ``kind`` under ``root`` (itself included), in document order. A query
    runs in tree-sitter's C code; a tree with errors is walked node by node, as it always was."""
    if root.has_error:
        return [node for node in walk(root) if node.type == kind]
    found = QueryCursor(_query(kind)).captures(root).get("found", [])
    return sorted(found, key=lambda node: (node.start_byte, -node.end_byte))


def parse_go_file(data: bytes, path: str) -> GoFile:
    """Parse one Go file. Never raises; syntax errors become problems and the rest is kept."""
    source, problems = _source(data, path)
    if source is None:
        return GoFile(path, problems=problems)
    with paused_gc():  # a large file makes millions of objects and no cycles (see gcpause.paused_gc)
        found = _Reader(path, source).read_pieces(problems)
        if found is None:
            tree = Parser(_language()).parse(source)
            found = _Reader(path, source).read(tree.root_node, problems)
        return found


def _source(data: bytes, path: str) -> tuple[bytes | None, tuple[Problem, ...]]:
    """The UTF-8 bytes to parse: ``data`` itself when decoding would not change it (no copy)."""
    if len(data) <= MAX_TEXT_BYTES and b"\0" not in data and b"\r" not in data and not data.startswith(_BOM) \
            and _is_utf8(data):
        return data, ()
    text, problems = decode(data, path)
    return (None if text is None else text.text.encode("utf-8", "surrogatepass")), problems


def _is_utf8(data: bytes) -> bool:
    if data.isascii():
        return True
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), 1 << 20):  # a slice at a time: no copy of the whole file
            decoder.decode(data[start:start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _piece_ends(source: bytes) -> list[int]:
    ends, start = [], 0
    while len(source) - start > _PIECE_BYTES:
        found = _DECLARATION_START.search(source, start + _PIECE_BYTES)
        if found is None:
            break
        start = found.start() + 1
        ends.append(start)
    return [*ends, len(source)]


@dataclass
class _Reader(Syntax):
    """Reads the top level of one file: package clause, imports, declarations, comments."""

    package: str = ""
    package_location: Location | None = None
    import_list: list[GoImport] = field(default_factory=list)
    values: list[GoValue] = field(default_factory=list)
    types: list[GoTypeDecl] = field(default_factory=list)
    functions: list[GoFunc] = field(default_factory=list)
    methods: list[GoFunc] = field(default_factory=list)
    comments: list[GoComment] = field(default_factory=list)
    build_constraint: str | None = None  # None until the package clause or a constraint is seen

    def read_pieces(self, problems: tuple[Problem, ...]) -> GoFile | None:
        """A large file read a piece at a time; None when a piece does not parse on its own (it
        did not end between two declarations, or the file has a syntax error) or imports come
        after the first piece: then the whole file is parsed at once."""
        ends = _piece_ends(self.source)
        if len(ends) == 1:
            return None
        parser, start, row = Parser(_language()), 0, 0
        for index, end in enumerate(ends):
            end_row = row + self.source.count(b"\n", start, end)
            end_column = end - (self.source.rfind(b"\n", 0, end) + 1)
            parser.included_ranges = [Range(Point(row, 0), Point(end_row, end_column), start, end)]
            root = parser.parse(self.source).root_node
            if root.has_error or (index and any(c.type == "import_declaration" for c in root.named_children)):
                return None
            self.read_top_level(root)
            start, row = end, end_row
        return self.go_file(problems)

    def read(self, root: Node, problems: tuple[Problem, ...]) -> GoFile:
        self.read_top_level(root)
        return self.go_file(problems + tuple(self._syntax_errors(root)))

    def read_top_level(self, root: Node) -> None:
        top = root.named_children
        for child in top:
            if child.type == "package_clause":
                ident = first_named(child, "package_identifier")
                self.package, self.package_location = self.text(ident), self.loc(ident or child)
            elif child.type == "import_declaration":
                self._imports(child)
        self.import_list.extend(self._import_list(root))
        values = ("var_declaration", "const_declaration")
        self.values.extend(v for n in top if n.type in values for v in self._values(n))
        self.types.extend(t for n in top if n.type == "type_declaration" for t in self._types(n))
        self.functions.extend(self._function(n) for n in top if n.type == "function_declaration")
        self.methods.extend(self._function(n) for n in top if n.type == "method_declaration")
        self.comments.extend(self._comments(root))
        if self.build_constraint is None:
            self.build_constraint = self._build_constraint(root)

    def go_file(self, problems: tuple[Problem, ...]) -> GoFile:
        return GoFile(
            path=self.path,
            package=self.package,
            package_location=self.package_location,
            imports=tuple(self.import_list),
            values=tuple(self.values),
            types=tuple(self.types),
            functions=tuple(self.functions),
            methods=tuple(self.methods),
            comments=tuple(self.comments),
            build_constraint=self.build_constraint or "",
            problems=problems,
            content=SourceLines(self.source),
        )

    def _imports(self, node: Node) -> None:
        for spec in descendants_of_type(node, "import_spec"):
            path = string_value(self, spec.child_by_field_name("path"))
            name = spec.child_by_field_name("name")
            alias = self.text(name) if name is not None else ""
            if alias == ".":
                self.dot_imports.append(path)
            elif alias != "_":
                self.imports[alias or package_name(path)] = path

    def _import_list(self, root: Node) -> tuple[GoImport, ...]:
        found = []
        for decl in root.named_children:
            if decl.type != "import_declaration":
                continue
            for spec in descendants_of_type(decl, "import_spec"):
                name = spec.child_by_field_name("name")
                found.append(GoImport(
                    string_value(self, spec.child_by_field_name("path")),
                    self.text(name) if name is not None else "",
                    self.loc(spec),
                ))
        return tuple(found)

    def _comments(self, root: Node) -> Iterator[GoComment]:
        for node in _nodes_of_type(root, "comment"):
            row, byte_column = node.start_point
            column = self.column(node.start_byte - byte_column, byte_column)
            yield GoComment(row + 1, column, self.text(node, 10_000))

    def _build_constraint(self, root: Node) -> str | None:
        """The first `//go:build` line before the package clause; None when this piece has
        neither (a later piece may)."""
        for node in root.children:
            if node.type == "package_clause":
                return ""
            if node.type == "comment":
                body = self.text(node, 10_000)
                if body.startswith("//go:build "):
                    return body.removeprefix("//go:build ").strip()
        return None

    def _syntax_errors(self, root: Node) -> Iterator[Problem]:
        if not root.has_error:
            return
        count = 0
        for node in walk(root):
            if count >= _MAX_PROBLEMS:
                return
            if node.is_error or node.is_missing:
                count += 1
                what = f"missing {node.type!r}" if node.is_missing else f"unexpected {self.text(node, 30)!r}"
                yield Problem(self.loc(node), f"Go syntax error: {what}; the rest of the file is still read")

    # declarations

    def _values(self, node: Node) -> Iterator[GoValue]:
        kind = "var" if node.type == "var_declaration" else "const"
        for spec in descendants_of_type(node, f"{kind}_spec", stop=("func_literal", "block")):
            type_node = spec.child_by_field_name("type")
            declared = self.type(type_node) if type_node is not None else None
            names = [c for c in spec.children_by_field_name("name")]
            value_list = spec.child_by_field_name("value")
            inits = list(value_list.named_children) if value_list is not None else []
            for index, ident in enumerate(names):
                init = self.expr(inits[index]) if index < len(inits) and len(inits) == len(names) else None
                yield GoValue(self.text(ident), kind, declared, init, self.span(ident), self.path)

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
                span=self.span(name),
                generic=spec.child_by_field_name("type_parameters") is not None,
                embedded=tuple(self._embedded(rhs)),
                path=self.path,
            )

    def _embedded(self, node: Node) -> Iterator[GoType]:
        if node.type != "struct_type":
            return
        for decl in descendants_of_type(node, "field_declaration", stop=("struct_type",)):
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
            span=self.span(name or node),
            params=tuple(params),
            results=results,
            variadic=variadic,
            receiver=receiver,
            calls=calls,
            generic=node.child_by_field_name("type_parameters") is not None,
            path=self.path,
            statements=statement_count(body),
        )

    def _receiver(self, node: Node | None) -> GoReceiver | None:
        if node is None:
            return None
        decl = first_named(node, "parameter_declaration")
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
        for node in _nodes_of_type(body, "call_expression"):
            callee = node.child_by_field_name("function")
            if callee is None or callee.type != "identifier" or self.text(callee) not in names:
                continue
            args = node.child_by_field_name("arguments")
            exprs = tuple(self.expr(a) for a in args.named_children) if args is not None else ()
            yield GoCall(self.text(callee), exprs, self.loc(node))

