"""``parse_go_file``: one Go file read with tree-sitter's Go grammar into a ``GoFile``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import tree_sitter_go
from tree_sitter import Language, Node, Parser

from linter.inputs.gosource.document import GoCall, GoComment, GoFile, GoFunc, GoImport, GoReceiver, GoTypeDecl, GoValue
from linter.inputs.gosource.syntax import descendants_of_type, first_named, statement_count, string_value, walk
from linter.inputs.gosource.typeexpr import Syntax
from linter.inputs.gosource.typemodel import GoType, package_name, pointer
from linter.inputs.limits import paused_gc
from linter.inputs.text import decode
from linter.model import Problem

_MAX_PROBLEMS = 20


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
class _Reader(Syntax):
    """Reads the top level of one file: package clause, imports, declarations, comments."""

    # top level

    def read(self, root: Node, problems: tuple[Problem, ...]) -> GoFile:
        package, package_loc = "", None
        for child in root.named_children:
            if child.type == "package_clause":
                ident = first_named(child, "package_identifier")
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
        for node in walk(root):
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
            location=self.loc(name or node),
            params=tuple(params),
            results=results,
            variadic=variadic,
            receiver=receiver,
            calls=calls,
            generic=node.child_by_field_name("type_parameters") is not None,
            line_location=self.loc(node),
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
        for node in walk(body):
            if node.type != "call_expression":
                continue
            callee = node.child_by_field_name("function")
            if callee is None or callee.type != "identifier" or self.text(callee) not in names:
                continue
            args = node.child_by_field_name("arguments")
            exprs = tuple(self.expr(a) for a in args.named_children) if args is not None else ()
            yield GoCall(self.text(callee), exprs, self.loc(node))

