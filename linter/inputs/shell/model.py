"""What a shell script is read into: words, commands, the environment, and the build steps found."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from linter.inputs.shell.source import SourceMap
from linter.model import Location, Problem

EMPTY_ENV: Mapping[str, EnvVar] = MappingProxyType({})


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


def _package_name(spec: str) -> str:
    """``gcc=12.2-r0`` / ``gcc>=12`` / ``gcc:amd64`` -> ``gcc``."""
    for stop in ("=", ">", "<", "~", ":"):
        spec = spec.split(stop, 1)[0]
    return spec
