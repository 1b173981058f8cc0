"""``parse_dockerfile``: BuildKit's parser (the ``dockerfile`` package) splits the instructions; the
raw text gives what it drops (parser directives, comments) and where an instruction it rejects is."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType

import dockerfile

from linter.inputs.dockerfile.model import Comment, Dockerfile
from linter.inputs.dockerfile.stages import StageBuilder
from linter.inputs.text import decode
from linter.model import Location, Problem

_MAX_RECOVERIES = 50


def parse_dockerfile(
    data: bytes, path: str, build_args: Mapping[str, str] | None = None
) -> Dockerfile:
    """Parse a Dockerfile; ``build_args`` are `--build-arg` values known from a build command."""
    text, problems = decode(data, path)
    if text is None:
        return Dockerfile(path, problems=problems)
    directives = _directives(text.lines)
    escape = directives.get("escape", "\\")[:1] or "\\"
    commands, parse_problems = _parse_commands(text.lines, path)
    covered = _instruction_spans(commands)
    comments = tuple(_comments(text.lines, covered, len(directives)))
    builder = StageBuilder(path, text, escape, comments, dict(build_args or {}))
    for command in commands:
        builder.add(command)
    return Dockerfile(
        path=path,
        stages=tuple(builder.stages()),
        global_args=MappingProxyType(dict(builder.global_args)),
        escape=escape,
        directives=MappingProxyType(directives),
        comments=comments,
        lines=text.lines,
        problems=(*problems, *parse_problems, *builder.problems),
    )


def _directives(lines: tuple[str, ...]) -> dict[str, str]:
    """``# escape=`` and ``# syntax=`` lines at the very top (BuildKit stops at anything else)."""
    found: dict[str, str] = {}
    for line in lines:
        body = line.strip()
        if not body.startswith("#"):
            break
        key, equals, value = body[1:].partition("=")
        key = key.strip().lower()
        if not equals or not key.isidentifier() or " " in key or key in found:
            break
        found[key] = value.strip()
    return found


def _parse_commands(lines: tuple[str, ...], path: str) -> tuple[list[dockerfile.Command], list[Problem]]:
    """All commands BuildKit can read; an instruction it rejects is blanked and reported."""
    work = list(lines)
    problems: list[Problem] = []
    for _ in range(_MAX_RECOVERIES):
        try:
            return list(dockerfile.parse_string("\n".join(work) + "\n")), problems
        except dockerfile.GoParseError as err:
            first, last = _failing_span(work)
            problems.append(Problem(Location(path, first), f"Dockerfile instruction cannot be parsed: {err}"))
            for index in range(first - 1, last):
                work[index] = ""
    return [], problems


def _failing_span(lines: list[str]) -> tuple[int, int]:
    """(first, last) line of the instruction BuildKit rejects: the shortest failing prefix ends
    it, and it starts after the last instruction of the longest prefix that parses."""
    low, high = 1, len(lines)
    while low < high:
        middle = (low + high) // 2
        if _parses("\n".join(lines[:middle])):
            low = middle + 1
        else:
            high = middle
    good = _parses("\n".join(lines[: low - 1])) or ()
    start = (good[-1].end_line + 1) if good else 1
    return min(start, low), low


def _parses(text: str) -> tuple[dockerfile.Command, ...] | None:
    try:
        return tuple(dockerfile.parse_string(text + "\n"))
    except dockerfile.GoParseError:
        return None


def _instruction_spans(commands: list[dockerfile.Command]) -> set[int]:
    """Every line some instruction covers (continuations and heredoc bodies included)."""
    return {n for c in commands for n in range(c.start_line, c.end_line + 1)}


def _comments(lines: tuple[str, ...], covered: set[int], skip: int) -> Iterator[Comment]:
    """Comment lines between instructions (BuildKit drops them); not the parser directives."""
    for number in range(skip + 1, len(lines) + 1):
        line = lines[number - 1]
        stripped = line.lstrip()
        if stripped.startswith("#") and number not in covered:
            yield Comment(number, len(line) - len(stripped) + 1, stripped[1:].strip())
