"""What a go.mod is read into: one dataclass per directive, each with its position."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from linter.inputs.gomod.versions import compare_semver, go_version_tuple
from linter.model import Location, Problem


@dataclass(frozen=True)
class Comment:
    """A `//` comment; ``text`` includes the slashes."""

    line: int
    text: str
    column: int = 0


@dataclass(frozen=True)
class ModuleDecl:
    path: str
    location: Location
    deprecated: str = ""  # the `// Deprecated:` message, "" when not deprecated


@dataclass(frozen=True)
class Directive:
    """`go`, `toolchain`, `tool` or `ignore`: a single value."""

    value: str
    location: Location


@dataclass(frozen=True)
class Require:
    path: str
    version: str  # canonical (`v1.2` is read as `v1.2.0`, as the Go command does)
    indirect: bool
    location: Location  # the module path token
    line_text: str  # the whole source line, for one-line fixes
    version_location: Location | None = None

    def line_with_version(self, version: str) -> str:
        """The source line with the version token replaced (indentation and comment kept)."""
        loc = self.version_location
        if loc is None or loc.line != self.location.line:
            return self.line_text
        return self.line_text[: loc.column - 1] + version + self.line_text[loc.end_column :]


@dataclass(frozen=True)
class Replace:
    old_path: str
    old_version: str  # "" when every version is replaced
    new_path: str
    new_version: str  # "" for a local directory
    location: Location  # the old module path token
    line_text: str = ""


@dataclass(frozen=True)
class Exclude:
    path: str
    version: str
    location: Location


@dataclass(frozen=True)
class Retract:
    low: str
    high: str  # equal to ``low`` for a single version
    rationale: str
    location: Location


@dataclass(frozen=True)
class Godebug:
    key: str
    value: str
    location: Location


@dataclass(frozen=True)
class RequireBlock:
    """A `require ( ... )` block: where it opens and closes, and its lines as written (for fixes
    that rewrite the whole block)."""

    line: int  # the `require (` line
    end_line: int  # the `)` line
    lines: tuple[str, ...]  # every line from `require (` to `)`
    indirect: bool  # it holds requirements and every one of them is `// indirect`


@dataclass(frozen=True)
class GoMod:
    path: str
    module: ModuleDecl | None = None
    go: Directive | None = None
    toolchain: Directive | None = None
    requires: tuple[Require, ...] = ()
    replaces: tuple[Replace, ...] = ()
    excludes: tuple[Exclude, ...] = ()
    retracts: tuple[Retract, ...] = ()
    godebugs: tuple[Godebug, ...] = ()
    comments: tuple[Comment, ...] = ()
    problems: tuple[Problem, ...] = ()
    tools: tuple[Directive, ...] = ()
    ignores: tuple[Directive, ...] = ()
    require_blocks: tuple[RequireBlock, ...] = ()

    def require_for(self, path: str) -> Require | None:
        """The requirement of ``path`` (the highest when it is listed more than once)."""
        return self._highest_requires.get(path)

    def replacement_for(self, path: str, version: str) -> Replace | None:
        """The replace that applies to ``path@version``: a versioned one beats a wildcard one."""
        return self._replaces_by_key.get((path, version)) or self._replaces_by_key.get((path, ""))

    @cached_property
    def _highest_requires(self) -> dict[str, Require]:
        """path -> its highest requirement (the first of equal ones), in order of first mention.
        Built once, so looking every requirement up stays linear in the file."""
        highest: dict[str, Require] = {}
        for req in self.requires:
            known = highest.get(req.path)
            if known is None or _compare_requires(req, known) > 0:
                highest[req.path] = req
        return highest

    @cached_property
    def _replaces_by_key(self) -> dict[tuple[str, str], Replace]:
        """(old path, old version or "") -> the last replace written for it."""
        return {(r.old_path, r.old_version): r for r in self.replaces}

    def build_list(self) -> dict[str, tuple[str, str]]:
        """module -> the (path, version) actually built, after this file's replacements.

        Only meaningful as the full build list when ``go`` is 1.17 or later (module graph
        pruning makes go.mod list every module that provides a package to the build).
        """
        result: dict[str, tuple[str, str]] = {}
        for path, req in self._highest_requires.items():
            rep = self.replacement_for(path, req.version)
            result[path] = (rep.new_path, rep.new_version) if rep else (path, req.version)
        return result

    def go_version(self) -> tuple[int, int, int] | None:
        return go_version_tuple(self.go.value) if self.go else None

    def lists_full_build(self) -> bool:
        """True when go.mod says `go 1.17` or later (pruned module graph: every module listed)."""
        version = self.go_version()
        return version is not None and version >= (1, 17, 0)


def _compare_requires(a: Require, b: Require) -> int:
    return compare_semver(a.version, b.version)


def is_directory_path(path: str) -> bool:
    """A replacement target that is a local directory (modfile.IsDirectoryPath)."""
    if path in (".", "..") or path.startswith(("./", "../", "/", ".\\", "..\\", "\\")):
        return True
    return len(path) >= 2 and path[1] == ":" and path[0].isascii() and path[0].isalpha()
