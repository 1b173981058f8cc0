"""Parse every discovered file once into a ``Workspace``; keep each file's text for excerpts.

This is the only place that reads inputs from disk (besides ``discovery``). Each parser gets
bytes and a display path and returns a document with its own problems; nothing here judges.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from linter.discovery import Discovered, check_regular_file, display_path, read_bytes
from linter.inputs.text import MAX_TEXT_BYTES, Text, decode
from linter.inputs.workspace import PluginRoot, Workspace
from linter.krakend.contracts import SYMBOLS as REGISTERER_SYMBOLS
from linter.model import Location, Problem
from linter.redact import excerpt

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


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Parsers build large acyclic trees; CPython's cycle collector rescanning them as they grow made
    a 4 MB Go file take twice as long as parsing it (10x input, 20x time). Reference counting still
    frees everything; cycles left behind are collected once the collector runs again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
                with _collector_paused():
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
    from linter.inputs.buildscript import parse_build_script, parse_go_version_file
    from linter.inputs.dockerfile import parse_dockerfile
    from linter.inputs.gateway_config import parse_gateway_config
    from linter.inputs.gomod import parse_gomod
    from linter.inputs.gosource import parse_go_file
    from linter.inputs.gosum import parse_gosum
    from linter.inputs.modules_txt import parse_modules_txt
    from linter.inputs.workflow import parse_workflow

    reader = _Reader(problems=list(found.problems))
    for extra in extra_configs:
        found.gateway_configs[display_path(extra, cwd)] = extra
    rendered = {display_path(path, cwd): path for path in rendered_configs}
    for rel in rendered:
        found.gateway_configs.pop(rel, None)
    gomods = reader.parse(found.gomods, parse_gomod)
    gosums = reader.parse(found.gosums, parse_gosum)
    modules_txts = reader.parse(found.modules_txts, parse_modules_txt)
    go_files = reader.parse(found.go_files, parse_go_file)
    workspace = Workspace(
        plugins=_plugin_roots(gomods, gosums, modules_txts, go_files),
        dockerfiles=tuple(reader.parse(found.dockerfiles, parse_dockerfile, MAX_BUILD_FILE_BYTES).values()),
        gateway_configs=(
            *reader.parse(found.gateway_configs, parse_gateway_config, MAX_CONFIG_BYTES).values(),
            *reader.parse(rendered, partial(parse_gateway_config, rendered=True), MAX_CONFIG_BYTES).values(),
        ),
        workflows=tuple(reader.parse(found.workflows, parse_workflow, MAX_BUILD_FILE_BYTES).values()),
        build_scripts=tuple(reader.parse(found.build_scripts, parse_build_script, MAX_BUILD_FILE_BYTES).values()),
        go_version_files=tuple(
            reader.parse(found.go_version_files, parse_go_version_file, MAX_BUILD_FILE_BYTES).values()
        ),
        built_plugins=tuple(_read_binaries(found.shared_objects, plugin_sos, cwd, reader)),
        krakend_binary=next(iter(_read_binaries({}, [krakend_binary] if krakend_binary else [], cwd, reader)), None),
        problems=(),
    )
    workspace = Workspace(**{**workspace.__dict__, "problems": tuple(_unique(reader.problems))})
    comments = {rel: tuple((c.line, c.text) for c in doc.comments) for rel, doc in (*gomods.items(), *go_files.items())}
    return Loaded(workspace, reader.texts, comments)


def read_binary(path: Path, cwd: Path) -> tuple[Any, tuple[Problem, ...]]:
    """One Go binary given on the command line (`reference show --krakend-binary`)."""
    reader = _Reader()
    found = _read_binaries({}, [path], cwd, reader)
    return (found[0] if found else None), tuple(reader.problems)


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def _read_binaries(in_tree: dict[str, Path], given: Sequence[Path], cwd: Path, reader: _Reader) -> list[Any]:
    from linter.inputs.gobinary import open_go_binary

    files = dict(in_tree)
    for path in given:
        files[display_path(path, cwd)] = path
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
    for rel, doc in go_files.items():
        owner = next((folder for folder in module_dirs if _inside(rel, folder)), None)
        if owner is not None:
            owned[owner].append(doc)
    roots = []
    for folder in sorted(module_dirs):
        sources = tuple(owned[folder])
        if not any(_is_plugin_code(doc) for doc in sources):
            continue
        prefix = "" if folder == "." else folder + "/"
        roots.append(PluginRoot(
            dir=folder,
            gomod=gomods.get(prefix + "go.mod"),
            gosum=gosums.get(prefix + "go.sum"),
            modules_txt=modules_txts.get(prefix + "vendor/modules.txt"),
            sources=sources,
        ))
    return tuple(roots)


def _is_plugin_code(doc: Any) -> bool:
    """`package main`, or a package that declares a registerer (a plugin in the wrong package)."""
    if getattr(doc, "package", "") == "main":
        return True
    names = {getattr(decl, "name", "") for decl in getattr(doc, "declarations", ())}
    return any(symbol in names for symbol in REGISTERER_SYMBOLS)
