"""The normalised Go type model: equal ``GoType`` trees are identical Go types."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GoType:
    """A normalised Go type. Equal trees are identical Go types (after alias expansion).

    ``kind``: basic, named, pointer, slice, array, map, chan, func, interface, struct, generic,
    unknown. ``name``: the type name (basic/named/generic), the array length, the channel
    direction, or the source text (struct/unknown). ``package``: the import path of a named type
    ("" for the declaring package). ``elems``: element types, map key and value, func
    parameters, generic type arguments, embedded interfaces. ``results``: func results.
    """

    kind: str
    name: str = ""
    package: str = ""
    elems: tuple[GoType, ...] = ()
    results: tuple[GoType, ...] = ()
    variadic: bool = False
    methods: tuple[tuple[str, GoType], ...] = ()

    def __str__(self) -> str:
        return self.render(short=False)

    def render(self, short: bool = True) -> str:
        """Go syntax; ``short`` writes qualified names as users do (``http.Handler``)."""
        return _render(self, short)


def basic(name: str) -> GoType:
    return GoType("basic", name)


def named(name: str, package: str = "") -> GoType:
    return GoType("named", name, package)


def pointer(elem: GoType) -> GoType:
    return GoType("pointer", elems=(elem,))


def func(params: Iterable[GoType], results: Iterable[GoType] = (), variadic: bool = False) -> GoType:
    return GoType("func", elems=tuple(params), results=tuple(results), variadic=variadic)


def go_map(key: GoType, value: GoType) -> GoType:
    return GoType("map", elems=(key, value))


EMPTY_INTERFACE = GoType("interface")


def _render(t: GoType, short: bool) -> str:
    r = lambda x: _render(x, short)  # noqa: E731 - a local shorthand keeps the table readable
    if t.kind in ("basic", "unknown", "struct"):
        return t.name
    if t.kind == "named":
        if not t.package:
            return t.name
        prefix = package_name(t.package) if short else t.package
        return f"{prefix}.{t.name}"
    if t.kind == "generic":
        return f"{r(named(t.name, t.package))}[{', '.join(r(e) for e in t.elems)}]"
    if t.kind == "pointer":
        return "*" + r(t.elems[0])
    if t.kind == "slice":
        return "[]" + r(t.elems[0])
    if t.kind == "array":
        return f"[{t.name}]{r(t.elems[0])}"
    if t.kind == "map":
        return f"map[{r(t.elems[0])}]{r(t.elems[1])}"
    if t.kind == "chan":
        return f"{t.name} {r(t.elems[0])}"
    if t.kind == "interface":
        parts = [r(e) for e in t.elems] + [name + r(sig).removeprefix("func") for name, sig in t.methods]
        return "interface{" + "; ".join(parts) + "}"
    return "func" + _render_signature(t, short)


def _render_signature(t: GoType, short: bool) -> str:
    params = [_render(p, short) for p in t.elems]
    if t.variadic and params:
        params[-1] = "..." + _render(t.elems[-1].elems[0], short)
    text = "(" + ", ".join(params) + ")"
    if len(t.results) == 1:
        return f"{text} {_render(t.results[0], short)}"
    if t.results:
        return f"{text} ({', '.join(_render(x, short) for x in t.results)})"
    return text


def package_name(import_path: str) -> str:
    """The default package name of an import path (last element, minus a /vN or .vN suffix)."""
    parts = [p for p in import_path.split("/") if p]
    if not parts:
        return import_path
    last = parts[-1]
    if len(parts) > 1 and last.startswith("v") and last[1:].isdigit():
        last = parts[-2]
    if ".v" in last and last.rsplit(".v", 1)[1].isdigit():  # gopkg.in/yaml.v3
        last = last.rsplit(".v", 1)[0]
    return last.replace("-", "_")

