"""The KrakenD a plugin is linted against: its version, facts, and where the version was found."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from linter.model import Location

if TYPE_CHECKING:
    from linter.krakend.releases import Release

# Which kinds of source say most about the KrakenD that will load the plugin, strongest first.
KIND_ORDER = ("cli", "self-built", "runtime-image", "os-package", "builder-image", "build-arg", "make-variable",
              "workflow-env", "config-schema")


@dataclass(frozen=True)
class TargetCandidate:
    """One place that names a KrakenD version (a runtime image, a builder tag, a workflow pin)."""

    version: str  # as written: "2.7.0", "2.7", "latest", ""
    source: str  # human text: "Dockerfile:12 runtime image krakend:2.7.0"
    location: Location | None
    floating: bool = False
    resolved: str = ""  # the release it means ("2.7.2" for "2.7"); "" when unknown
    kind: str = ""  # one of KIND_ORDER
    edition: str = "ce"
    flavour: str = ""  # "alpine" | "linux-generic" | "" (builders and runtime images say it)
    path: str = ""  # the file (for grouping the builder and runtime of one Dockerfile)
    stage: int = -1  # Dockerfile stage index, -1 elsewhere
    # A self-built KrakenD: the Go and libc of the image that builds it ("" when not known)
    go_version: str = ""
    libc: str = ""

    @property
    def rank(self) -> int:
        return KIND_ORDER.index(self.kind) if self.kind in KIND_ORDER else len(KIND_ORDER)


@dataclass(frozen=True)
class Target:
    version: str = ""  # "2.7.0"; "" when nothing says which KrakenD is targeted
    release: Release | None = None
    source: str = ""  # human text: "--krakend-version", "Dockerfile:12 runtime image krakend:2.7"
    location: Location | None = None
    floating: bool = False
    edition: str = "ce"  # "ce" or "ee"
    flavour: str = ""  # "alpine" (musl), "linux-generic" (glibc) or "" (unknown)
    candidates: tuple[TargetCandidate, ...] = ()
    written: str = ""  # the version as the source wrote it ("2.7" when it floats)
    # What the KrakenD binary really is, when it is not what the release table says: the build info
    # of --krakend-binary, or --krakend-go-version/--krakend-libc for a self-built KrakenD.
    go_override: str = ""
    libc_override: str = ""

    @property
    def go_version(self) -> str:
        if self.go_override:
            return self.go_override
        return self.release.go_version if self.release else ""

    @property
    def host_build_path(self) -> str:
        """The file that builds this KrakenD from krakend-ce source ("" for a released KrakenD)."""
        chosen = next((c for c in self.candidates if c.location == self.location and c.kind == "self-built"), None)
        return chosen.path if chosen is not None else ""

    @property
    def known(self) -> bool:
        return self.release is not None

    @property
    def libc(self) -> str:
        """libc of the runtime plugins are loaded into: glibc for linux-generic, else the image's."""
        if self.libc_override:
            return self.libc_override
        if self.flavour == "linux-generic":
            return "glibc"
        if self.flavour == "alpine":
            return "musl"
        return self.release.libc if self.release else ""

    def describe(self) -> str:
        """``KrakenD 2.7.0`` / ``KrakenD 2.7.2 (from the floating tag 2.7)``."""
        name = "KrakenD EE" if self.edition == "ee" else "KrakenD"
        if not self.version:
            return f"{name} (Go {self.go_version})" if self.go_version else name
        if self.floating and self.written and self.written != self.version:
            return f"{name} {self.version} (newest release the floating tag {self.written or 'latest'} means)"
        return f"{name} {self.version}"
