"""The files of one module grouped into packages, with name resolution across them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property

from linter.inputs.gosource.document import GoFile, GoFunc, GoTypeDecl, GoValue
from linter.inputs.gosource.typemodel import GoType, named

_MAX_DEPTH = 32  # alias chains, constant folding and embedding are followed this far, no further
_EXCLUDED_OS = frozenset({
    "aix", "android", "darwin", "dragonfly", "freebsd", "illumos", "ios", "js", "netbsd", "openbsd",
    "plan9", "solaris", "wasip1", "windows",
})


def is_built(file: GoFile) -> bool:
    """Whether `go build` on linux compiles this file (tests, `ignore` and other-OS files are not)."""
    if file.is_test or file.build_constraint.strip() == "ignore":
        return False
    stem = file.path.rsplit("/", 1)[-1].removesuffix(".go")
    parts = stem.split("_")[1:]
    return not any(part in _EXCLUDED_OS for part in parts[-2:])


@dataclass(frozen=True)
class GoPackage:
    """The files of one directory that `go build` compiles, merged."""

    dir: str
    files: tuple[GoFile, ...]
    import_path: str = ""

    @property
    def name(self) -> str:
        names = [f.package for f in self.files if f.package]
        return max(names, key=names.count) if names else ""

    @property
    def package_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.package for f in self.files if f.package))

    @property
    def values(self) -> tuple[GoValue, ...]:
        return tuple(v for f in self.files for v in f.values)

    @property
    def types(self) -> tuple[GoTypeDecl, ...]:
        return tuple(t for f in self.files for t in f.types)

    @property
    def functions(self) -> tuple[GoFunc, ...]:
        return tuple(fn for f in self.files for fn in f.functions)

    @property
    def methods(self) -> tuple[GoFunc, ...]:
        return tuple(m for f in self.files for m in f.methods)

    @cached_property
    def _index(self) -> dict[str, dict[str, object]]:
        # First declaration wins, as the Go compiler reports the later one as the redeclaration.
        index: dict[str, dict[str, object]] = {"value": {}, "type": {}, "func": {}}
        for kind, items in (("value", self.values), ("type", self.types), ("func", self.functions)):
            for item in items:
                index[kind].setdefault(item.name, item)
        return index

    @cached_property
    def _methods_by_type(self) -> dict[str, tuple[GoFunc, ...]]:
        grouped: dict[str, list[GoFunc]] = {}
        for method in self.methods:
            if method.receiver is not None:
                grouped.setdefault(method.receiver.type_name, []).append(method)
        return {name: tuple(methods) for name, methods in grouped.items()}

    def value(self, name: str) -> GoValue | None:
        found = self._index["value"].get(name)
        return found if isinstance(found, GoValue) else None

    def type_decl(self, name: str) -> GoTypeDecl | None:
        found = self._index["type"].get(name)
        return found if isinstance(found, GoTypeDecl) else None

    def function(self, name: str) -> GoFunc | None:
        found = self._index["func"].get(name)
        return found if isinstance(found, GoFunc) else None

    def methods_of(self, type_name: str) -> tuple[GoFunc, ...]:
        return self._methods_by_type.get(type_name, ())

    def file(self, path: str) -> GoFile | None:
        return next((f for f in self.files if f.path == path), None)


@dataclass(frozen=True)
class Member:
    """A method of a type's method set and the package that declares it."""

    method: GoFunc
    package: GoPackage


@dataclass(frozen=True)
class GoModule:
    """The packages of one module, with name resolution across them."""

    path: str  # module path from go.mod ("" when unknown)
    root: str  # the module directory (display path, "." for the working directory)
    packages: tuple[GoPackage, ...]

    def package(self, directory: str) -> GoPackage | None:
        return next((p for p in self.packages if p.dir == directory), None)

    def by_import(self, import_path: str) -> GoPackage | None:
        return next((p for p in self.packages if p.import_path and p.import_path == import_path), None)

    def home_of(self, t: GoType, home: GoPackage) -> GoPackage | None:
        """The package declaring named type ``t`` as seen from ``home``; None for outside ones."""
        return home if not t.package else self.by_import(t.package)

    def lookup_type(self, t: GoType, home: GoPackage) -> tuple[GoPackage, GoTypeDecl] | None:
        if t.kind not in ("named", "generic"):
            return None
        pkg = self.home_of(t, home)
        decl = pkg.type_decl(t.name) if pkg else None
        return (pkg, decl) if pkg and decl else None

    def expand(self, t: GoType, home: GoPackage, depth: int = 0) -> GoType:
        """``t`` with aliases replaced by what they stand for, and module types qualified
        relative to ``home`` (so types from two packages compare)."""
        if depth > _MAX_DEPTH:
            return t
        if t.kind == "named":
            found = self.lookup_type(t, home)
            if found and found[1].alias:
                return self.expand(found[1].type, found[0], depth + 1)
            if not t.package and home.import_path and found:
                return named(t.name, home.import_path)
            return t
        if not (t.elems or t.results or t.methods):
            return t
        sub = lambda x: self.expand(x, home, depth + 1)  # noqa: E731
        return replace(
            t,
            elems=tuple(sub(e) for e in t.elems),
            results=tuple(sub(r) for r in t.results),
            methods=tuple((n, sub(s)) for n, s in t.methods),
        )

    def underlying(self, t: GoType, home: GoPackage) -> GoType:
        """The underlying type (named types followed to their definition; outside ones stay)."""
        for _ in range(_MAX_DEPTH):
            found = self.lookup_type(t, home)
            if found is None:
                return t
            home, t = found[0], found[1].type
        return t

    def method_set(self, t: GoType, home: GoPackage, addressable: bool = True) -> tuple[Member, ...]:
        """Methods callable on a value of ``*T`` (``addressable``) or ``T``: declared ones plus
        the ones promoted from embedded fields. The loader's symbol is a ``*T``."""
        return tuple(self._members(t, home, addressable, 0))

    def _members(self, t: GoType, home: GoPackage, addressable: bool, depth: int) -> Iterator[Member]:
        if depth > _MAX_DEPTH:
            return
        if t.kind == "pointer":
            yield from self._members(t.elems[0], home, True, depth + 1)
            return
        found = self.lookup_type(t, home)
        if found is None:
            return
        pkg, decl = found
        if decl.alias:
            yield from self._members(decl.type, pkg, addressable, depth + 1)
            return
        seen = set()
        for method in pkg.methods_of(decl.name):
            assert method.receiver is not None
            if addressable or not method.receiver.pointer:
                seen.add(method.name)
                yield Member(method, pkg)
        for embedded in decl.embedded:
            for member in self._members(embedded, pkg, addressable, depth + 1):
                if member.method.name not in seen:
                    seen.add(member.method.name)
                    yield member

    def value(self, name: str, home: GoPackage, package: str = "") -> tuple[GoPackage, GoValue] | None:
        pkg = home if not package else self.by_import(package)
        found = pkg.value(name) if pkg else None
        return (pkg, found) if pkg and found else None


def build_module(module_path: str, root: str, files: Iterable[GoFile]) -> GoModule:
    """Group the built files under ``root`` by directory into packages of module ``module_path``."""
    by_dir: dict[str, list[GoFile]] = {}
    for file in files:
        if is_built(file):
            by_dir.setdefault(file.dir, []).append(file)
    packages = []
    for directory in sorted(by_dir):
        packages.append(GoPackage(directory, tuple(by_dir[directory]), _import_path(module_path, root, directory)))
    return GoModule(module_path, root, tuple(packages))


def _import_path(module_path: str, root: str, directory: str) -> str:
    if not module_path:
        return ""
    if directory == root:
        return module_path
    prefix = "" if root in ("", ".") else root + "/"
    if not directory.startswith(prefix):
        return ""
    return f"{module_path}/{directory[len(prefix):]}"
