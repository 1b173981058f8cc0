"""KrakenD's plugin contracts as data.

Per plugin type: the symbol the loader looks up, the method its interface assertion needs (as a
normalised ``GoType`` that must be identical), the DEBUG line KrakenD logs when the assertion
fails, the optional methods it calls and from which CE release, and the gateway-config
namespaces (short v2 names and the long v1 names both spellings of v2 still accept).

Facts: lura ``transport/http/server/plugin``, ``transport/http/client/plugin``,
``proxy/plugin`` (signatures unchanged v1.0.0 … v2.14.1), krakend-ce ``plugin.go`` and
``cmd/krakend-ce/main.go`` (aliases), EE middleware from the enterprise docs and examples.
"""

from __future__ import annotations

from dataclasses import dataclass

from linter.inputs.gosource import (
    EMPTY_INTERFACE,
    GoType,
    basic,
    func,
    go_map,
    named,
)
from linter.krakend.releases import version_key

# The Go types the contracts are made of.
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

def contract(plugin_type: str) -> PluginContract | None:
    return next((c for c in CONTRACTS if c.type == plugin_type), None)


def contract_for_symbol(symbol: str) -> PluginContract | None:
    return next((c for c in CONTRACTS if c.symbol == symbol), None)


def namespace(key: str) -> Namespace | None:
    return next((ns for ns in NAMESPACES if ns.key == key), None)


def at_least(version: str, minimum: str) -> bool | None:
    """Whether ``version`` >= ``minimum``; None when either is unknown."""
    have, want = version_key(version), version_key(minimum)
    if not have or not want:
        return None
    return have >= want
