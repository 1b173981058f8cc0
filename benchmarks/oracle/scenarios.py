"""The oracle scenarios: small plugin repos as data, each with the verdict we expect from Go.

A scenario is one or more plugin modules (source, go.mod requirements, replaces, go.sum
adjustments), a gateway config, build settings (toolchain, flags, environment, output name) and
the host it is loaded into. ``expect`` is what the research note (or Go's documented behaviour)
predicts; ``run`` records what really happens and the CI subset asserts they agree. Where the
real outcome surprised us, the expectation follows reality and ``note`` says so.

Host variants: ``default`` is a plain `go build` of ``host/`` (CGO on, like KrakenD's Makefile);
``trimpath`` is the same host built with ``-trimpath``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from benchmarks.oracle.sources import (
    CLIENT,
    MODIFIER,
    SERVER,
    Gateway,
    Modifier,
    Src,
    gateway_config,
    plugin_main,
)

HOST_GO = "1.22.10"  # the default host toolchain (also CI's)
HOST_MODULES = {"example.com/shared": "v1.1.0", "example.com/sys": "v0.2.0", "example.com/lura/v2": "v2.1.0"}

# Failure categories (the host's, plus build-failed / host-crashed / host-timeout from run.py).
NONE = "none"
BUILD_FAILED = "build-failed"
STD = "different-version-std"
MODULE = "different-version-module"
ALREADY = "already-loaded"
UNKNOWN_TYPE = "unknown-type"
NO_REGISTERER = "no-registerer"
UNREGISTERED = "unregistered-name"
NO_FILE = "no-plugin-file"
NO_PLUGIN_CONFIG = "no-plugin-config"
CONFIG_INVALID = "config-invalid"
OPEN_PANIC = "open-panic"
HOST_TIMEOUT = "host-timeout"
HOST_CRASHED = "host-crashed"


@dataclass(frozen=True)
class PluginRepo:
    """One plugin module. ``src`` generates main.go unless ``files`` gives the sources."""

    src: Src = field(default_factory=Src)
    files: Mapping[str, str] = field(default_factory=dict)
    requires: tuple[tuple[str, str], ...] = ()
    replaces: tuple[tuple[str, str], ...] = ()  # (left side, right side) of `replace L => R`
    local_modules: tuple[tuple[str, str, str], ...] = ()  # (dir, module, version) copied in
    go_directive: str = "1.22"
    toolchain: str = ""
    tidy: bool = True  # False keeps requirements tidy would drop (unused ones)
    stale_sums: tuple[tuple[str, str], ...] = ()  # module versions whose go.sum lines stay behind
    module: str = ""  # "" = example.com/plugins/<scenario name>
    dir: str = "."
    output: str = "plugin.so"
    copies: tuple[str, ...] = ()  # extra file names of the same .so in the plugin folder

    def sources(self) -> dict[str, str]:
        return dict(self.files) if self.files else {"main.go": plugin_main(self.src)}


@dataclass(frozen=True)
class Build:
    go: str = ""  # "" = the host's Go
    flags: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)  # "{work}" expands to the oracle work dir


@dataclass(frozen=True)
class Expect:
    loads: bool
    failure: str = NONE
    package: str = ""  # expected mismatched package (prefix) for different-version failures
    detail: str = ""  # a substring the failure detail must contain
    logger_registered: bool | None = None
    context_registered: bool | None = None
    shadowed: tuple[str, ...] | None = None
    ignored: int | None = None  # how many config entries the host ignored for their type


@dataclass(frozen=True)
class Scenario:
    name: str
    summary: str
    plugins: tuple[PluginRepo, ...]
    gateway: Gateway
    expect: Expect
    build: Build = field(default_factory=Build)
    host_go: str = HOST_GO
    host_variant: str = "default"
    topic: str = ""
    note: str = ""  # what the research says, and any surprise
    ci: bool = False

    @property
    def plugin_go(self) -> str:
        return self.build.go or self.host_go

    def config(self) -> dict[str, Any]:
        return gateway_config(self.gateway)

    def module_of(self, plugin: PluginRepo) -> str:
        return plugin.module or f"example.com/plugins/{self.name}"


def _asks(src: Src) -> Gateway:
    """A config that asks for every name src registers."""
    return Gateway(
        server=src.server_names if SERVER in src.kinds else (),
        clients=src.client_names[:1] if CLIENT in src.kinds else (),
        endpoint_modifiers=tuple(m.name for m in src.modifiers) if MODIFIER in src.kinds else (),
    )


def _one(name: str, summary: str, expect: Expect, *, src: Src | None = None,
         gateway: Gateway | None = None, **kw: Any) -> Scenario:
    """A one-plugin scenario; PluginRepo fields and Scenario fields are both accepted."""
    src = src or Src()
    repo_fields = {k: kw.pop(k) for k in list(kw) if k in PluginRepo.__dataclass_fields__}
    plugin = PluginRepo(src=src, **repo_fields)
    return Scenario(name=name, summary=summary, plugins=(plugin,), gateway=gateway or _asks(src),
                    expect=expect, **kw)


OK = Expect(loads=True)

# Literal sources for shapes the generator does not cover ----------------------------------------

_HEAD = """// Command plugin is a KrakenD plugin used by the loader oracle.
package main

import (
\t"context"
\t"net/http"
)
"""

STRING_TYPE = _HEAD + """
// registerer is the documented shape: a named string type used as the plugin name.
type registerer string

// HandlerRegisterer is the value the server loader finds.
var HandlerRegisterer = registerer("hello-server")

func (r registerer) RegisterHandlers(f func(
\tname string,
\thandler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
\tf(string(r), r.build)
}

func (r registerer) build(_ context.Context, _ map[string]interface{}, h http.Handler) (http.Handler, error) {
\treturn h, nil
}

func main() {}
"""

FUNC_SYMBOL = _HEAD + """
// HandlerRegisterer is a function here, so the symbol is a func value, not a registerer.
func HandlerRegisterer(f func(
\tname string,
\thandler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
\tf("hello-server", func(_ context.Context, _ map[string]interface{}, h http.Handler) (http.Handler, error) {
\t\treturn h, nil
\t})
}

func main() {}
"""

RETURNS_ERROR = _HEAD + """
type registerer string

// HandlerRegisterer has a RegisterHandlers that also returns an error.
var HandlerRegisterer = registerer("hello-server")

func (r registerer) RegisterHandlers(f func(
\tname string,
\thandler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) error {
\tf(string(r), func(_ context.Context, _ map[string]interface{}, h http.Handler) (http.Handler, error) {
\t\treturn h, nil
\t})
\treturn nil
}

func main() {}
"""

CLIENT_STRING_MAP = _HEAD + """
type registerer string

// ClientRegisterer's factory takes map[string]string instead of map[string]interface{}.
var ClientRegisterer = registerer("hello-client")

func (r registerer) RegisterClients(f func(
\tname string,
\tfactory func(context.Context, map[string]string) (http.Handler, error),
)) {
\tf(string(r), func(context.Context, map[string]string) (http.Handler, error) {
\t\treturn http.NotFoundHandler(), nil
\t})
}

func main() {}
"""

MODIFIER_NO_RESPONSE_FLAG = """// Command plugin is a KrakenD plugin used by the loader oracle.
package main

type registerer string

// ModifierRegisterer's callback lacks the appliesToResponse flag.
var ModifierRegisterer = registerer("hello-request")

func (r registerer) RegisterModifiers(f func(
\tname string,
\tfactory func(map[string]interface{}) func(interface{}) (interface{}, error),
\tappliesToRequest bool,
)) {
\tf(string(r), func(map[string]interface{}) func(interface{}) (interface{}, error) {
\t\treturn func(in interface{}) (interface{}, error) { return in, nil }
\t}, true)
}

func main() {}
"""

NO_SYMBOL = """// Command plugin is a KrakenD plugin used by the loader oracle.
package main

import "net/http"

// Handler is exported, but under a name no loader looks up.
var Handler = http.NotFoundHandler()

func main() {}
"""

LURA_USE = """
// pathOf reads the request path through the framework's own request interface.
func pathOf(in interface{}) string {
\tif req, ok := in.(proxy.RequestWrapper); ok {
\t\treturn req.Path()
\t}
\treturn ""
}
"""

INIT_PANIC = """
func init() {
\tpanic("oracle: this plugin refuses to initialise")
}
"""

# The scenarios ----------------------------------------------------------------------------------

_MOD = Src(kinds=(MODIFIER,))
_CLI = Src(kinds=(CLIENT,))
_ALL = Src(kinds=(SERVER, CLIENT, MODIFIER))
_SHARED_A = (("example.com/shared/a", 'a.Tag("plugin")'),)
_SHARED_B = (("example.com/shared/b", "strconv.Itoa(b.Scale(2))"),)
_CPU = (("example.com/sys/cpu", "strconv.Itoa(cpu.Cores())"),)
_UTIL = (("example.com/pluginonly/util", 'util.Shout("hi")'),)


def _uses(uses: tuple[tuple[str, str], ...], **kw: Any) -> Src:
    needs_strconv = any("strconv." in expr for _, expr in uses)
    return Src(uses=uses, extra_imports=("strconv",) if needs_strconv else (), **kw)


def _basics() -> list[Scenario]:
    return [
        _one("server-ok", "handler plugin with the documented shape", OK, topic="types", ci=True),
        _one("client-ok", "client plugin with the documented shape", OK, src=_CLI, topic="types", ci=True),
        _one("modifier-ok", "request and response modifiers under distinct names", OK, src=_MOD,
             topic="types", ci=True),
        _one("all-kinds-one-plugin", "one .so exporting all three registerers", OK, src=_ALL, topic="types"),
        _one("server-string-type", "the docs' `type registerer string` shape", OK,
             files={"main.go": STRING_TYPE}, gateway=Gateway(server=("hello-server",)), topic="types"),
        _one("server-name-string", "http-server name given as a string (code accepts it)", OK,
             gateway=Gateway(server=("hello-server",), server_as_string=True), topic="config"),
        _one("long-namespaces", "the v1 long namespace names, still accepted by v2", OK, src=_ALL,
             gateway=Gateway(server=("hello-server",), clients=("hello-client",),
                             endpoint_modifiers=("hello-request",), long_namespaces=True), topic="config"),
        _one("modifier-on-backend", "modifiers configured at backend level", OK, src=_MOD,
             gateway=Gateway(backend_modifiers=("hello-request", "hello-response")), topic="config"),
        _one("server-with-logger", "RegisterLogger(interface{}) is called", Expect(True, logger_registered=True),
             src=Src(logger="ok"), topic="types"),
        _one("modifier-with-context", "RegisterContext(context.Context) is called on modifiers",
             Expect(True, context_registered=True), src=Src(kinds=(MODIFIER,), context_hook=True), topic="types"),
        Scenario("two-plugins", "two plugins with distinct module paths", (
            PluginRepo(dir="server-plugin", output="server.so", module="example.com/plugins/two-server"),
            PluginRepo(src=_CLI, dir="client-plugin", output="client.so", module="example.com/plugins/two-client"),
        ), Gateway(server=("hello-server",), clients=("hello-client",)), OK, topic="types"),
    ]


NO_MODULE_DATA = "fatal error: runtime: no plugin module data"
_MINOR_NOTE = ("SURPRISE vs research §e.1 (which expects 'different version of package internal/...'): across Go "
               "minors the whole process dies with 'fatal error: runtime: no plugin module data' (research §e.5), "
               "so KrakenD would not start at all; only a patch mismatch gives the package error")


def _go_versions() -> list[Scenario]:
    return [
        _one("go-minor-newer-plugin", "plugin built with Go 1.23.9, host with 1.22.10",
             Expect(False, HOST_CRASHED, detail=NO_MODULE_DATA), build=Build(go="1.23.9"), topic="go", ci=True,
             note=_MINOR_NOTE),
        _one("go-minor-older-plugin", "plugin built with Go 1.22.10, host with 1.23.9",
             Expect(False, HOST_CRASHED, detail=NO_MODULE_DATA), host_go="1.23.9", build=Build(go="1.22.10"),
             topic="go", note=_MINOR_NOTE),
        _one("go-patch-older-plugin", "plugin built with Go 1.24.3, host with 1.24.11 (patch differs)",
             Expect(False, STD), host_go="1.24.11", build=Build(go="1.24.3"), topic="go",
             note="research §f: the patch release must match too"),
        _one("go-same-1.23", "plugin and host both Go 1.23.9", OK, host_go="1.23.9", topic="go"),
        _one("go-same-1.24", "plugin and host both Go 1.24.11", OK, host_go="1.24.11", topic="go"),
        _one("go-directive-above-toolchain", "go.mod says go 1.23.0, toolchain is 1.22.10 (GOTOOLCHAIN=local)",
             Expect(False, BUILD_FAILED), go_directive="1.23.0", topic="go"),
        _one("toolchain-line-ignored", "go.mod names toolchain go1.23.9 but GOTOOLCHAIN=local builds with 1.22.10",
             OK, toolchain="go1.23.9", topic="go"),
    ]


def _dependencies() -> list[Scenario]:
    return [
        _one("shared-linked-newer", "imports shared/a at v1.2.0, host links v1.1.0",
             Expect(False, MODULE, "example.com/shared/a"), src=_uses(_SHARED_A),
             requires=(("example.com/shared", "v1.2.0"),), topic="deps", ci=True),
        _one("shared-linked-older", "imports shared/a at v1.0.0, host links v1.1.0",
             Expect(False, MODULE, "example.com/shared/a"), src=_uses(_SHARED_A),
             requires=(("example.com/shared", "v1.0.0"),), topic="deps"),
        _one("shared-identical-retag", "shared v1.1.1 has byte-identical files to the host's v1.1.0",
             Expect(False, MODULE, "example.com/shared/a"), src=_uses(_SHARED_A),
             requires=(("example.com/shared", "v1.1.1"),), topic="deps",
             note="not in the research: identical files still fail, the module directory (with its version) "
                  "is part of what Go hashes"),
        _one("shared-unlinked-newer", "imports only shared/b at v1.2.0; the host never links b", OK,
             src=_uses(_SHARED_B), requires=(("example.com/shared", "v1.2.0"),), topic="deps", ci=True),
        _one("shared-same-version", "imports shared/a at the host's v1.1.0", OK, src=_uses(_SHARED_A),
             requires=(("example.com/shared", "v1.1.0"),), topic="deps"),
        _one("shared-both-packages-same", "imports shared/a and shared/b at v1.1.0", OK,
             src=_uses(_SHARED_A + _SHARED_B), requires=(("example.com/shared", "v1.1.0"),), topic="deps"),
        _one("sys-newer", "imports sys/cpu at v0.3.0, host links v0.2.0",
             Expect(False, MODULE, "example.com/sys/cpu"), src=_uses(_CPU),
             requires=(("example.com/sys", "v0.3.0"),), topic="deps"),
        _one("sys-same", "imports sys/cpu at the host's v0.2.0", OK, src=_uses(_CPU),
             requires=(("example.com/sys", "v0.2.0"),), topic="deps"),
        _one("indirect-bump", "a plugin-only library pulls sys v0.3.0 in indirectly",
             Expect(False, MODULE, "example.com/sys/cpu"), src=_uses(_UTIL),
             requires=(("example.com/pluginonly", "v1.1.0"),), topic="deps"),
        _one("pluginonly-module", "a library only the plugin uses", OK, src=_uses(_UTIL),
             requires=(("example.com/pluginonly", "v1.0.0"),), topic="deps"),
        _one("indirect-older", "a plugin-only library selects sys v0.1.0 (older than the host's)",
             Expect(False, MODULE, "example.com/sys/cpu"), src=_uses(_UTIL),
             requires=(("example.com/pluginonly", "v1.2.0"),), topic="deps"),
        _one("indirect-older-pinned", "same, with sys pinned to the host's v0.2.0 (go.sum keeps a "
             "graph-only v0.1.0/go.mod line)", OK, src=_uses(_UTIL),
             requires=(("example.com/pluginonly", "v1.2.0"), ("example.com/sys", "v0.2.0")), topic="gosum"),
        _one("uppercase-module-path", "a plugin-only module whose path needs proxy case escaping", OK,
             src=_uses((("example.com/Upper/Kit/kit", 'kit.Wrap("x")'),)),
             requires=(("example.com/Upper/Kit", "v1.0.0"),), topic="deps"),
        _one("required-unused-shared-newer", "go.mod requires shared v1.2.0 but nothing imports it", OK,
             requires=(("example.com/shared", "v1.2.0"),), tidy=False, topic="gosum",
             note="check-plugin compares go.sum, so it reports shared although nothing is linked"),
        _one("required-unused-module", "go.mod requires a module nothing imports", OK,
             requires=(("example.com/unused", "v1.0.0"),), tidy=False, topic="gosum"),
        _one("stale-sum-newer-shared", "go.sum still lists shared v1.2.0 after a downgrade to v1.1.0", OK,
             src=_uses(_SHARED_A), requires=(("example.com/shared", "v1.1.0"),),
             stale_sums=(("example.com/shared", "v1.2.0"),), topic="gosum",
             note="research §a: check-plugin takes the max version over go.sum, a false positive"),
        _one("stale-sum-framework", "go.sum lists a lura v2.2.0 the plugin no longer uses", OK,
             stale_sums=(("example.com/lura/v2", "v2.2.0"),), topic="gosum"),
    ]


def _replaces() -> list[Scenario]:
    return [
        _one("replace-to-host-version", "requires shared v1.2.0 but replaces it with v1.1.0", OK,
             src=_uses(_SHARED_A), requires=(("example.com/shared", "v1.2.0"),),
             replaces=(("example.com/shared", "example.com/shared v1.1.0"),), topic="replace",
             note="build info says v1.2.0 => v1.1.0; the code linked is the host's"),
        _one("replace-to-other-version", "requires shared v1.1.0 but replaces it with v1.2.0",
             Expect(False, MODULE, "example.com/shared/a"), src=_uses(_SHARED_A),
             requires=(("example.com/shared", "v1.1.0"),),
             replaces=(("example.com/shared", "example.com/shared v1.2.0"),), topic="replace",
             note="research §a: check-plugin cannot see replacements"),
        _one("replace-to-local-copy", "replaces shared with a local copy of the host's v1.1.0 files",
             Expect(False, MODULE, "example.com/shared/a"), src=_uses(_SHARED_A),
             requires=(("example.com/shared", "v1.1.0"),),
             replaces=(("example.com/shared", "./third_party/shared"),),
             local_modules=(("third_party/shared", "example.com/shared", "v1.1.0"),), topic="replace"),
        _one("replace-local-unlinked", "replaces a plugin-only library with a local directory", OK,
             src=_uses(_UTIL), requires=(("example.com/pluginonly", "v1.0.0"),),
             replaces=(("example.com/pluginonly", "./third_party/pluginonly"),),
             local_modules=(("third_party/pluginonly", "example.com/pluginonly", "v1.0.0"),), topic="replace"),
        _one("replace-unselected-version", "a version-specific replace that does not apply", OK,
             src=_uses(_SHARED_A), requires=(("example.com/shared", "v1.1.0"),),
             replaces=(("example.com/shared v1.2.0", "example.com/shared v1.0.0"),), topic="replace"),
    ]


def _framework() -> list[Scenario]:
    lura = (("example.com/lura/v2/proxy", "proxy.Version()"),)
    src = Src(kinds=(MODIFIER,), uses=lura, extra=LURA_USE)
    return [
        _one("framework-same-version", "modifier imports lura/v2/proxy at the host's v2.1.0", OK, src=src,
             requires=(("example.com/lura/v2", "v2.1.0"),), topic="framework"),
        _one("framework-newer", "modifier imports lura/v2/proxy at v2.2.0",
             Expect(False, MODULE, "example.com/lura/v2/"), src=src,
             requires=(("example.com/lura/v2", "v2.2.0"),), topic="framework",
             note="research §e.3: 'different version of package github.com/luraproject/lura/v2/register'"),
        _one("framework-older", "modifier imports lura/v2/proxy at v2.0.0",
             Expect(False, MODULE, "example.com/lura/v2/"), src=src,
             requires=(("example.com/lura/v2", "v2.0.0"),), topic="framework"),
        _one("framework-register-same", "imports only lura/v2/register at the host's version", OK,
             src=_uses((("example.com/lura/v2/register", 'strconv.Itoa(len(register.New().Names("x")))'),)),
             requires=(("example.com/lura/v2", "v2.1.0"),), topic="framework"),
    ]


def _shapes() -> list[Scenario]:
    ut = Expect(False, UNKNOWN_TYPE)
    nr = Expect(False, NO_REGISTERER)
    srv = Gateway(server=("hello-server",))
    return [
        _one("pointer-variable", "var HandlerRegisterer = &T{} (symbol becomes **T)", ut,
             src=Src(decl="pointer"), topic="shape", ci=True, note="research §b.4"),
        _one("pointer-variable-pointer-receivers", "pointer variable and pointer receivers", ut,
             src=Src(decl="pointer", receiver="pointer"), topic="shape"),
        _one("interface-typed-variable", "var HandlerRegisterer someInterface = T{}", ut,
             src=Src(decl="interface"), topic="shape", note="research §b.4"),
        _one("function-named-like-symbol", "func HandlerRegisterer(...) instead of a variable", ut,
             files={"main.go": FUNC_SYMBOL}, gateway=srv, topic="shape"),
        _one("named-callback-type", "RegisterHandlers takes a defined func type", ut,
             src=Src(named_callback="named"), topic="shape", note="research §b.5"),
        _one("named-factory-type", "the factory parameter is a defined func type", ut,
             src=Src(named_factory="named"), topic="shape"),
        _one("alias-callback-type", "the callback is a type alias (identical type)", OK,
             src=Src(named_callback="alias"), topic="shape"),
        _one("alias-factory-type", "the factory is a type alias (identical type)", OK,
             src=Src(named_factory="alias", kinds=(SERVER, CLIENT, MODIFIER)),
             topic="shape"),
        _one("pointer-receivers-value-variable", "value variable, pointer receivers (symbol *T has them)", OK,
             src=Src(receiver="pointer", kinds=(SERVER, CLIENT, MODIFIER)), topic="shape"),
        _one("any-alias", "`any` instead of interface{} everywhere", OK,
             src=Src(use_any=True, kinds=(SERVER, CLIENT, MODIFIER), logger="ok"),
             topic="shape"),
        _one("missing-symbol", "exports no registerer at all", nr, files={"main.go": NO_SYMBOL},
             gateway=srv, topic="shape", ci=True),
        _one("misspelled-symbol", "exports HandlerRegister instead of HandlerRegisterer", nr,
             src=Src(symbols={SERVER: "HandlerRegister"}), topic="shape"),
        _one("unexported-symbol", "declares handlerRegisterer (lower case)", nr,
             src=Src(symbols={SERVER: "handlerRegisterer"}), topic="shape"),
        _one("wrong-method-name", "RegisterHandler instead of RegisterHandlers", ut,
             src=Src(methods={SERVER: "RegisterHandler"}), topic="shape"),
        _one("method-returns-error", "RegisterHandlers returns an error", ut,
             files={"main.go": RETURNS_ERROR}, gateway=srv, topic="shape"),
        _one("client-factory-string-map", "client factory takes map[string]string", ut,
             files={"main.go": CLIENT_STRING_MAP}, gateway=Gateway(clients=("hello-client",)), topic="shape"),
        _one("modifier-missing-flag", "RegisterModifiers callback without appliesToResponse", ut,
             files={"main.go": MODIFIER_NO_RESPONSE_FLAG}, gateway=Gateway(endpoint_modifiers=("hello-request",)),
             topic="shape"),
        _one("wrong-package", "package plugin instead of package main", Expect(False, BUILD_FAILED),
             src=Src(package="plugin"), topic="shape", ci=True),
        _one("registered-as-other-kind", "the handler is exported as ClientRegisterer",
             Expect(False, UNREGISTERED), src=Src(kinds=(CLIENT,), client_names=("hello-server",)),
             gateway=srv, topic="shape"),
        _one("init-panics", "the plugin's init panics while plugin.Open runs it",
             Expect(False, HOST_TIMEOUT, detail="plugin.Open"), src=Src(extra=INIT_PANIC), topic="shape",
             note="not in the research: the first loader recovers the panic, but Go never marks the plugin "
                  "loaded, so the next loader's plugin.Open of the same file blocks forever (KrakenD hangs)"),
        _one("logger-wrong-parameter", "RegisterLogger(ownLogger) instead of RegisterLogger(interface{})",
             Expect(True, logger_registered=False), src=Src(logger="wrong"), topic="shape", ci=True,
             note="research §b: silently not called"),
        _one("context-hook-on-server", "RegisterContext on a handler plugin is never called",
             Expect(True, context_registered=False), src=Src(context_hook=True), topic="shape"),
    ]


def _build_settings() -> list[Scenario]:
    shared: dict[str, Any] = {"src": _uses(_SHARED_A), "requires": (("example.com/shared", "v1.1.0"),)}
    return [
        _one("cgo-disabled", "CGO_ENABLED=0", Expect(False, BUILD_FAILED),
             build=Build(env={"CGO_ENABLED": "0"}), topic="build", note="research §f: CGO must stay on"),
        _one("trimpath-plugin-only", "-trimpath on the plugin, not on the host", Expect(False, STD),
             build=Build(flags=("-trimpath",)), topic="build", note="golang/go#68349"),
        _one("trimpath-both", "-trimpath on plugin and host", OK, build=Build(flags=("-trimpath",)),
             host_variant="trimpath", topic="build", **shared),
        _one("trimpath-host-only", "host built with -trimpath, plugin without", Expect(False, STD),
             host_variant="trimpath", topic="build"),
        _one("custom-gomodcache", "GOMODCACHE elsewhere, plugin links a shared module",
             Expect(False, MODULE, "example.com/shared/a"),
             build=Build(env={"GOMODCACHE": "{work}/custom-modcache"}), topic="build",
             note="research §e.8: module file paths are part of package identity", **shared),
        _one("custom-gomodcache-std-only", "GOMODCACHE elsewhere, plugin uses only the standard library", OK,
             build=Build(env={"GOMODCACHE": "{work}/custom-modcache"}), topic="build",
             note="a custom module cache only matters for modules the host links too"),
        _one("custom-gopath", "GOPATH elsewhere (so the module cache moves too)",
             Expect(False, MODULE, "example.com/shared/a"), build=Build(env={"GOPATH": "{work}/custom-gopath"}),
             topic="build", **shared),
        _one("custom-gomodcache-trimpath-both", "GOMODCACHE elsewhere but -trimpath on both sides", OK,
             build=Build(flags=("-trimpath",), env={"GOMODCACHE": "{work}/custom-modcache"}),
             host_variant="trimpath", topic="build", **shared),
        _one("gcflags-all-no-optimisation", "-gcflags=all=-N -l recompiles everything", Expect(False, STD),
             build=Build(flags=("-gcflags=all=-N -l",)), topic="build"),
        _one("gcflags-main-only", "-gcflags=-N -l touches only the plugin's own package", OK,
             build=Build(flags=("-gcflags=-N -l",)), topic="build"),
        _one("tags-netgo", "-tags=netgo changes package net", Expect(False, STD),
             build=Build(flags=("-tags=netgo",)), topic="build"),
        _one("tags-unused", "-tags with a tag nothing uses", OK, build=Build(flags=("-tags=oracle_unused",)),
             topic="build"),
        _one("ldflags-strip", "-ldflags='-s -w' strips symbols", OK, build=Build(flags=("-ldflags=-s -w",)),
             topic="build"),
        _one("race", "-race instruments the runtime", Expect(False, STD), build=Build(flags=("-race",)),
             topic="build"),
    ]


def _files_and_config() -> list[Scenario]:
    return [
        _one("output-not-matching-pattern", "built as hello.plugin, pattern .so", Expect(False, NO_FILE),
             output="hello.plugin", topic="files", ci=True),
        _one("pattern-suffix-match", "pattern -prod.so, file hello-prod.so", OK, output="hello-prod.so",
             gateway=Gateway(server=("hello-server",), pattern="-prod.so"), topic="files"),
        _one("pattern-suffix-miss", "pattern -prod.so, file hello.so", Expect(False, NO_FILE), output="hello.so",
             gateway=Gateway(server=("hello-server",), pattern="-prod.so"), topic="files"),
        _one("pattern-is-substring", "file hello.so.bak still matches pattern .so", OK, output="hello.so.bak",
             topic="files", note="research §c: substring test, not a suffix"),
        _one("config-unknown-server-name", "http-server asks for a name nothing registers",
             Expect(False, UNREGISTERED), gateway=Gateway(server=("hello-server", "nobody")), topic="config",
             ci=True),
        _one("config-unknown-client-name", "http-client asks for a name nothing registers",
             Expect(False, UNREGISTERED), src=_CLI, gateway=Gateway(clients=("nobody",)), topic="config"),
        _one("config-unknown-modifier-name", "req-resp-modifier asks for a name nothing registers",
             Expect(False, UNREGISTERED), src=_MOD, gateway=Gateway(endpoint_modifiers=("hello-request", "nobody")),
             topic="config"),
        _one("modifier-name-string", "modifier name as a string is silently ignored",
             Expect(True, ignored=1), src=_MOD,
             gateway=Gateway(endpoint_modifiers=("hello-request",), modifier_as_string=True), topic="config",
             note="loads, but the modifier never runs (research §c)"),
        _one("client-name-list", "client name as a list is ignored (default client used)",
             Expect(True, ignored=1), src=_CLI, gateway=Gateway(clients=("hello-client",), client_as_list=True),
             topic="config", note="loads, but the client plugin never runs (research §c)"),
        _one("modifier-both-directions", "one name registered for request and response",
             Expect(True, shadowed=("hello-both",)),
             src=Src(kinds=(MODIFIER,), modifiers=(Modifier("hello-both", True, True),)),
             topic="config", note="research §b: only ever used as a request modifier"),
        _one("no-plugin-section", "config has no top-level plugin object", Expect(False, NO_PLUGIN_CONFIG),
             gateway=Gateway(server=("hello-server",), plugin_section=False), topic="config"),
        _one("config-version-2", "config version 2 is refused by KrakenD v2", Expect(False, CONFIG_INVALID),
             gateway=Gateway(server=("hello-server",), version=2), topic="config"),
        Scenario("same-module-path-twice", "two plugins declare the same module path", (
            PluginRepo(dir="server-plugin", output="a-server.so", module="example.com/plugins/shared-name"),
            PluginRepo(src=_CLI, dir="client-plugin", output="b-client.so", module="example.com/plugins/shared-name"),
        ), Gateway(server=("hello-server",), clients=("hello-client",)), Expect(False, ALREADY),
            topic="files", ci=True, note="research §e.10 / golang/go#19004"),
        _one("same-file-twice", "the same .so copied under two names", Expect(False, ALREADY),
             output="hello.so", copies=("hello-copy.so",), topic="files"),
    ]


def all_scenarios() -> tuple[Scenario, ...]:
    out = (_basics() + _go_versions() + _dependencies() + _replaces() + _framework() + _shapes()
           + _build_settings() + _files_and_config())
    names = [s.name for s in out]
    assert len(names) == len(set(names)), "scenario names must be unique"
    return tuple(out)


def by_name(name: str) -> Scenario:
    for s in all_scenarios():
        if s.name == name:
            return s
    raise KeyError(name)
