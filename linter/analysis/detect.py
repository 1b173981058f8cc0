"""Which KrakenD the plugin is built for: `--krakend-version`, else what the workspace pins.

Every place that names a KrakenD version becomes a ``TargetCandidate``: runtime images
(``krakend:<v>``, ``devopsfaith/krakend:<v>``, ``krakend/krakend-ee:<v>``), builder images
(``krakend/builder:<v>``), build arguments and Makefile/workflow variables named after KrakenD,
and a gateway config ``$schema`` URL (``https://www.krakend.io/schema/v2.7/krakend.json``).
The strongest kind wins (the runtime image is what loads the plugin); floating tags resolve to
the newest release they can mean, and the rules report floating and disagreeing sources.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from linter.analysis.build import stage_root
from linter.inputs.dockerfile import Dockerfile
from linter.inputs.imageref import parse_image
from linter.inputs.shell import EnvVar, ShellScript, SimpleCommand, Word, env_lookup, expand
from linter.inputs.workspace import Workspace
from linter.krakend.images import ImageInfo, classify, tag_origin
from linter.krakend.releases import Release, release, resolve_tag, version_key
from linter.krakend.target import Target, TargetCandidate
from linter.model import Location

if TYPE_CHECKING:  # the parsers of build scripts, Compose files and workflows load only with such a file
    from linter.inputs.buildscript import BuildScript, MakeVariable
    from linter.inputs.compose import ComposeFile
    from linter.inputs.workflow import Value, Workflow

_SCHEMA_PREFIX = "krakend.io/schema/"
_HOST_REPO = "krakend-ce"
_PIN_WORDS = ("VERSION", "TAG", "IMAGE", "BUILDER", "RELEASE")
_Origin = Callable[[Word], "tuple[Location, MakeVariable | None]"]


def detect_target(ws: Workspace, cli_version: str | None) -> Target:
    candidates = tuple(_unique(collect_candidates(ws)))
    chosen: TargetCandidate | None
    if cli_version:
        chosen = cli_candidate(cli_version)
        candidates = (chosen, *candidates)
    else:
        ranked = sorted(candidates, key=lambda c: (c.rank, not c.resolved))
        chosen = ranked[0] if ranked else None
    if chosen is None:
        return Target(candidates=candidates)
    found = release(chosen.resolved) if chosen.resolved else None
    return Target(
        go_override=chosen.go_version,
        libc_override=chosen.libc,
        version=chosen.resolved or chosen.version,
        release=found,
        source=chosen.source,
        location=chosen.location,
        floating=chosen.floating,
        edition="ee" if chosen.edition == "ee" or any(c.edition == "ee" for c in candidates) else "ce",
        flavour=_flavour(chosen, candidates),
        candidates=candidates,
        written=chosen.version,
    )


def cli_candidate(text: str) -> TargetCandidate:
    version = text.strip().removeprefix("v")
    match = resolve_tag(version)
    resolved = match.release.version if match else (version if len(version_key(version)) == 3 else "")
    floating = bool(match and match.floating)
    return TargetCandidate(version, "--krakend-version", None, floating, resolved, "cli")


def collect_candidates(ws: Workspace) -> Iterator[TargetCandidate]:
    scripts = {script.path: script for script in ws.build_scripts}
    for dockerfile in ws.dockerfiles:
        yield from _dockerfile(dockerfile)
        yield from _self_built_hosts(dockerfile, scripts)
        for stage in dockerfile.stages:
            for instruction in stage.instructions:
                if instruction.shell is not None:
                    yield from _package_installs(instruction.shell, dockerfile.path)
    for script in ws.build_scripts:
        yield from _build_script(script)
    for workflow in ws.workflows:
        yield from _workflow(workflow)
    for compose in ws.compose_files:
        yield from _compose(compose)
    for config in ws.gateway_configs:
        found = schema_candidate(config.schema, config.schema_location)
        if found is not None:
            yield found


def schema_candidate(url: str, loc: Location | None) -> TargetCandidate | None:
    """``.../schema/v2.7/krakend.json`` names a minor version (it floats over its patches)."""
    if _SCHEMA_PREFIX not in url:
        return None
    part = url.split(_SCHEMA_PREFIX, 1)[1].split("/", 1)[0]
    match = resolve_tag(part.removeprefix("v")) if part.startswith("v") else None
    if match is None:
        return None
    where = f"{loc.path}:{loc.line}" if loc else "gateway config"
    return TargetCandidate(part.removeprefix("v"), f"{where} $schema {url}", loc, True,
                           match.release.version, "config-schema", path=loc.path if loc else "")


# --- sources -------------------------------------------------------------------------------------

def _dockerfile(dockerfile: Dockerfile) -> Iterator[TargetCandidate]:
    for stage in dockerfile.stages:
        info = classify(stage.image)
        if not info.is_krakend:
            continue
        location, decl = tag_origin(stage)
        via = f" (ARG {decl.name})" if decl else ""
        kind = "runtime-image" if info.role == "krakend-runtime" else "builder-image"
        what = "runtime image" if kind == "runtime-image" else "builder image"
        source = f"{dockerfile.path}:{location.line} {what} {stage.image.raw}{via}"
        yield _image_candidate(info, source, location, kind, dockerfile.path, stage.index)


def _self_built_hosts(dockerfile: Dockerfile, scripts: Mapping[str, BuildScript]) -> Iterator[TargetCandidate]:
    """A stage that clones krakend-ce and builds it: the host is that tag, built with the stage's Go
    and libc (a `golang:` image), whatever the runtime image is called. The clone may sit in a
    script of the repository that a RUN line runs."""
    for stage in dockerfile.stages:
        image = classify(stage_root(dockerfile, stage).image)
        found: tuple[str, Location] | None = None  # the ref cloned, and where to point at it
        for instruction in stage.instructions:
            if instruction.shell is None:
                continue
            lookup = env_lookup(instruction.env)
            for command in instruction.shell.commands:
                for words in (_words(command), *_script_commands(command, dockerfile.path, scripts)):
                    clone = host_clone(words)
                    if clone is not None:
                        found = (expand(clone, lookup).strip(), command.words[0].location)
                    elif found is not None and _checkout(words):
                        found = (expand(_checkout(words), lookup).strip(), command.words[0].location)
        if found is not None:
            yield _host_candidate(found[0], found[1], dockerfile.path, image, stage.index)


def _words(command: SimpleCommand) -> list[str]:
    return [word.text for word in command.words]


def _script_commands(command: SimpleCommand, dockerfile: str, scripts: Mapping[str, BuildScript]
                     ) -> Iterator[list[str]]:
    """The commands of a repository script that this RUN command runs (`bash installers/x.sh`)."""
    base = dockerfile.rsplit("/", 1)[0] + "/" if "/" in dockerfile else ""
    for word in command.words:
        name = word.text.removeprefix("./")
        script = scripts.get(base + name) or scripts.get(name)
        if script is not None:
            for shell in script.scripts:
                yield from (_words(inner) for inner in shell.commands)


def _checkout(words: list[str]) -> str:
    """The ref of `git [-C DIR] checkout [-b NEW] REF` ("" for any other command)."""
    if not words or words[0] != "git" or "checkout" not in words[1:4]:
        return ""
    rest = [w for w in words[words.index("checkout") + 1:] if not w.startswith("-")]
    return rest[-1] if rest else ""


def host_clone(words: list[str]) -> str | None:
    """The ref of `git clone [-b REF] …krakend-ce…` ("" when it clones the default branch);
    None when the command is not such a clone."""
    if len(words) < 3 or words[0] != "git" or "clone" not in words[1:3]:
        return None
    if not any(_HOST_REPO in word for word in words):
        return None
    for index, word in enumerate(words):
        if word in ("-b", "--branch") and index + 1 < len(words):
            return words[index + 1]
        if word.startswith("--branch="):
            return word.split("=", 1)[1]
    return ""


def _host_candidate(ref: str, location: Location, path: str, image: ImageInfo, stage: int) -> TargetCandidate:
    version = ref.removeprefix("refs/tags/").removeprefix("tags/").removeprefix("v")
    match = resolve_tag(version) if version and version[0].isdigit() else None
    unpinned = match is None and "$" not in ref
    newest = resolve_tag("latest") if unpinned else None
    resolved = match.release.version if match else (newest.release.version if newest else "")
    where = f"{path}:{location.line} builds KrakenD from krakend-ce " + (f"at {ref}" if ref else "without a tag")
    if image.role == "golang" and image.go_version:
        where += f" with Go {image.go_version}"
    return TargetCandidate(
        version=version or "latest", source=where, location=location,
        floating=bool(unpinned or (match and match.floating)), resolved=resolved, kind="self-built",
        path=path, stage=stage,
        go_version=image.go_version if image.role == "golang" else "",
        libc=image.libc if image.role in ("golang", "os") else "",
    )


def _compose(compose: ComposeFile) -> Iterator[TargetCandidate]:
    """A Compose service running a KrakenD image (an image whose tag Compose could not resolve here
    names no version)."""
    for service in compose.services:
        image = service.image
        if image is None or image.unresolved:
            continue
        info = classify(parse_image(image.text))
        if not info.is_krakend:
            continue
        kind = "runtime-image" if info.role == "krakend-runtime" else "builder-image"
        where = image.origin or image.location
        source = f"{compose.path}:{image.location.line} service {service.name} image {image.text}"
        yield _image_candidate(info, source, where, kind, compose.path)


def _image_candidate(info: ImageInfo, source: str, location: Location, kind: str, path: str,
                     stage: int = -1) -> TargetCandidate:
    flavour = info.flavour or _runtime_flavour(info.release)
    return TargetCandidate(
        version=info.version_text,
        source=source,
        location=location,
        floating=info.floating,
        resolved=info.release.version if info.release else "",
        kind=kind,
        edition=info.edition or "ce",
        flavour=flavour,
        path=path,
        stage=stage,
    )


def _runtime_flavour(found: Release | None) -> str:
    if found is None:
        return ""
    return "linux-generic" if found.libc == "glibc" else "alpine"


def _build_script(script: BuildScript) -> Iterator[TargetCandidate]:
    for shell in script.scripts:
        yield from _shell_images(shell, script.path, script.origin if script.kind in ("makefile", "taskfile") else None)
    for variable in script.variables.values():
        value = script.expand(variable.value, variable.scope).strip()
        found = _variable_candidate(variable.name, value, variable.location, "make-variable")
        if found is not None:
            yield found


def _package_installs(shell: ShellScript, path: str) -> Iterator[TargetCandidate]:
    """`apt-get install krakend=2.0.2` (or `yum install krakend-2.0.2`): KrakenD's own deb/rpm
    package, the generic Linux (glibc) build of that release."""
    for install in shell.installs:
        for word in install.packages:
            name, _, version = word.text.partition("=" if "=" in word.text else "-")
            version = version.split("-", 1)[0].removeprefix("v")
            match = resolve_tag(version) if name == "krakend" and version[:1].isdigit() else None
            if match is not None:
                source = f"{path}:{word.location.line} {install.manager} package {word.text}"
                yield TargetCandidate(version, source, word.location, match.floating, match.release.version,
                                      "os-package", path=path, flavour="linux-generic")


def _shell_images(shell: ShellScript, path: str, origin: _Origin | None) -> Iterator[TargetCandidate]:
    yield from _package_installs(shell, path)
    for run in shell.docker_runs:
        env = run.shell_env
        text = expand(run.image.text, env_lookup(env))
        info = classify(parse_image(text))
        if not info.is_krakend:
            continue
        if origin is not None:
            location = origin(run.image)[0]
        else:
            location = _shell_origin(run.image.text, env) or run.image.location
        kind = "runtime-image" if info.role == "krakend-runtime" else "builder-image"
        source = f"{path}:{location.line} docker run {text}"
        yield _image_candidate(info, source, location, kind, path)
    overrides = [*(v for b in shell.docker_builds for v in b.build_args.values()),
                 *(v for call in shell.make_calls for v in call.variables)]
    for var in overrides:  # `docker build --build-arg KRAKEND_VERSION=...`, `make KRAKEND_VERSION=...`
        found = _variable_candidate(var.name, var.value, var.location, "build-arg")
        if found is not None:
            yield found


def _shell_origin(text: str, env: Mapping[str, EnvVar]) -> Location | None:
    """The assignment of a shell variable used in an image word (``krakend/builder:${V}``)."""
    for name, var in env.items():
        if f"${name}" in text or f"${{{name}" in text:
            return var.location
    return None


def _variable_candidate(name: str, value: str, location: Location, kind: str) -> TargetCandidate | None:
    """``KRAKEND_VERSION=2.7.0``: a variable named after KrakenD (not its Go) holding a version."""
    upper = name.upper()
    rest = upper.replace("KRAKEND", "")
    if "KRAKEND" not in upper or "GO" in rest or "$" in value or not any(w in rest for w in _PIN_WORDS):
        return None
    tag = value.rsplit(":", 1)[-1] if ":" in value else value
    info = classify(parse_image(value)) if ":" in value or "/" in value else None
    if info is not None and info.is_krakend:
        source = f"{location.path}:{location.line} {name}={value}"
        return _image_candidate(info, source, location, kind, location.path)
    match = resolve_tag(tag.removeprefix("v")) if tag and tag[0] in "v0123456789" else None
    if match is None:
        return None
    return TargetCandidate(tag, f"{location.path}:{location.line} {name}={value}", location, match.floating,
                           match.release.version, kind, path=location.path,
                           flavour="linux-generic" if match.variant == "linux-generic" else "")


def _workflow(workflow: Workflow) -> Iterator[TargetCandidate]:
    for image in workflow.images:
        found = _value_image(image, workflow.path)
        if found is not None:
            yield found
    for shell in workflow.scripts:
        yield from _shell_images(shell, workflow.path, None)
    envs = [workflow.env, *(job.env for job in workflow.jobs)]
    for env in envs:
        for var in env.values():
            found = _variable_candidate(var.name, var.value, var.location, "workflow-env")
            if found is not None:
                yield found
    for _job, step in workflow.steps:
        build_args = step.inputs.get("build-args")
        if build_args is not None:
            yield from _build_args_input(build_args)


def _value_image(image: Value, path: str) -> TargetCandidate | None:
    info = classify(parse_image(image.text))
    if not info.is_krakend:
        return None
    kind = "runtime-image" if info.role == "krakend-runtime" else "builder-image"
    return _image_candidate(info, f"{path}:{image.location.line} image {image.text}", image.location, kind, path)


def _build_args_input(value: Value) -> Iterator[TargetCandidate]:
    """docker/build-push-action's `build-args:` (one ``NAME=value`` a line)."""
    for offset, line in enumerate(value.text.splitlines()):
        name, equals, text = line.strip().partition("=")
        if not equals:
            continue
        loc = value.location
        where = Location(loc.path, loc.line + (offset + 1 if "\n" in value.text else 0), 0)
        found = _variable_candidate(name.strip(), text.strip(), where, "build-arg")
        if found is not None:
            yield found


def _unique(candidates: Iterable[TargetCandidate]) -> Iterator[TargetCandidate]:
    """One candidate per place (an image built from a variable is also seen as that variable)."""
    seen: dict[tuple[str, int], TargetCandidate] = {}
    for candidate in candidates:
        loc = candidate.location
        key = (loc.path, loc.line) if loc else (candidate.source, 0)
        if key in seen:
            if candidate.rank < seen[key].rank:
                seen[key] = candidate
            continue
        seen[key] = candidate
    yield from seen.values()


def _flavour(chosen: TargetCandidate, candidates: tuple[TargetCandidate, ...]) -> str:
    """The runtime's flavour when a runtime image is known, else what the builders say."""
    runtime = next((c for c in candidates if c.kind == "runtime-image" and c.flavour), None)
    if runtime is not None:
        return runtime.flavour
    if chosen.flavour:
        return chosen.flavour
    builder = next((c for c in candidates if c.kind == "builder-image" and c.flavour), None)
    return builder.flavour if builder else ""
