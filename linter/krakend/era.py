"""Which KrakenD major a deployment is for when no release is pinned: 1.x and 2.x read different
config versions and namespace names, so a 1.x-era repository must not be judged as 2.x."""

from __future__ import annotations

from linter.inputs.workspace import Workspace
from linter.krakend.releases import version_key
from linter.krakend.target import Target

# Framework modules a plugin imports, and the KrakenD major each belongs to.
_FRAMEWORK_MAJOR = (
    ("github.com/luraproject/lura/v2", 2),
    ("github.com/krakend/krakend-ce/v2", 2),
    ("github.com/luraproject/lura", 1),  # lura v1: KrakenD 1.2 to 1.4
    ("github.com/devopsfaith/krakend", 1),  # the framework before its rename: KrakenD 1.0 to 1.1
)
# The config's "version" and the KrakenD major that reads it.
_CONFIG_MAJOR = {2: 1, 3: 2}


def krakend_major(ws: Workspace, target: Target) -> int | None:
    """The target's major; else what the plugins import; else what the configs' "version" says;
    None when nothing tells (or the configs disagree)."""
    key = version_key(target.version)
    if key:
        return key[0]
    imported = {_framework_major(require.path) for plugin in ws.plugins if plugin.gomod is not None
                for require in plugin.gomod.requires} - {None}
    if len(imported) == 1:
        return imported.pop()
    written = set()
    for config in ws.gateway_configs:
        node = config.root.get("version") if config.root is not None else None
        if node is not None and node.kind == "number" and node.value in _CONFIG_MAJOR:
            written.add(_CONFIG_MAJOR[node.value])
    return written.pop() if len(written) == 1 else None


def _framework_major(path: str) -> int | None:
    """The major of a framework module path (the first match: lura/v2 before lura)."""
    return next((major for module, major in _FRAMEWORK_MAJOR if path == module or path.startswith(module + "/")),
                None)
