"""GitHub Actions workflows: the parts that decide how a plugin is built, with their lines.

PyYAML's composer keeps a mark on every node, so scalars are read from the node tree rather
than from loaded Python values: positions survive, and ``go-version: 1.20`` stays the text the
author wrote (Actions reads that unquoted number as 1.2, which is worth telling them).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import yaml

from linter.inputs.shell import EMPTY_ENV, EnvVar, ShellScript
from linter.inputs.shell.analysis import parse_shell
from linter.inputs.text import Text, decode
from linter.inputs.yamlnodes import get as _get
from linter.inputs.yamlnodes import is_number, read_mapping, scalar_location, source_map
from linter.inputs.yamlnodes import items as _items
from linter.inputs.yamlnodes import node_location as _loc
from linter.inputs.yamlnodes import scalar as _scalar
from linter.model import Location, Problem


@dataclass(frozen=True)
class Value:
    """A scalar as written, and where."""

    text: str
    location: Location
    numeric: bool = False  # an unquoted YAML number (1.20 is read as 1.2 by Actions)
    origin: str = ""  # "matrix.go" when it was expanded from a matrix entry


@dataclass(frozen=True)
class Step:
    index: int
    location: Location
    name: str = ""
    uses: Value | None = None
    inputs: Mapping[str, Value] = field(default_factory=lambda: MappingProxyType({}))  # `with:`
    run: ShellScript | None = None
    env: Mapping[str, EnvVar] = field(default_factory=lambda: EMPTY_ENV)
    working_directory: str = ""  # `working-directory`, the step's or the job's `defaults.run` one

    @property
    def action(self) -> str:
        """``actions/setup-go`` for ``actions/setup-go@v5``; "" for a `run:` step."""
        return self.uses.text.split("@", 1)[0].lower() if self.uses else ""


@dataclass(frozen=True)
class SetupGo:
    step: Step
    go_version: Value | None
    go_version_file: Value | None
    versions: tuple[Value, ...]  # each requested version, matrix and env expressions expanded


@dataclass(frozen=True)
class Job:
    id: str
    location: Location
    steps: tuple[Step, ...] = ()
    container: Value | None = None
    services: tuple[Value, ...] = ()
    matrix: Mapping[str, tuple[Value, ...]] = field(default_factory=lambda: MappingProxyType({}))
    env: Mapping[str, EnvVar] = field(default_factory=lambda: EMPTY_ENV)
    runs_on: Value | None = None  # "ubuntu-latest"; None for a list or expression-only label


@dataclass(frozen=True)
class Workflow:
    path: str
    jobs: tuple[Job, ...] = ()
    env: Mapping[str, EnvVar] = field(default_factory=lambda: EMPTY_ENV)
    problems: tuple[Problem, ...] = ()
    lines: tuple[str, ...] = ()

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    @property
    def steps(self) -> Iterator[tuple[Job, Step]]:
        for job in self.jobs:
            for step in job.steps:
                yield job, step

    @property
    def setup_go(self) -> tuple[SetupGo, ...]:
        return tuple(_setup_go(job, step) for job, step in self.steps if step.action == "actions/setup-go")

    @property
    def scripts(self) -> tuple[ShellScript, ...]:
        return tuple(step.run for _job, step in self.steps if step.run is not None)

    @property
    def images(self) -> tuple[Value, ...]:
        """Job containers, service containers and `uses: docker://` images."""
        found: list[Value] = []
        for job in self.jobs:
            found.extend(v for v in (job.container,) if v is not None)
            found.extend(job.services)
            for step in job.steps:
                if step.uses and step.uses.text.startswith("docker://"):
                    found.append(_strip_prefix(step.uses, "docker://"))
        return tuple(found)


def parse_workflow(data: bytes, path: str) -> Workflow:
    text, problems = decode(data, path)
    if text is None:
        return Workflow(path, problems=problems)
    root, found = read_mapping(text, path, "a workflow")
    if root is None:
        return Workflow(path, problems=(*problems, *found))
    reader = _Reader(path, text)
    env = reader.env(_get(root, "env"), {})
    jobs = tuple(reader.job(key, node, env) for key, node in _items(_get(root, "jobs")))
    return Workflow(path, jobs, MappingProxyType(env), problems, text.lines)


# --- node helpers -------------------------------------------------------------------------------

def _strip_prefix(value: Value, prefix: str) -> Value:
    loc = value.location
    moved = Location(loc.path, loc.line, loc.column + len(prefix), loc.end_line, loc.end_column)
    return Value(value.text[len(prefix) :], moved, value.numeric, value.origin)


class _Reader:
    def __init__(self, path: str, text: Text) -> None:
        self.path = path
        self.text = text

    def value(self, node: yaml.Node | None) -> Value | None:
        if not isinstance(node, yaml.ScalarNode):
            return None
        return Value(str(node.value), scalar_location(self.path, node), is_number(node))

    def env(self, node: yaml.Node | None, inherited: Mapping[str, EnvVar]) -> dict[str, EnvVar]:
        env = dict(inherited)
        for key, value in _items(node):
            scalar = self.value(value)
            if scalar is not None:
                env[key] = EnvVar(key, scalar.text, scalar.location, "workflow")
        return env

    def job(self, job_id: str, node: yaml.Node, inherited: Mapping[str, EnvVar]) -> Job:
        env = self.env(_get(node, "env"), inherited)
        steps_node = _get(node, "steps")
        workdir = _scalar(_get(_get(_get(node, "defaults"), "run"), "working-directory")) or ""
        steps = (
            tuple(self.step(i, s, env, workdir) for i, s in enumerate(steps_node.value))
            if isinstance(steps_node, yaml.SequenceNode) else ()
        )
        container = _get(node, "container")
        services = tuple(
            v for v in (self.image(s) for _name, s in _items(_get(node, "services"))) if v is not None
        )
        return Job(
            id=job_id,
            location=_loc(self.path, node),
            steps=steps,
            container=self.image(container),
            services=services,
            matrix=MappingProxyType(self.matrix(_get(_get(node, "strategy"), "matrix"))),
            env=MappingProxyType(env),
            runs_on=self.runs_on(_get(node, "runs-on")),
        )

    def runs_on(self, node: yaml.Node | None) -> Value | None:
        if isinstance(node, yaml.SequenceNode):
            node = node.value[0] if node.value else None
        return self.value(node)

    def image(self, node: yaml.Node | None) -> Value | None:
        """`container: image` or `container: {image: ...}`."""
        return self.value(node) if isinstance(node, yaml.ScalarNode) else self.value(_get(node, "image"))

    def matrix(self, node: yaml.Node | None) -> dict[str, tuple[Value, ...]]:
        found: dict[str, list[Value]] = {}
        for key, values in _items(node):
            if isinstance(values, yaml.SequenceNode):
                found.setdefault(key, []).extend(v for v in map(self.value, values.value) if v is not None)
        include = _get(node, "include")
        for entry in include.value if isinstance(include, yaml.SequenceNode) else ():
            for key, value in _items(entry):
                scalar = self.value(value)
                if scalar is not None:
                    found.setdefault(key, []).append(scalar)
        return {key: tuple(values) for key, values in found.items()}

    def step(self, index: int, node: yaml.Node, inherited: Mapping[str, EnvVar], workdir: str = "") -> Step:
        env = self.env(_get(node, "env"), inherited)
        inputs = {key: v for key, v in ((k, self.value(n)) for k, n in _items(_get(node, "with"))) if v}
        run_node = _get(node, "run")
        run = self.script(run_node, env) if isinstance(run_node, yaml.ScalarNode) else None
        return Step(
            index=index,
            location=_loc(self.path, node),
            name=_scalar(_get(node, "name")) or "",
            uses=self.value(_get(node, "uses")),
            inputs=MappingProxyType(inputs),
            run=run,
            env=MappingProxyType(env),
            working_directory=_scalar(_get(node, "working-directory")) or workdir,
        )

    def script(self, node: yaml.ScalarNode, env: Mapping[str, EnvVar]) -> ShellScript:
        return parse_shell(str(node.value), source_map(self.path, self.text, node), env)


def _setup_go(job: Job, step: Step) -> SetupGo:
    version = step.inputs.get("go-version")
    version_file = step.inputs.get("go-version-file")
    versions: list[Value] = []
    if version is not None:
        for item in _lines(version):
            versions.extend(_expand_expression(item, job, step))
    return SetupGo(step, version, version_file, tuple(versions))


def _lines(value: Value) -> Iterator[Value]:
    """`go-version` may list several versions, one a line."""
    if "\n" not in value.text:
        yield value
        return
    loc = value.location
    for offset, line in enumerate(value.text.splitlines()):
        if line.strip():
            yield Value(line.strip(), Location(loc.path, loc.line + 1 + offset, 0), value.numeric)


def _expand_expression(value: Value, job: Job, step: Step) -> Iterator[Value]:
    """``${{ matrix.go }}`` -> each matrix value (located at the matrix); ``${{ env.X }}`` too."""
    text = value.text.strip()
    if not (text.startswith("${{") and text.endswith("}}")):
        yield value
        return
    expression = text[3:-2].strip()
    scope, _, name = expression.partition(".")
    if scope == "matrix" and name in job.matrix:
        for item in job.matrix[name]:
            yield Value(item.text, item.location, item.numeric, f"matrix.{name}")
    elif scope == "env" and name in step.env:
        var = step.env[name]
        yield Value(var.value, var.location, False, f"env.{name}")
    else:
        yield value
