"""Which KrakenD releases would load this plugin: one row per release, and the compatible ranges.

A release loads the plugin when (a) the plugin is built with exactly the Go release KrakenD was
built with and (b) every module both link is at the same version (and the same replacement):
Go's plugin loader refuses a .so when any shared package differs. The plugin side is a
``PluginBuild`` (its pinned Go and build list); the KrakenD side is each release's ``Reference``,
provided by the caller (``reference_for``), so the matrix itself never touches disk or network.

Usage (the `matrix` subcommand; the renderers are in ``linter.formats.matrix``):
  build = PluginBuild.from_gomod(gomod, gosum, go_version="1.22.11", go_source="Dockerfile:1")
  result = compute_matrix(build, parse_range("2.7.0..2.13.8"), lambda r: resolve(r.version))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from linter.inputs.gomod import GoMod
from linter.inputs.gosum import GoSum
from linter.krakend import releases
from linter.krakend.reference import Reference
from linter.krakend.releases import Release

COMPATIBLE, INCOMPATIBLE, UNKNOWN = "compatible", "incompatible", "unknown"
_DASH = "–"


@dataclass(frozen=True)
class PluginBuild:
    """How the plugin is built: its Go (pinned or following the builder) and its build list."""

    modules: Mapping[str, str] = field(default_factory=dict)  # module -> version
    replacements: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # module -> (path, version)
    go_version: str = ""  # "1.22.5" when pinned; "" when unknown
    go_source: str = ""  # where the Go version was found, for reasons
    follows_builder: bool = False  # built in krakend/builder:<the release>: Go always matches

    @classmethod
    def from_gomod(cls, gomod: GoMod, gosum: GoSum | None = None, *, go_version: str = "", go_source: str = "",
                   follows_builder: bool = False) -> PluginBuild:
        """The plugin's build list from go.mod; go.sum fills modules a pre-1.17 go.mod leaves out."""
        modules: dict[str, str] = {}
        replacements: dict[str, tuple[str, str]] = {}
        for path, (new_path, new_version) in gomod.build_list().items():
            req = gomod.require_for(path)
            if req is None:
                continue
            modules[path] = req.version
            if (new_path, new_version) != (path, req.version):
                replacements[path] = (new_path, new_version)
        if gosum is not None and not gomod.lists_full_build():
            for path, version in gosum.max_versions().items():
                modules.setdefault(path, version)
        return cls(modules, replacements, go_version, go_source, follows_builder)


@dataclass(frozen=True)
class ModuleDiff:
    module: str
    plugin: str  # "v1.9.1" or "v1.9.1 => example.com/fork v0.1.0"
    krakend: str


@dataclass(frozen=True)
class MatrixRow:
    version: str
    go_version: str  # KrakenD's
    status: str  # compatible / incompatible / unknown
    reasons: tuple[str, ...] = ()
    go_matches: bool | None = None  # None: the plugin's Go is not pinned
    module_diffs: tuple[ModuleDiff, ...] = ()
    reference_source: str = ""  # "" when no reference was available

    @property
    def compatible(self) -> bool:
        return self.status == COMPATIBLE


@dataclass(frozen=True)
class Matrix:
    rows: tuple[MatrixRow, ...]
    plugin_go: str = ""

    def ranges(self) -> list[tuple[str, str]]:
        """Runs of consecutive compatible rows as (first, last)."""
        runs: list[tuple[str, str]] = []
        start = last = ""
        for row in self.rows:
            if row.compatible:
                start, last = start or row.version, row.version
                continue
            if start:
                runs.append((start, last))
            start = last = ""
        if start:
            runs.append((start, last))
        return runs

    @property
    def summary(self) -> str:
        if not self.rows:
            return "no release to compare against"
        spans = [first if first == last else f"{first}{_DASH}{last}" for first, last in self.ranges()]
        scope = f"{self.rows[0].version}{_DASH}{self.rows[-1].version}" if len(self.rows) > 1 else self.rows[0].version
        text = f"compatible with {_join(spans)}" if spans else f"compatible with none of {scope}"
        unknown = sum(1 for r in self.rows if r.status == UNKNOWN)
        return text + (f" ({unknown} release{'s' if unknown > 1 else ''} without a reference)" if unknown else "")


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def parse_range(text: str) -> tuple[Release, ...]:
    """Releases named by ``A..B`` (inclusive, either end open), ``2.7`` (a prefix), ``2.7.0``, ``all``
    or ``""``. Raises ValueError with a message for text that names no release."""
    spec = text.strip()
    if spec.lower() in ("", "all"):
        return releases.all_releases()
    first, dots, last = spec.partition("..")
    for part in (first, last) if dots else (first,):
        if part and not releases.version_key(part):
            raise ValueError(f"{part!r} is not a version (use A..B, e.g. 2.7.0..2.13.8)")
    found = releases.releases_between(first, last if dots else first)
    if not found:
        raise ValueError(f"no KrakenD release in {spec!r}")
    return found


def compute_matrix(plugin: PluginBuild, versions: Sequence[Release],
                   reference_for: Callable[[Release], Reference | None]) -> Matrix:
    return Matrix(tuple(judge(plugin, item, reference_for(item)) for item in versions), plugin.go_version)


def judge(plugin: PluginBuild, release: Release, reference: Reference | None) -> MatrixRow:
    """One release's verdict with the reasons behind it."""
    reasons: list[str] = []
    krakend_go = (reference.go_version if reference and reference.go_version else "") or release.go_version
    go_matches = _go_matches(plugin, krakend_go)
    if go_matches is False:
        reasons.append(f"Go {plugin.go_version} ({plugin.go_source or 'plugin'}) but KrakenD {release.version} "
                       f"is built with Go {krakend_go}")
    elif go_matches is None:
        reasons.append("the plugin's Go version is not pinned; build it with Go " + krakend_go)
    diffs = module_diffs(plugin, reference) if reference is not None else ()
    reasons += [f"{d.module} {d.plugin} but KrakenD {release.version} has {d.krakend}" for d in diffs]
    if go_matches is False or diffs:
        status = INCOMPATIBLE
    elif reference is None:
        status = UNKNOWN
        reasons.append(f"no reference for KrakenD {release.version}: shared modules not compared")
    else:
        status = COMPATIBLE
    return MatrixRow(release.version, krakend_go, status, tuple(reasons), go_matches, diffs,
                     reference.source if reference else "")


def _go_matches(plugin: PluginBuild, krakend_go: str) -> bool | None:
    if plugin.follows_builder:
        return True
    if not plugin.go_version or not krakend_go:
        return None
    return plugin.go_version.removeprefix("go") == krakend_go


def module_diffs(plugin: PluginBuild, reference: Reference) -> tuple[ModuleDiff, ...]:
    """Modules both link whose version (after replacements) differs, sorted by path."""
    diffs = []
    for module in sorted(plugin.modules):
        theirs = reference.modules.get(module)
        if theirs is None:
            continue
        mine = plugin.replacements.get(module, (module, plugin.modules[module]))
        rep = reference.replacement_for(module, theirs)
        krakend = (rep.new_path, rep.new_version) if rep else (module, theirs)
        if mine != krakend:
            diffs.append(ModuleDiff(module, _describe(module, plugin.modules[module], mine),
                                    _describe(module, theirs, krakend)))
    return tuple(diffs)


def fitting_releases(plugin: PluginBuild, references: Sequence[tuple[str, Reference]]) -> tuple[str, ...]:
    """The releases (of those given, oldest first) whose build list agrees with every module the
    plugin shares with them; the Go version is not considered (it is not known here)."""
    return tuple(version for version, reference in references if not module_diffs(plugin, reference))


def ranges(versions: Sequence[str]) -> str:
    """``2.5.0–2.6.3, 2.7.0`` for consecutive releases of the release table folded into ranges."""
    order = [item.version for item in releases.releases_between()]
    wanted = set(versions)
    spans: list[list[str]] = []
    previous = False
    for version in order:
        if version in wanted:
            if previous:
                spans[-1][1] = version
            else:
                spans.append([version, version])
        previous = version in wanted
    return ", ".join(first if first == last else f"{first}{_DASH}{last}" for first, last in spans)


def _describe(module: str, version: str, effective: tuple[str, str]) -> str:
    if effective == (module, version):
        return version
    return f"{version} => {effective[0]} {effective[1]}".rstrip()


# --- the answers per release, folded into spans -------------------------------------------------
#
# Two questions, answered apart: are the plugin's dependencies those of the release (its shared
# modules at KrakenD's versions), and is its build setup right for it (built with KrakenD's Go)?
# A release where both hold is one `check` passes for modules and Go; other rules (libc, flags,
# the config) may still fail, so no rendering claims the plugin "loads". Consecutive releases with
# the same answers and the same reasons are one line.

MARK_YES, MARK_NO, MARK_UNKNOWN = "yes", "no", "?"


def dependencies_mark(row: MatrixRow) -> str:
    if row.module_diffs:
        return MARK_NO
    return MARK_YES if row.reference_source else MARK_UNKNOWN


def build_mark(row: MatrixRow) -> str:
    return {True: MARK_YES, False: MARK_NO, None: MARK_UNKNOWN}[row.go_matches]


def row_reasons(row: MatrixRow, plugin_go: str) -> tuple[str, ...]:
    """Why a row is not compatible, in words that hold for every release of its range."""
    reasons = []
    if row.go_matches is False:
        reasons.append(f"built with Go {plugin_go}, not KrakenD's")
    elif row.go_matches is None:
        reasons.append("the plugin's Go is not pinned; build with KrakenD's")
    reasons += [f"{d.module} {d.plugin}, KrakenD has {d.krakend}" for d in row.module_diffs]
    if not row.reference_source:
        reasons.append("no reference: shared modules not compared")
    return tuple(reasons)


@dataclass(frozen=True)
class Span:
    """Consecutive releases with the same answers: ``first``..``last`` (the same when one)."""

    first: str
    last: str
    go_first: str
    go_last: str
    dependencies: str
    build: str
    reasons: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.first if self.first == self.last else f"{self.first}{_DASH}{self.last}"

    @property
    def go_label(self) -> str:
        return self.go_first if self.go_first == self.go_last else f"{self.go_first}{_DASH}{self.go_last}"


def spans(matrix: Matrix) -> list[Span]:
    """The rows folded: consecutive releases with the same answers and reasons are one span."""
    found: list[Span] = []
    for row in matrix.rows:
        key = (dependencies_mark(row), build_mark(row), row_reasons(row, matrix.plugin_go))
        last = found[-1] if found else None
        if last is not None and (last.dependencies, last.build, last.reasons) == key:
            found[-1] = Span(last.first, row.version, last.go_first, row.go_version, *key)
        else:
            found.append(Span(row.version, row.version, row.go_version, row.go_version, *key))
    return found
