"""Go's module-version ordering (``golang.org/x/mod/semver`` semantics) and Go release versions.

go.mod, go.sum, vendor/modules.txt and the check-plugin emulation all order versions with these,
so they cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class _Semver:
    major: int
    minor: int
    patch: int
    prerelease: tuple[str, ...]
    build: str


_IDENT_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-")


def _number(text: str) -> int | None:
    if not text or not text.isascii() or not text.isdigit() or (len(text) > 1 and text[0] == "0"):
        return None
    return int(text)


def _identifiers(text: str, numeric_strict: bool) -> tuple[str, ...] | None:
    parts = tuple(text.split("."))
    for part in parts:
        if not part or not set(part) <= _IDENT_CHARS:
            return None
        if numeric_strict and part.isdigit() and len(part) > 1 and part[0] == "0":
            return None
    return parts


def _parse_semver(version: str) -> _Semver | None:
    """Parse like golang.org/x/mod/semver: `v` prefix, `vX` and `vX.Y` shorthands allowed."""
    if not version.startswith("v"):
        return None
    core, _, build = version[1:].partition("+")
    core, dash, pre = core.partition("-")
    numbers = core.split(".")
    if len(numbers) > 3 or ((dash or build) and len(numbers) != 3):
        return None  # a prerelease or build suffix needs the full vX.Y.Z form
    values = [_number(n) for n in numbers]
    if any(v is None for v in values):
        return None
    prerelease = _identifiers(pre, True) if dash else ()
    if prerelease is None or ("+" in version[1:] and _identifiers(build, False) is None):
        return None
    major, minor, patch = ([v or 0 for v in values] + [0, 0])[:3]
    return _Semver(major, minor, patch, prerelease, build)


def is_valid_semver(version: str) -> bool:
    return _parse_semver(version) is not None


def _compare_prerelease(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    if a == b:
        return 0
    if not a or not b:
        return -1 if b == () else 1  # a release sorts after any of its prereleases
    for x, y in zip(a, b, strict=False):
        if x == y:
            continue
        if x.isdigit() and y.isdigit():
            return -1 if int(x) < int(y) else 1
        if x.isdigit() != y.isdigit():
            return -1 if x.isdigit() else 1  # numeric identifiers sort before alphanumeric ones
        return -1 if x < y else 1
    return -1 if len(a) < len(b) else 1


def compare_semver(a: str, b: str) -> int:
    """-1, 0 or 1. Invalid versions sort below every valid one and equal each other; build
    metadata (`+incompatible`) is ignored, as in golang.org/x/mod/semver.Compare."""
    pa, pb = _parse_semver(a), _parse_semver(b)
    if pa is None or pb is None:
        return (pa is not None) - (pb is not None)
    core_a, core_b = (pa.major, pa.minor, pa.patch), (pb.major, pb.minor, pb.patch)
    if core_a != core_b:
        return -1 if core_a < core_b else 1
    return _compare_prerelease(pa.prerelease, pb.prerelease)


def canonical_module_version(version: str) -> str:
    """`v1.2` -> `v1.2.0`; keeps `+incompatible` (module.CanonicalVersion); "" when invalid."""
    parsed = _parse_semver(version)
    if parsed is None:
        return ""
    text = f"v{parsed.major}.{parsed.minor}.{parsed.patch}"
    if parsed.prerelease:
        text += "-" + ".".join(parsed.prerelease)
    return text + ("+incompatible" if parsed.build == "incompatible" else "")

GO_VERSION = re.compile(r"([1-9][0-9]*)\.(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?(?:[a-z]+[0-9]+)?")
TOOLCHAIN = re.compile(r"default|go1(?:\..*)?")


def go_version_tuple(version: str) -> tuple[int, int, int] | None:
    """`1.22.5` -> (1, 22, 5); `go1.22` and `1.21rc1` are read as well; None when not a Go version."""
    match = GO_VERSION.fullmatch(version.removeprefix("go"))
    if not match:
        return None
    return int(match[1]), int(match[2]), int(match[3] or 0)
