"""Build scripts: Makefiles, Taskfiles and shell scripts that build plugins, and Go version pin files.

A Makefile is read line by line as make does: variable assignments (``VERSION ?= 2.7.0``),
rules, and tab-indented recipes. Each recipe line is expanded with the Makefile's variables and
handed to the shell parser; text that came from a variable points at the ``$(VAR)`` reference,
and ``origin`` maps it on to the line that sets the variable (the line a human changes).
There is no Makefile parser on PyPI that keeps positions, so this reader is ours; it ignores
conditionals (both branches are read, the last assignment wins) and `define` blocks.

A Taskfile (``linter.inputs.taskfile``) is read into the same shape: its ``vars:`` are variables,
its tasks are recipes, and its ``{{.VAR}}`` references are expanded and traced the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from linter.inputs.shell import GoBuild, ShellScript, SourceBuilder, SourceMap, Word
from linter.inputs.shell.analysis import parse_shell
from linter.inputs.text import Text, decode
from linter.model import Location, Problem

_OPERATORS = (":::=", "::=", ":=", "?=", "+=", "!=", "=")
_DIRECTIVES = frozenset({"ifeq", "ifneq", "ifdef", "ifndef", "else", "endif", "include", "-include",
                         "sinclude", "vpath", "unexport", "undefine"})
_MAX_DEPTH = 10
# Characters of variable text one file may expand to: `A1 = $(A0)$(A0)...` multiplies the text at
# every level, and a 1 KB Makefile would otherwise expand to gigabytes (make itself would too).
MAX_EXPANDED = 1 << 16  # far above any real recipe; the shell parser reads ~50 KB/s


@dataclass(frozen=True)
class MakeVariable:
    name: str
    value: str  # as written (unexpanded)
    operator: str  # "=", ":=", "?=", "+=", ...
    location: Location  # the assignment line, column of the name
    value_location: Location  # the value's first character
    scope: str = ""  # the Taskfile task whose `vars:` set it; "" for a variable of the whole file


@dataclass(frozen=True)
class Recipe:
    target: str
    location: Location
    scripts: tuple[ShellScript, ...] = ()  # one per recipe line / Taskfile command: each runs in its own shell
    dir: str = ""  # the folder its commands run in, relative to the file's folder (a task's `dir:`); "" = there


@dataclass(frozen=True)
class BuildScript:
    path: str
    kind: str  # "makefile", "taskfile" or "shell"
    # name -> variable; a Taskfile task's own `vars:` are keyed "task:NAME" (their .name is NAME)
    variables: Mapping[str, MakeVariable] = field(default_factory=lambda: MappingProxyType({}))
    recipes: tuple[Recipe, ...] = ()
    script: ShellScript | None = None  # a shell script's whole text
    expansions: tuple[tuple[int, int, str], ...] = ()  # (line, column, key in variables) of each $(VAR)/{{.VAR}}
    problems: tuple[Problem, ...] = ()
    lines: tuple[str, ...] = ()

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    @property
    def scripts(self) -> tuple[ShellScript, ...]:
        found = [s for recipe in self.recipes for s in recipe.scripts]
        if self.script is not None:
            found.append(self.script)
        return tuple(found)

    @property
    def go_builds(self) -> tuple[GoBuild, ...]:
        return tuple(b for s in self.scripts for b in s.go_builds)

    def expand(self, text: str, scope: str = "") -> str:
        """``text`` with this file's variable references replaced: ``$(VAR)`` in a Makefile,
        ``{{.VAR}}`` in a Taskfile (``scope``: the task whose own variables come first)."""
        return expand_references(text, self._lookup(scope), 0, split=self._split)

    @property
    def _split(self) -> Callable[[str], Iterator[tuple[str, int, str | None]]]:
        return split_templates if self.kind == "taskfile" else _split_references

    def _lookup(self, scope: str) -> Callable[[str], MakeVariable | None]:
        return lambda name: scoped_variable(self.variables, name, scope)[1]

    def origin(self, word: Word) -> tuple[Location, MakeVariable | None]:
        """Where to change ``word``: the definition of a variable expanded into it, else the word."""
        loc = word.location
        for line, column, name in self.expansions:
            inside = line == loc.line and loc.column <= column <= max(loc.end_column, loc.column)
            variable = self.variables.get(name)
            if inside and variable is not None:
                variable = self._innermost(variable)
                return variable.location, variable
        return loc, None

    def _innermost(self, variable: MakeVariable) -> MakeVariable:
        """``IMAGE = krakend/builder:$(VERSION)``: the version is changed on VERSION's line."""
        for _ in range(_MAX_DEPTH):
            names = [name for _piece, _offset, name in self._split(variable.value) if name]
            inner = self._lookup(variable.scope)(names[-1]) if names else None
            if inner is None or not any(c.isdigit() for c in self.expand(inner.value, inner.scope)):
                break
            variable = inner
        return variable


@dataclass(frozen=True)
class GoVersionFile:
    path: str
    kind: str  # ".go-version" or ".tool-versions"
    version: str  # "" when the file names none
    location: Location
    problems: tuple[Problem, ...] = ()
    line_text: str = ""  # the whole line the version is on, for one-line fixes


def parse_makefile(data: bytes, path: str) -> BuildScript:
    text, problems = decode(data, path)
    if text is None:
        return BuildScript(path, "makefile", problems=problems)
    reader = _MakefileReader(path, text)
    reader.read()
    return BuildScript(
        path=path,
        kind="makefile",
        variables=MappingProxyType(reader.variables),
        recipes=tuple(reader.recipes),
        expansions=tuple(reader.expansions),
        problems=(*problems, *reader.problems),
        lines=text.lines,
    )


def parse_shell_script(data: bytes, path: str) -> BuildScript:
    text, problems = decode(data, path)
    if text is None:
        return BuildScript(path, "shell", problems=problems)
    script = parse_shell(text.text, SourceMap.of_text(path, text.text))
    return BuildScript(path, "shell", script=script, problems=problems, lines=text.lines)


def parse_go_version_file(data: bytes, path: str) -> GoVersionFile:
    """``.go-version`` (one version) or ``.tool-versions`` (asdf/mise: ``golang 1.22.5``)."""
    name = path.rsplit("/", 1)[-1]
    kind = ".tool-versions" if name == ".tool-versions" else ".go-version"
    text, problems = decode(data, path)
    if text is None:
        return GoVersionFile(path, kind, "", Location(path), problems)
    for number, line in enumerate(text.lines, start=1):
        found = _version_on(line, kind)
        if found is not None:
            version, column = found
            location = Location(path, number, column, number, column + len(version))
            return GoVersionFile(path, kind, version, location, problems, line)
    return GoVersionFile(path, kind, "", Location(path), problems)


def _version_on(line: str, kind: str) -> tuple[str, int] | None:
    body = line.split("#", 1)[0]
    fields = body.split()
    if kind == ".go-version":
        return (fields[0], line.index(fields[0]) + 1) if fields else None
    if len(fields) >= 2 and fields[0] in ("golang", "go"):
        version = fields[1]
        return version, line.index(version, line.index(fields[0]) + len(fields[0])) + 1
    return None


# --- Makefile reading ---------------------------------------------------------------------------

class _MakefileReader:
    def __init__(self, path: str, text: Text) -> None:
        self.path = path
        self.text = text
        self.variables: dict[str, MakeVariable] = {}
        self.recipes: list[Recipe] = []
        self.expansions: list[tuple[int, int, str]] = []
        self._target: tuple[str, Location] | None = None
        self._budget = [MAX_EXPANDED]
        self.problems: list[Problem] = []
        self._lines: list[tuple[int, list[str]]] = []  # recipe lines of the current rule

    def read(self) -> None:
        number = 1
        lines = self.text.lines
        while number <= len(lines):
            first = number
            group = [lines[number - 1]]
            while group[-1].endswith("\\") and number < len(lines):
                number += 1
                group.append(lines[number - 1])
            self._logical(first, group)
            number += 1
        self._close_rule()

    def _logical(self, first: int, group: list[str]) -> None:
        head = group[0]
        if head.startswith("\t") and self._target is not None:
            self._lines.append((first, group))
            return
        if head.lstrip().startswith("define ") or not head.strip() or head.lstrip().startswith("#"):
            return
        joined = " ".join(line[:-1] if line.endswith("\\") else line for line in group)
        joined = joined.split("#", 1)[0] if "#" in joined and "\\#" not in joined else joined
        word = joined.split(None, 1)[0] if joined.split() else ""
        if word in _DIRECTIVES:
            return
        assignment = _assignment(joined)
        if assignment is not None:
            self._assign(first, head, *assignment)
            return
        self._rule(first, head, joined)

    def _assign(self, number: int, head: str, name: str, operator: str, value: str) -> None:
        column = head.find(name) + 1
        value_column = head.find(value, head.find(operator) + len(operator)) + 1 if value else 0
        previous = self.variables.get(name)
        if operator == "?=" and previous is not None:
            return
        if operator == "+=" and previous is not None:
            value = f"{previous.value} {value}".strip()
        elif operator in (":=", "::=", ":::="):
            value = self._expanded(value, 0, number, value_column)
        loc = Location(self.path, number, column, number, column + len(name))
        value_loc = Location(self.path, number, max(value_column, 1))
        self.variables[name] = MakeVariable(name, value, operator, loc, value_loc)

    def _rule(self, number: int, head: str, joined: str) -> None:
        self._close_rule()
        targets, colon, rest = joined.partition(":")
        if not colon or not targets.strip():
            return
        name = targets.split()[0] if targets.split() else ""
        column = head.find(name) + 1
        self._target = (name, Location(self.path, number, column))
        _deps, semi, inline = rest.partition(";")
        if semi and inline.strip():
            self._lines.append((number, [" " * (len(head) - len(inline)) + inline]))

    def _close_rule(self) -> None:
        if self._target is None:
            return
        name, location = self._target
        scripts = tuple(self._script(first, group) for first, group in self._lines)
        self.recipes.append(Recipe(name, location, scripts))
        self._target = None
        self._lines = []

    def _script(self, first: int, group: list[str]) -> ShellScript:
        builder = SourceBuilder(self.path)
        for offset, line in enumerate(group):
            number = first + offset
            body = line[1:] if line.startswith("\t") else line
            column = len(line) - len(body) + 1
            if offset == 0:
                stripped = body.lstrip("@-+ ")
                column += len(body) - len(stripped)
                body = stripped
            if offset:
                builder.add("\n", number - 1, 0, advances=False)
            for piece, piece_column, advances in self._pieces(body, number, column):
                builder.add(piece, number, piece_column, advances)
        text, source = builder.build()
        return parse_shell(text, source)

    def _pieces(self, body: str, number: int, column: int) -> Iterator[tuple[str, int, bool]]:
        """Literal text (advancing) and expanded variables (pinned to their ``$(``)."""
        for piece, offset, name in _split_references(body):
            if name is None:
                yield piece, column + offset, True
                continue
            value = self.variables.get(name)
            if value is None:
                yield piece, column + offset, True
                continue
            self.expansions.append((number, column + offset, name))
            yield self._expanded(value.value, 1, number, column + offset), column + offset, False

    def _expanded(self, text: str, depth: int, number: int, column: int) -> str:
        exhausted = self._budget[0] <= 0
        result = expand_references(text, self.variables.get, depth, self._budget)
        if self._budget[0] <= 0 and not exhausted:
            self.problems.append(Problem(
                Location(self.path, number, max(column, 1)),
                f"variables expand to more than {MAX_EXPANDED} characters; the rest is left unexpanded",
            ))
        return result


def _assignment(line: str) -> tuple[str, str, str] | None:
    """(name, operator, value) when ``line`` assigns a variable rather than declaring a rule."""
    body = line.strip()
    for prefix in ("export ", "override ", "private "):
        if body.startswith(prefix):
            body = body[len(prefix) :].lstrip()
    depth = 0
    for index, char in enumerate(body):
        if char in "({":
            depth += 1
        elif char in ")}":
            depth -= 1
        elif depth == 0 and char in ":?+!=":
            operator = next((op for op in _OPERATORS if body.startswith(op, index)), "")
            if not operator:
                return None  # a rule's colon
            name = body[:index].strip()
            if not name or " " in name:
                return None
            return name, operator, body[index + len(operator) :].strip()
    return None


def _split_references(text: str) -> Iterator[tuple[str, int, str | None]]:
    """(piece, offset, variable name or None): ``$(NAME)``/``${NAME}`` references split out;
    ``$$`` becomes ``$``; function calls and automatic variables stay literal."""
    start = index = 0
    while index < len(text):
        if text[index] != "$" or index + 1 >= len(text):
            index += 1
            continue
        nxt = text[index + 1]
        if nxt == "$":
            yield text[start:index] + "$", start, None
            index += 2
            start = index
            continue
        close = _closing(text, index + 1) if nxt in "({" else -1
        name = text[index + 2 : close] if close > 0 else ""
        if close > 0 and name and all(c.isalnum() or c in "_-." for c in name):
            if index > start:
                yield text[start:index], start, None
            yield text[index : close + 1], index, name
            start = index = close + 1
            continue
        index += 1
    if start < len(text):
        yield text[start:], start, None


def _closing(text: str, open_index: int) -> int:
    pair = {"(": ")", "{": "}"}[text[open_index]]
    depth = 0
    for index in range(open_index, len(text)):
        if text[index] == text[open_index]:
            depth += 1
        elif text[index] == pair:
            depth -= 1
            if depth == 0:
                return index
    return -1


_Split = Callable[[str], Iterator[tuple[str, int, str | None]]]


def expand_references(text: str, lookup: Callable[[str], MakeVariable | None], depth: int,
                      budget: list[int] | None = None, split: _Split = _split_references) -> str:
    """``text`` with its references replaced; ``budget`` (characters left) is shared by the calls
    of one file, and a reference met after it ran out stays as written."""
    budget = [MAX_EXPANDED] if budget is None else budget
    if depth > _MAX_DEPTH:
        return text
    out: list[str] = []
    for piece, _offset, name in split(text):
        variable = lookup(name) if name and budget[0] > 0 else None
        if variable is not None:
            piece = expand_references(variable.value, lookup, depth + 1, budget, split)
            budget[0] -= len(piece)
        out.append(piece)
    return "".join(out)


# --- Taskfile templates -------------------------------------------------------------------------

# `{{.NAME}}`, `{{ .NAME }}`, `{{- .NAME -}}`: the Go template actions that print one variable.
# Any other action (`{{if}}`, pipelines, functions) is left as written.
_TEMPLATE_REFERENCE = re.compile(r"\{\{-?\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*-?\}\}")


def split_templates(text: str) -> Iterator[tuple[str, int, str | None]]:
    """(piece, offset, variable name or None), as ``_split_references`` does for Makefiles."""
    start = 0
    for match in _TEMPLATE_REFERENCE.finditer(text):
        if match.start() > start:
            yield text[start : match.start()], start, None
        yield match.group(0), match.start(), match.group(1)
        start = match.end()
    if start < len(text):
        yield text[start:], start, None


def scoped_variable(variables: Mapping[str, MakeVariable], name: str, scope: str) -> tuple[str, MakeVariable | None]:
    """(key, variable) of ``name`` seen from task ``scope``: the task's own variable first."""
    if scope:
        key = f"{scope}:{name}"
        found = variables.get(key)
        if found is not None:
            return key, found
    return name, variables.get(name)
