"""The KrakenD image must copy the plugin `.so` into the config's `plugin.folder`.

## Why
KrakenD looks for plugins only in `plugin.folder` (not recursively). When the Dockerfile that
builds the KrakenD image copies the `.so` somewhere else (a different directory, or the
`WORKDIR` `/etc/krakend` instead of `/opt/krakend/plugins/`), KrakenD lists an empty or missing
folder, logs that only at DEBUG level, and starts without the plugin. A relative folder is read
from KrakenD's working directory, `/etc/krakend` in the official image.

## Fails
```dockerfile
FROM krakend:2.7.0
COPY --from=builder /src/auth.so /etc/krakend/
```
with `"plugin": {"folder": "/opt/krakend/plugins/", "pattern": ".so"}`

## Passes
```dockerfile
FROM krakend:2.7.0
COPY --from=builder /src/auth.so /opt/krakend/plugins/
```

## How to fix
Copy the `.so` into the directory named by `plugin.folder`, or point `plugin.folder` at the
directory the image puts it in.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.analysis.runtime import SoCopy, copies_into, folder_path, plugin_folder, runtime_stages, so_copies
from linter.inputs.dockerfile import Dockerfile
from linter.inputs.gateway_config import ConfigNode, GatewayConfig
from linter.inputs.workspace import Workspace
from linter.model import Finding, Fix, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP504", "plugin-folder-copy", "the KrakenD image must copy the .so into plugin.folder",
                Severity.ERROR)

def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for config in ws.gateway_configs:
        folder = plugin_folder(config)
        if folder is None:
            continue
        wanted = folder_path(folder)
        for dockerfile in ws.dockerfiles:
            stages = runtime_stages(dockerfile)
            copies = so_copies(stages)
            # `COPY --from=builder /out/ /opt/krakend/plugins/` copies a folder of built plugins.
            if stages and not (not copies and copies_into(stages, wanted)):
                yield from _compare(config, folder, wanted, dockerfile, copies)


def _compare(config: GatewayConfig, folder: ConfigNode, wanted: str, dockerfile: Dockerfile,
             copies: list[SoCopy]) -> Iterator[Finding]:
    if any(copy.directory == wanted for copy in copies):
        return
    if not copies:
        final = dockerfile.final_stage
        yield RULE.finding(
            folder.location,
            f"the KrakenD image built by {dockerfile.path} copies no .so file into {folder.value}; unless the "
            "plugins are mounted there at run time, KrakenD starts without them",
            hint=f"add `COPY --from=<builder stage> /path/to/plugin.so {folder.value}` to the final stage",
            related=(final.location,) if final else (),
            severity=Severity.NOTICE,
            key=f"no copy into {wanted} in {dockerfile.path}",
        )
        return
    for copy in copies:
        yield RULE.finding(
            copy.instruction.location,
            f"the plugin is copied to {copy.directory}, but plugin.folder in {config.path} is {folder.value}: "
            "KrakenD lists only that folder and never finds it",
            hint=f"copy the .so into {folder.value} (or set plugin.folder to {copy.directory}/)",
            fix=_fix(dockerfile, copy, folder.value),
            related=(folder.location,),
            key=f"copy {copy.source} to {copy.directory} not {wanted}",
        )


def _fix(dockerfile: Dockerfile, copy: SoCopy, folder: str) -> Fix | None:
    loc = copy.instruction.location
    line = dockerfile.line(loc.line)
    if loc.end_line != loc.line or line.count(copy.dest) != 1 or not line.rstrip().endswith(copy.dest):
        return None
    return Fix(loc.line, line.rstrip()[: -len(copy.dest)] + folder)
