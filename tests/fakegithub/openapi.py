"""GitHub's official request schemas, for the fake server to check every request it gets.

Two sources, best first:
- the OpenAPI description from the npm package ``@octokit/openapi@23.0.2``
  (``generated/api.github.com.json``), unpacked into ``.cache/octokit/openapi/`` by ``.ci/run`` or
  ``python -m tests.fakegithub.openapi --fetch`` (both run ``npm pack``; tests never do);
- the operation fragments in ``shared/github-api/*.json`` (one operation each; their ``$ref``s into
  ``#/components`` are not resolvable and are skipped).

A request is matched to an operation by method and path template; its query parameters are checked
against the declared types/enums and its JSON body against the request-body schema (OpenAPI 3.0:
``nullable`` is turned into a JSON-schema ``null`` alternative, ``$ref``s are inlined).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

REPO = Path(__file__).resolve().parents[2]
OCTOKIT_PACKAGE = "@octokit/openapi"
OCTOKIT_VERSION = "23.0.2"
OCTOKIT_DIR = REPO / ".cache" / "octokit" / "openapi"  # where .ci/run unpacks the npm tarball
OCTOKIT_SPEC = OCTOKIT_DIR / "generated" / "api.github.com.json"
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def shared_dir() -> Path:
    """``$KPL_SHARED_DIR`` or the ``shared/`` folder beside the repository."""
    env = os.environ.get("KPL_SHARED_DIR")
    return Path(env) if env else REPO.parent / "shared"


def fragments_dir() -> Path:
    return shared_dir() / "github-api"


@dataclass
class Operation:
    operation_id: str
    method: str  # upper case
    template: str  # "/repos/{owner}/{repo}/contents/{path}"
    regex: re.Pattern[str]
    literal_weight: int  # more literal characters = more specific template
    raw_body: Mapping[str, Any] | None  # the requestBody object, unresolved
    raw_parameters: tuple[Mapping[str, Any], ...]
    resolver: _Resolver
    _body_schema: Any = field(default=None, repr=False)
    _query: dict[str, tuple[bool, Any]] | None = field(default=None, repr=False)

    @property
    def body_required(self) -> bool:
        return bool(self.raw_body and self.raw_body.get("required"))

    def body_schema(self) -> Any:
        if self._body_schema is None and self.raw_body:
            content = self.resolver.resolve(self.raw_body).get("content", {})
            schema = (content.get("application/json") or {}).get("schema")
            self._body_schema = self.resolver.resolve(schema) if schema is not None else {}
        return self._body_schema

    def query_parameters(self) -> dict[str, tuple[bool, Any]]:
        """name -> (required, schema) for the query parameters that resolve."""
        if self._query is None:
            found: dict[str, tuple[bool, Any]] = {}
            for param in self.raw_parameters:
                resolved = self.resolver.resolve(param)
                if isinstance(resolved, dict) and resolved.get("in") == "query" and "name" in resolved:
                    found[resolved["name"]] = (bool(resolved.get("required")), resolved.get("schema", {}))
            self._query = found
        return self._query


class _Resolver:
    """Inlines ``#/components/...`` references and rewrites OpenAPI 3.0 ``nullable``."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self._memo: dict[str, Any] = {}

    def resolve(self, node: Any, stack: tuple[str, ...] = ()) -> Any:
        if isinstance(node, list):
            return [self.resolve(item, stack) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            return self._follow(ref, stack)
        out = {key: self.resolve(value, stack) for key, value in node.items()
               if key not in ("discriminator", "example", "examples")}
        if out.pop("nullable", False) is True:
            return {"anyOf": [out, {"type": "null"}]}
        return out

    def _follow(self, ref: str, stack: tuple[str, ...]) -> Any:
        if ref in self._memo:
            return self._memo[ref]
        if ref in stack:
            return {}  # a recursive schema: accept anything below the second visit
        target: Any = self.document
        for part in ref.removeprefix("#/").split("/"):
            if not isinstance(target, dict) or part not in target:
                return {}  # unresolvable (a fragment's ref into components it does not carry)
            target = target[part]
        value = self.resolve(target, (*stack, ref))
        self._memo[ref] = value
        return value


def _template_regex(template: str, multi: set[str]) -> tuple[re.Pattern[str], int]:
    pattern, weight, pos = "", 0, 0
    for match in re.finditer(r"\{([^}]+)\}", template):
        literal = template[pos : match.start()]
        pattern += re.escape(literal)
        weight += len(literal)
        pattern += ".+" if match.group(1) in multi else "[^/]+"
        pos = match.end()
    pattern += re.escape(template[pos:])
    weight += len(template) - pos
    return re.compile(pattern), weight


def _multi_segment(params: Iterable[Any]) -> set[str]:
    return {p["name"] for p in params if isinstance(p, dict) and p.get("x-multi-segment") and "name" in p}


class Validator:
    """Finds the operation of a request and lists what in it breaks GitHub's schema."""

    def __init__(self, operations: Iterable[Operation], source: str) -> None:
        self.source = source
        self._by_method: dict[str, list[Operation]] = {}
        for op in operations:
            self._by_method.setdefault(op.method, []).append(op)
        for ops in self._by_method.values():
            ops.sort(key=lambda op: -op.literal_weight)

    def __len__(self) -> int:
        return sum(len(ops) for ops in self._by_method.values())

    def operation_for(self, method: str, path: str) -> Operation | None:
        for op in self._by_method.get(method.upper(), ()):
            if op.regex.fullmatch(path):
                return op
        return None

    def check(self, method: str, path: str, query: Mapping[str, list[str]], body: bytes) -> list[str]:
        op = self.operation_for(method, path)
        if op is None:
            return []
        problems = [f"{op.operation_id}: {p}" for p in _query_problems(op, query)]
        problems += [f"{op.operation_id}: {p}" for p in _body_problems(op, body)]
        return problems


def _query_problems(op: Operation, query: Mapping[str, list[str]]) -> list[str]:
    problems = []
    for name, (required, schema) in op.query_parameters().items():
        values = query.get(name)
        if not values:
            if required:
                problems.append(f"query parameter {name!r} is required")
            continue
        for value in values:
            problem = _query_value_problem(name, value, schema)
            if problem:
                problems.append(problem)
    return problems


def _query_value_problem(name: str, value: str, schema: Mapping[str, Any]) -> str:
    kind = schema.get("type")
    if kind == "integer" and not re.fullmatch(r"-?\d+", value):
        return f"query parameter {name}={value!r} is not an integer"
    if kind == "boolean" and value not in ("true", "false"):
        return f"query parameter {name}={value!r} is not true/false"
    if "enum" in schema and value not in [str(v) for v in schema["enum"]]:
        return f"query parameter {name}={value!r} is not one of {schema['enum']}"
    return ""


def _body_problems(op: Operation, body: bytes) -> list[str]:
    if not op.raw_body:
        return []
    if not body.strip():
        return ["request body is required"] if op.body_required else []
    try:
        data = json.loads(body)
    except ValueError as err:
        return [f"request body is not JSON: {err}"]
    schema = op.body_schema()
    validator = jsonschema.Draft4Validator(schema)
    return [f"body{''.join(f'[{p!r}]' for p in err.absolute_path)}: {err.message}"
            for err in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))]


def _operations_from_openapi(document: Mapping[str, Any]) -> list[Operation]:
    resolver = _Resolver(document)
    ops = []
    for template, item in document.get("paths", {}).items():
        shared_params = item.get("parameters", [])
        for method in _METHODS:
            spec = item.get(method)
            if not isinstance(spec, dict):
                continue
            params = tuple(shared_params) + tuple(spec.get("parameters", []))
            resolved = [resolver.resolve(p) for p in params]
            regex, weight = _template_regex(template, _multi_segment(resolved))
            ops.append(Operation(spec.get("operationId", f"{method} {template}"), method.upper(), template, regex,
                                 weight, spec.get("requestBody"), params, resolver))
    return ops


def _operations_from_fragments(folder: Path) -> list[Operation]:
    ops = []
    for path in sorted(folder.glob("*.json")):
        fragment = json.loads(path.read_text(encoding="utf-8"))
        resolver = _Resolver(fragment)
        params = tuple(fragment.get("parameters") or ())
        regex, weight = _template_regex(fragment["path"], _multi_segment(params))
        ops.append(Operation(fragment["operationId"], fragment["method"].upper(), fragment["path"], regex, weight,
                             fragment.get("requestBody"), params, resolver))
    return ops


@lru_cache(maxsize=4)
def load_validator(prefer: str = "auto") -> Validator | None:
    """``auto``: the octokit description when unpacked, else the shared fragments; ``octokit`` or
    ``fragments`` force one. None when the chosen source is absent."""
    if prefer in ("auto", "octokit") and OCTOKIT_SPEC.is_file():
        document = json.loads(OCTOKIT_SPEC.read_text(encoding="utf-8"))
        return Validator(_operations_from_openapi(document), f"{OCTOKIT_PACKAGE}@{OCTOKIT_VERSION}")
    if prefer in ("auto", "fragments") and fragments_dir().is_dir():
        return Validator(_operations_from_fragments(fragments_dir()), f"fragments in {fragments_dir()}")
    return None


def ensure_octokit() -> Path | None:
    """Unpack ``@octokit/openapi`` into ``.cache/octokit/openapi`` with ``npm pack`` when missing."""
    if OCTOKIT_SPEC.is_file():
        return OCTOKIT_SPEC
    npm = shutil.which("npm")
    if npm is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run([npm, "pack", f"{OCTOKIT_PACKAGE}@{OCTOKIT_VERSION}", "--silent"], cwd=tmp,
                              capture_output=True, text=True, timeout=300, check=False)
        tarballs = list(Path(tmp).glob("*.tgz"))
        if done.returncode != 0 or not tarballs:
            return None
        wanted = {"package/package.json", "package/generated/api.github.com.json"}
        with tarfile.open(tarballs[0]) as archive:
            members = [m for m in archive.getmembers() if m.name in wanted and m.isfile()]
            for member in members:  # strip the tarball's leading "package/", as .ci/run does
                member.name = member.name.removeprefix("package/")
            OCTOKIT_DIR.mkdir(parents=True, exist_ok=True)
            archive.extractall(OCTOKIT_DIR, members=members, filter="data")
    return OCTOKIT_SPEC if OCTOKIT_SPEC.is_file() else None


if __name__ == "__main__":
    if "--fetch" in sys.argv[1:]:
        found = ensure_octokit()
        sys.stdout.write(f"{found or 'npm pack failed; the tests will use the shared fragments'}\n")
        raise SystemExit(0 if found else 1)
    sys.stdout.write("usage: python -m tests.fakegithub.openapi --fetch\n")
