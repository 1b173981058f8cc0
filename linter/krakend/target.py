"""The KrakenD a plugin is linted against: its version, facts, and where the version was found."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from linter.model import Location

if TYPE_CHECKING:
    from linter.krakend.releases import Release


@dataclass(frozen=True)
class TargetCandidate:
    """One place that names a KrakenD version (a runtime image, a builder tag, a workflow pin)."""

    version: str
    source: str
    location: Location | None
    floating: bool = False


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

    @property
    def go_version(self) -> str:
        return self.release.go_version if self.release else ""
