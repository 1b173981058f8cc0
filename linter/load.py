"""Parse every discovered file once into a ``Workspace``; keep each file's text for excerpts.

This is the only place that reads inputs from disk (besides ``discovery``). Each parser gets
bytes and a display path and returns a document with its own problems; nothing here judges.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linter.discovery import Discovered, check_regular_file, display_path, read_bytes
from linter.inputs.build_files import parse_build_script
from linter.inputs.gcpause import paused_gc
from linter.inputs.text import MAX_TEXT_BYTES, Text, decode
from linter.inputs.workspace import PluginRoot, Workspace
from linter.krakend.contracts.definitions import SYMBOLS as REGISTERER_SYMBOLS
from linter.krakend.deployment import config_sources
from linter.model import Location, Problem
from linter.redact import excerpt

if TYPE_CHECKING:
    from linter.inputs.buildscript import GoVersionFile
    from linter.inputs.compose import ComposeFile
    from linter.inputs.gosum import GoSum
    from linter.inputs.modules_txt import ModulesTxt
    from linter.inputs.workflow import Workflow

# Hand-written build files and configs are small; these caps keep one hostile pull request's run
# bounded (benchmarks/reliability.py measured a 4 MiB workflow at 22 s and 16 MiB of YAML at > 60 s).
MAX_BUILD_FILE_BYTES = 1024 * 1024
MAX_CONFIG_BYTES = 4 * 1024 * 1024



@dataclass
class Loaded:
    workspace: Workspace
    texts: dict[str, Text] = field(default_factory=dict)
    comments: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)  # `//` comments by file
    shown: dict[tuple[str, int], str] = field(default_factory=dict, repr=False)  # source_line's answers

    def source_line(self, path: str, line: int) -> str:
        """One line of an input as outputs may show it: capped, secrets masked (linter.redact).
        Masked once per line: thousands of findings on one minified line share the work."""
        if (path, line) not in self.shown:
            text = self.texts.get(path)
            self.shown[path, line] = excerpt(text.line(line)) if text else ""
        return self.shown[path, line]


@dataclass
class _Reader:
    texts: dict[str, Text] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def parse(self, files: dict[str, Path], parser: Callable[[bytes, str], Any], limit: int = MAX_TEXT_BYTES
              ) -> dict[str, Any]:
        docs: dict[str, Any] = {}
        for rel, file in sorted(files.items()):
            data, problem = read_bytes(file, rel, limit)
            if problem or data is None:
                self.problems.append(problem or Problem(Location(rel), "cannot read file", "skipped"))
                continue
            text, _ = decode(data, rel)
            if text is not None:
                self.texts[rel] = text
            try:
                with paused_gc():  # parsers build large acyclic trees: rescanning them cost 2x on a 4 MB Go file
                    docs[rel] = parser(data, rel)
            except Exception as err:  # a parser bug loses this file, never the other files' findings
                self.problems.append(Problem(Location(rel), f"the linter could not parse this file "
                                             f"({type(err).__name__}: {err}); please report it"))
                continue
            self.problems.extend(getattr(docs[rel], "problems", ()))
        return docs


def load_workspace(
    found: Discovered,
    cwd: Path,
    *,
    plugin_sos: Sequence[Path] = (),
    krakend_binary: Path | None = None,
    extra_configs: Sequence[Path] = (),
    rendered_configs: Sequence[Path] = (),
) -> Loaded:
    from linter.inputs.dockerfile import parse_dockerfile
    from linter.inputs.gateway_config import parse_gateway_config
    from linter.inputs.gomod import parse_gomod
    from linter.inputs.gosource import parse_go_file

    reader = _Reader(problems=list(found.problems))
    for extra in extra_configs:
        found.gateway_configs[display_path(extra, cwd)] = extra
    rendered = {display_path(path, cwd): path for path in rendered_configs}
    for rel in rendered:
        found.gateway_configs.pop(rel, None)
    dockerfiles = tuple(reader.parse(found.dockerfiles, parse_dockerfile, MAX_BUILD_FILE_BYTES).values())
    compose_files = tuple(_read_compose_files(found, reader, _parse_compose))
    _add_named_configs(found, cwd, config_sources(dockerfiles, compose_files), rendered)
    gomods = reader.parse(found.gomods, parse_gomod)
    gosums = reader.parse(found.gosums, _parse_gosum)
    modules_txts = reader.parse(found.modules_txts, _parse_modules_txt)
    go_files = reader.parse(found.go_files, parse_go_file)
    workspace = Workspace(
        plugins=_plugin_roots(gomods, gosums, modules_txts, go_files),
        dockerfiles=dockerfiles,
        gateway_configs=(
            *reader.parse(found.gateway_configs, parse_gateway_config, MAX_CONFIG_BYTES).values(),
            *reader.parse(rendered, partial(parse_gateway_config, rendered=True), MAX_CONFIG_BYTES).values(),
        ),
        workflows=tuple(reader.parse(found.workflows, _parse_workflow, MAX_BUILD_FILE_BYTES).values()),
        build_scripts=tuple(reader.parse(found.build_scripts, parse_build_script, MAX_BUILD_FILE_BYTES).values()),
        compose_files=compose_files,
        go_version_files=tuple(
            reader.parse(found.go_version_files, _parse_go_version_file, MAX_BUILD_FILE_BYTES).values()
        ),
        built_plugins=tuple(_read_binaries(found.shared_objects, plugin_sos, cwd, reader)),
        krakend_binary=next(iter(_read_binaries({}, [krakend_binary] if krakend_binary else [], cwd, reader)), None),
        problems=(),
    )
    workspace = Workspace(**{**workspace.__dict__, "problems": tuple(_unique(reader.problems))})
    comments = {rel: tuple((c.line, c.text) for c in doc.comments) for rel, doc in (*gomods.items(), *go_files.items())}
    return Loaded(workspace, reader.texts, comments)


# The parsers of the rarer kinds of file are imported on their first file: a tree without them
# pays no import (YAML alone costs 10 ms, and start-up is most of a short run).
def _parse_compose(data: bytes, path: str, dotenv: str | None = None) -> ComposeFile:
    from linter.inputs.compose import parse_compose

    return parse_compose(data, path, dotenv)


def _parse_gosum(data: bytes, path: str) -> GoSum:
    from linter.inputs.gosum import parse_gosum

    return parse_gosum(data, path)


def _parse_modules_txt(data: bytes, path: str) -> ModulesTxt:
    from linter.inputs.modules_txt import parse_modules_txt

    return parse_modules_txt(data, path)


def _parse_workflow(data: bytes, path: str) -> Workflow:
    from linter.inputs.workflow import parse_workflow

    return parse_workflow(data, path)


def _parse_go_version_file(data: bytes, path: str) -> GoVersionFile:
    from linter.inputs.buildscript import parse_go_version_file

    return parse_go_version_file(data, path)


def _read_compose_files(found: Discovered, reader: _Reader, parse: Callable[..., Any]) -> list[Any]:
    """Each Compose file with the `.env` file beside it, whose variables it interpolates."""
    docs: list[Any] = []
    for rel, file in sorted(found.compose_files.items()):
        dotenv = _dotenv_text(found, _parent(rel), reader)
        docs.extend(reader.parse({rel: file}, partial(parse, dotenv=dotenv), MAX_BUILD_FILE_BYTES).values())
    return docs


def _dotenv_text(found: Discovered, folder: str, reader: _Reader) -> str | None:
    rel = ".env" if folder == "." else f"{folder}/.env"
    file = found.dotenv_files.get(rel)
    if file is None:
        return None
    data, problem = read_bytes(file, rel, MAX_BUILD_FILE_BYTES)
    if problem is not None or data is None:
        reader.problems.append(problem or Problem(Location(rel), "cannot read file", "skipped"))
        return None
    text, problems = decode(data, rel)
    reader.problems.extend(problem for problem in problems if problem.kind != "unparsable")
    return text.text if text is not None else None


def _add_named_configs(found: Discovered, cwd: Path, names: Sequence[str], rendered: dict[str, Path]) -> None:
    """Configs that a Dockerfile copies or a Compose file mounts are read whatever their name (only
    files inside the scanned tree that discovery found nothing else to be)."""
    known = {rel for kind in ("gateway_configs", "workflows", "compose_files", "build_scripts") for rel in
             getattr(found, kind)}
    for rel in names:
        path = cwd / rel
        if rel in known or rel in rendered or not path.is_file() or check_regular_file(path, cwd, rel):
            continue
        found.gateway_configs[rel] = path


def read_binary(path: Path, cwd: Path) -> tuple[Any, tuple[Problem, ...]]:
    """One Go binary given on the command line (`reference show --krakend-binary`)."""
    reader = _Reader()
    found = _read_binaries({}, [path], cwd, reader)
    return (found[0] if found else None), tuple(reader.problems)


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def _read_binaries(in_tree: dict[str, Path], given: Sequence[Path], cwd: Path, reader: _Reader) -> list[Any]:
    files = dict(in_tree)
    for path in given:
        files[display_path(path, cwd)] = path
    if not files:
        return []  # the ELF reader (pyelftools) is imported only when there is a binary to read
    from linter.inputs.gobinary import open_go_binary

    binaries = []
    for rel, file in sorted(files.items()):
        problem = (check_regular_file(file, file.parent, rel) if file.exists()
                   else Problem(Location(rel), "file does not exist", "skipped"))
        if problem:
            reader.problems.append(problem)
            continue
        binary = open_go_binary(file, rel)
        reader.problems.extend(binary.problems)
        binaries.append(binary)
    return binaries


def _parent(rel: str) -> str:
    return rel.rsplit("/", 1)[0] if "/" in rel else "."


def _inside(rel: str, folder: str) -> bool:
    return folder == "." or rel.startswith(folder + "/")


def _plugin_roots(gomods: dict[str, Any], gosums: dict[str, Any], modules_txts: dict[str, Any],
                  go_files: dict[str, Any]) -> tuple[PluginRoot, ...]:
    module_dirs = sorted((_parent(rel) for rel in gomods), key=len, reverse=True)
    owned: dict[str, list[Any]] = {folder: [] for folder in module_dirs}
    orphans: dict[str, list[Any]] = {}  # Go files outside every module, by folder
    for rel, doc in go_files.items():
        owner = next((folder for folder in module_dirs if _inside(rel, folder)), None)
        if owner is not None:
            owned[owner].append(doc)
        else:
            orphans.setdefault(_parent(rel), []).append(doc)
    roots = []
    for folder in sorted(module_dirs):
        sources = tuple(owned[folder])
        if not _is_plugin_module(sources):
            continue
        prefix = "" if folder == "." else folder + "/"
        roots.append(PluginRoot(
            dir=folder,
            gomod=gomods.get(prefix + "go.mod"),
            gosum=gosums.get(prefix + "go.sum"),
            modules_txt=modules_txts.get(prefix + "vendor/modules.txt"),
            sources=sources,
        ))
    # A plugin folder without a go.mod is compiled inside another module, usually a krakend-ce
    # clone it is copied into: it has no build list of its own to compare.
    for folder, docs in sorted(orphans.items()):
        if any(_declares_registerer(doc) for doc in docs):
            roots.append(PluginRoot(dir=folder, gomod=None, sources=tuple(docs)))
    return tuple(sorted(roots, key=lambda root: root.dir))


def _is_plugin_module(sources: Sequence[Any]) -> bool:
    """A module is a plugin when it declares a registerer (in any package: one outside `package
    main` is itself a finding), or has a `package main` folder that is not a program. A folder whose
    `func main` does work is a command (a KrakenD host, a fork of krakend-ce, a tool); a library
    with no `package main` is compiled into a gateway, not loaded as a plugin."""
    if any(_declares_registerer(doc) for doc in sources):
        return True
    folders: dict[str, bool] = {}  # package main folder -> has a `func main` that does work
    for doc in sources:
        if getattr(doc, "package", "") == "main":
            folder = _parent(doc.path)
            folders[folder] = folders.get(folder, False) or any(
                func.name == "main" and func.receiver is None and func.statements > 0 for func in doc.functions)
    return any(not program for program in folders.values())


def _declares_registerer(doc: Any) -> bool:
    names = {getattr(decl, "name", "") for decl in getattr(doc, "declarations", ())}
    return any(symbol in names for symbol in REGISTERER_SYMBOLS)
