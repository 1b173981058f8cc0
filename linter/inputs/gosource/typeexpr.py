"""Type and expression syntax to ``GoType`` and ``GoExpr``."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from tree_sitter import Node

from linter.inputs.gosource.document import GoExpr, GoParam
from linter.inputs.gosource.syntax import Positions, chan_direction, string_value
from linter.inputs.gosource.typemodel import EMPTY_INTERFACE, GoType, basic, func, go_map, named, pointer
from linter.model import Location

_BASIC = frozenset({
    "bool", "complex64", "complex128", "error", "float32", "float64", "int", "int8", "int16", "int32",
    "int64", "string", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "comparable",
})
_BASIC_ALIASES = {"byte": "uint8", "rune": "int32"}
# Literal syntax -> GoExpr.kind; "int", "float", "rune" and "imaginary" are untyped numeric constants.
_LITERAL_KINDS = {"int_literal": "int", "float_literal": "float", "rune_literal": "rune",
                  "imaginary_literal": "imaginary", "nil": "nil", "iota": "iota"}
# Names a dot import of these packages brings in that matter for plugin signatures.
_KNOWN_EXPORTS = {
    "context": frozenset({"Context", "CancelFunc"}),
    "net/http": frozenset({"Handler", "HandlerFunc", "Request", "ResponseWriter", "Client", "Header"}),
}
_T = TypeVar("_T")
_MAX_NESTING = 100  # types and expressions nested deeper than this are kept as source text


@dataclass
class Syntax(Positions):
    """Positions plus the file's imports, which qualify the types it names."""

    imports: dict[str, str] = field(default_factory=dict)  # name -> import path
    dot_imports: list[str] = field(default_factory=list)
    depth: int = 0  # nesting of type()/expr() calls: deeper input is summarised, never recursed into
    # One object per distinct type (and tuple of types): a file names the same few types many times.
    shared: dict[Any, Any] = field(default_factory=dict)

    def share(self, value: _T) -> _T:
        return cast("_T", self.shared.setdefault(value, value))

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
                params.append(GoParam(sys.intern(self.text(ident)), ptype, self.span(ident or decl), self.path))
        return params, variadic

    def results(self, node: Node | None) -> tuple[GoType, ...]:
        if node is None:
            return ()
        if node.type == "parameter_list":
            return self.share(tuple(p.type for p in self.params(node)[0]))
        return self.share((self.type(node),))

    def type(self, node: Node) -> GoType:
        if self.depth > _MAX_NESTING:
            return GoType("unknown", self.text(node))
        self.depth += 1
        try:
            return self.share(self._type(node))
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
            return GoType("chan", chan_direction(node), elems=(self._field_type(node, "value"),))
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
            return GoExpr("string", text, loc, string_value(self, node))
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


