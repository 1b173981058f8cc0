"""What a Compose file is read into: services with every value located, and where KrakenD's config is."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from linter.model import Location, Problem


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
