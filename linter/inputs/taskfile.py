"""Taskfiles (https://taskfile.dev): tasks and their variables, read into a ``BuildScript``.

A Taskfile is read as the Makefile reader reads a Makefile, so every consumer of build scripts
reads both alike: ``vars:`` (of the file and of each task) become variables, each task a recipe
with one shell script per command (`task` runs each command in its own shell), and ``{{.VAR}}``
references are expanded into the commands, pinned to the reference so ``BuildScript.origin``
leads to the line that sets the variable. Dynamic variables (``sh:``), included Taskfiles, calls
of other tasks and template actions other than ``{{.VAR}}`` are not followed.

YAML aliases can repeat a list of commands under many tasks; the shell text read from one file is
capped at the file's own size plus what its variables may expand to, which no file without
aliases reaches, so a small hostile file cannot cost a long parse.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import yaml

from linter.inputs.buildscript import (
    MAX_EXPANDED,
    BuildScript,
    MakeVariable,
    Recipe,
    expand_references,
    scoped_variable,
    split_templates,
)
from linter.inputs.shell import EnvVar, ShellScript, SourceBuilder, SourceMap
from linter.inputs.shell.analysis import parse_shell
from linter.inputs.text import Text, decode
from linter.inputs.yamlnodes import Mappings, is_null, read_mapping, scalar_location, source_map
from linter.model import Location, Problem

KIND = "taskfile"


def parse_taskfile(data: bytes, path: str) -> BuildScript:
    text, problems = decode(data, path)
    if text is None:
        return BuildScript(path, KIND, problems=problems)
    root, found = read_mapping(text, path, "a Taskfile")
    if root is None:
        return BuildScript(path, KIND, problems=(*problems, *found), lines=text.lines)
    reader = _TaskfileReader(path, text)
    reader.read(root)
    return BuildScript(
        path=path,
        kind=KIND,
        variables=MappingProxyType(reader.variables),
        recipes=tuple(reader.recipes),
        expansions=tuple(reader.expansions),
        problems=(*problems, *reader.problems),
        lines=text.lines,
    )


class _TaskfileReader:
    def __init__(self, path: str, text: Text) -> None:
        self.path = path
        self.text = text
        self.nodes = Mappings()
        self.variables: dict[str, MakeVariable] = {}
        self.recipes: list[Recipe] = []
        self.expansions: list[tuple[int, int, str]] = []
        self.problems: list[Problem] = []
        self._budget = [MAX_EXPANDED]  # characters variables may still expand to
        self._shell_budget = len(text.text) + MAX_EXPANDED  # characters of commands still to read

    def read(self, root: yaml.MappingNode) -> None:
        self._variables(self.nodes.get(root, "vars"), "")
        env = self._env(self.nodes.get(root, "env"), "", {})
        tasks = self.nodes.get(root, "tasks")
        for key, node in self.nodes.entries(tasks):
            self.recipes.append(self._task(str(key.value), key, node, env))

    def _variables(self, node: yaml.Node | None, scope: str) -> None:
        """Plain values only: ``sh:`` (run at task time), ``ref:`` and lists are not known here."""
        for key, value in self.nodes.entries(node):
            if not isinstance(value, yaml.ScalarNode) or is_null(value):
                continue
            name = str(key.value)
            location = scalar_location(self.path, key)
            variable = MakeVariable(name, str(value.value), "=", location, scalar_location(self.path, value), scope)
            self.variables[f"{scope}:{name}" if scope else name] = variable

    def _env(self, node: yaml.Node | None, scope: str, inherited: Mapping[str, EnvVar]) -> dict[str, EnvVar]:
        env = dict(inherited)
        for key, value in self.nodes.entries(node):
            if isinstance(value, yaml.ScalarNode) and not is_null(value):
                location = scalar_location(self.path, value)
                text = self._expanded(str(value.value), scope, location)
                env[str(key.value)] = EnvVar(str(key.value), text, location, KIND)
        return env

    def _task(self, name: str, key: yaml.ScalarNode, node: yaml.Node, inherited: Mapping[str, EnvVar]) -> Recipe:
        """A task: a mapping, or the short forms (one command, or a list of commands)."""
        location = scalar_location(self.path, key)
        if not isinstance(node, yaml.MappingNode):
            commands = node.value if isinstance(node, yaml.SequenceNode) else [node]
            env = MappingProxyType(dict(inherited))
            return Recipe(name, location, self._scripts(commands, name, env))
        self._variables(self.nodes.get(node, "vars"), name)
        env = MappingProxyType(self._env(self.nodes.get(node, "env"), name, inherited))
        cmds = self.nodes.get(node, "cmds")
        commands = list(cmds.value) if isinstance(cmds, yaml.SequenceNode) else [cmds]
        commands.append(self.nodes.get(node, "cmd"))
        folder = self.nodes.get(node, "dir")
        where = self._expanded(str(folder.value), name, scalar_location(self.path, folder)) \
            if isinstance(folder, yaml.ScalarNode) and not is_null(folder) else ""
        return Recipe(name, location, self._scripts(commands, name, env), where)

    def _scripts(self, commands: list[yaml.Node | None], scope: str, env: Mapping[str, EnvVar]
                 ) -> tuple[ShellScript, ...]:
        found = []
        for command in commands:
            node = self._command_text(command)
            if node is not None and self._take(node):
                found.append(self._script(node, scope, env))
        return tuple(found)

    def _command_text(self, node: yaml.Node | None) -> yaml.ScalarNode | None:
        """``- go build``, ``- cmd: go build``, ``- defer: rm x``; not ``- task: other``."""
        if isinstance(node, yaml.MappingNode):
            node = self.nodes.get(node, "cmd") or self.nodes.get(node, "defer")
        if isinstance(node, yaml.ScalarNode) and not is_null(node):
            return node
        return None

    def _take(self, node: yaml.ScalarNode) -> bool:
        """Whether the shell budget still allows this command; says once when it ran out."""
        if self._shell_budget <= 0:
            return False
        self._shell_budget -= len(str(node.value))
        if self._shell_budget <= 0:
            self.problems.append(Problem(
                Location(self.path, node.start_mark.line + 1),
                "commands repeated through YAML aliases exceed the file's own size; the rest is not read",
            ))
            return False
        return True

    def _script(self, node: yaml.ScalarNode, scope: str, env: Mapping[str, EnvVar]) -> ShellScript:
        value = str(node.value)
        base = source_map(self.path, self.text, node)
        advances = all(anchor[3] for anchor in base.anchors)
        builder = SourceBuilder(self.path)
        for piece, offset, name in split_templates(value):
            key, variable = scoped_variable(self.variables, name, scope) if name else ("", None)
            if variable is None:
                _add_literal(builder, base, piece, offset, advances)
                continue
            line, column = base.position(offset)
            self.expansions.append((line, column, key))
            expanded = self._expanded(variable.value, variable.scope or scope, Location(self.path, line, column))
            builder.add(expanded, line, column, advances=False)
        text, source = builder.build()
        return parse_shell(text, source, env)

    def _expanded(self, text: str, scope: str, where: Location) -> str:
        exhausted = self._budget[0] <= 0
        lookup = lambda name: scoped_variable(self.variables, name, scope)[1]  # noqa: E731
        result = expand_references(text, lookup, 0, self._budget, split_templates)
        if self._budget[0] <= 0 and not exhausted:
            self.problems.append(Problem(
                Location(self.path, where.line, max(where.column, 1)),
                f"variables expand to more than {MAX_EXPANDED} characters; the rest is left unexpanded",
            ))
        return result


def _add_literal(builder: SourceBuilder, base: SourceMap, piece: str, offset: int, advances: bool) -> None:
    """``piece`` (at ``offset`` of the scalar) line by line, each line where the file has it."""
    start = 0
    while start < len(piece):
        end = piece.find("\n", start)
        end = len(piece) if end < 0 else end + 1
        line, column = base.position(offset + start)
        builder.add(piece[start:end], line, column, advances)
        start = end
