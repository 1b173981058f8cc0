"""`go build` command lines: its flags, GOFLAGS, and the linker flags inside ``-ldflags``."""

from __future__ import annotations

import shlex
from collections.abc import Iterator

from linter.inputs.shell.model import EnvVar, GoFlag, LinkerFlag, Word
from linter.model import Location

# `go build` flags that take a value (everything else is boolean).
_GO_VALUE_FLAGS = frozenset(
    {"o", "p", "C", "asmflags", "buildmode", "compiler", "gccgoflags", "gcflags", "installsuffix",
     "ldflags", "mod", "modfile", "overlay", "pgo", "pkgdir", "tags", "toolexec", "covermode",
     "coverpkg", "exec"}
)
# Linker flags (inside -ldflags) that take a value.
_LD_VALUE_FLAGS = frozenset(
    {"X", "extld", "extldflags", "linkmode", "buildid", "r", "B", "E", "H", "I", "L", "T", "o",
     "installsuffix", "tmpdir", "extar", "libgcc", "importcfg", "k", "pluginpath", "buildmode",
     "cpuprofile", "memprofile", "memprofilerate", "benchmark", "benchmarkprofile"}
)


def go_flags(args: tuple[Word, ...]) -> tuple[tuple[GoFlag, ...], tuple[Word, ...]]:
    flags: list[GoFlag] = []
    packages: list[Word] = []
    index = 0
    while index < len(args):
        word = args[index]
        text = word.text
        if text == "--" or not text.startswith("-") or text == "-" or packages:
            packages.extend(args[index + (1 if text == "--" else 0) :])
            break
        name, equals, value = text.lstrip("-").partition("=")
        location = word.location
        if not equals and name in _GO_VALUE_FLAGS and index + 1 < len(args):
            index += 1
            value = args[index].text
            location = _span(word.location, args[index].location)
            equals = "="
        flags.append(GoFlag(name, value, location, has_value=bool(equals)))
        index += 1
    return tuple(flags), tuple(packages)


def flags_from_goflags(var: EnvVar) -> tuple[GoFlag, ...]:
    """GOFLAGS is a space-separated list of `-flag` / `-flag=value` items."""
    found: list[GoFlag] = []
    for item in var.value.split():
        name, equals, value = item.lstrip("-").partition("=")
        if name:
            found.append(GoFlag(name, value, var.location, has_value=bool(equals), source="GOFLAGS"))
    return tuple(found)


def linker_flags(flags: tuple[GoFlag, ...]) -> Iterator[LinkerFlag]:
    for flag in flags:
        if flag.name != "ldflags":
            continue
        fields = _split_quoted(strip_pattern(flag.value))
        index = 0
        while index < len(fields):
            name, equals, value = fields[index].lstrip("-").partition("=")
            if not equals and name in _LD_VALUE_FLAGS and index + 1 < len(fields):
                index += 1
                value = fields[index]
            yield LinkerFlag(name, value, flag.location)
            index += 1


def strip_pattern(value: str) -> str:
    """``all=-N -l`` -> ``-N -l``: -gcflags/-ldflags may start with a package pattern and '='."""
    head = value.split(" ", 1)[0]
    if "=" in head and not head.startswith("-"):
        return value.split("=", 1)[1]
    return value


def flag_pattern(value: str) -> str:
    """The package pattern of a -gcflags/-ldflags value (``all`` in ``all=-N -l``), or ""."""
    head = value.split(" ", 1)[0]
    return head.split("=", 1)[0] if "=" in head and not head.startswith("-") else ""


def _split_quoted(value: str) -> list[str]:
    try:
        return shlex.split(value)
    except ValueError:
        return value.split()


def _span(first: Location, last: Location) -> Location:
    return Location(first.path, first.line, first.column, last.end_line, last.end_column)
