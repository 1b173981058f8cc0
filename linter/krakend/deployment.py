"""Which files deploy which plugin: the scanned tree split into deployments.

A repository is not one deployment. A monorepo holds examples that each bring their own
Dockerfile, KrakenD release and gateway config; a root Dockerfile may only run a config; a
workflow may build one plugin folder and test another. Rules that pair a plugin with a Dockerfile,
a config or a KrakenD release must only ever see files that really meet that plugin, so the
engine runs them once per ``Deployment``: one or more plugins with the files that build, run and
configure them, and its own target KrakenD.

How a file finds its plugins, strongest first:
1. it lies inside the plugin's folder (and not inside a deeper plugin's folder);
2. it names the plugin: a path word in a Dockerfile, script or workflow (``COPY plugins/auth``,
   ``cd plugins/auth``, ``go build ./plugins/auth``), or a gateway config that configures a name the
   plugin registers;
3. otherwise it is shared: it goes to each plugin that has no file of its own of that role (build
   and run files, gateway configs), nearest first; a file no plugin needs forms, with the other
   such files, a deployment without plugins (a config-only gateway).
Plugins that end up sharing a file are deployed together and form one deployment.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from linter.inputs.workspace import PluginRoot, Workspace

if TYPE_CHECKING:
    from linter.inputs.compose import ComposeFile
    from linter.inputs.dockerfile import Dockerfile
    from linter.inputs.gateway_config import GatewayConfig
    from linter.inputs.shell import ShellScript
    from linter.inputs.workflow import Workflow

# The kinds of file a deployment is made of, grouped by the role they play for a plugin.
_ROLES = {
    "dockerfiles": "recipe",
    "build_scripts": "recipe",
    "workflows": "recipe",
    "compose_files": "recipe",
    "gateway_configs": "config",
    "go_version_files": "recipe",
    "built_plugins": "binary",
}
_OWN, _NAMED, _ANCESTOR, _ELSEWHERE, _NEVER = 0, 1, 2, 3, 4  # how close a file is to a plugin


@dataclass(frozen=True)
class Deployment:
    """Plugins deployed together and every file that builds, runs or configures them."""

    workspace: Workspace
    files: tuple[str, ...] = ()  # the display paths of its non-Go files, for the report

    @property
    def plugins(self) -> tuple[PluginRoot, ...]:
        return self.workspace.plugins


@dataclass(frozen=True)
class _Evidence:
    """What the split reads of each file and plugin, computed once: a file's path words (for a
    config, none) and the names each plugin registers."""

    words: dict[str, frozenset[str]]
    names: dict[str, frozenset[str]]


def split(ws: Workspace) -> tuple[Deployment, ...]:
    """The deployments of a workspace; a tree with at most one deployment gives it whole."""
    plugins = ws.plugins
    if not plugins:
        return (Deployment(ws, _all_paths(ws)),)
    owners: dict[str, list[int]] = {}  # file path -> indexes of the plugins it deploys
    by_role: dict[str, list[tuple[str, Any]]] = {}
    for kind, role in _ROLES.items():
        for doc in _docs(ws, kind):
            by_role.setdefault(role, []).append((doc.path, doc))
    docs = [doc for role_docs in by_role.values() for doc in role_docs]
    evidence = _Evidence({path: frozenset(map(_path_word, _words(doc))) for path, doc in docs},
                         {plugin.dir: _registered(plugin) for plugin in plugins})
    for role_docs in by_role.values():
        _assign(role_docs, plugins, owners, evidence)
    _follow_mentions(docs, owners, evidence)
    groups = _union(len(plugins), owners.values())
    deployments = []
    claimed: set[str] = set()
    for members in groups:
        paths = {path for path, idx in owners.items() if members & set(idx)}
        claimed |= paths
        deployments.append(_sub_workspace(ws, tuple(plugins[i] for i in sorted(members)), paths))
    leftover = {path for path, _ in docs} - claimed
    if leftover:
        deployments.append(_sub_workspace(ws, (), leftover))
    return _with_problems(ws, tuple(deployments))


def _assign(docs: Sequence[tuple[str, Any]], plugins: tuple[PluginRoot, ...], owners: dict[str, list[int]],
            evidence: _Evidence) -> None:
    """Give each file of one role to its plugins (see the module docstring for the order)."""
    shared: list[tuple[str, list[int]]] = []
    has_own: set[int] = set()
    for path, doc in docs:
        closeness = [_closeness(path, doc, plugin, plugins, evidence) for plugin in plugins]
        best = min(closeness)
        if best <= _NAMED:
            owners[path] = [i for i, c in enumerate(closeness) if c == best]
            has_own.update(owners[path])
        else:
            shared.append((path, closeness))
    needy = [i for i in range(len(plugins)) if i not in has_own]
    for path, closeness in shared:
        candidates = [i for i in needy if closeness[i] < _NEVER]
        if not candidates:
            continue
        nearest = min(closeness[i] for i in candidates)
        owners[path] = [i for i in candidates if closeness[i] == nearest]


def _follow_mentions(docs: Sequence[tuple[str, Any]], owners: dict[str, list[int]], evidence: _Evidence) -> None:
    """A file that a deployment's file names by path (a script a RUN line runs, a config a COPY
    line copies) belongs to that deployment too, whoever else it was shared with."""
    paths = {path for path, _ in docs}
    for path, _ in docs:
        if path not in owners:
            continue
        for other in _named_files(path, evidence.words[path]) & paths - {path}:
            owners[other] = sorted(set(owners.get(other, [])) | set(owners[path]))


def _named_files(path: str, words: Iterable[str]) -> set[str]:
    """The files a file in ``path``'s folder names: relative to that folder, or from the tree root
    when the word holds a `/` (a bare file name is never read from the root)."""
    base = _parent(path)
    found = set()
    for word in words:
        if not word or word.startswith("../../..") or word != posixpath.normpath(word):
            continue
        found.add(posixpath.normpath(posixpath.join(base, word)) if base != "." else word)
        if "/" in word:
            found.add(word)
    return found


def _closeness(path: str, doc: Any, plugin: PluginRoot, plugins: tuple[PluginRoot, ...], evidence: _Evidence) -> int:
    home = _deepest(path, plugins)
    if home is plugin:
        return _OWN
    if _names(path, doc, plugin, evidence):
        return _NAMED
    if home is not None:
        return _NEVER  # inside another plugin's folder: never shared with this one
    return _ANCESTOR if _inside(plugin.dir, _parent(path)) else _ELSEWHERE


def _deepest(path: str, plugins: Iterable[PluginRoot]) -> PluginRoot | None:
    best: PluginRoot | None = None
    for plugin in plugins:
        if _inside(path, plugin.dir) and (best is None or len(plugin.dir) > len(best.dir)):
            best = plugin
    return best


def _inside(path: str, folder: str) -> bool:
    return folder in ("", ".") or path == folder or path.startswith(folder + "/")


def _parent(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else "."


# --- does a file name a plugin? ------------------------------------------------------------------

def _names(path: str, doc: Any, plugin: PluginRoot, evidence: _Evidence) -> bool:
    if hasattr(doc, "root") and hasattr(doc, "is_template"):  # a gateway config
        return _configures(doc, evidence.names[plugin.dir])
    if plugin.dir in ("", "."):
        return False
    spellings = _spellings(plugin.dir, _parent(path))
    return any(word in spellings or any(word.startswith(s + "/") for s in spellings)
               for word in evidence.words[path])


def _spellings(folder: str, base: str) -> set[str]:
    """How a file in ``base`` may write the path of ``folder``: from the tree root or from itself."""
    found = {folder}
    relative = posixpath.relpath(folder, base if base not in ("", ".") else ".")
    if relative not in (".", ""):
        found.add(relative)
    return {s for s in found if s and not s.startswith("../../..")}


def _path_word(word: str) -> str:
    text = word.strip().strip("\"'")
    for prefix in ("$(pwd)/", "${PWD}/", "$PWD/", "./"):
        while text.startswith(prefix):
            text = text[len(prefix):]
    for suffix in ("/...", "/*", "/."):
        text = text.removesuffix(suffix)
    return text.rstrip("/")


def _words(doc: Any) -> Iterator[str]:
    """Every argument word a build or run file uses: COPY sources, WORKDIR, shell words."""
    if hasattr(doc, "stages"):
        yield from _dockerfile_words(doc)
    elif hasattr(doc, "recipes"):
        yield from _shell_words(doc.scripts)
    elif hasattr(doc, "jobs"):
        yield from _workflow_words(doc)
    elif hasattr(doc, "services"):
        yield from _compose_words(doc)


def _dockerfile_words(dockerfile: Dockerfile) -> Iterator[str]:
    for stage in dockerfile.stages:
        for instruction in stage.instructions:
            if instruction.keyword in ("COPY", "ADD", "WORKDIR") and not any(
                    flag.name == "from" for flag in instruction.flags):
                yield from instruction.arguments
            if instruction.shell is not None:
                yield from _shell_words([instruction.shell])


def _shell_words(scripts: Iterable[ShellScript]) -> Iterator[str]:
    for script in scripts:
        for command in script.commands:
            for word in command.words:
                yield word.text
                if "=" in word.text and word.text.startswith("-"):
                    yield word.text.split("=", 1)[1]  # `-C=dir`, `--directory=dir`


def _workflow_words(workflow: Workflow) -> Iterator[str]:
    for job in workflow.jobs:
        for step in job.steps:
            if step.run is not None:
                yield from _shell_words([step.run])
            for value in step.inputs.values():
                yield from value.text.split()
            if step.working_directory:
                yield step.working_directory


def _compose_words(compose: ComposeFile) -> Iterator[str]:
    """Volume sources, build contexts and Dockerfiles, and the config `krakend run -c` reads."""
    for service in compose.services:
        values = [volume.source for volume in service.volumes]
        if service.build is not None:
            values += [service.build.context, service.build.dockerfile]
        values.append(service.krakend_config)
        for value in values:
            if value is not None and not value.unresolved:
                yield value.text


def _registered(plugin: PluginRoot) -> frozenset[str]:
    from linter.krakend.contracts.source import source_view

    return frozenset(item.name for item in source_view(Workspace(plugins=(plugin,))).names)


def _configures(config: GatewayConfig, registered: frozenset[str]) -> bool:
    """The config names something the plugin registers."""
    from linter.krakend.contracts.config import namespace_uses

    return bool(registered) and any(node.value in registered for use in namespace_uses(config)
                                    for node in use.names())


# --- building the deployments --------------------------------------------------------------------

def _union(count: int, links: Iterable[list[int]]) -> list[set[int]]:
    parent = list(range(count))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for members in links:
        for other in members[1:]:
            parent[find(other)] = find(members[0])
    groups: dict[int, set[int]] = {}
    for i in range(count):
        groups.setdefault(find(i), set()).add(i)
    return sorted(groups.values(), key=min)


def _docs(ws: Workspace, kind: str) -> tuple[Any, ...]:
    return tuple(getattr(ws, kind))


def _all_paths(ws: Workspace) -> tuple[str, ...]:
    return tuple(sorted(doc.path for kind in _ROLES for doc in _docs(ws, kind)))


def _sub_workspace(ws: Workspace, plugins: tuple[PluginRoot, ...], paths: set[str]) -> Deployment:
    def pick(kind: str) -> tuple[Any, ...]:
        return tuple(doc for doc in _docs(ws, kind) if doc.path in paths)

    sub = replace(ws, plugins=plugins, dockerfiles=pick("dockerfiles"), build_scripts=pick("build_scripts"),
                  workflows=pick("workflows"), gateway_configs=pick("gateway_configs"),
                  go_version_files=pick("go_version_files"), built_plugins=pick("built_plugins"),
                  compose_files=pick("compose_files"))
    return Deployment(sub, tuple(sorted(paths)))


def _with_problems(ws: Workspace, deployments: tuple[Deployment, ...]) -> tuple[Deployment, ...]:
    """Each parse problem goes to the deployment that holds its file; the rest to the first one."""
    if len(deployments) == 1:
        return deployments
    homes: list[list[Any]] = [[] for _ in deployments]
    for problem in ws.problems:
        path = problem.location.path
        index = next((i for i, d in enumerate(deployments) if path in d.files
                      or any(_inside(path, p.dir) and p is _deepest(path, ws.plugins) for p in d.plugins)), 0)
        homes[index].append(problem)
    return tuple(replace(d, workspace=replace(d.workspace, problems=tuple(found)))
                 for d, found in zip(deployments, homes, strict=True))


# --- configs that deployment files name ----------------------------------------------------------

_CONFIG_SUFFIXES = (".json", ".yaml", ".yml", ".toml", ".tmpl")
_KRAKEND_HOME = "/etc/krakend"


def config_sources(dockerfiles: Sequence[Dockerfile], composes: Sequence[ComposeFile]) -> list[str]:
    """Display paths of files a deployment puts where KrakenD reads its config, whatever their name:
    a Dockerfile's `COPY gateway.json /etc/krakend/krakend.json` (read from the Dockerfile's
    folder, then from the tree root), a Compose bind mount of a single config file."""
    found: list[str] = []
    for dockerfile in dockerfiles:
        folder = _parent(dockerfile.path)
        for stage in dockerfile.stages:
            for instruction in stage.instructions:
                if instruction.keyword not in ("COPY", "ADD") or len(instruction.arguments) < 2 or any(
                        flag.name == "from" for flag in instruction.flags):
                    continue
                *sources, dest = instruction.arguments
                if not _in_krakend_home(dest):
                    continue
                for source in sources:
                    if source.lower().endswith(_CONFIG_SUFFIXES) and "$" not in source and "*" not in source:
                        found += [posixpath.normpath(posixpath.join(base, source))
                                  for base in dict.fromkeys((folder, "."))]
    for compose in composes:
        for service in compose.services:
            for volume in service.volumes:
                mounted, inside = volume.source, volume.target
                if (mounted is None or inside is None or mounted.unresolved or inside.unresolved
                        or not inside.text.lower().endswith(_CONFIG_SUFFIXES)):
                    continue
                found.append(compose.resolve(mounted.text))
    return [path.removeprefix("./") for path in dict.fromkeys(found) if not path.startswith(("/", ".."))]


def _in_krakend_home(dest: str) -> bool:
    path = posixpath.normpath(posixpath.join(_KRAKEND_HOME, dest))
    return path == _KRAKEND_HOME or path.startswith(_KRAKEND_HOME + "/")
