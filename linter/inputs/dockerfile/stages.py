"""Instructions to stages: Docker's ARG/ENV scoping, substitution into FROM lines and RUN
environments, and each RUN split into shell commands whose words point back into the file."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import dockerfile

from linter.inputs.dockerfile.model import INSTRUCTIONS, ArgDecl, Comment, CopyFrom, Flag, Instruction, Stage
from linter.inputs.imageref import parse_image
from linter.inputs.shell import EnvVar, ShellScript, SimpleCommand, SourceBuilder, SourceMap, Word, expand
from linter.inputs.shell.analysis import analyse, parse_shell
from linter.inputs.text import Text
from linter.model import Location, Problem

# Characters of ARG/ENV values one Dockerfile may expand: Docker expands a value where it is set,
# so `ENV A1=${A0}${A0}` lines multiply the text and a 1 KB file would fill the memory.
_MAX_EXPANDED = 1 << 20
_Lookup = Callable[[str], "str | None"]


# --- instructions to stages -----------------------------------------------------------------------

@dataclass
class _StageDraft:
    stage: Stage
    instructions: list[Instruction] = field(default_factory=list)
    args: dict[str, ArgDecl] = field(default_factory=dict)
    env: dict[str, EnvVar] = field(default_factory=dict)
    copies: list[CopyFrom] = field(default_factory=list)


class StageBuilder:
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
