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

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass

from linter.inputs.dockerfile import Dockerfile, Instruction, Stage
from linter.inputs.gateway_config import ConfigNode, GatewayConfig
from linter.inputs.workspace import Workspace
from linter.krakend.contracts import OUTCOME_NO_PLUGIN_FILES
from linter.model import Finding, Fix, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP504", "plugin-folder-copy", "the KrakenD image must copy the .so into plugin.folder",
                Severity.ERROR)
ORACLE = OUTCOME_NO_PLUGIN_FILES

KRAKEND_IMAGES = frozenset({"krakend", "devopsfaith/krakend", "krakend/krakend", "krakend/krakend-ee"})
KRAKEND_WORKDIR = "/etc/krakend"


@dataclass(frozen=True)
class _Copy:
    instruction: Instruction
    source: str
    dest: str  # as written
    directory: str  # where the .so lands, absolute


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for config in ws.gateway_configs:
        folder = _folder(config)
        if folder is None:
            continue
        wanted = posixpath.normpath(posixpath.join(KRAKEND_WORKDIR, folder.value))
        for dockerfile in ws.dockerfiles:
            stages = _runtime_stages(dockerfile)
            copies = _so_copies(stages)
            # `COPY --from=builder /out/ /opt/krakend/plugins/` copies a folder of built plugins.
            if stages and not (not copies and _copies_into(stages, wanted)):
                yield from _compare(config, folder, wanted, dockerfile, copies)


def _folder(config: GatewayConfig) -> ConfigNode | None:
    plugin = config.root.get("plugin") if config.root is not None else None
    folder = plugin.get("folder") if plugin is not None else None
    return folder if folder is not None and folder.kind == "string" and folder.value else None


def _compare(config: GatewayConfig, folder: ConfigNode, wanted: str, dockerfile: Dockerfile,
             copies: list[_Copy]) -> Iterator[Finding]:
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


def _runtime_stages(dockerfile: Dockerfile) -> list[Stage]:
    """The final stage and the stages it is built FROM, when the chain starts at a KrakenD image."""
    chain: list[Stage] = []
    stage = dockerfile.final_stage
    while stage is not None and len(chain) <= len(dockerfile.stages):
        chain.append(stage)
        stage = dockerfile.stages[stage.base_stage] if stage.base_stage is not None else None
    return list(reversed(chain)) if chain and chain[-1].image.name in KRAKEND_IMAGES else []


def _copy_instructions(stages: list[Stage]) -> Iterator[tuple[Instruction, str]]:
    """Every COPY/ADD of the runtime stages with the WORKDIR it runs in."""
    workdir = KRAKEND_WORKDIR
    for stage in stages:
        for instruction in stage.instructions:
            if instruction.keyword == "WORKDIR" and instruction.arguments:
                workdir = posixpath.normpath(posixpath.join(workdir, instruction.arguments[0]))
            elif instruction.keyword in ("COPY", "ADD") and len(instruction.arguments) >= 2:
                yield instruction, workdir


def _so_copies(stages: list[Stage]) -> list[_Copy]:
    return [copy for instruction, workdir in _copy_instructions(stages) for copy in _copies_of(instruction, workdir)]


def _copies_into(stages: list[Stage], wanted: str) -> bool:
    """Some COPY/ADD of the runtime stages writes into the plugin folder (whatever its sources)."""
    return any(posixpath.normpath(posixpath.join(workdir, instruction.arguments[-1])) == wanted
               for instruction, workdir in _copy_instructions(stages))


def _copies_of(instruction: Instruction, workdir: str) -> Iterator[_Copy]:
    *sources, dest = instruction.arguments
    many = len(sources) > 1 or any(ch in s for s in sources for ch in "*?[")
    for source in sources:
        if ".so" not in posixpath.basename(source):
            continue
        target = posixpath.join(workdir, dest)
        if dest.endswith("/") or many or ".so" not in posixpath.basename(dest):
            directory = posixpath.normpath(target)
        else:
            directory = posixpath.dirname(posixpath.normpath(target))
        yield _Copy(instruction, source, dest, directory)


def _fix(dockerfile: Dockerfile, copy: _Copy, folder: str) -> Fix | None:
    loc = copy.instruction.location
    line = dockerfile.line(loc.line)
    if loc.end_line != loc.line or line.count(copy.dest) != 1 or not line.rstrip().endswith(copy.dest):
        return None
    return Fix(loc.line, line.rstrip()[: -len(copy.dest)] + folder)
