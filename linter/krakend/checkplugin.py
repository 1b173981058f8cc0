"""`krakend check-plugin`, reproduced: the plugin's go.sum against KrakenD's module versions.

What the real command does (krakend-cobra's `plugin/analyzer.go`, per CE version):

* Describe: every line of go.sum is split on single spaces; field 1 is the module, field 2 the
  version with a trailing `/go.mod` removed; the hash is ignored. Per module the highest version
  wins: by plain string order before CE 2.0.6, by Go semver order after (where an invalid
  version never wins). Lines with fewer than two fields are skipped from CE 2.1.0; before that
  they crashed the command (index out of range).
* Compare: only modules present on both sides, exact string equality (`+incompatible`
  included); modules only in the plugin are ignored. Result order: libc, go, then modules by
  path. CE 2.0.0 and 2.0.1 dropped the last diff each time go or libc was prepended, and
  crashed when there was nothing to drop.
* Go is compared only when both sides are given (the real `-g` defaults to KrakenD's own Go, so
  omitting it never reports Go); libc likewise (the real `-l` defaults to "", so omitting it
  always reports libc, which callers reproduce by passing ``libc_have=""`` and the release's
  ``libc_string``).
* The "want" side is the running binary's build info: KrakenD's build list, not its go.sum.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from linter.inputs.gomod import GoMod
from linter.inputs.gosum import GoSum, fold_max_versions, strip_gomod_suffix
from linter.krakend.releases import CheckPlugin, Release, version_key

GO_PANIC_INDEX = "panic: runtime error: index out of range [1] with length 1"
GO_PANIC_PREPEND = "panic: runtime error: slice bounds out of range [1:0]"


class CheckPluginCrashError(Exception):
    """The emulated krakend check-plugin would crash on this input (its output is a Go panic)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line  # the go.sum line that causes it, when one does


@dataclass(frozen=True)
class Diff:
    name: str  # a module path, "go" or "libc"
    have: str  # the plugin's value
    want: str  # KrakenD's value


@dataclass(frozen=True)
class Descriptor:
    """One side of the comparison: Go, libc (None = not compared) and module -> version."""

    go: str | None = None
    libc: str | None = None
    deps: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """The result of a whole run: the diffs, or the panic text when the real command crashes."""

    diffs: tuple[Diff, ...] = ()
    panic: str = ""
    panic_line: int = 0  # the go.sum line that makes it crash, when a line does


# CE version thresholds (krakend-cobra version in brackets), read from krakend-cobra's history.
_SEMVER_MAX_FROM = (2, 0, 6)  # cobra v2.0.4
_SKIP_SHORT_FROM = (2, 1, 0)  # cobra v2.0.6
_PREPEND_FIXED_IN = (2, 0, 2)  # cobra v2.0.1
_FIX_FLAG_FROM = (2, 0, 6)  # cobra v2.0.4
_INDIRECT_REPLACE_FROM = (2, 7, 0)  # cobra v2.4.0
_COBRA_ERROR_ONLY = (2, 7, 0)  # cobra v2.4.0 returned the error through RunE
_FIRST = (2, 0, 0)


def behaviour(version: str) -> CheckPlugin:
    """How `krakend check-plugin` of CE ``version`` behaves; the newest behaviour when the
    version is empty or not a plain x.y.z (a floating tag means "latest")."""
    key = version_key(version)
    if len(key) != 3:
        key = (99, 0, 0)
    if key < _FIRST:
        return CheckPlugin(available=False)
    style = "header" if key < _COBRA_ERROR_ONLY else "cobra-error" if key == _COBRA_ERROR_ONLY else "trailer"
    return CheckPlugin(
        available=True,
        output_style=style,
        failure_exit_code=255 if key == _COBRA_ERROR_ONLY else 1,
        fix_flag=key >= _FIX_FLAG_FROM,
        semver_max=key >= _SEMVER_MAX_FROM,
        skips_short_lines=key >= _SKIP_SHORT_FROM,
        drops_last_module_diff=key < _PREPEND_FIXED_IN,
        indirect_fix_uses_replace=key >= _INDIRECT_REPLACE_FROM,
    )


def _line_pairs(lines: Iterable[str], how: CheckPlugin) -> Iterable[tuple[str, str]]:
    for number, line in enumerate(lines, 1):
        parts = line.split(" ")
        if len(parts) < 2:
            if how.skips_short_lines:
                continue
            raise CheckPluginCrashError(GO_PANIC_INDEX, number)
        yield parts[0], strip_gomod_suffix(parts[1])


def describe(gosum: GoSum, *, go: str | None = None, libc: str | None = None, how: CheckPlugin) -> Descriptor:
    """The plugin side, read from every raw go.sum line (raises CheckPluginCrashError where the real
    command crashes)."""
    deps = fold_max_versions(_line_pairs(gosum.lines, how), string_compare=not how.semver_max)
    return Descriptor(go=go, libc=libc, deps=deps)


def _prepend(diffs: list[Diff], diff: Diff, buggy: bool) -> list[Diff]:
    if not buggy:
        return [diff, *diffs]
    if not diffs:
        raise CheckPluginCrashError(GO_PANIC_PREPEND)
    return [diff, *diffs[:-1]]  # the copy into a slice one element short loses the last diff


def compare(want: Descriptor, have: Descriptor, *, how: CheckPlugin) -> list[Diff]:
    """KrakenD (``want``) against the plugin (``have``), in check-plugin's order."""
    diffs = [
        Diff(name, have.deps[name], version)
        for name, version in want.deps.items()
        if name in have.deps and have.deps[name] != version
    ]
    diffs.sort(key=lambda d: d.name)
    buggy = how.drops_last_module_diff
    if want.go is not None and have.go is not None and want.go != have.go:
        diffs = _prepend(diffs, Diff("go", have.go, want.go), buggy)
    if want.libc is not None and have.libc is not None and want.libc != have.libc:
        diffs = _prepend(diffs, Diff("libc", have.libc, want.libc), buggy)
    return diffs


def run(
    gosum: GoSum,
    reference: Mapping[str, str],
    *,
    version: str = "",
    go_want: str | None = None,
    go_have: str | None = None,
    libc_want: str | None = None,
    libc_have: str | None = None,
) -> Outcome:
    """A whole `krakend check-plugin -s go.sum [-g go_have] [-l libc_have]` run of CE ``version``
    against KrakenD's ``reference`` (module -> version, as in its build info)."""
    how = behaviour(version)
    try:
        have = describe(gosum, go=go_have, libc=libc_have, how=how)
        diffs = compare(Descriptor(go_want, libc_want, reference), have, how=how)
    except CheckPluginCrashError as crash:
        return Outcome(panic=crash.message, panic_line=crash.line)
    return Outcome(tuple(diffs))


def indirect_requirements(gomod: GoMod | None) -> frozenset[str]:
    """Modules the plugin's go.mod marks `// indirect` (what `-f` reads from go.mod)."""
    return frozenset(r.path for r in gomod.requires if r.indirect) if gomod else frozenset()


def fix_command(diff: Diff, *, indirect: frozenset[str], version: str = "") -> str:
    """The `-f` line for a module diff: `go get m@v`, or from CE 2.7.0 `go mod edit --replace
    m=m@v` when the plugin's go.mod requires the module only indirectly."""
    if diff.name in indirect and behaviour(version).indirect_fix_uses_replace:
        return f"go mod edit --replace {diff.name}={diff.name}@{diff.want}"
    return f"go get {diff.name}@{diff.want}"


# The libc string of an official binary: CE's find_glibc.sh, run in the build stage, prints
# `MUSL-<ldd's Version>` (CE 2.0.0-2.1.0) or `MUSL-<ver>_(<ID>-<VERSION_ID>)` from /etc/os-release
# (CE 2.1.2 on; glibc builds `GLIBC-<ver>_(debian-<N>)`). The musl release each Alpine branch ships
# and the glibc of each Debian release are fixed; the Alpine patch release inside the golang image
# on the day of the build is not recorded anywhere, so the Alpine part shows only x.y.
_ALPINE_MUSL = {"3.15": "1.2.2", "3.16": "1.2.3", "3.17": "1.2.3", "3.18": "1.2.4", "3.19": "1.2.4",
                "3.20": "1.2.5", "3.21": "1.2.5", "3.22": "1.2.5", "3.23": "1.2.5"}
_DEBIAN_GLIBC = {"buster": ("10", "2.28"), "bullseye": ("11", "2.31"), "bookworm": ("12", "2.36")}


def _image_suffix(image: str) -> str:
    """"alpine3.19" for golang:1.22.5-alpine3.19, "bullseye" for golang:1.22.5-bullseye."""
    tag = image.rpartition(":")[2]
    return tag.partition("-")[2]


def libc_string(release: Release, libc: str = "musl") -> str | None:
    """The libc string that release's official ``libc`` binary carries (what `-l` is compared
    with), as far as the release table tells; None when it cannot be told."""
    layout = release.check_plugin.libc_format
    with_os = layout.startswith("<LIBC>-<ver>_(")
    if not with_os and layout != "<LIBC>-<ver>":
        return None  # CE 2.1.1: the script may not have run at all
    if libc == "glibc":
        found = _DEBIAN_GLIBC.get(_image_suffix(release.glibc_build_image))
        if found is None:
            return None
        debian, glibc = found
        return f"GLIBC-{glibc}_(debian-{debian})" if with_os else f"GLIBC-{glibc}"
    alpine = _image_suffix(release.docker_build_image).removeprefix("alpine")
    musl = _ALPINE_MUSL.get(alpine)
    if musl is None:
        return None
    return f"MUSL-{musl}_(alpine-{alpine})" if with_os else f"MUSL-{musl}"
