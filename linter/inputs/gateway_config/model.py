"""The node tree a gateway configuration is read into, whatever its format."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from linter.inputs.spans import NO_SPAN, unpack_span
from linter.model import Location, Problem


class ConfigNode:
    """One value of the config. ``kind``: object, array, string, number, bool, null, template.

    ``children`` are the members of an object (each with its ``key``) or the elements of an
    array (``key`` is the index as text). Identity comparison only: trees can be very deep.
    Read-only once built. Positions are kept packed (``linter.inputs.spans``): a 4 MiB YAML
    config has hundreds of thousands of nodes, and ``location`` / ``key_location`` make their
    ``Location`` only when read. A plain class with slots: a frozen dataclass cost five times as
    much to build.
    """

    __slots__ = ("_members", "children", "key", "key_span", "kind", "path", "span", "value")

    def __init__(self, kind: str, value: Any, path: str, span: int, key_span: int = NO_SPAN,
                 children: tuple[ConfigNode, ...] = (), key: str = "") -> None:
        self.kind: Final = kind
        self.value: Final[Any] = value
        self.path: Final = path
        self.span: Final = span
        self.key_span: Final = key_span  # NO_SPAN for an array element and the root
        self.children: Final = children
        self.key: Final = key
        self._members: dict[str, ConfigNode] | None = None

    def __repr__(self) -> str:
        return f"ConfigNode({self.kind}, {self.key!r}, {self.location})"

    @property
    def location(self) -> Location:
        return unpack_span(self.path, self.span)

    @property
    def key_location(self) -> Location | None:
        return None if self.key_span == NO_SPAN else unpack_span(self.path, self.key_span)

    @property
    def _index(self) -> dict[str, ConfigNode]:
        if self._members is None:  # the last of duplicate keys wins, as in Go's encoding/json
            self._members = {child.key: child for child in self.children}
        return self._members

    def get(self, key: str) -> ConfigNode | None:
        if self.kind not in ("object", "array"):
            return None
        return self._index.get(key)

    def keys(self) -> tuple[str, ...]:
        return tuple(self._index) if self.kind == "object" else ()

    @property
    def is_template(self) -> bool:
        return self.kind == "template"

    def lookup(self, pointer: str) -> ConfigNode | None:
        """The node at a JSON pointer (RFC 6901: ``/a/0/b``, ``~1`` is ``/``, ``~0`` is ``~``)."""
        if pointer in ("", "#"):
            return self
        if not pointer.startswith("/"):
            return None
        node: ConfigNode | None = self
        for raw in pointer[1:].split("/"):
            if node is None:
                return None
            node = node.get(raw.replace("~1", "/").replace("~0", "~"))
        return node

    def string(self, key: str) -> str | None:
        child = self.get(key)
        return child.value if child is not None and child.kind == "string" else None



@dataclass(frozen=True)
class TemplateAction:
    location: Location
    text: str
    handling: str  # "placeholder" (stands for a value), "in-string" or "skipped"


@dataclass(frozen=True)
class GatewayConfig:
    path: str
    format: str  # "json", "yaml", "toml"
    root: ConfigNode | None
    problems: tuple[Problem, ...] = ()
    is_template: bool = False
    template_actions: tuple[TemplateAction, ...] = ()
    rendered: bool = False
    lines: tuple[str, ...] = field(default=(), repr=False, compare=False)  # for one-line fixes

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def lookup(self, pointer: str) -> ConfigNode | None:
        return self.root.lookup(pointer) if self.root is not None else None

    @property
    def schema(self) -> str:
        """The `$schema` URL ("" when none), which names a KrakenD minor version."""
        node = self.root.get("$schema") if self.root is not None else None
        return node.value if node is not None and node.kind == "string" else ""

    @property
    def schema_location(self) -> Location | None:
        node = self.root.get("$schema") if self.root is not None else None
        return node.location if node is not None else None

    @property
    def skipped(self) -> tuple[TemplateAction, ...]:
        return tuple(a for a in self.template_actions if a.handling == "skipped")


def config_format(path: str) -> str:
    """From the file name; a Flexible Configuration template `x.yaml.tmpl` is YAML, `x.tmpl` JSON."""
    lower = path.lower().removesuffix(".tmpl")
    if lower.endswith((".yaml", ".yml")):
        return "yaml"
    if lower.endswith(".toml"):
        return "toml"
    return "json"



def walk(root: ConfigNode) -> Iterator[tuple[tuple[str, ...], ConfigNode]]:
    """Every node with its key path, depth first, without recursion (paths cost O(depth) each:
    use on real configs, not on adversarial nesting)."""
    stack: list[tuple[tuple[str, ...], ConfigNode]] = [((), root)]
    while stack:
        path, node = stack.pop()
        yield path, node
        stack.extend(((*path, child.key), child) for child in reversed(node.children))
