"""The names a registerer registers, evaluated statically where the code allows it, and the
edit distance used to spot a misspelt one."""

from __future__ import annotations

from dataclasses import dataclass

from linter.inputs.gosource import (
    GoCall,
    GoExpr,
    GoFunc,
    GoModule,
    GoPackage,
    GoValue,
    Member,
    named,
)
from linter.krakend.contracts.definitions import STRING, PluginContract
from linter.model import Location


@dataclass(frozen=True)
class Registration:
    """One call to the register callback: the name (None when not static) and, for modifiers,
    whether it applies to requests and responses (None when not static)."""

    name: str | None
    name_expr: GoExpr | None
    location: Location  # the call
    request: bool | None = None
    response: bool | None = None


def callback_calls(method: GoFunc) -> tuple[GoCall, ...]:
    if not method.params or not method.params[0].name:
        return ()
    return tuple(c for c in method.calls if c.callee == method.params[0].name)


def registration(module: GoModule, member: Member, symbol: GoValue, home: GoPackage, call: GoCall,
                  c: PluginContract) -> Registration:
    args = call.args
    binding = _Binding(member.method.receiver.name if member.method.receiver else "", symbol, home)
    name_expr = args[c.name_arg] if len(args) > c.name_arg else None
    name = string_value(module, member.package, name_expr, binding) if name_expr else None
    request = response = None
    if c.direction_args and len(args) > max(c.direction_args):
        request = bool_value(module, member.package, args[c.direction_args[0]])
        response = bool_value(module, member.package, args[c.direction_args[1]])
    return Registration(name, name_expr, call.location, request, response)


@dataclass(frozen=True)
class _Binding:
    """The method's receiver stands for the exported symbol's value."""

    receiver: str
    symbol: GoValue
    home: GoPackage


def string_value(module: GoModule, package: GoPackage, expr: GoExpr | None,
                 binding: _Binding | None = None, depth: int = 0) -> str | None:
    """The constant string ``expr`` evaluates to, or None when it is not known statically."""
    if expr is None or depth > 24:
        return None
    again = lambda e, p=package, b=binding: string_value(module, p, e, b, depth + 1)  # noqa: E731
    if expr.kind == "string":
        return expr.value
    if expr.kind == "binary" and expr.value == "+" and len(expr.args) == 2:
        left, right = again(expr.args[0]), again(expr.args[1])
        return left + right if left is not None and right is not None else None
    if expr.kind == "deref" and expr.args:
        return again(expr.args[0])
    if expr.kind == "call" and len(expr.args) == 1 and _is_string_conversion(module, package, expr):
        return again(expr.args[0])
    if expr.kind == "identifier":
        if binding is not None and expr.value == binding.receiver and binding.receiver:
            return _symbol_string(module, binding, depth)
        found = package.value(expr.value)
        if found is None or found.init is None:
            return None
        return string_value(module, package, found.init, None, depth + 1)
    if expr.kind == "selector" and expr.args:
        return _selector_string(module, package, expr, binding, depth)
    return None


def _selector_string(module: GoModule, package: GoPackage, expr: GoExpr, binding: _Binding | None,
                     depth: int) -> str | None:
    if expr.package:
        found = module.value(expr.value, package, expr.package)
        if found is None or found[1].init is None:
            return None
        return string_value(module, found[0], found[1].init, None, depth + 1)
    operand = expr.args[0]
    if binding is not None and operand.kind == "identifier" and operand.value == binding.receiver:
        init = _unwrap_address(binding.symbol.init)
        if init is not None and init.kind == "composite":
            for key, value in init.fields:
                if key == expr.value:
                    return string_value(module, binding.home, value, None, depth + 1)
    return None


def _symbol_string(module: GoModule, binding: _Binding, depth: int) -> str | None:
    init = binding.symbol.init
    if init is None:
        return "" if binding.symbol.type is not None else None  # the zero value of a string type
    pointed = _unwrap_address(init)
    if pointed is not init and pointed is not None and pointed.kind == "identifier":
        other = binding.home.value(pointed.value)  # `= &v`: the receiver is v
        if other is not None:
            return _symbol_string(module, _Binding(binding.receiver, other, binding.home), depth + 1)
    return string_value(module, binding.home, pointed, None, depth + 1)


def _unwrap_address(expr: GoExpr | None) -> GoExpr | None:
    if expr is not None and expr.kind == "address" and expr.args:
        return expr.args[0]
    return expr


def _is_string_conversion(module: GoModule, package: GoPackage, expr: GoExpr) -> bool:
    callee = expr.callee
    if callee is None:
        return expr.type is not None and module.underlying(expr.type, package) == STRING
    if callee.kind == "identifier":
        if callee.value == "string":
            return True
        decl = package.type_decl(callee.value)
        return decl is not None and module.underlying(named(callee.value), package) == STRING
    if callee.kind == "selector" and callee.package:
        return module.underlying(named(callee.value, callee.package), package) == STRING
    return False


def bool_value(module: GoModule, package: GoPackage, expr: GoExpr, depth: int = 0) -> bool | None:
    if depth > 24:
        return None
    if expr.kind == "bool":
        return expr.value == "true"
    if expr.kind == "unary" and expr.value == "!" and expr.args:
        inner = bool_value(module, package, expr.args[0], depth + 1)
        return None if inner is None else not inner
    if expr.kind == "identifier":
        found = package.value(expr.value)
        if found is not None and found.kind == "const" and found.init is not None:
            return bool_value(module, package, found.init, depth + 1)
    return None


def levenshtein(a: str, b: str) -> int:
    """Edit distance with adjacent transpositions (optimal string alignment)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]
