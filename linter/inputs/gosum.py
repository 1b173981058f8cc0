"""go.sum: one checksum line per module version (`module version[/go.mod] hash`).

Lines are read as the Go command reads them (whitespace-separated fields, blank lines allowed,
anything else with other than three fields is malformed). The raw lines are kept too, because
`krakend check-plugin` reads the file its own way (single-space split, every line) and
``linter.krakend.checkplugin`` must reproduce that exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from linter.inputs.gomod import compare_semver
from linter.inputs.text import decode
from linter.model import Location, Problem

GOMOD_SUFFIX = "/go.mod"


@dataclass(frozen=True)
class SumEntry:
    module: str
    version: str  # without the `/go.mod` suffix
    is_gomod: bool  # a `/go.mod` line: the module graph only needed its go.mod, not its code
    hash: str
    location: Location  # the module path token


@dataclass(frozen=True)
class GoSum:
    path: str
    entries: tuple[SumEntry, ...] = ()
    problems: tuple[Problem, ...] = ()
    lines: tuple[str, ...] = ()  # every line as bufio.Scanner yields it (no trailing empty line)

    def max_versions(self, *, string_compare: bool = False) -> dict[str, str]:
        """Per module, the highest version over every line, `/go.mod` lines included.

        This is what `krakend check-plugin` takes as "the plugin's version" of a module. With
        ``string_compare`` the versions are compared as plain strings, as check-plugin did
        before krakend-cobra v2.0.4 (CE 2.0.6), so `v1.9.0` beats `v1.10.0`.
        """
        pairs = ((e.module, e.version) for e in self.entries)
        return fold_max_versions(pairs, string_compare=string_compare)

    def entry_for(self, module: str, version: str) -> SumEntry | None:
        """The line for ``module@version``, preferring the code (`h1:` of the zip) line."""
        found = [e for e in self.entries if e.module == module and e.version == version]
        code = [e for e in found if not e.is_gomod]
        chosen = code or found
        return chosen[0] if chosen else None


def fold_max_versions(pairs: Iterable[tuple[str, str]], *, string_compare: bool = False) -> dict[str, str]:
    """Keep the highest version per module, the way check-plugin's Describe does.

    With semver ordering an invalid version never wins (it sorts below everything, even the
    empty start value), so a garbage version is dropped; with string ordering any non-empty
    string can win.
    """
    best: dict[str, str] = {}
    for module, version in pairs:
        current = best.get(module, "")
        if (current >= version) if string_compare else (compare_semver(current, version) >= 0):
            continue
        best[module] = version
    return best


def strip_gomod_suffix(version: str) -> str:
    # Only a suffix after at least one character counts, as in check-plugin's cleanVersion.
    if len(version) > len(GOMOD_SUFFIX) and version.endswith(GOMOD_SUFFIX):
        return version[: -len(GOMOD_SUFFIX)]
    return version


def parse_gosum(data: bytes, path: str) -> GoSum:
    text, problems = decode(data, path)
    if text is None:
        return GoSum(path, problems=problems)
    lines = text.lines[:-1] if text.lines and text.lines[-1] == "" else text.lines
    entries: list[SumEntry] = []
    found_problems = list(problems)
    for number, line in enumerate(lines, 1):
        fields = line.split()
        if not fields:
            continue
        column = len(line) - len(line.lstrip()) + 1
        if len(fields) != 3:
            found_problems.append(
                Problem(
                    Location(path, number, column),
                    f"malformed go.sum line: {len(fields)} fields, expected `module version hash`",
                )
            )
            continue
        module, version, digest = fields
        location = Location(path, number, column, number, column + len(module) - 1)
        stripped = strip_gomod_suffix(version)
        entries.append(SumEntry(module, stripped, stripped != version, digest, location))
    return GoSum(path, tuple(entries), tuple(found_problems), tuple(lines))
