"""What every parser must do with any input, and the mutations that look for inputs it does not.

Shared by the property tests here and by ``benchmarks.fuzz`` (the same checks at a larger scale).
A target is one parser entry point with the display path it is given; ``check`` runs it twice and
returns the document, or raises ``AssertionError`` naming the broken promise. Any other exception
is a crash: the parser let bad input escape.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from linter.inputs.text import decode
from linter.model import Location, Problem
from tests.fuzz.seeds import COMMON_TOKENS, SEEDS, TOKENS

# Modest and reproducible: CI runs the same examples every time, in a few seconds per parser.
FUZZ_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=(HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example),
)


@dataclass(frozen=True)
class Target:
    """A parser entry point, named after its seeds, and the display path it is handed."""

    name: str
    module: str
    function: str
    path: str
    text_input: bool = False  # parse_shell takes decoded text and a SourceMap, not bytes

    def load(self) -> Callable[[bytes, str], Any] | None:
        """The parse function, or None while its module is not written yet."""
        try:
            module = importlib.import_module(self.module)
        except ImportError:
            return None
        function = getattr(module, self.function, None)
        if function is None:
            return None
        return _text_adapter(function) if self.text_input else function


TARGETS: dict[str, Target] = {t.name: t for t in (
    Target("gomod", "linter.inputs.gomod", "parse_gomod", "plugin/go.mod"),
    Target("gosum", "linter.inputs.gosum", "parse_gosum", "plugin/go.sum"),
    Target("modules_txt", "linter.inputs.modules_txt", "parse_modules_txt", "plugin/vendor/modules.txt"),
    Target("dockerfile", "linter.inputs.dockerfile", "parse_dockerfile", "build/Dockerfile"),
    Target("workflow", "linter.inputs.workflow", "parse_workflow", ".github/workflows/build.yml"),
    Target("makefile", "linter.inputs.build_files", "parse_build_script", "Makefile"),
    Target("taskfile", "linter.inputs.build_files", "parse_build_script", "deploy/Taskfile.yml"),
    Target("compose", "linter.inputs.compose", "parse_compose", "deploy/docker-compose.yml"),
    Target("build_sh", "linter.inputs.build_files", "parse_build_script", "scripts/build.sh"),
    Target("go_version_file", "linter.inputs.buildscript", "parse_go_version_file", ".tool-versions"),
    Target("gosource", "linter.inputs.gosource", "parse_go_file", "plugin/main.go"),
    Target("gateway_config", "linter.inputs.gateway_config", "parse_gateway_config", "config/krakend.json"),
    Target("gateway_yaml", "linter.inputs.gateway_config", "parse_gateway_config", "config/krakend.yaml"),
    Target("gateway_toml", "linter.inputs.gateway_config", "parse_gateway_config", "config/krakend.toml"),
    Target("gateway_tmpl", "linter.inputs.gateway_config", "parse_gateway_config", "config/krakend.tmpl"),
    Target("shell", "linter.inputs.shell.analysis", "parse_shell", "scripts/run.sh", text_input=True),
    Target("gobinary", "linter.inputs.gobinary", "read_go_binary", "plugins/plugin.so"),
)}


def require(target: Target) -> Callable[[bytes, str], Any]:
    """The target's parse function; a renamed or missing one fails loudly instead of fuzzing nothing."""
    import pytest

    parse = target.load()
    if parse is None:
        pytest.fail(f"{target.module}.{target.function} cannot be imported")
    return parse


def _text_adapter(parse_shell: Callable[..., Any]) -> Callable[[bytes, str], Any]:
    from linter.inputs.shell import SourceMap

    def parse(data: bytes, path: str) -> Any:
        text = data.decode("utf-8", errors="replace").replace("\r\n", "\n")
        return parse_shell(text, SourceMap.of_text(path, text))

    return parse


# --- the promises --------------------------------------------------------------------------------

def line_count(data: bytes) -> int:
    """How many lines the shared decoder sees in ``data`` (an upper bound for binary files)."""
    text, _ = decode(data, "x", limit=len(data) + 1)
    if text is not None:
        return len(text.lines)
    return data.count(b"\n") + data.count(b"\r") + 1


def check(target: Target, parse: Callable[[bytes, str], Any], data: bytes) -> Any:
    """Parse ``data`` twice; assert the document is sound and the same both times."""
    first = parse(data, target.path)
    second = parse(data, target.path)
    # Structural, not ``==``: some nodes compare by identity on purpose (very deep config trees).
    assert shape(first) == shape(second), f"{target.name}: two parses of the same bytes differ"
    lines = line_count(data)
    problems = getattr(first, "problems", None)
    assert isinstance(problems, tuple), f"{target.name}: problems is {type(problems).__name__}, not a tuple"
    for problem in problems:
        assert isinstance(problem, Problem), f"{target.name}: {problem!r} is not a Problem"
        assert problem.kind and isinstance(problem.kind, str), f"{target.name}: problem kind {problem.kind!r}"
        assert problem.message, f"{target.name}: problem without a message at {problem.location}"
        _check_location(target, problem.location, lines, "problem")
    for location in _walk(first):
        if isinstance(location, Location):
            _check_location(target, location, lines, "node")
    return first


def _check_location(target: Target, loc: Location, lines: int, what: str) -> None:
    assert loc.path == target.path, f"{target.name}: {what} location path {loc.path!r} is not {target.path!r}"
    assert 0 <= loc.line <= lines, f"{target.name}: {what} at line {loc.line} of a {lines}-line file"
    assert loc.line <= loc.end_line <= lines, f"{target.name}: {what} ends at line {loc.end_line} of {lines}"
    assert loc.column >= 0 and loc.end_column >= 0, f"{target.name}: {what} has a negative column: {loc}"


_ATOMS = (str, bytes, int, float, bool, type(None))


def shape(doc: Any) -> list[Any]:
    """A flat, comparable description of everything reachable from ``doc`` (no recursion)."""
    return [item if isinstance(item, _ATOMS) and not isinstance(item, float) else _token(item) for item in _walk(doc)]


def _token(item: Any) -> Any:
    if isinstance(item, float):
        return ("float", repr(item))  # nan != nan, but two parses giving nan agree
    if isinstance(item, Location):
        return item
    if isinstance(item, Mapping | tuple | list):
        return (type(item).__name__, len(item))
    if isinstance(item, frozenset | set):
        return (type(item).__name__, tuple(sorted(map(repr, item))))
    return type(item).__name__


def _walk(doc: Any, limit: int = 500_000) -> Iterator[Any]:
    """Everything reachable from ``doc`` through dataclass fields, sequences and mappings, in a
    fixed order; each container once (documents may share nodes, YAML aliases do)."""
    stack: list[Any] = [doc]
    seen: set[int] = set()
    while stack and limit:
        item = stack.pop()
        limit -= 1
        yield item
        if isinstance(item, (*_ATOMS, Location, frozenset, set)) or id(item) in seen:
            continue
        seen.add(id(item))
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            stack.extend(reversed([getattr(item, f.name) for f in dataclasses.fields(item)]))
        elif isinstance(item, Mapping):
            stack.extend(reversed([part for pair in item.items() for part in pair]))
        elif isinstance(item, tuple | list):
            stack.extend(reversed(item))


# --- the inputs ------------------------------------------------------------------------------------

def _lines_op(data: bytes, draw: Callable[[st.SearchStrategy[Any]], Any]) -> bytes:
    lines = data.split(b"\n")
    index = draw(st.integers(0, len(lines) - 1))
    action = draw(st.sampled_from(("duplicate", "delete", "swap", "repeat")))
    if action == "duplicate":
        lines.insert(index, lines[index])
    elif action == "delete":
        del lines[index]
    elif action == "swap":
        other = draw(st.integers(0, len(lines) - 1))
        lines[index], lines[other] = lines[other], lines[index]
    else:
        lines[index:index + 1] = [lines[index]] * draw(st.integers(2, 64))
    return b"\n".join(lines)


def _byte_op(data: bytes, name: str, draw: Callable[[st.SearchStrategy[Any]], Any]) -> bytes:
    at = draw(st.integers(0, len(data)))
    action = draw(st.sampled_from(("flip", "set", "truncate", "token", "bytes", "cut", "splice")))
    if action in ("flip", "set") and at < len(data):
        value = data[at] ^ (1 << draw(st.integers(0, 7))) if action == "flip" else draw(st.integers(0, 255))
        return data[:at] + bytes([value]) + data[at + 1:]
    if action == "truncate":
        return data[:at]
    if action == "token":
        return data[:at] + draw(st.sampled_from(COMMON_TOKENS + TOKENS.get(name, ()))) + data[at:]
    if action == "bytes":
        return data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
    if action == "cut":
        return data[:at] + data[at + draw(st.integers(1, 64)):]
    if action == "splice":
        other = draw(st.sampled_from(SEEDS[name]))
        start = draw(st.integers(0, len(other)))
        return data[:at] + other[start:start + draw(st.integers(1, 128))] + data[at:]
    return data


@st.composite
def mutated(draw: Callable[[st.SearchStrategy[Any]], Any], name: str) -> bytes:
    """A seed of ``name`` after 1-6 byte- or line-level mutations; now and then plain noise."""
    mode = draw(st.sampled_from(("seed",) * 8 + ("noise", "tokens")))
    if mode == "noise":
        return bytes(draw(st.binary(max_size=512)))
    if mode == "tokens":
        pool = COMMON_TOKENS + TOKENS.get(name, ())
        return b"".join(draw(st.lists(st.sampled_from(pool), max_size=64)))
    data: bytes = draw(st.sampled_from(SEEDS[name]))
    for _ in range(draw(st.integers(1, 6))):
        data = _lines_op(data, draw) if draw(st.integers(0, 3)) == 0 else _byte_op(data, name, draw)
    return data
