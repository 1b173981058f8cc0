"""What a Dockerfile is read into: stages of located instructions, their ARGs, ENV and `COPY --from` links."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from linter.inputs.imageref import ImageRef
from linter.inputs.shell import EMPTY_ENV, EnvVar, ShellScript
from linter.model import Location, Problem

INSTRUCTIONS = frozenset(
    {"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
     "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"}
)
# Arguments BuildKit defines for FROM lines without a declaration; their value depends on the
# machine running the build, so they stay unresolved.
AUTOMATIC_ARGS = frozenset(
    {"BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT", "TARGETPLATFORM", "TARGETOS",
     "TARGETARCH", "TARGETVARIANT"}
)


@dataclass(frozen=True)
class Comment:
    line: int
    column: int
    text: str  # after '#', stripped


@dataclass(frozen=True)
class Flag:
    name: str  # without dashes: "platform", "from", "mount"
    value: str
    location: Location


@dataclass(frozen=True)
class ArgDecl:
    name: str
    default: str | None  # as written, quotes removed; None for `ARG NAME`
    value: str | None  # after substitution and global-default inheritance; None when unset
    location: Location
    scope: str = "stage"  # "global" (before the first FROM) or "stage"


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper case: "RUN"
    location: Location  # the keyword's line and column, through the instruction's last line
    original: str  # BuildKit's text of the instruction (continuations joined)
    arguments: tuple[str, ...]
    flags: tuple[Flag, ...] = ()
    json_form: bool = False
    heredocs: tuple[str, ...] = ()  # heredoc bodies
    comments: tuple[Comment, ...] = ()  # the comment lines directly above
    shell: ShellScript | None = None  # RUN only
    env: Mapping[str, EnvVar] = field(default_factory=lambda: EMPTY_ENV)  # ARG+ENV seen by RUN

    def flag(self, name: str) -> Flag | None:
        return next((f for f in self.flags if f.name == name), None)


@dataclass(frozen=True)
class CopyFrom:
    instruction: Instruction
    ref: str  # the --from value
    stage: int | None  # index of the stage it names, None for an image


@dataclass(frozen=True)
class Stage:
    index: int
    name: str  # "" when the FROM line has no AS
    from_image: str  # as written: "golang:${GO}-alpine3.19"
    image: ImageRef  # build arguments substituted
    platform: str  # --platform after substitution; "" when absent
    location: Location  # the FROM line
    image_location: Location  # the image token
    from_args: tuple[ArgDecl, ...] = ()  # the global ARGs the FROM line used
    base_stage: int | None = None  # FROM <earlier stage>
    instructions: tuple[Instruction, ...] = ()
    args: Mapping[str, ArgDecl] = field(default_factory=lambda: MappingProxyType({}))
    env: Mapping[str, EnvVar] = field(default_factory=lambda: EMPTY_ENV)  # ENV at the stage end
    copies_from: tuple[CopyFrom, ...] = ()
    platform_location: Location | None = None

    @property
    def runs(self) -> tuple[Instruction, ...]:
        return tuple(i for i in self.instructions if i.keyword == "RUN")

    @property
    def label(self) -> str:
        return self.name or str(self.index)


@dataclass(frozen=True)
class Dockerfile:
    path: str
    stages: tuple[Stage, ...] = ()
    global_args: Mapping[str, ArgDecl] = field(default_factory=lambda: MappingProxyType({}))
    escape: str = "\\"
    directives: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    comments: tuple[Comment, ...] = ()
    lines: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def stage(self, ref: str) -> Stage | None:
        """A stage by name (case-insensitive, as BuildKit) or by index."""
        for stage in self.stages:
            if stage.name and stage.name.lower() == ref.lower():
                return stage
        if ref.isdigit() and int(ref) < len(self.stages):
            return self.stages[int(ref)]
        return None

    @property
    def final_stage(self) -> Stage | None:
        return self.stages[-1] if self.stages else None
