"""What a plugin really shares with KrakenD beyond its go.mod: modules KrakenD never links, and
plugin modules that carry their own host (they are loaded by it, not by a KrakenD release)."""

from __future__ import annotations

from linter.inputs.workspace import PluginRoot

# Modules that go.mod files list but that KrakenD's binary does not link: test support (testify and
# what it pulls in) and the JSON encoders gin compiles in only under build tags KrakenD's build does
# not set (go_json, sonic). A plugin shares one of them only when its own code imports it.
UNLINKED_UNLESS_IMPORTED = frozenset({
    "github.com/stretchr/testify",
    "github.com/davecgh/go-spew",
    "github.com/pmezard/go-difflib",
    "github.com/stretchr/objx",
    "gopkg.in/check.v1",
    "github.com/kr/pretty",
    "github.com/kr/text",
    "github.com/goccy/go-json",
    "github.com/bytedance/sonic",
})


def linked_by_krakend(plugin: PluginRoot, module: str) -> bool:
    """False for a module of UNLINKED_UNLESS_IMPORTED that the plugin's own code does not import."""
    if module not in UNLINKED_UNLESS_IMPORTED:
        return True
    return any(imp.path == module or imp.path.startswith(module + "/")
               for source in plugin.sources for imp in source.imports)


# Lura's plugin loaders: a program importing one loads plugins itself.
LOADER_PACKAGES = frozenset({
    "github.com/luraproject/lura/v2/proxy/plugin",
    "github.com/luraproject/lura/v2/transport/http/server/plugin",
    "github.com/luraproject/lura/v2/transport/http/client/plugin",
    "github.com/luraproject/lura/proxy/plugin",
    "github.com/luraproject/lura/transport/http/server/plugin",
    "github.com/luraproject/lura/transport/http/client/plugin",
    "github.com/devopsfaith/krakend/proxy/plugin",
    "github.com/devopsfaith/krakend/transport/http/server/plugin",
    "github.com/devopsfaith/krakend/transport/http/client/plugin",
})


def hosts_itself(plugin: PluginRoot) -> bool:
    """The plugin's module also holds the gateway that loads it (a lura program using the plugin
    loaders): host and plugin are built from one go.mod, so no KrakenD release is involved."""
    return any(imp.path in LOADER_PACKAGES for source in plugin.sources for imp in source.imports)
