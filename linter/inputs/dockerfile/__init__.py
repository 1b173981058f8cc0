"""Dockerfiles as stages of located instructions, with build arguments and ENV resolved.

BuildKit's own parser (the ``dockerfile`` package) splits instructions; this module adds what
it drops or cannot say: columns, comments (for inline suppressions), ARG/ENV scoping and
substitution into FROM lines and RUN environments, ``COPY --from`` links, and the RUN commands
split into shell commands whose words point back into the file. Longer than most modules
because Docker's scoping rules are one piece and read best together.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import dockerfile

from linter.inputs.imageref import ImageRef, parse_image
from linter.inputs.shell import (
    EMPTY_ENV,
    EnvVar,
    ShellScript,
    SimpleCommand,
    SourceBuilder,
    SourceMap,
    Word,
    expand,
)
from linter.inputs.shell.analysis import analyse, parse_shell
from linter.inputs.text import Text, decode
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
_MAX_RECOVERIES = 50
# Characters of ARG/ENV values one Dockerfile may expand: Docker expands a value where it is set,
# so `ENV A1=${A0}${A0}` lines multiply the text and a 1 KB file would fill the memory.
_MAX_EXPANDED = 1 << 20
_Lookup = Callable[[str], "str | None"]


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
    builder = _Builder(path, text, escape, comments, dict(build_args or {}))
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


# --- raw text: directives, comments, parse errors -------------------------------------------------

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


# --- instructions to stages -----------------------------------------------------------------------

@dataclass
class _StageDraft:
    stage: Stage
    instructions: list[Instruction] = field(default_factory=list)
    args: dict[str, ArgDecl] = field(default_factory=dict)
    env: dict[str, EnvVar] = field(default_factory=dict)
    copies: list[CopyFrom] = field(default_factory=list)


class _Builder:
    """Walks the commands in order, keeping Docker's ARG/ENV scopes."""

    def __init__(self, path: str, text: Text, escape: str, comments: tuple[Comment, ...],
                 build_args: dict[str, str]) -> None:
        self.path = path
        self.text = text
        self.escape = escape
        self.comments = {c.line: c for c in comments}
        self.build_args = build_args
        self.global_args: dict[str, ArgDecl] = {}
        self.drafts: list[_StageDraft] = []
        self.named: dict[str, int] = {}  # lower-cased stage name -> index of its first stage
        self.problems: list[Problem] = []
        self._budget = _MAX_EXPANDED

    def stages(self) -> Iterator[Stage]:
        for draft in self.drafts:
            yield _replace_stage(draft)

    def add(self, command: dockerfile.Command) -> None:
        if command.cmd is None:  # a dangling line continuation: BuildKit sees no instruction there
            return
        keyword = command.cmd.upper()
        joined, source = self._joined(command)
        location = self._location(command)
        if keyword not in INSTRUCTIONS:
            self.problems.append(Problem(location, f"unknown Dockerfile instruction {command.cmd!r}"))
            return
        if keyword == "FROM":
            self._from(command, joined, source, location)
        elif not self.drafts:
            if keyword == "ARG":
                self._arg(command, joined, source, self.global_args, {}, "global")
            else:
                self.problems.append(Problem(location, f"{keyword} before the first FROM"))
        else:
            self._stage_instruction(command, keyword, joined, source, location)

    # - positions

    def _joined(self, command: dockerfile.Command) -> tuple[str, SourceMap]:
        """The instruction's text with continuations joined, mapped back to the file."""
        builder = SourceBuilder(self.path)
        last = command.start_line if command.heredocs else command.end_line
        for number in range(command.start_line, last + 1):
            line = self.text.line(number)
            stripped = line.strip()
            if number > command.start_line and (not stripped or stripped.startswith("#")):
                continue
            body = line.rstrip()
            continued = body.endswith(self.escape) and number < last
            if continued:
                body = body[: -len(self.escape)]
            builder.add(body, number, 1)
            if not continued:
                break
        return builder.build()

    def _location(self, command: dockerfile.Command) -> Location:
        line = self.text.line(command.start_line)
        column = len(line) - len(line.lstrip()) + 1
        return Location(self.path, command.start_line, column, command.end_line, 0)

    def _leading_comments(self, line: int) -> tuple[Comment, ...]:
        found: list[Comment] = []
        number = line - 1
        while number in self.comments:
            found.insert(0, self.comments[number])
            number -= 1
        return tuple(found)

    # - FROM

    def _from(self, command: dockerfile.Command, joined: str, source: SourceMap, location: Location) -> None:
        tokens = list(_tokens(joined))[1:]
        flags = tuple(self._flags(tokens, source))
        rest = [t for t in tokens if not t[0].startswith("--")]
        if not rest:
            self.problems.append(Problem(location, "FROM without an image"))
            return
        image_text, image_start = rest[0]
        name = rest[2][0] if len(rest) >= 3 and rest[1][0].lower() == "as" else ""
        used: list[ArgDecl] = []
        lookup = self._limited(self._global_lookup(used), location)
        resolved = expand(image_text, lookup)
        platform_flag = next((f for f in flags if f.name == "platform"), None)
        platform = expand(platform_flag.value, lookup) if platform_flag else ""
        base = self.named.get(resolved.lower())
        stage = Stage(
            index=len(self.drafts),
            name=name,
            from_image=image_text,
            image=parse_image(resolved),
            platform=platform,
            location=location,
            image_location=source.location(image_start, image_start + len(image_text)),
            from_args=tuple(dict.fromkeys(used)),
            base_stage=base,
            platform_location=platform_flag.location if platform_flag else None,
        )
        draft = _StageDraft(stage)
        if base is not None:
            draft.env.update(self.drafts[base].env)
        self.drafts.append(draft)
        if name:
            self.named.setdefault(name.lower(), stage.index)

    def _global_lookup(self, used: list[ArgDecl]) -> _Lookup:
        def lookup(name: str) -> str | None:
            decl = self.global_args.get(name)
            if decl is None:
                return None
            used.append(decl)
            return decl.value

        return lookup

    def _limited(self, lookup: _Lookup, location: Location) -> _Lookup:
        """``lookup`` while the file's expansion budget lasts; after that references stay as written."""
        def limited(name: str) -> str | None:
            value = lookup(name)
            if value is None or self._budget <= 0:
                return None
            self._budget -= len(value)
            if self._budget <= 0:
                self.problems.append(Problem(location, f"ARG and ENV values expand to more than "
                                                       f"{_MAX_EXPANDED} characters; the rest is left unexpanded"))
            return value

        return limited

    def _flags(self, tokens: list[tuple[str, int]], source: SourceMap) -> Iterator[Flag]:
        for token, start in tokens:
            if not token.startswith("--"):
                break
            name, _, value = token[2:].partition("=")
            yield Flag(name.lower(), value, source.location(start, start + len(token)))

    # - ARG / ENV

    def _arg(self, command: dockerfile.Command, joined: str, source: SourceMap,
             scope: dict[str, ArgDecl], env: dict[str, EnvVar], kind: str) -> None:
        offsets = {t.split("=", 1)[0]: s for t, s in list(_tokens(joined))[1:]}
        for item in command.value:
            name, equals, default = item.partition("=")
            default_text = _unquote(default) if equals else None
            start = offsets.get(name, 0)
            location = source.location(start, start + len(item))
            value = self._arg_value(name, default_text, scope, env, kind, location)
            scope[name] = ArgDecl(name, default_text, value, location, kind)

    def _arg_value(self, name: str, default: str | None, scope: dict[str, ArgDecl],
                   env: dict[str, EnvVar], kind: str, location: Location) -> str | None:
        if name in self.build_args:
            return self.build_args[name]
        if default is not None:
            known = {**{k: v.value for k, v in scope.items() if v.value is not None},
                     **{k: v.value for k, v in env.items()}}
            return expand(default, self._limited(known.get, location))
        inherited = self.global_args.get(name) if kind == "stage" else None
        return inherited.value if inherited else None

    def _env(self, command: dockerfile.Command, joined: str, source: SourceMap, draft: _StageDraft) -> None:
        tokens = list(_tokens(joined))[1:]
        values = command.value
        for index in range(0, len(values) - 1, 2):
            name, raw = values[index], values[index + 1]
            start = next((s for t, s in tokens if t == name or t.startswith(name + "=")), 0)
            location = source.location(start, start + len(name))
            value = expand(_unquote(raw), self._limited(_stage_lookup(draft), location))
            draft.env[name] = EnvVar(name, value, location, "ENV")

    # - stage instructions

    def _stage_instruction(self, command: dockerfile.Command, keyword: str, joined: str,
                           source: SourceMap, location: Location) -> None:
        draft = self.drafts[-1]
        if keyword == "ARG":
            self._arg(command, joined, source, draft.args, draft.env, "stage")
        elif keyword == "ENV":
            self._env(command, joined, source, draft)
        tokens = list(_tokens(joined))[1:]
        flags = tuple(self._flags(tokens, source))
        instruction = Instruction(
            keyword=keyword,
            location=location,
            original=command.original,
            arguments=tuple(command.value),
            flags=flags,
            json_form=bool(command.json),
            heredocs=tuple(h.content for h in command.heredocs),
            comments=self._leading_comments(command.start_line),
        )
        if keyword == "RUN":
            instruction = self._run(instruction, command, joined, source, tokens, draft)
        elif keyword in ("COPY", "ADD"):
            source_flag = instruction.flag("from")
            if source_flag is not None:
                draft.copies.append(CopyFrom(instruction, source_flag.value, self._stage_ref(source_flag.value)))
        draft.instructions.append(instruction)

    def _stage_ref(self, ref: str) -> int | None:
        named = self.named.get(ref.lower())
        if named is not None and named < len(self.drafts) - 1:  # the stage being built is no source
            return named
        if ref.isdigit() and int(ref) < len(self.drafts) - 1:
            return int(ref)
        return None

    def _run(self, instruction: Instruction, command: dockerfile.Command, joined: str, source: SourceMap,
             tokens: list[tuple[str, int]], draft: _StageDraft) -> Instruction:
        env = _run_env(draft)
        body_start = next((s for t, s in tokens if not t.startswith("--")), len(joined))
        if command.json:
            shell = _json_run(joined, body_start, source, env)
        elif command.heredocs and joined[body_start:].lstrip().startswith("<<"):
            shell = self._heredoc_script(command, joined[body_start:], env)
        elif command.heredocs:
            shell = self._heredoc_command(command, env)
        else:
            shell = parse_shell(" " * body_start + joined[body_start:], source, env)
        return replace(instruction, shell=shell, env=MappingProxyType(env))

    def _heredoc_script(self, command: dockerfile.Command, head: str, env: dict[str, EnvVar]) -> ShellScript:
        """`RUN <<EOF [sh]`: the heredoc body is the script."""
        lines = [self.text.line(n) for n in range(command.start_line + 1, command.end_line)]
        if head.lstrip().startswith("<<-"):
            lines = [line.lstrip("\t") for line in lines]
        builder = SourceBuilder(self.path)
        builder.add_lines(command.start_line + 1, lines)
        text, source = builder.build()
        return parse_shell(text, source, env)

    def _heredoc_command(self, command: dockerfile.Command, env: dict[str, EnvVar]) -> ShellScript:
        """`RUN cat <<EOF > file`: the command line with its heredoc, as bash reads it."""
        lines = [self.text.line(n) for n in range(command.start_line, command.end_line + 1)]
        keyword_end = lines[0].upper().find("RUN") + 3
        lines[0] = " " * keyword_end + lines[0][keyword_end:]
        builder = SourceBuilder(self.path)
        builder.add_lines(command.start_line, lines)
        text, source = builder.build()
        return parse_shell(text, source, env)


def _stage_lookup(draft: _StageDraft) -> _Lookup:
    def lookup(name: str) -> str | None:
        if name in draft.env:
            return draft.env[name].value
        decl = draft.args.get(name)
        return decl.value if decl else None

    return lookup


def _run_env(draft: _StageDraft) -> dict[str, EnvVar]:
    """What a RUN sees: the stage's build arguments (that have a value) under its ENV."""
    env: dict[str, EnvVar] = {}
    for name, decl in draft.args.items():
        if decl.value is not None:
            env[name] = EnvVar(name, decl.value, decl.location, "ARG")
    env.update(draft.env)
    return env


def _json_run(joined: str, start: int, source: SourceMap, env: dict[str, EnvVar]) -> ShellScript:
    """Exec form: each JSON string is one word, located where it is written."""
    decoder = json.JSONDecoder()
    index = joined.find("[", start) + 1
    words: list[Word] = []
    while 0 < index < len(joined):
        while index < len(joined) and joined[index] in " \t,":
            index += 1
        if index >= len(joined) or joined[index] == "]":
            break
        try:
            value, end = decoder.raw_decode(joined, index)
        except ValueError:
            break
        words.append(Word(str(value), joined[index:end], index, end, source.location(index, end)))
        index = end
    if not words:
        return ShellScript(source)
    command = SimpleCommand(tuple(words), (), source.location(words[0].start, words[-1].end))
    return analyse((command,), source, dict(env), True)


def _tokens(text: str) -> Iterator[tuple[str, int]]:
    """Whitespace-separated tokens with their offsets (enough for keywords, flags and names)."""
    index = 0
    while index < len(text):
        if text[index].isspace():
            index += 1
            continue
        end = index
        while end < len(text) and not text[end].isspace():
            end += 1
        yield text[index:end], index
        index = end


def _unquote(value: str) -> str:
    try:
        return " ".join(shlex.split(value))
    except ValueError:
        return value


def _replace_stage(draft: _StageDraft) -> Stage:
    return replace(
        draft.stage,
        instructions=tuple(draft.instructions),
        args=MappingProxyType(dict(draft.args)),
        env=MappingProxyType(dict(draft.env)),
        copies_from=tuple(draft.copies),
    )
