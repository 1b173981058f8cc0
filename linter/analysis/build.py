"""Shared views of plugin builds for the KP2xx, KP3xx and KP6xx rules.

A ``BuildSite`` is one `go build` with what surrounds it: the image it runs in (a Dockerfile
stage, followed through ``FROM <stage>`` to a real image; a `docker run` container; a workflow
job container or runner), the packages installed before it, and the lines of its file for fixes.
A ``BuilderImage`` is one image that plugin builds run in, once per place it is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from linter.inputs.dockerfile import ArgDecl, Dockerfile, Stage
from linter.inputs.imageref import parse_image
from linter.inputs.shell import GoBuild, ShellScript, env_lookup, expand
from linter.inputs.workspace import Workspace
from linter.krakend.images import ImageInfo, classify, tag_origin
from linter.model import Fix, Location

if TYPE_CHECKING:  # the parsers of build scripts and workflows load only with such a file
    from linter.inputs.buildscript import BuildScript
    from linter.inputs.workflow import Workflow

GLIBC_RUNNERS = ("ubuntu", "debian")


@dataclass(frozen=True)
class BuildSite:
    build: GoBuild
    path: str
    kind: str  # "dockerfile", "makefile", "shell", "workflow"
    image: ImageInfo | None  # the image the build runs in; None on a host or CI runner
    image_location: Location | None = None
    stage: Stage | None = None
    dockerfile: Dockerfile | None = None
    installs: frozenset[str] = frozenset()  # packages installed before the build, same image
    platform: str = ""  # --platform of the stage or container
    host_libc: str = ""  # libc of the CI runner when there is no container
    lines: tuple[str, ...] = ()
    runner: str = ""  # the workflow job's runs-on label ("" elsewhere or inside a container)

    @property
    def is_plugin(self) -> bool:
        """Asks for a plugin, writes a .so, or runs in a KrakenD plugin builder."""
        return self.build.is_plugin_build or (self.image is not None and self.image.role == "krakend-builder")

    @property
    def libc(self) -> str:
        return self.image.libc if self.image is not None else self.host_libc

    def env(self, name: str) -> str | None:
        """The variable's value with other variables substituted, or None when unset."""
        var = self.build.getenv(name)
        return expand(var.value, env_lookup(self.build.env)) if var is not None else None


@dataclass(frozen=True)
class BuilderImage:
    """An image plugin builds run in, at the place it is written."""

    info: ImageInfo
    path: str
    location: Location  # the image token
    origin: Location  # where its tag is set: the image token, an ARG line, a Makefile variable
    arg: ArgDecl | None = None
    stage: Stage | None = None
    dockerfile: Dockerfile | None = None
    lines: tuple[str, ...] = ()


# --- build sites ---------------------------------------------------------------------------------

def build_sites(ws: Workspace) -> Iterator[BuildSite]:
    for dockerfile in ws.dockerfiles:
        yield from _dockerfile_sites(dockerfile)
    for script in ws.build_scripts:
        for shell in _deployed_scripts(script):
            yield from _script_sites(shell, script.path, script.kind, script.lines)
    for workflow in ws.workflows:
        yield from _workflow_sites(workflow)


def plugin_builds(ws: Workspace) -> Iterator[BuildSite]:
    return (site for site in build_sites(ws) if site.is_plugin)


def stage_root(dockerfile: Dockerfile, stage: Stage) -> Stage:
    """The stage whose FROM names a real image (``FROM builder`` is followed back)."""
    seen = {stage.index}
    while stage.base_stage is not None and stage.base_stage not in seen:
        stage = dockerfile.stages[stage.base_stage]
        seen.add(stage.index)
    return stage


def stage_chain(dockerfile: Dockerfile, stage: Stage) -> list[Stage]:
    chain = [stage]
    while chain[-1].base_stage is not None and len(chain) <= len(dockerfile.stages):
        chain.append(dockerfile.stages[chain[-1].base_stage])
    return chain


def runtime_stage(dockerfile: Dockerfile) -> tuple[Stage, ImageInfo] | None:
    """The final stage when it is a runtime (a KrakenD image or a plain OS image)."""
    final = dockerfile.final_stage
    if final is None:
        return None
    info = classify(stage_root(dockerfile, final).image)
    return (final, info) if info.role in ("krakend-runtime", "os", "scratch") else None


def _dockerfile_sites(dockerfile: Dockerfile) -> Iterator[BuildSite]:
    for stage in dockerfile.stages:
        root = stage_root(dockerfile, stage)
        info = classify(root.image)
        installed: set[str] = set()
        for earlier in reversed(stage_chain(dockerfile, stage)[1:]):
            installed.update(_installs(earlier))
        for run in stage.runs:
            if run.shell is None:
                continue
            installed.update(name for install in run.shell.installs for name in install.names)
            for build in run.shell.go_builds:
                image, location = _container(build, info, root.image_location)
                yield BuildSite(build, dockerfile.path, "dockerfile", image, location, stage, dockerfile,
                                frozenset(installed), build.platform or root.platform, "", dockerfile.lines)


def _deployed_scripts(script: BuildScript) -> Iterator[ShellScript]:
    """Every recipe but debug ones (`debug`, `dlv`, `dev` targets build for a debugger, not to deploy)."""
    if script.script is not None:
        yield script.script
    for recipe in script.recipes:
        words = set(recipe.target.lower().replace("_", "-").replace(":", "-").split("-"))
        if not words & _DEBUG_TARGETS:
            yield from recipe.scripts


_DEBUG_TARGETS = frozenset({"debug", "dlv", "delve", "dev"})


def _installs(stage: Stage) -> set[str]:
    return {name for run in stage.runs if run.shell for install in run.shell.installs for name in install.names}


def _container(build: GoBuild, info: ImageInfo | None, location: Location | None
               ) -> tuple[ImageInfo | None, Location | None]:
    if build.container:
        return classify(parse_image(build.container)), build.container_location
    return info, location


def _script_sites(shell: ShellScript, path: str, kind: str, lines: tuple[str, ...],
                  host: ImageInfo | None = None, host_location: Location | None = None,
                  runner: str = "") -> Iterator[BuildSite]:
    installed = frozenset(name for install in shell.installs for name in install.names)
    for build in shell.go_builds:
        image, location = _container(build, host, host_location)
        on_runner = runner if image is None else ""
        yield BuildSite(build, path, kind, image, location, installs=installed, platform=build.platform,
                        host_libc=runner_libc(on_runner), lines=lines, runner=on_runner)


def _workflow_sites(workflow: Workflow) -> Iterator[BuildSite]:
    for job in workflow.jobs:
        image = classify(parse_image(job.container.text)) if job.container else None
        location = job.container.location if job.container else None
        runner = job.runs_on.text.lower() if job.runs_on else ""
        for step in job.steps:
            if step.run is not None:
                yield from _script_sites(step.run, workflow.path, "workflow", workflow.lines, image, location,
                                         runner)


def runner_libc(label: str) -> str:
    return "glibc" if label.startswith(GLIBC_RUNNERS) else ""


# --- builder images ------------------------------------------------------------------------------

def builder_images(ws: Workspace) -> Iterator[BuilderImage]:
    """Each image some plugin build runs in, once per place it is written."""
    seen: set[tuple[str, int, int]] = set()
    for site in plugin_builds(ws):
        if site.image is None or site.image_location is None:
            continue
        key = (site.path, site.image_location.line, site.image_location.column)
        if key in seen:
            continue
        seen.add(key)
        yield _builder_image(ws, site)


def _builder_image(ws: Workspace, site: BuildSite) -> BuilderImage:
    assert site.image is not None and site.image_location is not None
    if site.dockerfile is not None and site.stage is not None and not site.build.container:
        root = stage_root(site.dockerfile, site.stage)
        origin, arg = tag_origin(root)
        return BuilderImage(site.image, site.path, site.image_location, origin, arg, root, site.dockerfile,
                            site.lines)
    origin = site.image_location
    script = next((s for s in ws.build_scripts if s.path == site.path), None)
    if script is not None and script.kind in ("makefile", "taskfile"):
        origin = _make_origin(script, site.image_location)
    return BuilderImage(site.image, site.path, site.image_location, origin, lines=site.lines)


def _make_origin(script: BuildScript, location: Location) -> Location:
    for shell in script.scripts:
        for run in shell.docker_runs:
            if run.image.location == location:
                return script.origin(run.image)[0]
    return location


def image_sites(ws: Workspace) -> Iterator[BuilderImage]:
    """Every image reference that a build or a runtime uses: Dockerfile FROM lines, `docker run`
    images in scripts, workflow containers and `docker://` steps."""
    for dockerfile in ws.dockerfiles:
        for stage in dockerfile.stages:
            if stage.base_stage is None:
                origin, arg = tag_origin(stage)
                yield BuilderImage(classify(stage.image), dockerfile.path, stage.image_location, origin, arg, stage,
                                   dockerfile, dockerfile.lines)
    for script in ws.build_scripts:
        for shell in script.scripts:
            for run in shell.docker_runs:
                text = expand(run.image.text, env_lookup(run.shell_env))
                origin = script.origin(run.image)[0] if script.kind in ("makefile", "taskfile") else run.image.location
                yield BuilderImage(classify(parse_image(text)), script.path, run.image.location, origin,
                                   lines=script.lines)
    for workflow in ws.workflows:
        for value in workflow.images:
            yield BuilderImage(classify(parse_image(value.text)), workflow.path, value.location, value.location,
                               lines=workflow.lines)


# --- fixes ---------------------------------------------------------------------------------------

def replace_at(lines: tuple[str, ...], location: Location, old: str, new: str) -> Fix | None:
    """A one-line fix that writes ``new`` where ``old`` is at ``location`` (or is once on the line)."""
    if not 0 < location.line <= len(lines) or not old:
        return None
    line = lines[location.line - 1]
    start = location.column - 1
    if start >= 0 and line[start : start + len(old)] == old:
        return Fix(location.line, line[:start] + new + line[start + len(old) :])
    if line.count(old) == 1:
        return Fix(location.line, line.replace(old, new))
    return None


def image_fix(image: BuilderImage, new_image: str) -> Fix | None:
    """Rewrite the image where the human writes it: the FROM token, or the ARG default filling it."""
    ref = image.info.ref
    if image.arg is not None and image.arg.value is not None:
        old_value = image.arg.value
        new_value = _swap(ref.raw, new_image, old_value)
        if new_value is None:
            return None
        return replace_at(image.lines, image.arg.location, f"{image.arg.name}={old_value}",
                          f"{image.arg.name}={new_value}")
    written = image.stage.from_image if image.stage is not None else ref.raw
    if "$" in written:
        return None
    return replace_at(image.lines, image.location, written, new_image)


def _swap(old_image: str, new_image: str, value: str) -> str | None:
    """The ARG value that turns ``old_image`` into ``new_image``, when the change lies in its text."""
    pos = old_image.find(value)
    if not value or pos < 0 or old_image.count(value) != 1:
        return None
    prefix = 0
    while prefix < min(len(old_image), len(new_image)) and old_image[prefix] == new_image[prefix]:
        prefix += 1
    suffix = 0
    while (suffix < min(len(old_image), len(new_image)) - prefix
           and old_image[-1 - suffix] == new_image[-1 - suffix]):
        suffix += 1
    if prefix < pos or len(old_image) - suffix > pos + len(value):
        return None
    delta = len(new_image) - len(old_image)
    return new_image[pos : pos + len(value) + delta]


def remove_span(lines: tuple[str, ...], location: Location) -> Fix | None:
    """A one-line fix that deletes a single-line token (and one space beside it)."""
    if location.line != location.end_line or not 0 < location.line <= len(lines) or location.column <= 0:
        return None
    line = lines[location.line - 1]
    start, end = location.column - 1, location.end_column - 1
    if end <= start or end > len(line):
        return None
    if end < len(line) and line[end] == " ":
        end += 1
    elif start > 0 and line[start - 1] == " ":
        start -= 1
    return Fix(location.line, line[:start] + line[end:])
