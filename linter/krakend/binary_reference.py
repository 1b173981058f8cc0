"""The exact reference a KrakenD binary carries: its build info's modules and Go version, and which
KrakenD release it is."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from linter.krakend import releases
from linter.krakend.reference import Reference, Replacement

if TYPE_CHECKING:
    from linter.inputs.gobinary import GoBinary

_KRAKEND_VERSION_VARS = ("core.KrakendVersion",)


def reference_from_binary(binary: GoBinary, origin: str = "") -> Reference:
    """The exact reference: the binary's build info deps, Go version, arch, libc, link hashes."""
    deps = tuple(binary.deps)
    modules = {dep.path: dep.version for dep in deps}
    version, _how = krakend_version_of_binary(binary)
    return Reference(
        krakend_version=version,
        source="binary",
        origin=origin or binary.path,
        go_version=normalize_go_version(binary.go_version),
        modules=modules,
        sum_versions=dict(modules),
        replacements=tuple(Replacement(dep.path, dep.version, dep.replace.path, dep.replace.version)
                           for dep in deps if dep.replace is not None),
        goarch=binary.goarch or "",
        libc=binary.libc or "",
        package_hashes=dict(binary.package_hashes or {}),
        main_module=_main_path(binary),
        exact=True,
        build_settings=dict(binary.settings or {}),
    )


def normalize_go_version(value: str) -> str:
    """"go1.22.5" -> "1.22.5" (raw build info may append experiment tags after a space)."""
    return (value or "").strip().split(" ")[0].removeprefix("go")


def _main_path(binary: GoBinary) -> str:
    return binary.main_module.path if binary.main_module else ""


def krakend_version_of_binary(binary: GoBinary) -> tuple[str, str]:
    """(version, how it was found): the main module's version, the -X core.KrakendVersion ldflag,
    or a unique table match on Go + lura + krakend-cobra versions; ("", why not) otherwise."""
    main_version = binary.main_module.version if binary.main_module else ""
    if releases.version_key(main_version) and _main_path(binary).endswith("/krakend-ce/v2"):
        return releases.normalize(main_version), "main module version"
    flagged = _ldflag_version(binary)
    if flagged:
        return flagged, "-ldflags core.KrakendVersion"
    candidates = _table_candidates(binary)
    if len(candidates) == 1:
        return candidates[0], "the only release built with this Go, lura and krakend-cobra"
    if candidates:
        return "", "several releases match: " + ", ".join(candidates)
    return "", "no version stamped in the binary and no release in the table matches it"


def _ldflag_version(binary: GoBinary) -> str:
    flags = binary.settings.get("-ldflags", "")
    try:
        words = shlex.split(flags)
    except ValueError:
        words = flags.split()
    for word in words:
        name, _, value = word.partition("=")
        if any(name.endswith(var) for var in _KRAKEND_VERSION_VARS) and releases.version_key(value):
            return releases.normalize(value)
    return ""


def _table_candidates(binary: GoBinary) -> list[str]:
    go = normalize_go_version(binary.go_version)
    deps = {dep.path: dep.version for dep in binary.deps}
    found = []
    for item in releases.all_releases():
        if item.go_version != go or deps.get(item.lura_module) != item.lura_version:
            continue
        cobra = item.cobra_version
        if cobra and deps.get(f"{item.component_owner}/krakend-cobra/v2", cobra) != cobra:
            continue
        found.append(item.version)
    return found
