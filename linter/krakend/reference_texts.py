"""KrakenD's reference from raw go.mod/go.sum/Makefile texts (GitHub or the cache, parsed the same
way) or from parsed go.mod/go.sum documents the user gave."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from linter.inputs.gomod import GoMod, compare_semver, parse_gomod
from linter.krakend import releases
from linter.krakend.reference import Reference, Replacement
from linter.model import Location

if TYPE_CHECKING:  # the go.sum parser loads with the first go.sum text (none in embedded references)
    from linter.inputs.gosum import GoSum


def makefile_go_version(text: str) -> str:
    """GOLANG_VERSION from CE's Makefile (`GOLANG_VERSION := 1.22.5`); "" when not set literally."""
    for raw in text.split("\n"):
        line = raw.split("#", 1)[0].strip().removeprefix("export ").strip()
        for operator in (":=", "?=", "::=", "="):
            name, found, value = line.partition(operator)
            if found:
                break
        if found and name.strip() == "GOLANG_VERSION":
            value = value.strip()
            return value if value and "$" not in value else ""
    return ""


class LazyVersions(Mapping[str, str]):
    """module -> version, computed on first use: a go.sum's max versions are only needed by the
    check-plugin emulation, and folding a large go.sum costs more than the rest of a reference."""

    def __init__(self, compute: Callable[[], Mapping[str, str]]) -> None:
        self._compute: Callable[[], Mapping[str, str]] | None = compute
        self._data: Mapping[str, str] = {}

    def _get(self) -> Mapping[str, str]:
        if self._compute is not None:
            self._data, self._compute = self._compute(), None
        return self._data

    def __getitem__(self, key: str) -> str:
        return self._get()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __repr__(self) -> str:
        return f"LazyVersions({dict(self._get())!r})"


def max_sum_versions(gosum: GoSum) -> dict[str, str]:
    """``GoSum.max_versions()``, folding each (module, version) once (go.sum repeats most twice)."""
    from linter.inputs.gosum import fold_max_versions

    return fold_max_versions(dict.fromkeys((e.module, e.version) for e in gosum.entries))


def _parse_gosum(text: str, path: str) -> GoSum:
    from linter.inputs.gosum import parse_gosum

    return parse_gosum(text.encode("utf-8"), path)


def reference_from_texts(version: str, files: Mapping[str, str], *, source: str, origin: str) -> Reference:
    """A reference from raw CE go.mod/go.sum/Makefile text (GitHub or the cache: parsed the same way)."""
    gomod = parse_gomod(files["go.mod"].encode("utf-8"), f"{origin}/go.mod") if "go.mod" in files else None
    gosum_text = files.get("go.sum")
    if gomod is None:  # no build list without go.mod: the go.sum is all there is, read it now
        gosum = _parse_gosum(gosum_text, f"{origin}/go.sum") if gosum_text is not None else None
        ref = reference_from_files(gosum, None, version, source=source, origin=origin, keep_locations=False)
    else:
        ref = reference_from_files(None, gomod, version, source=source, origin=origin, keep_locations=False)
        if gosum_text is not None:
            path = f"{origin}/go.sum"
            ref = _replace(ref, sum_versions=LazyVersions(
                lambda: max_sum_versions(_parse_gosum(gosum_text, path))))
    known = releases.release(version)
    go = known.go_version if known else makefile_go_version(files.get("Makefile", ""))
    return _replace(ref, go_version=go)


def _replace(ref: Reference, **changes: Any) -> Reference:
    return replace(ref, **changes)


def reference_from_files(
    gosum: GoSum | None,
    gomod: GoMod | None,
    krakend_version: str,
    *,
    source: str = "files",
    origin: str = "",
    keep_locations: bool = True,
) -> Reference:
    """KrakenD's reference from its go.mod (build list, indirect marks, replaces) and go.sum
    (what check-plugin compares: the highest version per module over every line)."""
    version = releases.normalize(krakend_version)
    modules: dict[str, str] = {}
    locations: dict[str, Location] = {}
    if gomod is not None:
        for req in gomod.requires:  # a module listed twice counts at its highest version
            if req.path not in modules or compare_semver(modules[req.path], req.version) < 0:
                modules[req.path] = req.version
                locations[req.path] = req.location
    sum_versions = max_sum_versions(gosum) if gosum is not None else dict(modules)
    if gomod is None and gosum is not None:
        modules = dict(sum_versions)
        locations = {e.module: e.location for e in reversed(gosum.entries) if sum_versions.get(e.module) == e.version}
    known = releases.release(version)
    return Reference(
        krakend_version=version,
        source=source,
        origin=origin or (gomod.path if gomod else gosum.path if gosum else ""),
        go_version=known.go_version if known else "",
        modules=modules,
        sum_versions=sum_versions,
        indirect=frozenset(r.path for r in gomod.requires if r.indirect) if gomod else frozenset(),
        replacements=tuple(Replacement(r.old_path, r.old_version, r.new_path, r.new_version)
                           for r in (gomod.replaces if gomod else ())),
        main_module=gomod.module.path if gomod and gomod.module else "",
        locations=locations if keep_locations else {},
    )
