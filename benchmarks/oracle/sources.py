"""Go plugin sources and gateway configs for the oracle scenarios, generated from small options.

``plugin_main`` writes a complete ``main.go`` for any mix of the three CE plugin kinds, with
switches for the shapes the loader accepts or rejects (pointer variables, interface-typed
variables, pointer receivers, ``any``, named callback types, logger/context hooks). Oddities
that do not fit a switch are written out literally in ``scenarios``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SERVER, CLIENT, MODIFIER = "server", "client", "modifier"

SYMBOLS = {SERVER: "HandlerRegisterer", CLIENT: "ClientRegisterer", MODIFIER: "ModifierRegisterer"}
METHODS = {SERVER: "RegisterHandlers", CLIENT: "RegisterClients", MODIFIER: "RegisterModifiers"}
TYPES = {SERVER: "serverPlugin", CLIENT: "clientPlugin", MODIFIER: "modifierPlugin"}

# The factory types of the three contracts, as unnamed function types; {E} is the empty interface.
FACTORIES = {
    SERVER: "func(context.Context, map[string]{E}, http.Handler) (http.Handler, error)",
    CLIENT: "func(context.Context, map[string]{E}) (http.Handler, error)",
    MODIFIER: "func(map[string]{E}) func({E}) ({E}, error)",
}


@dataclass(frozen=True)
class Modifier:
    name: str
    request: bool = True
    response: bool = False


@dataclass(frozen=True)
class Src:
    """Options for one generated plugin main package."""

    kinds: tuple[str, ...] = (SERVER,)
    label: str = "hello"
    server_names: tuple[str, ...] = ("hello-server",)
    client_names: tuple[str, ...] = ("hello-client",)
    modifiers: tuple[Modifier, ...] = (Modifier("hello-request"), Modifier("hello-response", False, True))
    package: str = "main"
    symbols: Mapping[str, str] = field(default_factory=dict)  # kind -> exported name override
    methods: Mapping[str, str] = field(default_factory=dict)  # kind -> method name override
    decl: str = "value"  # value | pointer | interface
    receiver: str = "value"  # value | pointer
    use_any: bool = False
    named_callback: str = ""  # "" | "named" (defined func type) | "alias" (type alias)
    named_factory: str = ""  # "" | "named" | "alias"
    logger: str = ""  # "" | "ok" | "wrong"
    context_hook: bool = False
    uses: tuple[tuple[str, str], ...] = ()  # (import path, Go expression of type string)
    extra: str = ""  # Go code appended verbatim
    extra_imports: tuple[str, ...] = ()


def _empty(src: Src) -> str:
    return "any" if src.use_any else "interface{}"


def _factory_type(src: Src, kind: str) -> str:
    return FACTORIES[kind].replace("{E}", _empty(src))


def _callback_params(src: Src, kind: str) -> str:
    factory = f"{kind.capitalize()}Factory" if src.named_factory else _factory_type(src, kind)
    lines = ["\tname string,", f"\tfactory {factory},"]
    if kind == MODIFIER:
        lines += ["\tappliesToRequest bool,", "\tappliesToResponse bool,"]
    return "\n".join(lines)


def _type_decls(src: Src, kind: str) -> str:
    out = []
    if src.named_factory:
        eq = " = " if src.named_factory == "alias" else " "
        out.append(f"// {kind.capitalize()}Factory names the factory type for readability.\n"
                   f"type {kind.capitalize()}Factory{eq}{_factory_type(src, kind)}\n")
    if src.named_callback:
        eq = " = " if src.named_callback == "alias" else " "
        out.append(f"// {kind.capitalize()}Callback is the function the gateway passes in.\n"
                   f"type {kind.capitalize()}Callback{eq}func(\n{_callback_params(src, kind)}\n)\n")
    return "\n".join(out)


def _method_param(src: Src, kind: str) -> str:
    if src.named_callback:
        return f"register {kind.capitalize()}Callback"
    return f"register func(\n{_callback_params(src, kind)}\n)"


def _recv(src: Src, kind: str) -> str:
    star = "*" if src.receiver == "pointer" else ""
    return f"(p {star}{TYPES[kind]})"


def _variable(src: Src, kind: str) -> str:
    symbol = src.symbols.get(kind, SYMBOLS[kind])
    value = f'{TYPES[kind]}{{label: "{src.label}"}}'
    doc = f"// {symbol} is the symbol the gateway's {kind} loader looks up."
    if src.decl == "pointer":
        return f"{doc}\nvar {symbol} = &{value}\n"
    if src.decl == "interface":
        return (f"// {kind}Contract is what the gateway expects from the symbol.\n"
                f"type {kind}Contract interface {{\n\t{src.methods.get(kind, METHODS[kind])}"
                f"({_method_param(src, kind)})\n}}\n\n{doc}\nvar {symbol} {kind}Contract = {value}\n")
    return f"{doc}\nvar {symbol} = {value}\n"


def _body(src: Src, kind: str) -> str:
    if kind == SERVER:
        return "".join(f'\tregister("{n}", p.wrap)\n' for n in src.server_names)
    if kind == CLIENT:
        return "".join(f'\tregister("{n}", p.client)\n' for n in src.client_names)
    out = []
    for m in src.modifiers:
        fn = "p.onRequest" if m.request else "p.onResponse"
        out.append(f'\tregister("{m.name}", {fn}, {str(m.request).lower()}, {str(m.response).lower()})\n')
    return "".join(out)


def _helpers(src: Src, kind: str) -> str:
    e = _empty(src)
    recv = _recv(src, kind)
    if kind == SERVER:
        return f"""func {recv} wrap(_ context.Context, _ map[string]{e}, next http.Handler) (http.Handler, error) {{
\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {{
\t\tw.Header().Set("X-Wrapped-By", p.label)
\t\tnext.ServeHTTP(w, r)
\t}}), nil
}}
"""
    if kind == CLIENT:
        return f"""func {recv} client(_ context.Context, _ map[string]{e}) (http.Handler, error) {{
\treturn http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {{
\t\tw.Header().Set("Content-Type", "application/json")
\t\tfmt.Fprintf(w, "{{\\"answered_by\\": %q}}", p.label)
\t}}), nil
}}
"""
    return f"""func {recv} onRequest(_ map[string]{e}) func({e}) ({e}, error) {{
\treturn func(in {e}) ({e}, error) {{ return in, nil }}
}}

func {recv} onResponse(_ map[string]{e}) func({e}) ({e}, error) {{
\treturn func(in {e}) ({e}, error) {{ return in, nil }}
}}
"""


def _hooks(src: Src, kind: str) -> str:
    recv = _recv(src, kind)
    out = []
    if src.logger == "ok":
        out.append(f"""// RegisterLogger receives the gateway logger as an empty interface.
func {recv} RegisterLogger(v {_empty(src)}) {{
\tif l, ok := v.(logger); ok {{
\t\tl.Debug("[PLUGIN: {src.label}] logger attached")
\t}}
}}
""")
    elif src.logger == "wrong":
        out.append(f"""// RegisterLogger asks for our own interface, so the gateway never calls it.
func {recv} RegisterLogger(l logger) {{
\tl.Debug("[PLUGIN: {src.label}] logger attached")
}}
""")
    if src.context_hook:
        out.append(f"""// RegisterContext receives the gateway's application context.
func {recv} RegisterContext(ctx context.Context) {{
\t_ = ctx.Err()
}}
""")
    return "\n".join(out)


def _imports(src: Src) -> list[str]:
    std: set[str] = set()
    if SERVER in src.kinds or CLIENT in src.kinds:
        std.update(("context", "net/http"))
    if src.context_hook:
        std.add("context")
    if CLIENT in src.kinds:
        std.add("fmt")
    std.update(i for i in src.extra_imports if "." not in i.split("/")[0])
    mods = {path for path, _ in src.uses} | {i for i in src.extra_imports if "." in i.split("/")[0]}
    lines = [f'\t"{p}"' for p in sorted(std)]
    if mods:
        lines += [""] + [f'\t"{p}"' for p in sorted(mods)]
    return lines


def plugin_main(src: Src) -> str:
    """A complete main.go for the options in src."""
    parts = [f"// Command plugin is a KrakenD plugin used by the loader oracle.\npackage {src.package}\n",
             "import (\n" + "\n".join(_imports(src)) + "\n)\n"]
    if src.logger:
        parts.append("""// logger is the part of the gateway logger this plugin uses.
type logger interface {
\tDebug(v ...interface{})
}
""")
    if src.uses:
        exprs = "".join(f"\t{expr},\n" for _, expr in src.uses)
        parts.append(f"// linked makes sure the imported libraries end up in the plugin.\n"
                     f"var linked = []string{{\n{exprs}}}\n")
    for kind in src.kinds:
        method = src.methods.get(kind, METHODS[kind])
        parts.append(_type_decls(src, kind))
        parts.append(f"// {TYPES[kind]} carries the {kind} half of this plugin.\n"
                     f"type {TYPES[kind]} struct{{ label string }}\n")
        parts.append(_variable(src, kind))
        parts.append(f"// {method} hands every factory of this plugin to the gateway.\n"
                     f"func {_recv(src, kind)} {method}({_method_param(src, kind)}) {{\n{_body(src, kind)}}}\n")
        parts.append(_helpers(src, kind))
        parts.append(_hooks(src, kind))
    if src.extra:
        parts.append(src.extra)
    if src.package == "main":
        parts.append("func main() {}\n")
    return "\n".join(p for p in parts if p)


# --- gateway configs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Gateway:
    """What the gateway config asks for; ``gateway_config`` turns it into krakend.json data."""

    server: tuple[str, ...] = ()
    server_as_string: bool = False
    clients: tuple[str, ...] = ()
    client_as_list: bool = False
    endpoint_modifiers: tuple[str, ...] = ()
    backend_modifiers: tuple[str, ...] = ()
    modifier_as_string: bool = False
    pattern: str = ".so"
    folder: str = "/opt/krakend/plugins/"
    version: int = 3
    plugin_section: bool = True
    long_namespaces: bool = False


LONG = {
    "plugin/http-server": "github_com/devopsfaith/krakend/transport/http/server/handler",
    "plugin/http-client": "github.com/devopsfaith/krakend/transport/http/client/executor",
    "plugin/req-resp-modifier": "github.com/devopsfaith/krakend/proxy/plugin",
}


def _ns(g: Gateway, short: str) -> str:
    return LONG[short] if g.long_namespaces else short


def _modifier_obj(g: Gateway, names: Sequence[str]) -> dict[str, Any]:
    value: Any = names[0] if g.modifier_as_string and len(names) == 1 else list(names)
    return {_ns(g, "plugin/req-resp-modifier"): {"name": value}}


def gateway_config(g: Gateway) -> dict[str, Any]:
    cfg: dict[str, Any] = {"version": g.version, "name": "oracle gateway", "port": 8080}
    if g.plugin_section:
        cfg["plugin"] = {"folder": g.folder, "pattern": g.pattern}
    if g.server:
        name: Any = g.server[0] if g.server_as_string and len(g.server) == 1 else list(g.server)
        cfg["extra_config"] = {_ns(g, "plugin/http-server"): {"name": name}}
    backend: dict[str, Any] = {"host": ["http://127.0.0.1:8081"], "url_pattern": "/__health"}
    extra: dict[str, Any] = {}
    if g.clients:
        cname: Any = list(g.clients) if g.client_as_list else g.clients[0]
        extra[_ns(g, "plugin/http-client")] = {"name": cname}
    if g.backend_modifiers:
        extra.update(_modifier_obj(g, g.backend_modifiers))
    if extra:
        backend["extra_config"] = extra
    endpoint: dict[str, Any] = {"endpoint": "/hello", "method": "GET", "backend": [backend]}
    if g.endpoint_modifiers:
        endpoint["extra_config"] = _modifier_obj(g, g.endpoint_modifiers)
    cfg["endpoints"] = [endpoint]
    return cfg
