"""The KrakenD a plugin is linted against: its version, facts, where each fact was found, and the
names messages give it (``label`` and its few variants; rules never spell a KrakenD themselves)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from linter.model import Location

if TYPE_CHECKING:
    from linter.krakend.reference import Reference
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
    go_override_source: str = ""  # a flag, the binary, the stage that builds KrakenD ("" = ``source``)
    libc_override_source: str = ""
    # What the resolved reference adds (``with_reference``): the release its module list is of (a
    # binary's own version wins over the one requested), and a binary's arch and build settings.
    reference_version: str = ""
    arch: str = ""  # GOARCH ("amd64", "arm64"); "" unless a KrakenD binary says it
    binary: str = ""  # the KrakenD binary arch and build flags were read from
    build_flags: tuple[tuple[str, str], ...] = ()  # a binary's build settings: ("-trimpath", "true"), ...

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

    @property
    def go_source(self) -> str:
        """Where ``go_version`` comes from ("" when it is not known)."""
        if self.go_override:
            return self.go_override_source or self.source
        return "release table" if self.release is not None else ""

    @property
    def libc_source(self) -> str:
        """Where ``libc`` comes from: an override, the runtime's flavour, or the release table."""
        if self.libc_override:
            return self.libc_override_source or self.source
        if self.flavour:
            return self.source
        return "release table" if self.release is not None else ""

    @property
    def module_version(self) -> str:
        """The release whose module list the dependency rules compare with (the reference's, else
        the target's), as written: a binary's build info may say ``v2.7.0``."""
        return self.reference_version or self.version

    def with_reference(self, reference: Reference | None) -> Target:
        """This target with what its resolved reference adds; unchanged without one."""
        if reference is None:
            return self
        exact = reference.exact
        return replace(
            self,
            reference_version=reference.krakend_version,
            arch=reference.goarch if exact else self.arch,
            binary=reference.origin if exact else self.binary,
            build_flags=tuple(sorted(reference.build_settings.items())) if exact else self.build_flags,
        )

    def build_flag(self, name: str) -> str | None:
        """A build setting of the KrakenD binary (``"-trimpath"`` -> ``"true"``); None when unset."""
        return next((value for flag, value in self.build_flags if flag == name), None)

    # --- names ------------------------------------------------------------------------------------
    # ``label`` is how messages name this KrakenD. The variants exist because messages name it for
    # different purposes: with the place the version was read (``label_with_source``), as the release
    # whose modules were compared (``module_label``: no edition, EE publishes no module list), and as
    # a bare release number that falls back to a major (``release_label``: config and API rules).

    @property
    def label(self) -> str:
        """``KrakenD 2.7.0``, ``KrakenD EE 2.7.0``, ``KrakenD 2.7.2 (newest release the floating tag 2.7
        means)``; with no version, ``KrakenD (Go 1.22.5)`` or ``KrakenD``."""
        name = "KrakenD EE" if self.edition == "ee" else "KrakenD"
        if not self.version:
            return f"{name} (Go {self.go_version})" if self.go_version else name
        if self.floating and self.written and self.written != self.version:
            return f"{name} {self.version} (newest release the floating tag {self.written or 'latest'} means)"
        return f"{name} {self.version}"

    @property
    def label_with_source(self) -> str:
        """``KrakenD 2.7.0 (Dockerfile:12 runtime image krakend:2.7.0)``."""
        return f"{self.label} ({self.source})" if self.source else self.label

    @property
    def module_label(self) -> str:
        """``KrakenD 2.7.0``: the release whose module list was compared, or ``KrakenD``."""
        version = self.module_version.removeprefix("v")
        return f"KrakenD {version}" if version else "KrakenD"

    def release_label(self, major: int | None = None) -> str:
        """``KrakenD 2.7.0``; with no version ``KrakenD 2.x`` for a known major, else ``KrakenD``."""
        if self.version:
            return f"KrakenD {self.version}"
        return f"KrakenD {major}.x" if major is not None else "KrakenD"
