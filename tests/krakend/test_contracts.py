"""KrakenD's plugin contracts as data, and the loader's view of a package."""

from __future__ import annotations

import textwrap

import pytest

from linter.inputs.gateway_config import parse_gateway_config
from linter.inputs.gosource import GoFile, build_module, parse_go_file
from linter.krakend.contracts.config import namespace_uses
from linter.krakend.contracts.definitions import (
    CLIENT,
    CONFIG_VERSION,
    CONTRACTS,
    MIDDLEWARE,
    MISSPELLED_NAMESPACES,
    MODIFIER_PLUGIN,
    SERVER,
    at_least,
    contract_for_symbol,
    namespace,
)
from linter.krakend.contracts.failures import debug_log, symbol_not_found
from linter.krakend.contracts.names import levenshtein
from linter.krakend.contracts.registerer import Registerer, analyse_package
from linter.krakend.contracts.source import plugin_types

SIGNATURES = {
    "HandlerRegisterer": "func(func(string, func(context.Context, map[string]interface{}, http.Handler) "
                         "(http.Handler, error)))",
    "ClientRegisterer": "func(func(string, func(context.Context, map[string]interface{}) (http.Handler, error)))",
    "ModifierRegisterer": "func(func(string, func(map[string]interface{}) func(interface{}) (interface{}, error), "
                          "bool, bool))",
    "MiddlewareRegisterer": "func(func(string, func(map[string]interface{}, func(context.Context, interface{}) "
                            "(interface{}, error)) func(context.Context, interface{}) (interface{}, error)))",
}


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.type)
def test_signatures_render_as_go(contract: object) -> None:
    from linter.krakend.contracts.definitions import PluginContract

    assert isinstance(contract, PluginContract)
    assert contract.signature.render() == SIGNATURES[contract.symbol]


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.type)
def test_signature_trees_equal_what_the_go_reader_builds_from_the_same_text(contract: object) -> None:
    from linter.krakend.contracts.definitions import PluginContract

    assert isinstance(contract, PluginContract)
    source = f'package main\nimport (\n"context"\n"net/http"\n)\nvar X {SIGNATURES[contract.symbol]}\n'
    parsed = parse_go_file(source.encode(), "x.go")
    assert parsed.values[0].type == contract.signature


def test_loader_facts() -> None:
    assert SERVER.loader_error == "http-server-handler plugin loader: unknown type"
    assert CLIENT.loader_error == "http-request-executor plugin loader: unknown type"
    assert MODIFIER_PLUGIN.loader_error == "modifier plugin loader: unknown type"
    assert MIDDLEWARE.enterprise and not MIDDLEWARE.loader_error
    assert symbol_not_found("HandlerRegisterer", "example.com/p") == (
        "plugin: symbol HandlerRegisterer not found in plugin example.com/p")
    assert debug_log("x", "/p/a.so", 2) == "plugin #2 (/p/a.so): x"
    assert contract_for_symbol("ClientRegisterer") is CLIENT
    assert MODIFIER_PLUGIN.direction_args == (2, 3)


def test_optional_methods_and_their_releases() -> None:
    assert [(o.name, o.since_ce) for o in SERVER.optional] == [("RegisterLogger", "2.0.0")]
    assert [(o.name, o.since_ce) for o in MODIFIER_PLUGIN.optional] == [("RegisterLogger", "2.0.0"),
                                                                        ("RegisterContext", "2.6.0")]
    assert MODIFIER_PLUGIN.optional[1].signature.render() == "func(context.Context)"
    assert SERVER.optional[0].signature.render() == "func(interface{})"


def test_namespaces() -> None:
    server = namespace("github_com/devopsfaith/krakend/transport/http/server/handler")
    assert server is not None and server.long and server.levels == {"service"}
    client = namespace("github.com/devopsfaith/krakend/transport/http/client/executor")
    assert client is not None and client.name_type == "string" and client.levels == {"backend"}
    modifier = namespace("github.com/devopsfaith/krakend/proxy/plugin")
    assert modifier is not None and modifier.name_type == "list" and modifier.levels == {"endpoint", "backend"}
    assert SERVER.namespace.key == "plugin/http-server" and SERVER.namespace.name_type == "string-or-list"
    assert MIDDLEWARE.long_namespace is None
    assert set(MISSPELLED_NAMESPACES) == {
        "github.com/devopsfaith/krakend/transport/http/server/handler",
        "github_com/devopsfaith/krakend/transport/http/client/executor",
        "github_com/devopsfaith/krakend/proxy/plugin",
    }
    assert CONFIG_VERSION == {1: 2, 2: 3}


def test_version_comparison() -> None:
    assert at_least("2.6.0", "2.6.0") is True
    assert at_least("v2.5.1", "2.6.0") is False
    assert at_least("", "2.6.0") is None


def test_levenshtein_counts_transpositions_once() -> None:
    assert levenshtein("HandlerRegisterer", "HandlerRegisterer") == 0
    assert levenshtein("HandlerRegister", "HandlerRegisterer") == 2
    assert levenshtein("HnadlerRegisterer", "HandlerRegisterer") == 1


def module(files: dict[str, str]) -> tuple[GoFile, ...]:
    return tuple(parse_go_file(textwrap.dedent(text).lstrip("\n").encode(), name) for name, text in files.items())


IMPORTS = 'package main\nimport (\n    "context"\n    "net/http"\n)\ntype registerer string\n'
RIGHT = ("func (r *registerer) RegisterHandlers(f func(string, func(context.Context, map[string]any, "
         "http.Handler) (http.Handler, error))) { f(string(*r), nil) }\n")


def analyse(source: str) -> Registerer:
    files = module({"main.go": IMPORTS + source})
    mod = build_module("example.com/p", ".", files)
    found = analyse_package(mod, mod.packages[0])
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize(("declaration", "kind"), [
    ('var HandlerRegisterer = registerer("x")\n', "value"),
    ("var HandlerRegisterer registerer\n", "value"),
    ('var HandlerRegisterer = &r0\nvar r0 = registerer("x")\n', "pointer"),
    ("var HandlerRegisterer = new(registerer)\n", "pointer"),
    ('var HandlerRegisterer any = registerer("x")\n', "interface"),
    ("func HandlerRegisterer() {}\n", "func"),
    ('const HandlerRegisterer = "x"\n', "unknown"),
])
def test_the_value_kind_of_each_declaration_shape(declaration: str, kind: str) -> None:
    assert analyse(declaration + RIGHT).value_kind == kind


FACTORY = "func(context.Context, map[string]any, http.Handler) (http.Handler, error)"


def test_named_callback_type_fails_and_an_alias_passes() -> None:
    named_cb = analyse('var HandlerRegisterer = registerer("x")\n'
                       f"type cb func(string, {FACTORY})\n"
                       "func (r registerer) RegisterHandlers(f cb) {}\n")
    assert named_cb.method is not None and not named_cb.identical
    alias = analyse('var HandlerRegisterer = registerer("x")\n'
                    f"type cb = func(string, {FACTORY})\n"
                    "func (r registerer) RegisterHandlers(f cb) { f(string(r), nil) }\n")
    assert alias.identical and [r.name for r in alias.registrations] == ["x"]


def test_a_registerer_outside_package_main_is_still_analysed() -> None:
    files = module({"main.go": (IMPORTS + 'var HandlerRegisterer = registerer("x")\n' + RIGHT).replace(
        "package main", "package other")})
    mod = build_module("example.com/p", ".", files)
    [found] = analyse_package(mod, mod.packages[0])
    assert (found.package.name, found.value_kind) == ("other", "value")


def test_registered_names_are_evaluated() -> None:
    source = """
    package main
    type registerer struct{ name string }
    const base = "acme"
    var suffix = "-x"
    var ModifierRegisterer = &registerer{name: base + suffix}
    type factory = func(map[string]interface{}) func(interface{}) (interface{}, error)
    func (r registerer) RegisterModifiers(f func(string, factory, bool, bool)) {
        f(r.name, nil, true, false)
        f(base+"-resp", nil, false, !false)
        f(dynamic(), nil, yes, true)
    }
    const yes = true
    func dynamic() string { return "" }
    """
    files = module({"main.go": source})
    mod = build_module("example.com/p", ".", files)
    reg = analyse_package(mod, mod.packages[0])[0]
    assert reg.value_kind == "pointer"  # the name is still read: the method set decides nothing here
    files = module({"main.go": source.replace("= &registerer", "= registerer")})
    mod = build_module("example.com/p", ".", files)
    reg = analyse_package(mod, mod.packages[0])[0]
    assert [(r.name, r.request, r.response) for r in reg.registrations] == [
        ("acme-x", True, False), ("acme-resp", False, True), (None, True, True)]


def test_plugin_types_of_a_source_set() -> None:
    files = module({"a.go": "package main\nvar ClientRegisterer = 1\n",
                    "b_test.go": "package main\nvar HandlerRegisterer = 1\n"})
    assert plugin_types(files) == ("http-client",)
    assert plugin_types(module({"a.go": "package main\n"})) == ("unknown",)


def test_namespace_uses_walk_service_endpoints_and_backends() -> None:
    config = parse_gateway_config(b"""{
      "version": 3,
      "extra_config": {"plugin/http-server": {"name": ["s"]}},
      "endpoints": [{"endpoint": "/a",
        "extra_config": {"github.com/devopsfaith/krakend/proxy/plugin": {"name": ["m"]}},
        "backend": [{"extra_config": {
          "github_com/devopsfaith/krakend/transport/http/client/executor": {"name": "c"}}}]}],
      "async_agent": [{"backend": [{"extra_config": {"plugin/http-client": {"name": "d"}}}]}]
    }""", "krakend.json")
    uses = list(namespace_uses(config))
    assert [(u.level, u.spelling, u.namespace.plugin_type, u.where) for u in uses] == [
        ("service", "short", "http-server", "/extra_config"),
        ("endpoint", "long", "req-resp-modifier", "/endpoints/0/extra_config"),
        ("backend", "misspelled", "http-client", "/endpoints/0/backend/0/extra_config"),
        ("backend", "short", "http-client", "/async_agent/0/backend/0/extra_config"),
    ]
    assert [n.value for u in uses for n in u.names()] == ["s", "m", "c", "d"]
