"""What KrakenD and Go print when a plugin fails to load: lookup and assertion errors, the
Go-release mismatch, and lura's log line for a configured name nobody registered."""

from __future__ import annotations


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
