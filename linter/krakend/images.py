"""What an image reference means for a plugin build: KrakenD runtime, KrakenD builder, golang, OS.

Names and tags follow KrakenD's release workflow and Docker Hub: ``krakend:<v>`` (Docker Official
Image), ``devopsfaith/krakend:<v>``, ``krakend/krakend-ee:<v>`` at run time;
``krakend/builder:<v>[-linux-generic]``, ``krakend/builder-ee:<v>`` and the older
``devopsfaith/krakend-plugin-builder:<v>`` to build plugins; ``golang:<go>[-<os>]`` otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from linter.inputs.dockerfile import ArgDecl, Stage
from linter.inputs.imageref import ImageRef
from linter.krakend.releases import Release, TagMatch, resolve_tag
from linter.model import Location

RUNTIME_IMAGES = {
    "krakend": "ce",
    "devopsfaith/krakend": "ce",
    "krakend/krakend": "ce",
    "krakend/krakend-ee": "ee",
    "devopsfaith/krakend-ee": "ee",
}
BUILDER_IMAGES = {
    "krakend/builder": "ce",
    "krakend/builder-ee": "ee",
    "devopsfaith/krakend-plugin-builder": "ce",
}
_GLIBC_OS = ("bookworm", "bullseye", "buster", "stretch", "trixie", "jessie", "debian", "ubuntu",
             "focal", "jammy", "noble", "bionic")
_GLIBC_IMAGES = ("debian", "ubuntu", "fedora", "centos", "rockylinux", "almalinux", "amazonlinux",
                 "redhat/ubi8", "redhat/ubi9", "registry.access.redhat.com/ubi8",
                 "registry.access.redhat.com/ubi9", "gcr.io/distroless/base", "gcr.io/distroless/cc",
                 "buildpack-deps")


@dataclass(frozen=True)
class ImageInfo:
    """A classified image. ``role``: krakend-runtime, krakend-builder, golang, os, scratch, other."""

    ref: ImageRef
    role: str
    edition: str = ""  # "ce" / "ee" for KrakenD images
    match: TagMatch | None = None  # the KrakenD release a KrakenD image tag names
    floating: bool = False  # the tag moves (latest, 2, 2.7, none; golang:1.22, golang:alpine)
    go_version: str = ""  # Go the image compiles with, when the tag says it ("" unknown)
    libc: str = ""  # "musl" | "glibc" | ""
    flavour: str = ""  # builders: "alpine" | "linux-generic"
    os: str = ""  # "alpine3.19", "bookworm", ...

    @property
    def release(self) -> Release | None:
        return self.match.release if self.match else None

    @property
    def is_krakend(self) -> bool:
        return self.role in ("krakend-runtime", "krakend-builder")

    @property
    def version_text(self) -> str:
        """The tag without a variant suffix ("2.7.0" for "2.7.0-linux-generic"), or "latest"."""
        return self.match.tag.removesuffix("-" + self.match.variant) if self.match and self.match.variant \
            else (self.ref.tag or "latest")


def classify(ref: ImageRef) -> ImageInfo:
    name = ref.name.lower()
    if ref.is_scratch:
        return ImageInfo(ref, "scratch")
    if name in RUNTIME_IMAGES:
        return _krakend(ref, "krakend-runtime", RUNTIME_IMAGES[name])
    if name in BUILDER_IMAGES:
        return _krakend(ref, "krakend-builder", BUILDER_IMAGES[name])
    if name == "golang" or name.endswith("/golang"):
        return _golang(ref)
    libc = os_libc(name, ref.tag)
    return ImageInfo(ref, "os" if libc else "other", libc=libc, floating=ref.tag in ("", "latest"))


def _krakend(ref: ImageRef, role: str, edition: str) -> ImageInfo:
    if ref.digest and not ref.tag:
        return ImageInfo(ref, role, edition)  # pinned by content; which release it holds is not written
    match = resolve_tag(ref.tag) if ref.resolved else None
    if match is None:
        return ImageInfo(ref, role, edition, floating=ref.tag in ("", "latest") and not ref.digest)
    libc = match.libc
    go = match.release.go_version
    flavour = ""
    if role == "krakend-builder":
        libc = "glibc" if match.variant == "linux-generic" else "musl"
        flavour = "linux-generic" if libc == "glibc" else "alpine"
        builder = match.release.builder(libc)
        go = builder.go_version if builder else go
    # a digest pins the content even when the tag beside it would float
    return ImageInfo(ref, role, edition, match, match.floating and not ref.digest, go, libc, flavour)


def _golang(ref: ImageRef) -> ImageInfo:
    """``golang:1.22.5-alpine3.19`` -> Go 1.22.5 on musl; ``golang:1.22`` floats; ``golang:alpine``."""
    tag = ref.tag or "latest"
    head, _, variant = tag.partition("-")
    if not head[:1].isdigit():
        head, variant = "", tag if tag != "latest" else ""
    floating = not head or head.count(".") < 2
    os_name = variant
    libc = "musl" if variant.startswith("alpine") else ("" if variant.startswith(("windows", "nanoserver"))
                                                       else "glibc")
    return ImageInfo(ref, "golang", floating=floating, go_version=head, libc=libc, os=os_name)


def os_libc(name: str, tag: str) -> str:
    """libc of a plain OS image: alpine -> musl; Debian, Ubuntu, RHEL families -> glibc."""
    if name == "alpine" or name.endswith("/alpine"):
        return "musl"
    if name in _GLIBC_IMAGES or any(name.startswith(prefix + "/") for prefix in ("gcr.io/distroless",)):
        return "glibc" if "static" not in name else ""
    if any(tag.startswith(os_name) for os_name in _GLIBC_OS) and name in ("debian", "ubuntu"):
        return "glibc"
    return ""


def tag_origin(stage: Stage) -> tuple[Location, ArgDecl | None]:
    """Where a stage's image tag is written: the ARG whose default fills it, else the image token."""
    written = stage.from_image
    if "$" not in written:
        return stage.image_location, None
    colon = written.rfind(":")
    tag_part = written[colon + 1 :] if colon > written.rfind("/") else written
    used = [decl for decl in stage.from_args if decl.value is not None]
    in_tag = [decl for decl in used if decl.name in tag_part]
    chosen = (in_tag or used)[:1]
    if not chosen:
        return stage.image_location, None
    return chosen[0].location, chosen[0]
