"""The KrakenD runtime a deployment builds: which Dockerfile stages end in a KrakenD image, what
their COPY/ADD lines put where, and whether any plugin can reach the plugin folder (shared by
KP504 and KP508)."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass

from linter.analysis.build import plugin_builds
from linter.inputs.dockerfile import Dockerfile, Instruction, Stage
from linter.inputs.gateway_config import ConfigNode, GatewayConfig
from linter.inputs.imageref import parse_image
from linter.inputs.workspace import Workspace
from linter.krakend.images import classify

KRAKEND_IMAGES = frozenset({"krakend", "devopsfaith/krakend", "krakend/krakend", "krakend/krakend-ee"})
KRAKEND_WORKDIR = "/etc/krakend"


@dataclass(frozen=True)
class SoCopy:
    instruction: Instruction
    source: str
    dest: str  # as written
    directory: str  # where the .so lands, absolute


def runtime_stages(dockerfile: Dockerfile) -> list[Stage]:
    """The final stage and the stages it is built FROM, when the chain starts at a KrakenD image."""
    chain: list[Stage] = []
    stage = dockerfile.final_stage
    while stage is not None and len(chain) <= len(dockerfile.stages):
        chain.append(stage)
        stage = dockerfile.stages[stage.base_stage] if stage.base_stage is not None else None
    return list(reversed(chain)) if chain and chain[-1].image.name in KRAKEND_IMAGES else []


def copy_instructions(stages: list[Stage]) -> Iterator[tuple[Instruction, str]]:
    """Every COPY/ADD of the runtime stages with the WORKDIR it runs in."""
    workdir = KRAKEND_WORKDIR
    for stage in stages:
        for instruction in stage.instructions:
            if instruction.keyword == "WORKDIR" and instruction.arguments:
                workdir = posixpath.normpath(posixpath.join(workdir, instruction.arguments[0]))
            elif instruction.keyword in ("COPY", "ADD") and len(instruction.arguments) >= 2:
                yield instruction, workdir


def so_copies(stages: list[Stage]) -> list[SoCopy]:
    return [copy for instruction, workdir in copy_instructions(stages) for copy in copies_of(instruction, workdir)]


def copies_into(stages: list[Stage], wanted: str) -> bool:
    """Some COPY/ADD of the runtime stages writes into the plugin folder (whatever its sources)."""
    return any(posixpath.normpath(posixpath.join(workdir, instruction.arguments[-1])) == wanted
               for instruction, workdir in copy_instructions(stages))


def copies_of(instruction: Instruction, workdir: str) -> Iterator[SoCopy]:
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
        yield SoCopy(instruction, source, dest, directory)


def plugin_folder(config: GatewayConfig) -> ConfigNode | None:
    """The config's `plugin.folder` node when it is a non-empty string."""
    plugin = config.root.get("plugin") if config.root is not None else None
    folder = plugin.get("folder") if plugin is not None else None
    return folder if folder is not None and folder.kind == "string" and folder.value else None


def folder_path(folder: ConfigNode) -> str:
    """The absolute plugin folder inside a KrakenD image (relative folders start at its WORKDIR)."""
    return posixpath.normpath(posixpath.join(KRAKEND_WORKDIR, folder.value))


def stock_image_without_plugins(ws: Workspace, config: GatewayConfig) -> bool:
    """The deployment runs a stock KrakenD image and nothing can put a plugin into its folder: no
    plugin is built or shipped here, and no other stage or image is copied to or above the folder."""
    folder = plugin_folder(config)
    if ws.built_plugins or any(True for _ in plugin_builds(ws)):
        return False
    wanted = folder_path(folder) if folder is not None else ""
    runtimes = [stages for stages in map(runtime_stages, ws.dockerfiles) if stages]
    for stages in runtimes:
        for instruction, workdir in copy_instructions(stages):
            if not any(flag.name == "from" for flag in instruction.flags):
                continue
            if _covers(posixpath.normpath(posixpath.join(workdir, instruction.arguments[-1])), wanted):
                return False
    services = [service for compose in ws.compose_files for service in compose.services
                if service.image is not None and not service.image.unresolved
                and classify(parse_image(service.image.text)).role == "krakend-runtime"]
    for service in services:
        # a mount onto the folder (or above it) may hold plugins built outside the repository
        if any(volume.target is None or volume.target.unresolved
               or _covers(posixpath.normpath(posixpath.join(KRAKEND_WORKDIR, volume.target.text)), wanted)
               for volume in service.volumes):
            return False
    return bool(runtimes or services)


def _covers(target: str, wanted: str) -> bool:
    """Writing to ``target`` can put files into the folder ``wanted`` ("" when it is not known)."""
    return not wanted or wanted == target or wanted.startswith(target.rstrip("/") + "/")
