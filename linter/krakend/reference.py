"""The KrakenD reference: what the target KrakenD binary was built with.

A ``Reference`` is plain data; ``linter.krakend.resolution`` fills it from a binary, the user's
go.mod/go.sum, GitHub or the on-disk cache. Rules only ever read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from linter.model import Location


@dataclass(frozen=True)
class Replacement:
    """A `replace old [v] => new [v]` directive in KrakenD's build."""

    old_path: str
    old_version: str  # "" when the replace applies to every version
    new_path: str
    new_version: str  # "" for a local directory replacement


@dataclass(frozen=True)
class Reference:
    """What KrakenD needs from a plugin, and where each part came from.

    ``modules`` is KrakenD's build list as precisely as the source allows: the binary's build
    info deps (exact), or the go.mod requirements (a superset of what is linked). ``sum_versions``
    is what `krakend check-plugin` compares against: for a binary the same deps; for go.sum
    files the highest version per module over every line.
    """

    krakend_version: str
    source: str  # "binary", "files", "github", "cache"
    origin: str  # a path, or "krakend/krakend-ce@v2.7.0"
    go_version: str = ""  # "1.22.5"; "" when unknown
    modules: Mapping[str, str] = field(default_factory=dict)
    sum_versions: Mapping[str, str] = field(default_factory=dict)
    indirect: frozenset[str] = frozenset()
    replacements: tuple[Replacement, ...] = ()
    goarch: str = ""  # "amd64", "arm64"
    libc: str = ""  # "musl", "glibc"
    package_hashes: Mapping[str, bytes] = field(default_factory=dict)
    main_module: str = ""
    exact: bool = False  # True only for a real binary: the build list is what was linked
    locations: Mapping[str, Location] = field(default_factory=dict)  # module -> line in user files
    build_settings: Mapping[str, str] = field(default_factory=dict)  # a binary's: {"-trimpath": "true"}

    def replacement_for(self, module: str, version: str = "") -> Replacement | None:
        for rep in self.replacements:
            if rep.old_path == module and (not rep.old_version or rep.old_version == version):
                return rep
        return None
