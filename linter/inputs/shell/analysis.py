"""What the commands of a shell script do to a plugin build.

Walks the simple commands in order, keeping the environment that ``export`` and ``go env -w``
build up, and recognises `go build`, package installs, `make`, `docker run` (whose command is
analysed as running inside that image, with only its ``-e`` environment) and `docker build`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from linter.inputs.shell.expand import env_lookup, expand
from linter.inputs.shell.gocmd import flags_from_goflags, go_flags, linker_flags
from linter.inputs.shell.model import (
    DockerBuild,
    DockerRun,
    EnvVar,
    GoBuild,
    MakeCall,
    PackageInstall,
    ShellScript,
    SimpleCommand,
    Word,
)
from linter.inputs.shell.source import SourceMap
from linter.inputs.shell.syntax import split_commands

_WRAPPERS = frozenset({"sudo", "nohup", "time", "exec", "command", "xargs"})
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})
_APK_VALUE_OPTIONS = frozenset({"--virtual", "-t", "--repository", "-X", "--root", "-p", "--arch"})
_APT_VALUE_OPTIONS = frozenset({"-o", "--option", "-t", "--target-release", "-c", "--config-file"})
_MAKE_VALUE_OPTIONS = frozenset({"-C", "-f", "-I", "-o", "-W", "--file", "--directory", "--makefile"})
_DOCKER_RUN_VALUE_OPTIONS = frozenset(
    {"-v", "--volume", "-w", "--workdir", "-e", "--env", "--env-file", "--platform", "--name", "-u",
     "--user", "--entrypoint", "--network", "--net", "-p", "--publish", "--mount", "-m", "--memory",
     "--cpus", "-l", "--label", "-h", "--hostname", "--add-host", "--pull", "--cidfile", "--ulimit",
     "--tmpfs", "--device", "--cap-add", "--cap-drop", "--security-opt", "--restart", "--shm-size",
     "--runtime", "--volumes-from", "--log-driver", "--log-opt", "--stop-signal", "--group-add"}
)
_DOCKER_BUILD_VALUE_OPTIONS = frozenset(
    {"-t", "--tag", "--build-arg", "-f", "--file", "--platform", "--target", "--progress",
     "--cache-from", "--cache-to", "-o", "--output", "--secret", "--ssh", "--label", "--network",
     "--build-context", "--iidfile", "--metadata-file", "--builder", "--shm-size", "--ulimit"}
)


@dataclass
class _State:
    """The environment in effect and the findings collected so far (shared by nested scopes)."""

    env: dict[str, EnvVar]
    go_builds: list[GoBuild] = field(default_factory=list)
    installs: list[PackageInstall] = field(default_factory=list)
    exports: list[EnvVar] = field(default_factory=list)
    make_calls: list[MakeCall] = field(default_factory=list)
    docker_runs: list[DockerRun] = field(default_factory=list)
    docker_builds: list[DockerBuild] = field(default_factory=list)
    commands: list[SimpleCommand] = field(default_factory=list)
    exact: bool = True

    def child(self, env: dict[str, EnvVar]) -> _State:
        """A scope with its own environment writing into the same result lists."""
        scope = _State(env)
        for name in ("go_builds", "installs", "exports", "make_calls", "docker_runs", "docker_builds",
                     "commands"):
            setattr(scope, name, getattr(self, name))
        return scope


@dataclass(frozen=True)
class _Container:
    image: Word
    platform: str


def parse_shell(
    text: str,
    source: SourceMap,
    env: Mapping[str, EnvVar] | None = None,
) -> ShellScript:
    """Split ``text`` into commands and recognise the build steps in them. Never raises."""
    commands, exact = split_commands(text, source)
    return analyse(commands, source, dict(env or {}), exact)


def analyse(
    commands: tuple[SimpleCommand, ...], source: SourceMap, env: dict[str, EnvVar], exact: bool
) -> ShellScript:
    state = _State(env, exact=exact)
    for command in commands:
        _visit(command, state, source, None)
    return ShellScript(
        source=source,
        commands=tuple(state.commands),
        go_builds=tuple(state.go_builds),
        installs=tuple(state.installs),
        exports=tuple(state.exports),
        make_calls=tuple(state.make_calls),
        docker_runs=tuple(state.docker_runs),
        docker_builds=tuple(state.docker_builds),
        exact=state.exact,
    )


def _visit(command: SimpleCommand, state: _State, source: SourceMap, container: _Container | None) -> None:
    state.commands.append(command)
    words, extra = _unwrap(command.words)
    assignments = (*command.assignments, *extra)
    if not words:
        for assignment in assignments:  # `X=1` alone sets a shell variable for later commands
            state.env[assignment.name] = assignment
        return
    name = _basename(words[0].text)
    args = words[1:]
    if name == "export":
        _export(args, state)
    elif name == "go" or name.startswith("go1."):
        _go(command, name, args, assignments, state, container)
    elif name == "apk" or name in ("apt-get", "apt", "yum", "dnf", "microdnf"):
        _install(command, name, args, state)
    elif name in ("make", "gmake"):
        state.make_calls.append(_make(command, args))
    elif name in ("docker", "podman"):
        _docker(command, args, state, source)
    elif name in _SHELLS:
        _shell_c(args, state, source, container)


def _unwrap(words: tuple[Word, ...]) -> tuple[tuple[Word, ...], tuple[EnvVar, ...]]:
    """Drop `sudo`/`env X=Y`/`time` prefixes; `env`'s assignments apply to the command."""
    extra: list[EnvVar] = []
    while words:
        head = _basename(words[0].text)
        if head in _WRAPPERS:
            words = words[1:]
            while words and words[0].text.startswith("-"):
                words = words[1:]
        elif head == "env":
            words = words[1:]
            while words and ("=" in words[0].text or words[0].text.startswith("-")):
                if "=" in words[0].text and not words[0].text.startswith("-"):
                    extra.append(_env_var(words[0], "env"))
                words = words[1:]
        else:
            break
    return words, tuple(extra)


def _basename(text: str) -> str:
    return text.rsplit("/", 1)[-1]


def _env_var(word: Word, origin: str) -> EnvVar:
    name, _, value = word.text.partition("=")
    return EnvVar(name, value, word.location, origin)


def _export(args: tuple[Word, ...], state: _State) -> None:
    for word in args:
        if "=" in word.text and not word.text.startswith("-"):
            var = _env_var(word, "export")
            state.env[var.name] = var
            state.exports.append(var)


# --- go env, go build ------------------------------------------------------------------------------------------

def _go(
    command: SimpleCommand,
    tool: str,
    args: tuple[Word, ...],
    assignments: tuple[EnvVar, ...],
    state: _State,
    container: _Container | None,
) -> None:
    if not args:
        return
    sub = args[0].text
    if sub == "env":
        _go_env_write(args[1:], state)
        return
    if sub not in ("build", "install"):
        return
    env = dict(state.env)
    env.update({a.name: a for a in assignments})
    flags, packages = go_flags(args[1:])
    goflags = env.get("GOFLAGS")
    if goflags is not None:
        flags = (*flags_from_goflags(goflags), *flags)
    state.go_builds.append(
        GoBuild(
            command=command,
            subcommand=sub,
            flags=flags,
            packages=packages,
            ldflags=tuple(linker_flags(flags)),
            env=MappingProxyType(env),
            container=container.image.text if container else "",
            container_location=container.image.location if container else None,
            platform=container.platform if container else "",
            tool=tool,
        )
    )


def _go_env_write(args: tuple[Word, ...], state: _State) -> None:
    if not any(w.text == "-w" for w in args):
        return
    for word in args:
        if "=" in word.text and not word.text.startswith("-"):
            var = _env_var(word, "go env -w")
            state.env[var.name] = var
            state.exports.append(var)




# --- package managers, make ----------------------------------------------------------------------

def _install(command: SimpleCommand, manager: str, args: tuple[Word, ...], state: _State) -> None:
    verbs = ("add",) if manager == "apk" else ("install",)
    texts = [w.text for w in args]
    verb = next((i for i, t in enumerate(texts) if t in verbs), -1)
    if verb < 0:
        return
    value_options = _APK_VALUE_OPTIONS if manager == "apk" else _APT_VALUE_OPTIONS
    packages = _operands(args[verb + 1 :], value_options)
    state.installs.append(PackageInstall(manager, packages, command))


def _operands(args: tuple[Word, ...], value_options: frozenset[str]) -> tuple[Word, ...]:
    """Words that are not options nor the values of options that take one."""
    found: list[Word] = []
    skip = False
    for word in args:
        if skip:
            skip = False
        elif word.text.startswith("-"):
            skip = word.text in value_options
        else:
            found.append(word)
    return tuple(found)


def _make(command: SimpleCommand, args: tuple[Word, ...]) -> MakeCall:
    operands = _operands(args, _MAKE_VALUE_OPTIONS)
    variables = tuple(_env_var(w, "make") for w in operands if _is_variable(w.text))
    targets = tuple(w for w in operands if not _is_variable(w.text))
    return MakeCall(targets, variables, command)


def _is_variable(text: str) -> bool:
    name, equals, _ = text.partition("=")
    return bool(equals) and bool(name) and all(c.isalnum() or c == "_" for c in name)


# --- docker, sh -c -------------------------------------------------------------------------------

def _docker(command: SimpleCommand, args: tuple[Word, ...], state: _State, source: SourceMap) -> None:
    texts = [w.text for w in args]
    if texts[:1] == ["run"] or texts[:2] == ["container", "run"]:
        _docker_run(command, args[texts.index("run") + 1 :], state, source)
    elif texts[:1] == ["build"] or texts[:2] in (["buildx", "build"], ["image", "build"]):
        state.docker_builds.append(_docker_build(command, args[texts.index("build") + 1 :]))


def _options(
    args: tuple[Word, ...], value_options: frozenset[str]
) -> tuple[list[tuple[str, Word, Word]], tuple[Word, ...]]:
    """(option, its value as text in a Word, the option word) pairs and the words after them."""
    found: list[tuple[str, Word, Word]] = []
    index = 0
    while index < len(args):
        word = args[index]
        if not word.text.startswith("-") or word.text == "-":
            break
        name, equals, _ = word.text.partition("=")
        if equals:
            found.append((name, _sub_word(word, len(name) + 1), word))
        elif name in value_options and index + 1 < len(args):
            index += 1
            found.append((name, args[index], word))
        else:
            found.append((name, word, word))
        index += 1
    return found, args[index:]


def _sub_word(word: Word, skip: int) -> Word:
    return Word(word.text[skip:], word.raw, word.start, word.end, word.location)


def _docker_run(command: SimpleCommand, args: tuple[Word, ...], state: _State, source: SourceMap) -> None:
    options, rest = _options(args, _DOCKER_RUN_VALUE_OPTIONS)
    if not rest:
        return
    env: dict[str, EnvVar] = {}
    platform = ""
    for name, value, _word in options:
        if name in ("-e", "--env") and "=" in value.text:
            var = _env_var(value, "docker -e")
            env[var.name] = var
        elif name == "--platform":
            platform = value.text
    image = rest[0]
    state.docker_runs.append(
        DockerRun(image, platform, MappingProxyType(env), command, MappingProxyType(dict(state.env)))
    )
    inner = rest[1:]
    if inner:
        nested = SimpleCommand(inner, (), command.location)
        # The image word may name a shell variable (`"$BUILDER"`): the container is what it holds.
        expanded = expand(image.text, env_lookup(state.env))
        shown = Word(expanded, image.raw, image.start, image.end, image.location)
        _visit(nested, state.child(env), source, _Container(shown, platform))


def _docker_build(command: SimpleCommand, args: tuple[Word, ...]) -> DockerBuild:
    options, _rest = _options_anywhere(args, _DOCKER_BUILD_VALUE_OPTIONS)
    tags = tuple(value for name, value, _w in options if name in ("-t", "--tag"))
    build_args: dict[str, EnvVar] = {}
    file = platform = ""
    for name, value, _word in options:
        if name == "--build-arg" and "=" in value.text:
            var = _env_var(value, "build-arg")
            build_args[var.name] = var
        elif name in ("-f", "--file"):
            file = value.text
        elif name == "--platform":
            platform = value.text
    return DockerBuild(tags, MappingProxyType(build_args), file, platform, command)


def _options_anywhere(
    args: tuple[Word, ...], value_options: frozenset[str]
) -> tuple[list[tuple[str, Word, Word]], tuple[Word, ...]]:
    """Like ``_options`` but options may follow the build context (`docker build . -t x`)."""
    found: list[tuple[str, Word, Word]] = []
    rest: list[Word] = []
    remaining = args
    while remaining:
        options, after = _options(remaining, value_options)
        found.extend(options)
        if after:
            rest.append(after[0])
            remaining = after[1:]
        else:
            remaining = ()
    return found, tuple(rest)


def _shell_c(args: tuple[Word, ...], state: _State, source: SourceMap, container: _Container | None) -> None:
    texts = [w.text for w in args]
    if "-c" not in texts or texts.index("-c") + 1 >= len(args):
        return
    script = args[texts.index("-c") + 1]
    quoted = script.raw[:1] in ("'", '"')
    inner_source = source.shifted(script.start + (1 if quoted else 0))
    commands, exact = split_commands(script.text, inner_source)
    state.exact = state.exact and exact
    for command in commands:
        _visit(command, state, inner_source, container)
