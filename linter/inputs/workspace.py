"""Every parsed input of one scanned tree, as rules see it. Built once by ``linter.engine``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from linter.model import Problem

if TYPE_CHECKING:
    from linter.inputs.buildscript import BuildScript, GoVersionFile
    from linter.inputs.compose import ComposeFile
    from linter.inputs.dockerfile import Dockerfile
    from linter.inputs.gateway_config import GatewayConfig
    from linter.inputs.gobinary import GoBinary
    from linter.inputs.gomod import GoMod
    from linter.inputs.gosource import GoFile
    from linter.inputs.gosum import GoSum
    from linter.inputs.modules_txt import ModulesTxt
    from linter.inputs.workflow import Workflow


@dataclass(frozen=True)
class PluginRoot:
    """A Go module with `package main` code: one plugin (a monorepo has several)."""

    dir: str  # relative to the working directory, "/" separators, "." for the current one
    gomod: GoMod | None
    gosum: GoSum | None = None
    modules_txt: ModulesTxt | None = None
    sources: tuple[GoFile, ...] = ()

    def path(self, name: str) -> str:
        """The display path of a file in this plugin root."""
        return name if self.dir in ("", ".") else f"{self.dir}/{name}"

    @property
    def module(self) -> str:
        decl = self.gomod.module if self.gomod else None
        return decl.path if decl else ""


@dataclass(frozen=True)
class Workspace:
    plugins: tuple[PluginRoot, ...] = ()
    dockerfiles: tuple[Dockerfile, ...] = ()
    gateway_configs: tuple[GatewayConfig, ...] = ()
    workflows: tuple[Workflow, ...] = ()
    build_scripts: tuple[BuildScript, ...] = ()
    go_version_files: tuple[GoVersionFile, ...] = ()
    built_plugins: tuple[GoBinary, ...] = ()
    krakend_binary: GoBinary | None = None
    problems: tuple[Problem, ...] = ()
    compose_files: tuple[ComposeFile, ...] = ()
