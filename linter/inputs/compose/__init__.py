"""Compose files (``docker-compose.yml``, ``compose.yaml``, ...): the services that run KrakenD.

For each service: its image, how it is built (context, Dockerfile, build args), its platform,
volumes (short ``./plugins:/opt/krakend/plugins:ro`` and long syntax), command, entrypoint and
environment, each value with the place it is written. Values are interpolated as Compose does it:
``$$`` is a ``$``, ``${VAR}`` and ``$VAR`` take the value set in the ``.env`` file beside the
Compose file, ``${VAR:-default}`` / ``${VAR-default}`` fall back to their default, ``${VAR:+alt}``
and ``${VAR:?message}`` are followed too. A variable set nowhere we can see (the shell Compose runs
in) leaves the value *unresolved*: its text keeps the reference as written and ``unresolved`` is
set, so nobody reports ``${VERSION}`` as a version. Not followed: ``extends:``, ``include:``, ``env_file:``
and the merging of ``docker-compose.override.yml`` into its base file (each file is read alone).

The YAML is read as the workflow reader reads workflows (``linter.inputs.yamlnodes``), with merge
keys followed. Aliases can repeat a long list under many services; the values read from one file
are capped well above anything a file without aliases holds, so a small hostile file stays cheap.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import yaml

from linter.inputs.shell import matching_brace
from linter.inputs.text import Text, decode
from linter.inputs.yamlnodes import Mappings, is_null, node_location, read_mapping, scalar_location, source_map
from linter.model import Location, Problem

_MAX_NESTING = 16  # `${A:-${B:-${C}}}`: defaults inside defaults are followed this deep
_VALUE_OPERATORS = (":-", "-", ":?", "?", ":+", "+")


@dataclass(frozen=True)
class ComposeValue:
    """A scalar as Compose sees it, and where it is written."""

    text: str  # interpolated; a reference that could not be resolved stays as written
    raw: str  # as written in the file
    location: Location  # the scalar (a word of a command string: that word)
    unresolved: bool = False  # some `${VAR}` has no value here: `text` is not what Compose will use
    variables: tuple[str, ...] = ()  # the variables it refers to, in order
    origin: Location | None = None  # where the deciding text is: the `.env` line or the `:-default`


@dataclass(frozen=True)
class ComposeVariable:
    """A build arg or environment variable: ``NAME: value``, ``- NAME=value`` or ``- NAME``."""

    name: str
    value: ComposeValue | None  # None: `- NAME` left to the environment Compose runs in, and no .env sets it
    location: Location  # the name


@dataclass(frozen=True)
class ComposeBuild:
    location: Location  # the `build:` value
    context: ComposeValue | None = None  # None: not written (Compose uses the Compose file's folder)
    dockerfile: ComposeValue | None = None  # None: `Dockerfile` in the context
    args: tuple[ComposeVariable, ...] = ()
    target: ComposeValue | None = None  # the Dockerfile stage built


@dataclass(frozen=True)
class ComposeVolume:
    source: ComposeValue | None  # None for an anonymous volume (`- /data`)
    target: ComposeValue | None  # None when a long-syntax entry has none
    location: Location  # the entry
    type: str  # "bind" (a path), "volume" (a name), "" (an unresolved variable decides), or the long `type:`
    read_only: bool = False  # `:ro` or `read_only: true`


@dataclass(frozen=True)
class ComposeService:
    name: str
    location: Location  # the service's key
    image: ComposeValue | None = None
    build: ComposeBuild | None = None
    platform: ComposeValue | None = None
    volumes: tuple[ComposeVolume, ...] = ()
    command: tuple[ComposeValue, ...] = ()  # words: a list as written, a string split as Compose does
    entrypoint: tuple[ComposeValue, ...] = ()
    environment: tuple[ComposeVariable, ...] = ()

    def env(self, name: str) -> ComposeVariable | None:
        found = [var for var in self.environment if var.name == name]
        return found[-1] if found else None

    @property
    def krakend_config(self) -> ComposeValue | None:
        """The config of ``krakend run -c FILE`` (``--config``, ``-c=FILE``, ``-dc FILE``) in the
        entrypoint and command; None when the service runs no `run` or names no config."""
        return config_flag((*self.entrypoint, *self.command))


@dataclass(frozen=True)
class ComposeFile:
    path: str
    services: tuple[ComposeService, ...] = ()
    problems: tuple[Problem, ...] = ()
    lines: tuple[str, ...] = ()

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def service(self, name: str) -> ComposeService | None:
        return next((service for service in self.services if service.name == name), None)

    @property
    def folder(self) -> str:
        """The display path of the folder relative paths in this file start from ("." for the root)."""
        return posixpath.dirname(self.path) or "."

    def resolve(self, relative: str) -> str:
        """The display path of ``relative`` (a volume source, a build context) as written here;
        an absolute path is returned as it is."""
        if relative.startswith("/"):
            return posixpath.normpath(relative)
        joined = posixpath.normpath(posixpath.join(self.folder, relative))
        return joined.removeprefix("./") or "."

    def dockerfile_of(self, service: ComposeService) -> str:
        """The display path of the Dockerfile ``service`` is built from; "" when it builds nothing
        or from a context we cannot see (a URL, an unresolved variable)."""
        build = service.build
        if build is None or any(v is not None and v.unresolved for v in (build.context, build.dockerfile)):
            return ""
        context = build.context.text if build.context is not None else "."
        if "://" in context or context.startswith("git@"):
            return ""
        name = build.dockerfile.text if build.dockerfile is not None else "Dockerfile"
        return self.resolve(posixpath.join(context, name))


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


# --- interpolation --------------------------------------------------------------------------------

@dataclass(frozen=True)
class DotenvValue:
    text: str
    location: Location  # the value in the .env file
    unresolved: bool = False


@dataclass(frozen=True)
class _Interpolated:
    text: str
    unresolved: bool
    variables: tuple[str, ...]
    origin: Location | None


class _Interpolation:
    """Compose's variable substitution over one text; ``where`` turns offsets into a place."""

    def __init__(self, env: Mapping[str, DotenvValue], where: Callable[[int, int], Location]) -> None:
        self.env = env
        self.where = where
        self.unresolved = False
        self.variables: list[str] = []
        self.origin: Location | None = None

    def run(self, text: str, base: int = 0, depth: int = 0) -> str:
        out: list[str] = []
        index = start = 0
        while True:
            index = text.find("$", index)
            if index < 0 or index + 1 >= len(text):
                break
            out.append(text[start:index])
            index = self._reference(text, index, base, depth, out)
            start = index
        out.append(text[start:])
        return "".join(out)

    def _reference(self, text: str, index: int, base: int, depth: int, out: list[str]) -> int:
        """Appends what the reference at ``index`` becomes; returns the offset after it."""
        following = text[index + 1]
        if following == "$":
            out.append("$")
            return index + 2
        if following == "{":
            close = matching_brace(text, index + 1)
            if close < 0 or depth >= _MAX_NESTING:
                self.unresolved = True  # Compose rejects it: the value is not known either way
                out.append(text[index:])
                return len(text)
            out.append(self._braced(text, index, close, base, depth))
            return close + 1
        end = _name_end(text, index + 1)
        if end == index + 1:
            out.append("$")
            return index + 1
        out.append(self._value(text[index + 1 : end], text[index:end]))
        return end

    def _braced(self, text: str, index: int, close: int, base: int, depth: int) -> str:
        written = text[index : close + 1]
        name_end = _name_end(text, index + 2)
        name, rest = text[index + 2 : name_end], text[name_end:close]
        operator = next((op for op in _VALUE_OPERATORS if rest.startswith(op)), "")
        if not name or (rest and not operator):  # `${}`, `${VAR[0]}`: Compose rejects them
            self.unresolved = True
            return written
        if not rest:
            return self._value(name, written)
        self.variables.append(name)
        known = self.env.get(name)
        argument_at = name_end + len(operator)
        argument = text[argument_at:close]
        empty = known is None or (operator.startswith(":") and known.text == "")
        if operator in (":-", "-"):
            if known is not None and not empty:
                return self._known(known)
            self.origin = self.where(base + argument_at, base + close)
            return self.run(argument, base + argument_at, depth + 1)
        if known is None:  # `?` and `+` depend on the environment Compose runs in
            self.unresolved = True
            return written
        if operator in (":?", "?"):
            if empty:  # Compose stops with the message
                self.unresolved = True
                return written
            return self._known(known)
        return "" if empty else self.run(argument, base + argument_at, depth + 1)

    def _value(self, name: str, written: str) -> str:
        self.variables.append(name)
        known = self.env.get(name)
        if known is None:
            self.unresolved = True
            return written
        return self._known(known)

    def _known(self, known: DotenvValue) -> str:
        self.origin = known.location
        self.unresolved = self.unresolved or known.unresolved
        return known.text


def interpolate(text: str, env: Mapping[str, DotenvValue], where: Callable[[int, int], Location]) -> _Interpolated:
    job = _Interpolation(env, where)
    result = job.run(text)
    return _Interpolated(result, job.unresolved, tuple(dict.fromkeys(job.variables)), job.origin)


def _name_end(text: str, start: int) -> int:
    end = start
    while end < len(text) and (text[end].isascii() and (text[end].isalnum() or text[end] == "_")):
        end += 1
    return end


def parse_dotenv(text: str, path: str) -> dict[str, DotenvValue]:
    """``NAME=value`` lines of a ``.env`` file: ``export`` prefixes, comments, quotes; unquoted
    and double-quoted values are interpolated with the lines before them."""
    env: dict[str, DotenvValue] = {}
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        body = line.lstrip()
        if body.startswith("export "):
            body = body[len("export ") :].lstrip()
        name, equals, value = body.partition("=")
        name = name.strip()
        if not equals or not name or name.startswith("#") or _name_end(name, 0) != len(name):
            continue
        column = len(line) - len(value) + 1
        stripped = value.lstrip()
        column += len(value) - len(stripped)
        env[name] = _dotenv_value(stripped, env, path, number, column)
    return env


def _dotenv_value(value: str, env: Mapping[str, DotenvValue], path: str, number: int, column: int) -> DotenvValue:
    quote = value[:1]
    if quote in ("'", '"'):
        close = value.find(quote, 1)
        while quote == '"' and close > 0 and value[close - 1] == "\\":
            close = value.find(quote, close + 1)
        body = value[1:close] if close > 0 else value[1:]
        column += 1
        if quote == "'":
            return DotenvValue(body, Location(path, number, column, number, column + len(body)))
        body = body.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
    else:
        body = value.split(" #", 1)[0].rstrip()
    location = Location(path, number, column, number, column + len(body))
    done = interpolate(body, env, lambda _start, _end: location)
    return DotenvValue(done.text, location, done.unresolved)


# --- reading services -----------------------------------------------------------------------------

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


def config_flag(words: tuple[ComposeValue, ...]) -> ComposeValue | None:
    """The value of `-c`/`--config` after a `run` word: ``run -c FILE``, ``run -d -c=FILE``,
    ``run -dc FILE`` (short flags combine, as cobra reads them)."""
    texts = [word.text for word in words]
    if "run" not in texts:
        return None
    for index in range(texts.index("run") + 1, len(words)):
        text = texts[index]
        if text in ("-c", "--config"):
            return words[index + 1] if index + 1 < len(words) else None
        for prefix in ("--config=", "-c="):
            if text.startswith(prefix):
                return _tail(words[index], len(prefix))
        if text.startswith("-") and not text.startswith("--") and "c" in text[1:]:
            at = text.index("c", 1)
            if not set(text[1:at]) <= {"d"}:  # -d is `run`'s only flag without a value
                continue
            if at + 1 < len(text):
                return _tail(words[index], at + 1)
            return words[index + 1] if index + 1 < len(words) else None
    return None


def _tail(word: ComposeValue, offset: int) -> ComposeValue:
    loc = word.location
    moved = Location(loc.path, loc.line, loc.column + offset, loc.end_line, loc.end_column) if loc.end_column else loc
    return ComposeValue(word.text[offset:], word.raw[offset:], moved, word.unresolved, word.variables, word.origin)
