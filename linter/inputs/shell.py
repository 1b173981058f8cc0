"""Shell text (a RUN command, a Makefile recipe, a workflow `run:` step, a build script) as commands.

``parse_shell`` splits the text with bashlex into simple commands (words and leading
``NAME=value`` assignments), each word carrying a ``Location`` in the original file through a
``SourceMap``. When bashlex cannot parse exotic syntax (``[[ ]]``, ``case``, ``$(( ))``), a small
quote-aware splitter gives a best-effort answer without a ``Problem``: a RUN line that bash accepts
is not an error of the user's.

On top of the commands it recognises what matters for building plugins: ``go build`` (flags,
linker flags, packages and the environment in effect), ``apk add``/``apt-get install``,
``export``, ``go env -w``, ``make`` calls, and ``docker run``/``docker build`` invocations.
The analysis lives in ``linter.inputs.shellcmds``; this module holds the data, the splitter and
its fallback, which share the position bookkeeping and read best in one place (hence its length).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import bashlex
import bashlex.errors
import bashlex.subst

from linter.model import Location, Problem

EMPTY_ENV: Mapping[str, EnvVar] = MappingProxyType({})


def _guard_parameter_expansion() -> None:
    """bashlex 0.18 loops forever on an unterminated ``${`` inside a word (``x'${'``): its
    ``_paramexpand`` returns an index behind the one it was given. Turn that into a parse
    error, which sends the text to the fallback splitter."""
    original = bashlex.subst._paramexpand
    if getattr(original, "kpl_guarded", False):
        return

    def guarded(parserobj: object, string: str, sindex: int) -> object:
        node, end = original(parserobj, string, sindex)
        if end <= sindex:
            raise bashlex.errors.ParsingError("unterminated parameter expansion", string, sindex)
        return node, end

    guarded.kpl_guarded = True  # type: ignore[attr-defined]
    bashlex.subst._paramexpand = guarded


_guard_parameter_expansion()


@dataclass(frozen=True)
class SourceMap:
    """Maps offsets in the text handed to the parser back to 1-based (line, column) in a file.

    Each anchor says "the text from ``offset`` on starts at ``line``:``column``"; an anchor that
    does not advance maps every character of its run to the same place (a Makefile variable
    expanded into a recipe points at the ``$(VAR)`` reference).
    """

    path: str
    anchors: tuple[tuple[int, int, int, bool], ...] = ((0, 1, 1, True),)
    base: int = 0  # offsets asked for count from here (a shifted map shares its parent's anchors)

    def position(self, offset: int) -> tuple[int, int]:
        offset += self.base
        start, line, column, advances = self.anchors[self._index(offset)]
        return line, column + (offset - start if advances else 0)

    def location(self, start: int, end: int | None = None) -> Location:
        line, column = self.position(start)
        if end is None or end <= start:
            return Location(self.path, line, column)
        end_line, end_column = self.position(end - 1)
        return Location(self.path, line, column, end_line, end_column + 1)

    def shifted(self, offset: int) -> SourceMap:
        """The map of the text that starts at ``offset`` of this one (a `sh -c` string, a line).
        O(1): copying the anchors for every `sh -c` or line made long scripts quadratic."""
        return SourceMap(self.path, self.anchors, self.base + offset)

    def _index(self, offset: int) -> int:
        # key= probes only O(log n) anchors; building the list of starts made every lookup O(n)
        return max(bisect.bisect_right(self.anchors, offset, key=lambda anchor: anchor[0]) - 1, 0)

    @classmethod
    def of_text(cls, path: str, text: str, line: int = 1, column: int = 1, indent: int = 0) -> SourceMap:
        """``text`` whose first line starts at ``line``:``column`` and whose other lines start at
        column ``indent + 1`` (a YAML block scalar has its indentation removed)."""
        anchors = [(0, line, column, True)]
        offset = text.find("\n")
        while offset >= 0:
            line += 1
            anchors.append((offset + 1, line, indent + 1, True))
            offset = text.find("\n", offset + 1)
        return cls(path, tuple(anchors))


class SourceBuilder:
    """Builds a text piece by piece together with its ``SourceMap``."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._parts: list[str] = []
        self._anchors: list[tuple[int, int, int, bool]] = []
        self._length = 0

    def add(self, text: str, line: int, column: int, advances: bool = True) -> None:
        if not text:
            return
        self._anchors.append((self._length, line, column, advances))
        self._parts.append(text)
        self._length += len(text)

    def add_lines(self, first_line: int, lines: Iterable[str], column: int = 1) -> None:
        """Whole lines, joined with newlines, the first at ``first_line``."""
        for index, line in enumerate(lines):
            if index:
                self.add("\n", first_line + index, 0, advances=False)
            self.add(line, first_line + index, column)

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def build(self) -> tuple[str, SourceMap]:
        anchors = tuple(self._anchors) or ((0, 1, 1, True),)
        return self.text, SourceMap(self.path, anchors)


@dataclass(frozen=True)
class Word:
    text: str  # quotes removed, expansions left as written: "-ldflags=-s -w", "${NAME}.so"
    raw: str  # exactly as in the source: "-ldflags='-s -w'"
    start: int
    end: int
    location: Location


@dataclass(frozen=True)
class EnvVar:
    """An environment variable in effect, and the place that set it."""

    name: str
    value: str
    location: Location
    origin: str = "assignment"  # assignment, export, go env -w, ENV, ARG, docker -e, env, make, workflow


@dataclass(frozen=True)
class SimpleCommand:
    words: tuple[Word, ...]
    assignments: tuple[EnvVar, ...]
    location: Location

    @property
    def name(self) -> str:
        return self.words[0].text if self.words else ""

    @property
    def args(self) -> tuple[Word, ...]:
        return self.words[1:]


@dataclass(frozen=True)
class GoFlag:
    """One `go build` flag: ``name`` without dashes, ``value`` "" for a bare boolean flag."""

    name: str
    value: str
    location: Location
    has_value: bool = False
    source: str = "command"  # "command" or "GOFLAGS"


@dataclass(frozen=True)
class LinkerFlag:
    """One flag inside ``-ldflags`` (``extld``, ``extldflags``, ``s``, ``w``, ``X``, ...)."""

    name: str
    value: str
    location: Location  # the -ldflags word; Go splits its value itself, so finer columns are a guess


@dataclass(frozen=True)
class GoBuild:
    """A `go build` (or `go install`) invocation and everything that shapes its output."""

    command: SimpleCommand
    subcommand: str
    flags: tuple[GoFlag, ...]
    packages: tuple[Word, ...]
    ldflags: tuple[LinkerFlag, ...]
    env: Mapping[str, EnvVar] = field(default_factory=lambda: EMPTY_ENV)
    container: str = ""  # image the build runs in, when it is the command of a `docker run`
    container_location: Location | None = None
    platform: str = ""  # `docker run --platform` of that container
    tool: str = "go"  # the command name: "go", "go1.22.5" (a golang.org/dl wrapper)

    @property
    def location(self) -> Location:
        return self.command.location

    def flag(self, name: str) -> GoFlag | None:
        """The effective flag: the last on the command line wins over GOFLAGS."""
        found = [f for f in self.flags if f.name == name]
        return found[-1] if found else None

    def linker_flag(self, name: str) -> LinkerFlag | None:
        found = [f for f in self.ldflags if f.name == name]
        return found[-1] if found else None

    def getenv(self, name: str) -> EnvVar | None:
        return self.env.get(name)

    @property
    def buildmode(self) -> str:
        flag = self.flag("buildmode")
        return flag.value if flag else ""

    @property
    def output(self) -> str:
        flag = self.flag("o")
        return flag.value if flag else ""

    @property
    def is_plugin_build(self) -> bool:
        """Asks for a plugin, or writes a ``.so``: both are what a plugin build looks like."""
        return self.buildmode == "plugin" or self.output.endswith(".so")


@dataclass(frozen=True)
class PackageInstall:
    manager: str  # "apk", "apt-get", "apt", "yum", "dnf"
    packages: tuple[Word, ...]
    command: SimpleCommand

    @property
    def names(self) -> frozenset[str]:
        return frozenset(_package_name(w.text) for w in self.packages)


@dataclass(frozen=True)
class MakeCall:
    targets: tuple[Word, ...]
    variables: tuple[EnvVar, ...]
    command: SimpleCommand


@dataclass(frozen=True)
class DockerRun:
    image: Word
    platform: str
    env: Mapping[str, EnvVar]  # the container's -e variables
    command: SimpleCommand
    shell_env: Mapping[str, EnvVar] = field(default_factory=lambda: EMPTY_ENV)  # to expand ``image``


@dataclass(frozen=True)
class DockerBuild:
    tags: tuple[Word, ...]
    build_args: Mapping[str, EnvVar]
    file: str
    platform: str
    command: SimpleCommand


@dataclass(frozen=True)
class ShellScript:
    source: SourceMap
    commands: tuple[SimpleCommand, ...] = ()
    go_builds: tuple[GoBuild, ...] = ()
    installs: tuple[PackageInstall, ...] = ()
    exports: tuple[EnvVar, ...] = ()  # `export X=Y`, `go env -w X=Y`, in order
    make_calls: tuple[MakeCall, ...] = ()
    docker_runs: tuple[DockerRun, ...] = ()
    docker_builds: tuple[DockerBuild, ...] = ()
    exact: bool = True  # False when the fallback splitter was used
    problems: tuple[Problem, ...] = ()


def parse_shell(
    text: str,
    source: SourceMap,
    env: Mapping[str, EnvVar] | None = None,
) -> ShellScript:
    """Split ``text`` into commands and recognise the build steps in them. Never raises."""
    commands, exact = split_commands(text, source)
    from linter.inputs.shellcmds import analyse  # the analysis needs parse_shell for `sh -c`

    return analyse(commands, source, dict(env or {}), exact)


def split_commands(text: str, source: SourceMap) -> tuple[tuple[SimpleCommand, ...], bool]:
    """Simple commands in execution order; ``exact`` is False when the fallback was used."""
    if not text.strip():
        return (), True
    whole = _bashlex_commands(text, source)
    if whole is not None:
        return whole, True
    # Parse line by line so one exotic line does not cost the precision of the others; each line
    # is cut out with its own source map (padding it to keep offsets made the work quadratic).
    found: list[SimpleCommand] = []
    for start, end in _chunks(text):
        line, line_source = text[start:end], source.shifted(start)
        chunk = _bashlex_commands(line, line_source)
        found.extend(chunk if chunk is not None else _fallback_commands(line, line_source))
    return tuple(found), False


def _bashlex_commands(text: str, source: SourceMap) -> tuple[SimpleCommand, ...] | None:
    try:
        trees = bashlex.parse(text)
    except Exception:  # bashlex fails in many ways on exotic syntax; the fallback copes
        return None
    found: list[SimpleCommand] = []
    for tree in trees:
        found.extend(_commands_of(tree, text, source))
    return tuple(found)


def _chunks(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each logical line: newlines outside quotes and not escaped."""
    start = 0
    for token, token_start, token_end in _tokens(text):
        if token is None and text[token_start:token_end] == "\n":
            yield start, token_start
            start = token_end
    if text[start:].strip():
        yield start, len(text)


def expand(text: str, lookup: Callable[[str], str | None]) -> str:
    """Expand ``$VAR``, ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:+alt}``.

    Unknown variables are left as written, so a caller can tell a resolved value from one that
    still depends on something it could not see.
    """
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char != "$" or index + 1 >= len(text):
            out.append(char)
            index += 1
            continue
        replaced, index = _expand_one(text, index, lookup)
        out.append(replaced)
    return "".join(out)


def env_lookup(env: Mapping[str, EnvVar]) -> Callable[[str], str | None]:
    """A lookup for ``expand`` over an environment."""

    def lookup(name: str) -> str | None:
        var = env.get(name)
        return var.value if var is not None else None

    return lookup


def has_variables(text: str) -> bool:
    return "$" in expand(text, lambda _name: None).replace("$$", "")


def _expand_one(text: str, index: int, lookup: Callable[[str], str | None]) -> tuple[str, int]:
    nxt = text[index + 1]
    if nxt == "{":
        close = matching_brace(text, index + 1)
        if close < 0:
            return text[index:], len(text)
        body = text[index + 2 : close]
        return _expand_braced(body, lookup, text[index : close + 1]), close + 1
    end = index + 1
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    if end == index + 1:
        return "$", index + 1
    value = lookup(text[index + 1 : end])
    return (text[index:end] if value is None else value), end


def matching_brace(text: str, open_index: int) -> int:
    """The index of the `}` closing the `{` at ``open_index`` (nested braces counted), or -1."""
    depth = 0
    for index in range(open_index, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    return -1


def _expand_braced(body: str, lookup: Callable[[str], str | None], written: str) -> str:
    name_end = 0
    while name_end < len(body) and (body[name_end].isalnum() or body[name_end] == "_"):
        name_end += 1
    name, rest = body[:name_end], body[name_end:]
    value = lookup(name) if name else None
    for operator in (":-", ":=", "-", "="):
        if rest.startswith(operator):
            unset = value is None or (operator.startswith(":") and value == "")
            return expand(rest[len(operator) :], lookup) if unset else str(value)
    for operator in (":+", "+"):
        if rest.startswith(operator):
            if value is None:
                return written
            set_ = value != "" or operator == "+"
            return expand(rest[len(operator) :], lookup) if set_ else ""
    if rest or value is None:
        return written
    return value


# --- bashlex tree walking -------------------------------------------------------------------------

def _commands_of(node: object, text: str, source: SourceMap) -> Iterator[SimpleCommand]:
    kind = getattr(node, "kind", "")
    if kind == "command":
        command = _simple_command(node, text, source)
        if command is not None:
            yield command
        # Commands inside $(...) in the words run too (before the command itself).
        for part in getattr(node, "parts", []):
            yield from _substitutions_of(part, text, source)
        return
    for child in _children(node):
        yield from _commands_of(child, text, source)


def _children(node: object) -> list[object]:
    children: list[object] = []
    for attr in ("parts", "list"):
        value = getattr(node, attr, None)
        if isinstance(value, list):
            children.extend(value)
    command = getattr(node, "command", None)
    if command is not None and not isinstance(command, str):
        children.append(command)
    return children


def _substitutions_of(node: object, text: str, source: SourceMap) -> Iterator[SimpleCommand]:
    for child in getattr(node, "parts", None) or []:
        if getattr(child, "kind", "") == "commandsubstitution":
            yield from _commands_of(child.command, text, source)
        else:
            yield from _substitutions_of(child, text, source)


def _simple_command(node: object, text: str, source: SourceMap) -> SimpleCommand | None:
    words: list[Word] = []
    assignments: list[EnvVar] = []
    for part in getattr(node, "parts", []):
        kind = getattr(part, "kind", "")
        start, end = part.pos
        if kind == "assignment" and not words:
            assignments.append(_assignment(part.word, start, end, source))
        elif kind in ("word", "assignment"):
            words.append(Word(part.word, text[start:end], start, end, source.location(start, end)))
    if not words and not assignments:
        return None
    start, end = getattr(node, "pos", (0, 0))
    return SimpleCommand(tuple(words), tuple(assignments), source.location(start, end))


def _assignment(word: str, start: int, end: int, source: SourceMap, origin: str = "assignment") -> EnvVar:
    name, _, value = word.partition("=")
    return EnvVar(name, value, source.location(start, end), origin)


# --- fallback splitter ----------------------------------------------------------------------------

_SEPARATORS = ("&&", "||", ";;", ";", "|", "&", "\n", "(", ")")
_RESERVED = frozenset(
    {"if", "then", "elif", "else", "fi", "do", "done", "while", "until", "for", "in", "case", "esac",
     "!", "{", "}", "[[", "]]", "time", "function"}
)


def _fallback_commands(text: str, source: SourceMap) -> Iterator[SimpleCommand]:
    for segment in _segments(text):
        while segment and segment[0][0] in _RESERVED:
            segment = segment[1:]
        if not segment:
            continue
        assignments: list[EnvVar] = []
        rest = list(segment)
        while rest and _is_assignment(rest[0][0]):
            word, start, end = rest.pop(0)
            assignments.append(_assignment(word, start, end, source))
        words = rest
        built = tuple(Word(w, text[s:e], s, e, source.location(s, e)) for w, s, e in words)
        start, end = segment[0][1], segment[-1][2]
        yield SimpleCommand(built, tuple(assignments), source.location(start, end))


def _is_assignment(word: str) -> bool:
    name, equals, _ = word.partition("=")
    return bool(equals) and bool(name) and (name[0].isalpha() or name[0] == "_") and all(
        c.isalnum() or c == "_" for c in name
    )


def _segments(text: str) -> Iterator[list[tuple[str, int, int]]]:
    segment: list[tuple[str, int, int]] = []
    for token in _tokens(text):
        if token[0] is None:
            if segment:
                yield segment
            segment = []
        else:
            segment.append((token[0], token[1], token[2]))
    if segment:
        yield segment


def _tokens(text: str) -> Iterator[tuple[str | None, int, int]]:
    """Words (unquoted text, start, end) and separators (None, start, end)."""
    index = 0
    while index < len(text):
        char = text[index]
        if char in " \t":
            index += 1
            continue
        if char == "\\" and text[index + 1 : index + 2] == "\n":
            index += 2
            continue
        if char == "#":
            while index < len(text) and text[index] != "\n":
                index += 1
            continue
        separator = next((s for s in _SEPARATORS if text.startswith(s, index)), "")
        if separator:
            yield None, index, index + len(separator)
            index += len(separator)
            continue
        word, end = _word(text, index)
        yield word, index, end
        index = end


def _word(text: str, index: int) -> tuple[str, int]:
    out: list[str] = []
    depth = 0
    while index < len(text):
        char = text[index]
        if depth == 0 and (char in " \t\n;&|()" or (char == "\\" and text[index + 1 : index + 2] == "\n")):
            break
        if char in "'\"`":
            close = text.find(char, index + 1)
            close = len(text) if close < 0 else close
            out.append(text[index + 1 : close])
            index = close + 1
            continue
        if char == "\\" and index + 1 < len(text):
            out.append(text[index + 1])
            index += 2
            continue
        if text.startswith("$(", index):
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        out.append(char)
        index += 1
    return "".join(out), index


def _package_name(spec: str) -> str:
    """``gcc=12.2-r0`` / ``gcc>=12`` / ``gcc:amd64`` -> ``gcc``."""
    for stop in ("=", ">", "<", "~", ":"):
        spec = spec.split(stop, 1)[0]
    return spec
