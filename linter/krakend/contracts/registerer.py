"""The loader's view of one Go package: ``analyse_package`` finds each exported registerer
symbol, the type of the variable, whether ``*T``'s method set has the required method with an
identical signature, and which names the method registers."""

from __future__ import annotations

from dataclasses import dataclass

from linter.inputs.gosource import (
    GoExpr,
    GoFunc,
    GoModule,
    GoPackage,
    GoType,
    GoValue,
    Member,
    basic,
    named,
    pointer,
)
from linter.krakend.contracts.definitions import (
    BOOL,
    CONTRACTS,
    STRING,
    PluginContract,
)
from linter.krakend.contracts.names import Registration, callback_calls, registration
from linter.model import Location


@dataclass(frozen=True)
class Registerer:
    """An exported registerer symbol of a package, as the loader will see it.

    ``value_kind``: "value" (a variable of a non-interface type: the loader gets ``*T``),
    "pointer" (``*T`` variable: the loader gets ``**T``), "interface" (interface-typed variable),
    "func" (a function or func-typed variable), "const", "type", "unknown" (type not known
    statically, e.g. from another module).
    """

    contract: PluginContract
    package: GoPackage
    location: Location  # the symbol's name where it is declared
    declaration: GoValue | GoFunc | None
    decl_kind: str  # "var", "const", "func", "type"
    value_type: GoType | None
    value_kind: str
    method: Member | None  # the method with the required name in the method set, if any
    identical: bool  # the method's signature is identical to the contract's
    members: tuple[Member, ...]
    registrations: tuple[Registration, ...]
    callback_called: bool  # the method calls its callback parameter directly


def analyse_package(module: GoModule, package: GoPackage) -> tuple[Registerer, ...]:
    """Every contract symbol declared at package level in ``package``."""
    return tuple(r for c in CONTRACTS if (r := _registerer(module, package, c)) is not None)


def _registerer(module: GoModule, package: GoPackage, c: PluginContract) -> Registerer | None:
    value = package.value(c.symbol)
    if value is not None:
        return _from_value(module, package, c, value)
    function = package.function(c.symbol)
    if function is not None:
        return Registerer(c, package, function.location, function, "func", function.signature, "func", None, False,
                          (), (), False)
    decl = package.type_decl(c.symbol)
    if decl is not None:
        return Registerer(c, package, decl.location, None, "type", None, "unknown", None, False, (), (), False)
    return None


def _from_value(module: GoModule, package: GoPackage, c: PluginContract, value: GoValue) -> Registerer:
    if value.kind == "const":
        return Registerer(c, package, value.location, value, "const", None, "unknown", None, False, (), (), False)
    vtype = value_type(module, package, value)
    kind = _value_kind(module, package, vtype)
    # A pointer variable fails the assertion, but what it would register still names the plugin.
    target = vtype.elems[0] if vtype is not None and kind == "pointer" else vtype
    found = module.method_set(target, package) if target is not None and kind in ("value", "pointer") else ()
    # A pointer variable's pointee still has its methods checked: fixing the pointer alone must not
    # reveal a second, wrong signature only on the next run.
    members = found if kind in ("value", "pointer") else ()
    method = next((m for m in members if m.method.name == c.method), None)
    identical = method is not None and signature_identical(module, method, c.signature)
    registering = next((m for m in found if m.method.name == c.method), None)
    registrations: tuple[Registration, ...] = ()
    called = False
    if registering is not None:
        calls = callback_calls(registering.method)
        called = bool(calls)
        registrations = tuple(registration(module, registering, value, package, call, c) for call in calls)
    return Registerer(c, package, value.location, value, "var", vtype, kind, method, identical, members, registrations,
                      called)


def signature_identical(module: GoModule, member: Member, wanted: GoType) -> bool:
    """Go type identity of the method's type and ``wanted``: aliases (``any``, ``type X = ...``)
    expanded, parameter names ignored, named types never equal to their underlying type."""
    return module.expand(member.method.signature, member.package) == wanted


def value_type(module: GoModule, package: GoPackage, value: GoValue, depth: int = 0) -> GoType | None:
    """The static type of a package-level variable (declared, or from its initializer)."""
    if value.type is not None:
        return module.expand(value.type, package)
    if value.init is None or depth > 16:
        return None
    found = expr_type(module, package, value.init, depth)
    return module.expand(found, package) if found is not None else None


def expr_type(module: GoModule, package: GoPackage, expr: GoExpr, depth: int = 0) -> GoType | None:
    """The static type of an initializer, for the shapes registerers are written in."""
    if expr.kind == "composite" and expr.type is not None:
        return expr.type
    if expr.kind == "new" and expr.type is not None:
        return pointer(expr.type)
    if expr.kind == "address" and expr.args:
        inner = expr_type(module, package, expr.args[0], depth + 1)
        return pointer(inner) if inner is not None else None
    if expr.kind == "func_literal":
        return expr.type
    constant = _constant_kind(expr)
    if constant is not None:
        return _DEFAULT_TYPES[constant]
    if expr.kind == "identifier":
        return _identifier_type(module, package, expr.value, depth)
    if expr.kind == "call":
        return _call_type(module, package, expr, depth)
    if expr.kind == "selector" and expr.package:
        found = module.value(expr.value, package, expr.package)
        return value_type(module, found[0], found[1], depth + 1) if found else None
    return None


# An untyped constant gives a variable its default type; numeric kinds rank int < rune < float < imaginary.
_NUMERIC_RANK = ("int", "rune", "float", "imaginary")
_DEFAULT_TYPES = {"int": basic("int"), "rune": basic("int32"), "float": basic("float64"),
                  "imaginary": basic("complex128"), "string": STRING, "bool": BOOL}
_COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})


def _constant_kind(expr: GoExpr, depth: int = 0) -> str | None:
    """The kind of an untyped constant written with literals (``42``, ``-1.5``, ``'x' + 1``,
    ``"a" + "b"``, ``!true``): a key of ``_DEFAULT_TYPES``; None for anything else."""
    if expr.kind in _DEFAULT_TYPES:
        return expr.kind
    if depth > 16 or expr.kind not in ("unary", "binary") or not expr.args:
        return None
    kinds = [_constant_kind(arg, depth + 1) for arg in expr.args]
    if None in kinds:
        return None
    if expr.kind == "unary":
        if expr.value == "!":
            return "bool" if kinds[0] == "bool" else None
        return kinds[0] if kinds[0] in _NUMERIC_RANK else None
    if len(kinds) != 2:
        return None
    left, right = kinds
    if expr.value in _COMPARISONS:
        return "bool"
    if expr.value in ("&&", "||"):
        return "bool" if left == right == "bool" else None
    if expr.value in ("<<", ">>"):
        return left if left in _NUMERIC_RANK else None
    if left == right == "string":
        return "string" if expr.value == "+" else None
    if left in _NUMERIC_RANK and right in _NUMERIC_RANK:
        return max(left, right, key=_NUMERIC_RANK.index)
    return None


def _identifier_type(module: GoModule, package: GoPackage, name: str, depth: int) -> GoType | None:
    other = package.value(name)
    if other is not None:
        return value_type(module, package, other, depth + 1)
    function = package.function(name)
    return function.signature if function is not None else None


def _call_type(module: GoModule, package: GoPackage, expr: GoExpr, depth: int) -> GoType | None:
    if expr.type is not None:  # (*T)(x), []byte(x)
        return expr.type
    callee = expr.callee
    if callee is None:
        return None
    if callee.kind == "identifier":
        name = callee.value
        if name in ("string", "bool"):
            return basic(name)
        if package.type_decl(name) is not None:
            return named(name)
        function = package.function(name)
        return function.results[0] if function is not None and len(function.results) == 1 else None
    if callee.kind == "selector" and callee.package:
        other = module.by_import(callee.package)
        if other is None:
            return None
        if other.type_decl(callee.value) is not None:
            return named(callee.value, callee.package)
        function = other.function(callee.value)
        if function is not None and len(function.results) == 1:
            return module.expand(function.results[0], other)
    return None


def _value_kind(module: GoModule, package: GoPackage, vtype: GoType | None) -> str:
    if vtype is None:
        return "unknown"
    if vtype.kind == "pointer":
        return "pointer"
    if vtype.kind == "func":
        return "func"
    if vtype.kind == "interface":
        return "interface"
    if vtype.kind in ("named", "generic"):
        if module.lookup_type(vtype, package) is None:
            return "unknown"  # declared in another module: its method set is not in this repo
        if module.underlying(vtype, package).kind == "interface":
            return "interface"
    return "value"
