"""Shell text (a RUN command, a Makefile recipe, a workflow `run:` step, a build script) as commands.

``parse_shell`` splits the text with tree-sitter's bash grammar into simple commands (words and
leading ``NAME=value`` assignments), each word carrying a ``Location`` in the original file through a
``SourceMap``. When the text has a syntax error, it is parsed again line by line, and a line that
still does not parse goes to a small quote-aware splitter that gives a best-effort answer without a
``Problem``: a RUN line that is broken shell is reported by the shell, and the rest keeps its answer.

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
from functools import cache
from types import MappingProxyType

import tree_sitter_bash
from tree_sitter import Language, Node, Parser

from linter.model import Location, Problem

EMPTY_ENV: Mapping[str, EnvVar] = MappingProxyType({})


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
    from linter.inputs.shell.analysis import analyse  # the analysis needs parse_shell for `sh -c`

    return analyse(commands, source, dict(env or {}), exact)


def split_commands(text: str, source: SourceMap) -> tuple[tuple[SimpleCommand, ...], bool]:
    """Simple commands in execution order; ``exact`` is False when the fallback was used."""
    if not text.strip():
        return (), True
    whole = _parsed_commands(text, source)
    if whole is not None:
        return whole, True
    # Parse line by line so one broken line does not cost the precision of the others; each line
    # is cut out with its own source map (padding it to keep offsets made the work quadratic).
    found: list[SimpleCommand] = []
    for start, end in _chunks(text):
        line, line_source = text[start:end], source.shifted(start)
        chunk = _parsed_commands(line, line_source)
        found.extend(chunk if chunk is not None else _fallback_commands(line, line_source))
    return tuple(found), False


@cache
def _parser() -> Parser:
    return Parser(Language(tree_sitter_bash.language()))


def _parse(data: bytes) -> Node:
    """The syntax tree of ``data``. tree-sitter's parser is linear in its input and always ends:
    unlike bashlex, no input can make it loop, so no guard is needed."""
    return _parser().parse(data).root_node


def _parsed_commands(text: str, source: SourceMap) -> tuple[SimpleCommand, ...] | None:
    """The commands of ``text``, or None when it has a syntax error (the caller falls back)."""
    data = text.encode("utf-8", "surrogatepass")
    root = _parse(data)
    if root.has_error:
        return None
    reader = _TreeReader(text, source, _Offsets.of(text, data))
    return tuple(reader.commands(root))


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


# --- syntax tree walking -------------------------------------------------------------------------

_REDIRECTS = frozenset({"file_redirect", "heredoc_redirect", "herestring_redirect"})
_EXPANSIONS = frozenset(
    {"command_substitution", "expansion", "simple_expansion", "arithmetic_expansion", "process_substitution"}
)
_DECLARATIONS = frozenset({"declaration_command", "unset_command"})
_ASSIGNMENT_SCOPES = frozenset({"command", "declaration_command", "variable_assignments"})


@dataclass(frozen=True)
class _Offsets:
    """tree-sitter counts bytes of UTF-8; words count characters of the text. ``starts`` holds the
    byte offset of every character, and is empty for ASCII text, where the two agree."""

    starts: tuple[int, ...] = ()

    @classmethod
    def of(cls, text: str, data: bytes) -> _Offsets:
        if len(data) == len(text):
            return cls()
        starts: list[int] = []
        offset = 0
        for char in text:
            starts.append(offset)
            point = ord(char)
            offset += 1 if point < 0x80 else 2 if point < 0x800 else 3 if point < 0x10000 else 4
        return cls(tuple(starts))

    def char(self, byte: int) -> int:
        return bisect.bisect_left(self.starts, byte) if self.starts else byte


@dataclass(frozen=True)
class _TreeReader:
    text: str
    source: SourceMap
    offsets: _Offsets

    def span(self, node: Node) -> tuple[int, int]:
        return self.offsets.char(node.start_byte), self.offsets.char(node.end_byte)

    def commands(self, root: Node) -> Iterator[SimpleCommand]:
        """Every command in document order; one found inside the words of another (``$(...)``)
        comes right after it, as it runs."""
        stack = [root]
        while stack:
            node = stack.pop()
            command = self._command(node)
            if command is not None:
                yield command
            stack.extend(reversed(node.named_children))

    def _command(self, node: Node) -> SimpleCommand | None:
        kind = node.type
        if kind == "command":
            return self._simple(node)
        if kind in _DECLARATIONS:
            words = tuple(self.word(child) for child in node.children if child.type != "comment")
            return self._built(node, words, ())
        if kind == "variable_assignments" or (
            kind == "variable_assignment" and node.parent is not None and node.parent.type not in _ASSIGNMENT_SCOPES
        ):
            parts = node.named_children if kind == "variable_assignments" else [node]
            return self._built(node, (), tuple(self.assignment(part) for part in parts))
        return None

    def _simple(self, node: Node) -> SimpleCommand | None:
        words: list[Word] = []
        assignments: list[EnvVar] = []
        for child in node.named_children:
            kind = child.type
            if kind in _REDIRECTS or kind == "comment":
                continue
            if kind == "variable_assignment" and not words:
                assignments.append(self.assignment(child))
            elif kind == "command_name":
                words.append(self.word(child.named_children[0] if child.named_child_count == 1 else child))
            else:
                words.append(self.word(child))
        return self._built(node, tuple(words), tuple(assignments))

    def _built(self, node: Node, words: tuple[Word, ...], assignments: tuple[EnvVar, ...]) -> SimpleCommand | None:
        if not words and not assignments:
            return None
        start, end = self.offsets.char(node.start_byte), self.offsets.char(_command_end(node))
        return SimpleCommand(words, assignments, self.source.location(start, end))

    def word(self, node: Node) -> Word:
        start, end = self.span(node)
        return Word(self._unquoted(node, start, end), self.text[start:end], start, end,
                    self.source.location(start, end))

    def assignment(self, node: Node) -> EnvVar:
        start, end = self.span(node)
        return _assignment(self._unquoted(node, start, end), start, end, self.source)

    def _unquoted(self, node: Node, start: int, end: int) -> str:
        verbatim = [self.span(found) for found in _outermost(node, _EXPANSIONS)]
        return unquote(self.text, start, end, verbatim)


_HEREDOC_TEXT = frozenset({"heredoc_body", "heredoc_end"})


def _command_end(node: Node) -> int:
    """Where a command ends: its redirections (``2>/dev/null``, ``<<EOF``, but not the here-document's
    lines) belong to it, although the grammar puts them beside it."""
    end: int = node.end_byte
    parent = node.parent
    if parent is None or parent.type != "redirected_statement" or parent.child_by_field_name("body") != node:
        return end
    for redirect in parent.children_by_field_name("redirect"):
        if redirect.type == "heredoc_redirect":
            parts = [part.end_byte for part in redirect.children if part.type not in _HEREDOC_TEXT]
            end = max(end, *parts)
        else:
            end = max(end, redirect.end_byte)
    return end


def _outermost(node: Node, kinds: frozenset[str]) -> Iterator[Node]:
    """The nodes of ``kinds`` under ``node`` (itself included) that no other such node contains."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in kinds:
            yield current
        else:
            stack.extend(reversed(current.named_children))


def unquote(text: str, start: int, end: int, verbatim: list[tuple[int, int]]) -> str:
    """The word ``text[start:end]`` with its quotes and escapes removed, as the shell would, except
    that the ``verbatim`` spans (expansions and substitutions) are kept as written."""
    out: list[str] = []
    spans = iter(verbatim)
    span = next(spans, None)
    index, quoted = start, False
    while index < end:
        if span is not None and index >= span[0]:
            out.append(text[span[0] : span[1]])
            index = max(index, span[1])
            span = next(spans, None)
            continue
        char, nxt = text[index], text[index + 1 : index + 2] if index + 1 < end else ""
        if quoted:
            quoted, index = _in_double_quotes(out, char, nxt, index)
        elif char == "'" or (char == "$" and nxt == "'"):
            opening = index + (2 if char == "$" else 1)
            close = text.find("'", opening, end)
            close = end if close < 0 else close
            out.append(text[opening:close])
            index = close + 1
        elif char == '"':
            quoted, index = True, index + 1
        elif char == "\\" and nxt:
            out.append("" if nxt == "\n" else nxt)
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _in_double_quotes(out: list[str], char: str, nxt: str, index: int) -> tuple[bool, int]:
    if char == '"':
        return False, index + 1
    if char == "\\" and nxt and nxt in '$`"\\\n':
        out.append("" if nxt == "\n" else nxt)
        return True, index + 2
    out.append(char)
    return True, index + 1


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
