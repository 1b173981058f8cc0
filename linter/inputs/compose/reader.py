"""``parse_compose``: the services of a Compose file read from its YAML nodes, values interpolated."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator, Mapping

import yaml

from linter.inputs.compose.interpolation import DotenvValue, interpolate, parse_dotenv
from linter.inputs.compose.model import (
    ComposeBuild,
    ComposeFile,
    ComposeService,
    ComposeValue,
    ComposeVariable,
    ComposeVolume,
)
from linter.inputs.shell import matching_brace
from linter.inputs.text import Text, decode
from linter.inputs.yamlnodes import Mappings, is_null, node_location, read_mapping, scalar_location, source_map
from linter.model import Location, Problem


def parse_compose(data: bytes, path: str, dotenv: str | None = None) -> ComposeFile:
    """``dotenv``: the text of the ``.env`` file beside the Compose file, when there is one."""
    text, problems = decode(data, path)
    if text is None:
        return ComposeFile(path, problems=problems)
    root, found = read_mapping(text, path, "a Compose file")
    if root is None:
        return ComposeFile(path, problems=(*problems, *found), lines=text.lines)
    folder = posixpath.dirname(path)
    env = parse_dotenv(dotenv, posixpath.join(folder, ".env") if folder else ".env") if dotenv is not None else {}
    reader = _ComposeReader(path, text, env)
    services = tuple(reader.service(key, node) for key, node in reader.service_entries(root))
    return ComposeFile(path, services, (*problems, *reader.problems), text.lines)


class _ComposeReader:
    def __init__(self, path: str, text: Text, env: Mapping[str, DotenvValue]) -> None:
        self.path = path
        self.text = text
        self.env = env
        self.nodes = Mappings()
        self.problems: list[Problem] = []
        # Characters (and entries) still to read: far above a file without aliases, whose values
        # are never longer than the file; aliases repeating a long list under many services stop here.
        self._budget = 4 * len(text.text) + (1 << 20)

    def service_entries(self, root: yaml.MappingNode) -> Iterator[tuple[yaml.ScalarNode, yaml.Node]]:
        """The `services:` mapping; in a version 1 file (no `services:`), the top-level mappings
        that have an `image` or a `build`."""
        services = self.nodes.get(root, "services")
        if services is not None:
            yield from self.nodes.entries(services)
            return
        for key, node in self.nodes.entries(root):
            if self.nodes.get(node, "image") is not None or self.nodes.get(node, "build") is not None:
                yield key, node

    def service(self, key: yaml.ScalarNode, node: yaml.Node) -> ComposeService:
        get = self.nodes.get
        return ComposeService(
            name=str(key.value),
            location=scalar_location(self.path, key),
            image=self.value(get(node, "image")),
            build=self.build(get(node, "build")),
            platform=self.value(get(node, "platform")),
            volumes=tuple(self.volumes(get(node, "volumes"))),
            command=self.words(get(node, "command")),
            entrypoint=self.words(get(node, "entrypoint")),
            environment=tuple(self.variables(get(node, "environment"))),
        )

    def value(self, node: yaml.Node | None) -> ComposeValue | None:
        if not isinstance(node, yaml.ScalarNode) or is_null(node) or not self._take(node, len(str(node.value))):
            return None
        raw = str(node.value)
        base = source_map(self.path, self.text, node)
        location = scalar_location(self.path, node)
        return self._interpolated(raw, location, base.location)

    def _interpolated(self, raw: str, location: Location, where: Callable[[int, int], Location]) -> ComposeValue:
        if "$" not in raw:
            return ComposeValue(raw, raw, location)
        done = interpolate(raw, self.env, where)
        return ComposeValue(done.text, raw, location, done.unresolved, done.variables, done.origin)

    def build(self, node: yaml.Node | None) -> ComposeBuild | None:
        if isinstance(node, yaml.ScalarNode):
            context = self.value(node)
            return ComposeBuild(context.location, context) if context is not None else None
        if not isinstance(node, yaml.MappingNode):
            return None
        get = self.nodes.get
        return ComposeBuild(
            location=node_location(self.path, node),
            context=self.value(get(node, "context")),
            dockerfile=self.value(get(node, "dockerfile")),
            args=tuple(self.variables(get(node, "args"))),
            target=self.value(get(node, "target")),
        )

    def variables(self, node: yaml.Node | None) -> Iterator[ComposeVariable]:
        """``NAME: value`` (a mapping) or ``- NAME=value`` / ``- NAME`` (a list)."""
        for key, value in self.nodes.entries(node):
            if self._take(key, 1):
                location = scalar_location(self.path, key)
                found = self.value(value) if not is_null(value) else self._from_env(str(key.value), location)
                yield ComposeVariable(str(key.value), found, location)
        for item in node.value if isinstance(node, yaml.SequenceNode) else ():
            entry = self.value(item)
            if entry is None:
                continue
            name, equals, rest = entry.raw.partition("=")
            loc = entry.location
            end = loc.column + len(name) if loc.end_column else 0
            name_loc = Location(loc.path, loc.line, loc.column, loc.line, end)
            if not equals:
                yield ComposeVariable(name.strip(), self._from_env(name.strip(), name_loc), name_loc)
                continue
            yield ComposeVariable(name.strip(), self._part(entry, len(name) + 1, rest), name_loc)

    def _from_env(self, name: str, location: Location) -> ComposeValue | None:
        """``- NAME`` / ``NAME:``: the value of the environment Compose runs in, which the `.env`
        file is part of; None when it does not set it."""
        known = self.env.get(name)
        if known is None:
            return None
        return ComposeValue(known.text, "", location, known.unresolved, (name,), known.location)

    def _part(self, whole: ComposeValue, offset: int, raw: str) -> ComposeValue:
        """The piece of a one-line scalar that starts at ``offset`` of it, interpolated alone."""
        loc = whole.location
        if loc.end_column and loc.line == loc.end_line:  # one line: exact columns
            column = loc.column + offset
            location = Location(loc.path, loc.line, column, loc.line, column + len(raw))
            return self._interpolated(
                raw, location, lambda start, end: Location(loc.path, loc.line, column + start, loc.line, column + end))
        return self._interpolated(raw, loc, lambda _start, _end: loc)

    def volumes(self, node: yaml.Node | None) -> Iterator[ComposeVolume]:
        for item in node.value if isinstance(node, yaml.SequenceNode) else ():
            if isinstance(item, yaml.MappingNode) and self._take(item, 1):
                yield self._long_volume(item)
                continue
            entry = self.value(item)
            if entry is not None:
                yield self._short_volume(entry)

    def _short_volume(self, entry: ComposeValue) -> ComposeVolume:
        """``SOURCE:TARGET[:MODE]`` or ``TARGET``; split outside ``${...}`` before interpolating,
        so a ``${VAR:-default}`` keeps its colon and each part its own columns."""
        parts = _split_colons(entry.raw)
        values = [self._part(entry, offset, raw) for raw, offset in parts]
        mode = values[2].text if len(values) > 2 else ""
        if len(values) == 1:
            return ComposeVolume(None, values[0], entry.location, "volume")
        source, target = values[0], values[1]
        return ComposeVolume(source, target, entry.location, _volume_type(source), "ro" in mode.split(","))

    def _long_volume(self, node: yaml.MappingNode) -> ComposeVolume:
        get = self.nodes.get
        kind = self.value(get(node, "type"))
        read_only = get(node, "read_only")
        return ComposeVolume(
            source=self.value(get(node, "source")),
            target=self.value(get(node, "target")),
            location=node_location(self.path, node),
            type=kind.text if kind is not None else "volume",
            read_only=isinstance(read_only, yaml.ScalarNode) and str(read_only.value).lower() == "true",
        )

    def words(self, node: yaml.Node | None) -> tuple[ComposeValue, ...]:
        """A list of words as written, or a string split as a shell would (quotes removed)."""
        if isinstance(node, yaml.SequenceNode):
            return tuple(v for v in (self.value(item) for item in node.value) if v is not None)
        whole = self.value(node)
        if whole is None or not isinstance(node, yaml.ScalarNode):
            return ()
        base = source_map(self.path, self.text, node)
        return tuple(self._interpolated(raw, base.location(start, end), base.shifted(start).location)
                     for raw, start, end in _shell_words(whole.raw))

    def _take(self, node: yaml.Node, size: int) -> bool:
        """Whether the budget still allows reading ``size`` more characters; says so once."""
        if self._budget <= 0:
            return False
        self._budget -= size + 1
        if self._budget <= 0:
            self.problems.append(Problem(
                Location(self.path, node.start_mark.line + 1),
                "values repeated through YAML aliases exceed many times the file's own size; the rest is not read",
            ))
            return False
        return True


def _volume_type(source: ComposeValue) -> str:
    """A path is bound from the host, a name is a named volume; "" when a variable decides."""
    if source.text.startswith((".", "/", "~")):
        return "bind"
    return "" if source.unresolved else "volume"


def _split_colons(text: str) -> list[tuple[str, int]]:
    """(part, offset) of ``text`` split at colons outside ``${...}``."""
    parts: list[tuple[str, int]] = []
    depth = start = 0
    for index, char in enumerate(text):
        if char == "{" and index and text[index - 1] == "$":
            depth += 1
        elif char == "}" and depth:
            depth -= 1
        elif char == ":" and not depth:
            parts.append((text[start:index], start))
            start = index + 1
    parts.append((text[start:], start))
    return parts


def _shell_words(text: str) -> Iterator[tuple[str, int, int]]:
    """(word, start, end) of a command string: blanks separate words, quotes group and are removed,
    a backslash escapes the next character, ``${...}`` stays whole."""
    word: list[str] = []
    start = -1
    index = 0
    while index < len(text):
        char = text[index]
        if char in " \t\n" and start >= 0:
            yield "".join(word), start, index
            word, start = [], -1
        elif char not in " \t\n":
            start = index if start < 0 else start
            index = _word_part(text, index, word)
            continue
        index += 1
    if start >= 0:
        yield "".join(word), start, len(text)


def _word_part(text: str, index: int, word: list[str]) -> int:
    """Adds the part of a word at ``index`` (a quoted run, an escape, a ``${...}``, a character)."""
    char = text[index]
    if char in ("'", '"'):
        close = text.find(char, index + 1)
        close = len(text) if close < 0 else close
        word.append(text[index + 1 : close])
        return close + 1
    if char == "\\" and index + 1 < len(text):
        word.append(text[index + 1])
        return index + 2
    if char == "$" and text.startswith("${", index):
        close = matching_brace(text, index + 1)
        close = len(text) - 1 if close < 0 else close
        word.append(text[index : close + 1])
        return close + 1
    word.append(char)
    return index + 1
