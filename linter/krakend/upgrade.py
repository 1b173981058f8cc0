"""The exact edits that move a plugin to KrakenD release V.

``plan_upgrade`` compares the plugin's go.mod with V's reference and returns line edits (1-based
line numbers and the full replacement line, ready for a PR suggestion), the Go toolchain and
builder image to use, and the Dockerfile FROM lines to change. Dockerfile images arrive as plain
``(path, line, image)`` tuples from whoever parsed the Dockerfile.

``plan_text_edits`` covers the rest of a deployment, line by line: runtime and builder image tags
in Dockerfiles, Compose files, workflows and build scripts; ``ARG`` defaults and Makefile/Taskfile
variables that hold a KrakenD or Go version; ``go-version`` of setup-go; ``.go-version``; and the
gateway config's versioned ``$schema``. Each edit says where its number comes from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from linter.inputs.gomod import GoMod, go_version_tuple
from linter.krakend.reference import Reference
from linter.krakend.releases import Release

_BUILDER_NAMES = ("krakend/builder", "devopsfaith/krakend-plugin-builder")
_GOLANG_NAMES = ("golang", "library/golang")
_RUNTIME_NAMES = ("krakend", "library/krakend", "devopsfaith/krakend")
_EE_NAMES = ("krakend/builder-ee", "krakend/krakend-ee")
_REGISTRY = "docker.io/"


@dataclass(frozen=True)
class LineEdit:
    """Replace line ``line`` of ``path`` by ``replacement`` ("" with ``delete`` removes it)."""

    path: str
    line: int
    old: str
    replacement: str
    reason: str
    delete: bool = False


@dataclass(frozen=True)
class LineAddition:
    path: str
    text: str
    reason: str


@dataclass(frozen=True)
class ImageEdit:
    path: str
    line: int
    old_image: str
    new_image: str
    reason: str


@dataclass(frozen=True)
class UpgradePlan:
    version: str
    go_version: str
    builder_image: str  # the builder to build in ("" when the release has none: use go_image)
    go_image: str  # a plain golang image with the right Go and libc
    gomod_edits: tuple[LineEdit, ...] = ()
    gomod_additions: tuple[LineAddition, ...] = ()
    docker_edits: tuple[ImageEdit, ...] = ()
    text_edits: tuple[LineEdit, ...] = ()
    commands: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.gomod_edits or self.gomod_additions or self.docker_edits or self.text_edits)

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "go_version": self.go_version,
            "builder_image": self.builder_image,
            "go_image": self.go_image,
            "gomod_edits": [vars(e) for e in self.gomod_edits],
            "gomod_additions": [vars(a) for a in self.gomod_additions],
            "docker_edits": [vars(e) for e in self.docker_edits],
            "text_edits": [vars(e) for e in self.text_edits],
            "commands": list(self.commands),
            "notes": list(self.notes),
        }


def plan_upgrade(
    gomod: GoMod,
    reference: Reference,
    release: Release,
    dockerfile_images: Sequence[tuple[str, int, str]] = (),
    *,
    libc: str = "",
    files: Iterable[DeploymentFile] = (),
) -> UpgradePlan:
    """Edits for go.mod and Dockerfiles to build the plugin for ``release`` (``libc`` "musl" or
    "glibc"; "" = the release's Docker image libc, musl for v2)."""
    libc = libc or release.libc
    go = reference.go_version or release.go_version
    builder = release.builder(libc)
    edits = list(_require_edits(gomod, reference, release)) + list(_toolchain_edits(gomod, go, release))
    notes: list[str] = []
    docker = [edit for item in dockerfile_images if (edit := _image_edit(item, release, go, libc, notes))]
    files = tuple(files)
    written = {(f.path, number): line for f in files for number, line in enumerate(f.lines, start=1)}
    # An image a variable fills (`krakend/builder:{{.KRAKEND_VERSION}}`) moves with the variable.
    docker = [d for d in docker if d.old_image in written.get((d.path, d.line), d.old_image)]
    taken = {(d.path, d.line) for d in docker}
    text = [e for e in plan_text_edits(files, release, go, libc)
            if (e.path, e.line) not in taken]
    commands: tuple[str, ...] = ()
    if edits:
        commands = ("go mod tidy",)
        notes.append("`go mod tidy` may raise other modules; run the linter again after it")
    return UpgradePlan(
        version=release.version,
        go_version=go,
        builder_image=builder.image if builder else "",
        go_image=_go_image(release, go, libc),
        gomod_edits=tuple(edits),
        gomod_additions=tuple(_replace_additions(gomod, reference, release)),
        docker_edits=tuple(docker),
        text_edits=tuple(text),
        commands=commands,
        notes=tuple(notes),
    )


def reference_name(reference: Reference, release: Release) -> str:
    """Where the module versions come from, in words: "KrakenD 2.13.8's go.mod"."""
    if reference.source == "binary":
        return f"the KrakenD {release.version} binary"
    return f"KrakenD {release.version}'s go.mod"


def _require_edits(gomod: GoMod, reference: Reference, release: Release) -> list[LineEdit]:
    edits = []
    source = reference_name(reference, release)
    for req in gomod.requires:
        want = reference.modules.get(req.path)
        if not want or want == req.version:
            continue
        new_line = req.line_with_version(want)
        if new_line == req.line_text:
            continue  # the version is not on the module's line; nothing a one-line edit can do
        edits.append(LineEdit(gomod.path, req.location.line, req.line_text, new_line,
                              f"{source} requires {req.path} {want}, not {req.version}"))
    for rep in gomod.replaces:
        want = reference.modules.get(rep.old_path)
        if want and reference.replacement_for(rep.old_path, want) is None:
            edits.append(LineEdit(gomod.path, rep.location.line, rep.line_text, "",
                                  f"{source} requires {rep.old_path} {want} unreplaced; "
                                  f"a replacement makes its packages differ", delete=True))
    return edits


def _replace_additions(gomod: GoMod, reference: Reference, release: Release) -> list[LineAddition]:
    additions = []
    for rep in reference.replacements:
        req = gomod.require_for(rep.old_path)
        if req is None or gomod.replacement_for(rep.old_path, req.version) is not None:
            continue
        old = f"{rep.old_path} {rep.old_version}".strip()
        new = f"{rep.new_path} {rep.new_version}".strip()
        additions.append(LineAddition(gomod.path, f"replace {old} => {new}",
                                      f"KrakenD {release.version} builds {rep.old_path} from {new}"))
    return additions


def _toolchain_edits(gomod: GoMod, go: str, release: Release) -> list[LineEdit]:
    target = go_version_tuple(go)
    if target is None:
        return []
    edits = []
    current = gomod.go_version()
    if gomod.go is not None and current is not None and current > target:
        # A go line above the builder's Go makes the build refuse (or download another toolchain).
        text = f"go {go}" if target >= (1, 21, 0) else f"go {target[0]}.{target[1]}"
        edits.append(LineEdit(gomod.path, gomod.go.location.line, f"go {gomod.go.value}", text,
                              f"go line {gomod.go.value} is newer than Go {go}, which KrakenD {release.version} "
                              f"is built with (release table)"))
    if gomod.toolchain is not None and go_version_tuple(gomod.toolchain.value) != target:
        keep = target >= (1, 21, 0)
        edits.append(LineEdit(gomod.path, gomod.toolchain.location.line, f"toolchain {gomod.toolchain.value}",
                              f"toolchain go{go}" if keep else "",
                              f"KrakenD {release.version} is built with Go {go} (release table)",
                              delete=not keep))
    return edits


def _go_image(release: Release, go: str, libc: str) -> str:
    if libc == "musl" and release.alpine_version:
        return f"golang:{go}-alpine{release.alpine_version}"
    if release.glibc_build_image and go == release.go_version:
        return release.glibc_build_image
    return f"golang:{go}"


def split_image(image: str) -> tuple[str, str]:
    """("krakend/builder", "2.7.0") for "docker.io/krakend/builder:2.7.0@sha256:…"."""
    ref = image.split("@", 1)[0]
    slash = ref.rfind("/")
    colon = ref.rfind(":")
    name, tag = (ref[:colon], ref[colon + 1 :]) if colon > slash else (ref, "")
    return name.removeprefix(_REGISTRY), tag


def _image_edit(item: tuple[str, int, str], release: Release, go: str, libc: str,
                notes: list[str]) -> ImageEdit | None:
    path, line, image = item
    name, tag = split_image(image)
    if "$" in image:
        if any(known in name for known in (*_BUILDER_NAMES, "golang", "krakend")):
            notes.append(f"{path}:{line}: {image} is set by a build argument; make its default match "
                         f"KrakenD {release.version} (Go {go})")
        return None
    if name in _EE_NAMES:
        notes.append(f"{path}:{line}: {image} is KrakenD Enterprise; its tags follow EE releases")
        return None
    new, reason = _new_image(name, tag, release, go, libc)
    if new and image.startswith(_REGISTRY):
        new = _REGISTRY + new
    if not new or new == image.split("@", 1)[0]:
        return None
    return ImageEdit(path, line, image, new, reason)


def _new_image(name: str, tag: str, release: Release, go: str, libc: str) -> tuple[str, str]:
    if name in _BUILDER_NAMES:
        wants_glibc = tag.endswith("-linux-generic") or libc == "glibc"
        builder = release.builder("glibc" if wants_glibc else "musl")
        if builder:
            return builder.image, f"the builder of KrakenD {release.version} (Go {go}, {builder.libc}; release table)"
        return _go_image(release, go, "glibc" if wants_glibc else "musl"), (
            f"KrakenD {release.version} has no builder image; this golang image has its Go")
    if name in _GOLANG_NAMES:
        image = _go_image(release, go, "musl" if "alpine" in tag else "glibc")
        return image, f"KrakenD {release.version} is built with Go {go} (release table)"
    if name in _RUNTIME_NAMES:
        suffix = "-watch" if tag.endswith("-watch") else ""
        return f"{name}:{release.version}{suffix}", f"run KrakenD {release.version}, which the plugin is built for"
    return "", ""


# --- the rest of the deployment, line by line ---------------------------------------------------

@dataclass(frozen=True)
class DeploymentFile:
    """A file of the deployment: its display path, its kind and its lines (no line endings).

    ``kind``: "dockerfile", "compose", "workflow", "makefile", "taskfile", "shell", ".go-version",
    ".tool-versions" or "config"."""

    path: str
    kind: str
    lines: tuple[str, ...]


_IMAGE = re.compile(
    r"(?<![\w./-])((?:docker\.io/)?(?:library/)?"
    r"(?:krakend/builder|devopsfaith/krakend-plugin-builder|devopsfaith/krakend|krakend|golang))"
    r":([0-9][\w.-]*)")
_KRAKEND_VAR = re.compile(r"KRAKEND(?:_CE)?_?(?:VERSION|TAG|IMAGE_TAG)|BUILDER_?(?:VERSION|TAG)", re.I)
_GO_VAR = re.compile(r"GO(?:LANG)?_?VERSION", re.I)
_ASSIGN = {
    "dockerfile": re.compile(r"^(\s*ARG\s+)(\w+)(=)(\S+)"),
    "makefile": re.compile(r"^(\s*(?:export\s+|override\s+)?)(\w+)(\s*(?:\?=|:=|::=|=)\s*)(\S+)"),
    "taskfile": re.compile(r"^(\s+)(\w+)(:\s*)(\S+)"),
    "workflow": re.compile(r"^(\s+)(\w+)(:\s*)(\S+)"),
    "compose": re.compile(r"^(\s+-?\s*)(\w+)(\s*[:=]\s*)(\S+)"),
    "shell": re.compile(r"^(\s*(?:export\s+)?)(\w+)(=)(\S+)"),
}
_SETUP_GO = re.compile(r"^(\s*-?\s*go-version:\s*)(\S+)")
_SCHEMA = re.compile(r'("\$schema"\s*:\s*"https?://www\.krakend\.io/schema/)(v?\d+\.\d+)(/)')
_VERSION = re.compile(r"^v?\d+(?:\.\d+){1,2}$")


def plan_text_edits(files: Iterable[DeploymentFile], release: Release, go: str, libc: str) -> list[LineEdit]:
    """Line edits that make every version number in ``files`` say KrakenD ``release`` and Go ``go``."""
    edits = []
    for file in files:
        for number, line in enumerate(file.lines, start=1):
            new, reason = _line_edit(file.kind, line, release, go, libc)
            if new != line:
                edits.append(LineEdit(file.path, number, line, new, reason))
    return edits


def _line_edit(kind: str, line: str, release: Release, go: str, libc: str) -> tuple[str, str]:
    if kind in (".go-version", ".tool-versions"):
        return _go_version_file(kind, line, go, release)
    if kind == "config":
        return _schema(line, release)
    new, reason = _images(line, release, go, libc)
    reasons = [reason] if reason else []
    if kind == "workflow" and (found := _SETUP_GO.match(new)):
        value = found.group(2)
        replaced = _versioned(value, go)
        if replaced != value:
            new = new[:found.start(2)] + replaced + new[found.end(2):]
            reasons.append(f"setup-go must install Go {go}, which KrakenD {release.version} is built with "
                           f"(release table)")
    assign = _ASSIGN.get(kind)
    if assign is not None and (found := assign.match(new)):
        name, value = found.group(2), found.group(4)
        want = release.version if _KRAKEND_VAR.fullmatch(name) else go if _GO_VAR.fullmatch(name) else ""
        replaced = _versioned(value, want) if want else value
        if replaced != value:
            new = new[:found.start(4)] + replaced + new[found.end(4):]
            what = f"KrakenD {release.version}" if want == release.version else (
                f"Go {go}, which KrakenD {release.version} is built with (release table)")
            reasons.append(f"{name} names {what}")
    return new, "; ".join(reasons)


def _versioned(value: str, want: str) -> str:
    """``value`` with its version replaced by ``want``, keeping quotes and a leading ``v``."""
    quote = value[0] if value[:1] in ("'", '"') and value[-1:] == value[:1] and len(value) > 1 else ""
    bare = value[1:-1] if quote else value
    if not _VERSION.match(bare):
        return value
    prefix = "v" if bare.startswith("v") else ""
    return f"{quote}{prefix}{want}{quote}"


def _images(line: str, release: Release, go: str, libc: str) -> tuple[str, str]:
    reasons = []

    def swap(found: re.Match[str]) -> str:
        written, tag = found.group(1), found.group(2)
        name = written.removeprefix(_REGISTRY)
        new, reason = _new_image(name, tag, release, go, libc)
        if not new or name in _EE_NAMES:
            return found.group(0)
        if written.startswith(_REGISTRY):
            new = _REGISTRY + new
        if new != found.group(0):
            reasons.append(reason)
        return new

    return _IMAGE.sub(swap, line), "; ".join(reasons)


def _go_version_file(kind: str, line: str, go: str, release: Release) -> tuple[str, str]:
    reason = f"Go {go}, which KrakenD {release.version} is built with (release table)"
    if kind == ".go-version":
        value = line.strip()
        return (line.replace(value, go) if _VERSION.match(value) else line), reason
    parts = line.split()
    if len(parts) >= 2 and parts[0] in ("golang", "go") and _VERSION.match(parts[1]):
        return line.replace(parts[1], go, 1), reason
    return line, reason


def _schema(line: str, release: Release) -> tuple[str, str]:
    major, minor = release.version.split(".")[:2]
    found = _SCHEMA.search(line)
    if found is None:
        return line, ""
    prefix = "v" if found.group(2).startswith("v") else ""
    new = line[:found.start(2)] + f"{prefix}{major}.{minor}" + line[found.end(2):]
    return new, f"the configuration schema of KrakenD {major}.{minor}"
