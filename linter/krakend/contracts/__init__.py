"""KrakenD's plugin contracts as data, and how KrakenD's loaders see a plugin's source.

Per plugin type: the symbol the loader looks up, the method its interface assertion needs (as a
normalised ``GoType`` that must be identical), the DEBUG line KrakenD logs when the assertion
fails, the optional methods it calls and from which CE release, and the gateway-config
namespaces (short v2 names and the long v1 names both spellings of v2 still accept).

``analyse_package`` applies the contracts to one Go package the way the loader would: find each
exported registerer symbol, the type of the variable, whether ``*T``'s method set has the
required method with an identical signature, and which names the method registers.

Facts: lura ``transport/http/server/plugin``, ``transport/http/client/plugin``,
``proxy/plugin`` (signatures unchanged v1.0.0 … v2.14.1), krakend-ce ``plugin.go`` and
``cmd/krakend-ce/main.go`` (aliases), EE middleware from the enterprise docs and examples.
This module is longer than 300 lines because the data and the loader's view of it belong together.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from linter.inputs.gateway_config import ConfigNode, GatewayConfig
from linter.inputs.gosource import (
    EMPTY_INTERFACE,
    GoCall,
    GoExpr,
    GoFile,
    GoFunc,
    GoModule,
    GoPackage,
    GoType,
    GoValue,
    Member,
    basic,
    build_module,
    func,
    go_map,
    is_built,
    named,
    pointer,
)
from linter.inputs.workspace import PluginRoot, Workspace
from linter.model import Location

# --- the Go types the contracts are made of ---------------------------------------------------

CONTEXT = named("Context", "context")
HANDLER = named("Handler", "net/http")
ERROR = basic("error")
STRING = basic("string")
BOOL = basic("bool")
EXTRA = go_map(STRING, EMPTY_INTERFACE)  # map[string]interface{}

SERVER_FACTORY = func((CONTEXT, EXTRA, HANDLER), (HANDLER, ERROR))
CLIENT_FACTORY = func((CONTEXT, EXTRA), (HANDLER, ERROR))
MODIFIER = func((EMPTY_INTERFACE,), (EMPTY_INTERFACE, ERROR))
MODIFIER_FACTORY = func((EXTRA,), (MODIFIER,))
PROXY = func((CONTEXT, EMPTY_INTERFACE), (EMPTY_INTERFACE, ERROR))
MIDDLEWARE_FACTORY = func((EXTRA, PROXY), (PROXY,))

# What the loader's interface assertion outcome will be; the oracle compares against these.
OUTCOME_BUILD_FAILS = "build-fails"  # `go build -buildmode=plugin` refuses the package
OUTCOME_NOT_FOUND = "symbol-not-found"  # plugin.Lookup fails
OUTCOME_UNKNOWN_TYPE = "unknown-type"  # the symbol fails the Registerer assertion
OUTCOME_NOT_CALLED = "optional-not-called"  # loads, but an optional method is never called
OUTCOME_NAME_SHADOWED = "response-modifier-unused"  # loads, one registration is never used
OUTCOME_NOT_LOADED = "not-loaded"  # the loader for it does not exist in the target
OUTCOME_LOADS = "loads"
# ...and what KrakenD does with the gateway config (for config-driven oracle runs).
OUTCOME_CONFIG_REFUSED = "config-refused"  # KrakenD stops at start-up
OUTCOME_NO_PLUGIN_FILES = "no-plugin-files"  # the loader opens no .so (no section, wrong pattern or folder)
OUTCOME_NAMESPACE_IGNORED = "namespace-ignored"  # the namespace is never read
OUTCOME_NAME_MISSING = "name-not-found"  # the configured name is not in that loader's registry


@dataclass(frozen=True)
class OptionalMethod:
    """A method the loader calls when the symbol also implements it (silently skipped if not)."""

    name: str
    signature: GoType
    since_ce: str  # first CE release whose loader calls it
    purpose: str


@dataclass(frozen=True)
class Namespace:
    """An ``extra_config`` key that injects plugins of one type."""

    key: str
    plugin_type: str
    long: bool  # the historical long name (the only one KrakenD 1.x reads)
    levels: frozenset[str]  # "service", "endpoint", "backend"
    name_type: str  # "string", "list", "string-or-list" (what the code accepts)


@dataclass(frozen=True)
class PluginContract:
    type: str  # "http-server", "http-client", "req-resp-modifier", "middleware"
    title: str
    symbol: str
    method: str
    callback: GoType  # the one parameter of the required method
    loader_error: str  # the assertion failure KrakenD logs at DEBUG ("" when not public)
    optional: tuple[OptionalMethod, ...]
    namespaces: tuple[Namespace, ...]
    enterprise: bool = False
    since_ce: str = "1.0.0"
    name_arg: int = 0  # which callback argument is the registered name
    direction_args: tuple[int, int] | None = None  # (appliesToRequest, appliesToResponse)

    @property
    def signature(self) -> GoType:
        """The required method's type: ``func(<callback>)``."""
        return func((self.callback,))

    @property
    def namespace(self) -> Namespace:
        """The v2 short name."""
        return self.namespaces[0]

    @property
    def long_namespace(self) -> Namespace | None:
        return next((ns for ns in self.namespaces if ns.long), None)

    def go_declaration(self) -> str:
        """The method as a user writes it, with a receiver placeholder."""
        return f"func (r registerer) {self.method}{self.signature.render().removeprefix('func')}"


def symbol_not_found(symbol: str, plugin_path: str = "<plugin package path>") -> str:
    """Go's plugin.Lookup error for a missing symbol."""
    return f"plugin: symbol {symbol} not found in plugin {plugin_path}"


def debug_log(error: str, so_path: str = "/opt/krakend/plugins/<name>.so", index: int = 0) -> str:
    """How KrakenD 2.x prints a loader error at DEBUG level (one line per failed plugin)."""
    return f"plugin #{index} ({so_path}): {error}"


# How Go's plugin loader refuses a plugin built by another Go release. The loader walks the
# plugin's own list of linked packages (so the name is the plugin's Go's package name) and stops at
# the first whose link hash differs from the host's. Measured with real builds (a host that only
# calls plugin.Open, a plugin with one exported variable): 1.23.9 and 1.24.x either way ->
# "internal/goarch"; 1.24.3 and 1.24.11 either way -> "internal/godebugs" (a patch release names
# whichever package it changed first); a 1.22 side with a 1.23/1.24 side -> the host dies with
# "fatal error: runtime: no plugin module data". Before Go 1.23 the package users report is
# "runtime/internal/sys" (it used to hold the Go version as a constant); from Go 1.24 that package
# no longer exists (it moved to internal/runtime/sys), so it cannot be named.
_NO_MODULE_DATA_FROM = (1, 23)
GO_NO_MODULE_DATA = "fatal error: runtime: no plugin module data"


def _go_key(version: str) -> tuple[int, ...]:
    parts = version.strip().removeprefix("go").split(".")
    return tuple(int(part) for part in parts if part.isdigit())


def go_mismatch_failure(plugin_go: str, host_go: str) -> str:
    """What a KrakenD built with Go ``host_go`` says about a plugin built with Go ``plugin_go``."""
    plugin, host = _go_key(plugin_go)[:2], _go_key(host_go)[:2]
    if len(plugin) == 2 and len(host) == 2 and min(plugin, host) < _NO_MODULE_DATA_FROM <= max(plugin, host):
        return GO_NO_MODULE_DATA
    if len(plugin) == 2 and plugin < _NO_MODULE_DATA_FROM:
        package = "runtime/internal/sys"
    elif len(plugin) == 2 and len(host) == 2 and plugin != host:
        package = "internal/goarch"
    else:
        package = "..."  # the first standard-library package the two patch releases compile differently
    return f"plugin was built with a different version of package {package}"


def go_mismatch_effect(plugin_go: str, host_go: str) -> str:
    """``go_mismatch_failure`` as a clause for a hint."""
    failure = go_mismatch_failure(plugin_go, host_go)
    if failure == GO_NO_MODULE_DATA:
        return f"KrakenD dies at start-up with `{failure}`"
    return f"KrakenD refuses the plugin with `{failure}`"


# What lura logs when the config names a plugin nobody registered (lura's HTTP server and client
# plugin loaders, read at every tag): lura 1.x prefixed the loader and wrote "no plugin resgistered
# as" (sic) for both; lura 2.x writes "No plugin registered as" for clients, and for servers kept the
# typo up to v2.7.0 (fixed in v2.7.1, commit 0975ec0) and moved from DEBUG to ERROR in v2.5.0
# (commit 75907fb). Modifiers log nothing.
_SERVER_SPELLING_FIXED = (2, 7, 1)
_SERVER_ERROR_FROM = (2, 5, 0)
_V1_PREFIX = {"http-server": "http-server-handler: ", "http-client": "http-request-executor: "}


def _lura_key(lura_version: str) -> tuple[int, ...]:
    """(2, 7, 0) for "v2.7.0" or a pseudo-version "v2.7.1-0.2024..."; () when unknown."""
    core = lura_version.strip().removeprefix("v").split("-")[0].split("+")[0]
    parts = core.split(".")
    return tuple(int(part) for part in parts) if len(parts) == 3 and all(p.isdigit() for p in parts) else ()


def missing_name_log(kind: str, name: str, lura_version: str = "") -> tuple[str, str]:
    """(level, text) that lura ``lura_version`` logs for a ``kind`` plugin name nobody registered;
    the newest wording when the version is unknown, ("", "") for types that log nothing."""
    if kind not in _V1_PREFIX:
        return "", ""
    key = _lura_key(lura_version) or (99, 0, 0)
    if key < (2, 0, 0):
        return "DEBUG", f"{_V1_PREFIX[kind]}no plugin resgistered as {name}"
    if kind == "http-client":
        return "DEBUG", f"No plugin registered as {name}"
    spelling = "registered" if key >= _SERVER_SPELLING_FIXED else "resgistered"
    return ("ERROR" if key >= _SERVER_ERROR_FROM else "DEBUG"), f"No plugin {spelling} as {name}"


_LOGGER = OptionalMethod("RegisterLogger", func((EMPTY_INTERFACE,)), "2.0.0", "receives KrakenD's logger")
_CONTEXT = OptionalMethod("RegisterContext", func((CONTEXT,)), "2.6.0", "receives the service context")
_ENDPOINT_BACKEND = frozenset({"endpoint", "backend"})

SERVER = PluginContract(
    type="http-server",
    title="HTTP server plugin (handler)",
    symbol="HandlerRegisterer",
    method="RegisterHandlers",
    callback=func((STRING, SERVER_FACTORY)),
    loader_error="http-server-handler plugin loader: unknown type",
    optional=(_LOGGER,),
    namespaces=(
        Namespace("plugin/http-server", "http-server", False, frozenset({"service"}), "string-or-list"),
        Namespace("github_com/devopsfaith/krakend/transport/http/server/handler", "http-server", True,
                  frozenset({"service"}), "string-or-list"),
    ),
)
CLIENT = PluginContract(
    type="http-client",
    title="HTTP client plugin (executor)",
    symbol="ClientRegisterer",
    method="RegisterClients",
    callback=func((STRING, CLIENT_FACTORY)),
    loader_error="http-request-executor plugin loader: unknown type",
    optional=(_LOGGER,),
    namespaces=(
        Namespace("plugin/http-client", "http-client", False, frozenset({"backend"}), "string"),
        Namespace("github.com/devopsfaith/krakend/transport/http/client/executor", "http-client", True,
                  frozenset({"backend"}), "string"),
    ),
)
MODIFIER_PLUGIN = PluginContract(
    type="req-resp-modifier",
    title="request/response modifier plugin",
    symbol="ModifierRegisterer",
    method="RegisterModifiers",
    callback=func((STRING, MODIFIER_FACTORY, BOOL, BOOL)),
    loader_error="modifier plugin loader: unknown type",
    optional=(_LOGGER, _CONTEXT),
    namespaces=(
        Namespace("plugin/req-resp-modifier", "req-resp-modifier", False, _ENDPOINT_BACKEND, "list"),
        Namespace("github.com/devopsfaith/krakend/proxy/plugin", "req-resp-modifier", True,
                  _ENDPOINT_BACKEND, "list"),
    ),
    since_ce="2.0.0",
    direction_args=(2, 3),
)
MIDDLEWARE = PluginContract(
    type="middleware",
    title="middleware plugin (Enterprise)",
    symbol="MiddlewareRegisterer",
    method="RegisterMiddlewares",
    callback=func((STRING, MIDDLEWARE_FACTORY)),
    loader_error="",
    optional=(_LOGGER, OptionalMethod("RegisterContext", func((CONTEXT,)), "", "receives the service context")),
    namespaces=(Namespace("plugin/middleware", "middleware", False, _ENDPOINT_BACKEND, "list"),),
    enterprise=True,
    since_ce="",
)

CONTRACTS: tuple[PluginContract, ...] = (SERVER, CLIENT, MODIFIER_PLUGIN, MIDDLEWARE)
SYMBOLS = tuple(c.symbol for c in CONTRACTS)
NAMESPACES: tuple[Namespace, ...] = tuple(ns for c in CONTRACTS for ns in c.namespaces)

# Long names written with the other separator (`github.com` vs `github_com`): KrakenD looks the
# exact key up, so these are ignored.
MISSPELLED_NAMESPACES: dict[str, Namespace] = {
    ns.key.replace("github_com/", "github.com/", 1)
    if ns.key.startswith("github_com/") else ns.key.replace("github.com/", "github_com/", 1): ns
    for ns in NAMESPACES if ns.long
}

# Gateway config `version` per KrakenD major (lura ConfigVersion).
CONFIG_VERSION = {1: 2, 2: 3}

# The plugin loader folder/pattern object at the service root.
PLUGIN_SECTION_KEYS = ("folder", "pattern")


def contract(plugin_type: str) -> PluginContract | None:
    return next((c for c in CONTRACTS if c.type == plugin_type), None)


def contract_for_symbol(symbol: str) -> PluginContract | None:
    return next((c for c in CONTRACTS if c.symbol == symbol), None)


def namespace(key: str) -> Namespace | None:
    return next((ns for ns in NAMESPACES if ns.key == key), None)


def version_key(version: str) -> tuple[int, ...]:
    text = version.strip().removeprefix("v")
    parts = text.split(".")
    return tuple(int(p) for p in parts) if text and all(p.isdigit() for p in parts) else ()


def at_least(version: str, minimum: str) -> bool | None:
    """Whether ``version`` >= ``minimum``; None when either is unknown."""
    have, want = version_key(version), version_key(minimum)
    if not have or not want:
        return None
    return have >= want


# --- the loader's view of a package -----------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    """One call to the register callback: the name (None when not static) and, for modifiers,
    whether it applies to requests and responses (None when not static)."""

    name: str | None
    name_expr: GoExpr | None
    location: Location  # the call
    request: bool | None = None
    response: bool | None = None


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

    @property
    def loader_outcome(self) -> str:
        if self.package.name != "main":
            return OUTCOME_BUILD_FAILS
        if self.contract.enterprise:
            return OUTCOME_NOT_LOADED
        if self.decl_kind in ("const", "type"):
            return OUTCOME_NOT_FOUND
        if self.value_kind in ("pointer", "interface", "func"):
            return OUTCOME_UNKNOWN_TYPE
        if self.value_kind == "value" and not self.identical:
            return OUTCOME_UNKNOWN_TYPE
        return OUTCOME_LOADS


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
        calls = _callback_calls(registering.method)
        called = bool(calls)
        registrations = tuple(_registration(module, registering, value, package, call, c) for call in calls)
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


# --- registered names -------------------------------------------------------------------------


def _callback_calls(method: GoFunc) -> tuple[GoCall, ...]:
    if not method.params or not method.params[0].name:
        return ()
    return tuple(c for c in method.calls if c.callee == method.params[0].name)


def _registration(module: GoModule, member: Member, symbol: GoValue, home: GoPackage, call: GoCall,
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


# --- which packages are plugins ---------------------------------------------------------------


def is_plugin_candidate(package: GoPackage) -> bool:
    """A package that is, or tries to be, a KrakenD plugin: it declares a contract symbol, or it
    is `package main` written like a plugin (no `func main`, an empty one, or a Register method)."""
    if any(package.value(s) or package.function(s) or package.type_decl(s) for s in SYMBOLS):
        return True
    if package.name != "main":
        return False
    main = package.function("main")
    if main is None or main.statements <= 0:
        return True
    required = {c.method for c in CONTRACTS}
    return any(m.name in required for m in package.methods)


def plugin_packages(module: GoModule) -> Iterator[GoPackage]:
    for package in module.packages:
        if is_plugin_candidate(package):
            yield package


# --- a workspace as the loaders and the gateway config see it ----------------------------------


@dataclass(frozen=True)
class PluginSource:
    """One plugin package of a plugin root, with its registerer symbols analysed."""

    plugin: PluginRoot
    module: GoModule
    package: GoPackage
    registerers: tuple[Registerer, ...]

    def symbol_path(self) -> str:
        """What Go's plugin package calls the plugin in its errors (the package import path)."""
        return self.package.import_path or "<plugin package path>"


@dataclass(frozen=True)
class RegisteredName:
    name: str
    plugin_type: str
    registration: Registration
    source: PluginSource


@dataclass(frozen=True)
class SourceView:
    sources: tuple[PluginSource, ...]
    names: tuple[RegisteredName, ...]
    unknown_types: frozenset[str]  # plugin types with a registration whose name is not static


_VIEW: list[tuple[Workspace, SourceView]] = []


def source_view(ws: Workspace) -> SourceView:
    """Every plugin package of the workspace and the names it registers (computed once per run)."""
    if _VIEW and _VIEW[0][0] is ws:
        return _VIEW[0][1]
    sources: list[PluginSource] = []
    for plugin in ws.plugins:
        module = build_module(plugin.module, plugin.dir, plugin.sources)
        for package in plugin_packages(module):
            sources.append(PluginSource(plugin, module, package, analyse_package(module, package)))
    names: list[RegisteredName] = []
    unknown: set[str] = set()
    for source in sources:
        for reg in source.registerers:
            if (reg.method is not None and not reg.callback_called) or not reg.registrations:
                unknown.add(reg.contract.type)  # names not known: the config is not judged for this type
            for item in reg.registrations:
                if item.name is None:
                    unknown.add(reg.contract.type)
                else:
                    names.append(RegisteredName(item.name, reg.contract.type, item, source))
    view = SourceView(tuple(sources), tuple(names), frozenset(unknown))
    _VIEW[:] = [(ws, view)]
    return view


@dataclass(frozen=True)
class NamespaceUse:
    """A plugin namespace in an ``extra_config`` object of a gateway config."""

    config: GatewayConfig
    key: str
    namespace: Namespace  # for a misspelt long name, the namespace it was meant to be
    spelling: str  # "short", "long" or "misspelled"
    level: str  # "service", "endpoint" or "backend"
    where: str  # JSON pointer of the extra_config object
    key_location: Location
    value: ConfigNode

    @property
    def name_node(self) -> ConfigNode | None:
        return self.value.get("name") if self.value.kind == "object" else None

    def names(self) -> tuple[ConfigNode, ...]:
        """The string names configured (a string, or the strings of a list)."""
        node = self.name_node
        if node is None:
            return ()
        if node.kind == "string":
            return (node,)
        if node.kind == "array":
            return tuple(c for c in node.children if c.kind == "string")
        return ()


def extra_configs(config: GatewayConfig) -> Iterator[tuple[str, str, ConfigNode]]:
    """(level, JSON pointer, extra_config object) for the service, endpoints and backends
    (async agents' backends included)."""
    root = config.root
    if root is None or root.kind != "object":
        return
    service = root.get("extra_config")
    if service is not None and service.kind == "object":
        yield "service", "/extra_config", service
    for group, level in (("endpoints", "endpoint"), ("async_agent", "")):
        items = root.get(group)
        for item in items.children if items is not None and items.kind == "array" else ():
            base = f"/{group}/{item.key}"
            extra = item.get("extra_config")
            if level and extra is not None and extra.kind == "object":
                yield level, base + "/extra_config", extra
            backends = item.get("backend")
            for backend in backends.children if backends is not None and backends.kind == "array" else ():
                extra = backend.get("extra_config")
                if extra is not None and extra.kind == "object":
                    yield "backend", f"{base}/backend/{backend.key}/extra_config", extra


def namespace_uses(config: GatewayConfig) -> Iterator[NamespaceUse]:
    for level, where, extra in extra_configs(config):
        for child in extra.children:
            found = namespace(child.key)
            spelling = "long" if found is not None and found.long else "short"
            if found is None:
                found = MISSPELLED_NAMESPACES.get(child.key)
                spelling = "misspelled"
            if found is None or child.key_location is None:
                continue
            yield NamespaceUse(config, child.key, found, spelling, level, where, child.key_location, child)


def is_gateway_config(config: GatewayConfig) -> bool:
    """A whole KrakenD config (not a Flexible Configuration partial or settings file)."""
    root = config.root
    return root is not None and root.kind == "object" and any(
        root.get(k) is not None for k in ("version", "endpoints", "plugin")
    )


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


def plugin_types(sources: tuple[GoFile, ...]) -> tuple[str, ...]:
    """The plugin types a plugin root's sources declare a symbol for ("unknown" when none)."""
    declared = {d.name for f in sources if is_built(f) for d in f.declarations}
    found = tuple(c.type for c in CONTRACTS if c.symbol in declared)
    return found or ("unknown",)


def display(t: GoType | None, package: GoPackage) -> str:
    """Go syntax for messages: the package's own types unqualified, others as `pkg.Name`."""
    if t is None:
        return "?"
    return _localise(t, package.import_path).render() if package.import_path else t.render()


def _localise(t: GoType, import_path: str) -> GoType:
    if t.kind in ("named", "generic") and t.package == import_path:
        t = replace(t, package="")
    if not (t.elems or t.results or t.methods):
        return t
    return replace(
        t,
        elems=tuple(_localise(e, import_path) for e in t.elems),
        results=tuple(_localise(r, import_path) for r in t.results),
        methods=tuple((n, _localise(s, import_path)) for n, s in t.methods),
    )
