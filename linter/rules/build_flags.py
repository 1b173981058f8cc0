"""Plugin builds must not use flags or paths that KrakenD's own build does not use.

## Why
Go identifies every package the plugin shares with KrakenD (the standard library, shared
modules) by a hash of how it was compiled. KrakenD's release build (`make build` in its builder
image) uses no `-trimpath`, `-race`, `-msan`, `-asan`, build tags or `-gcflags=all=...`, and
compiles modules from `/go/pkg/mod` with `GOPATH=/go`. A plugin built differently recompiles
those packages differently, and loading fails with `plugin was built with a different version of
package ...` even though every version matches (krakend-ce#788, golang/go#63230, #68349: file
paths are part of package identity, so `-trimpath` and a custom `GOMODCACHE`/`GOPATH` matter).
`-gcflags` without a pattern only touches the plugin's own package and is allowed. A KrakenD
built from krakend-ce source in the same Dockerfile shares the plugin's `GOPATH` and module cache,
so those are not reported there. Go installed by hand in a plain OS image (ubuntu, debian,
alpine) has no GOPATH set and uses `$HOME/go`: that is reported too, for a plugin that compiles
modules (the standard library is compiled from GOROOT either way).

## Fails
```sh
go build -buildmode=plugin -trimpath -o my-plugin.so .
```

## Passes
```sh
go build -buildmode=plugin -o my-plugin.so .
```

## How to fix
Drop the flag (or variable) from the plugin build; keep debug builds (`-gcflags='all=-N -l'`)
for local debugging only.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.analysis.build import BuildSite, plugin_builds, remove_span
from linter.inputs.shell import GoFlag
from linter.inputs.shell.gocmd import flag_pattern
from linter.inputs.workspace import Workspace
from linter.model import Finding, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP604", "build-flags", "plugin builds must not use flags KrakenD's build does not use",
                Severity.ERROR)
# Build tags only change packages that have files for them (an unused tag loads fine), so they
# are a warning, except the tags the standard library itself reads (netgo changes package net:
# refused in the loader oracle); every other flag here stopped the plugin loading there.
_STD_TAGS = frozenset({"netgo", "netcgo", "osusergo", "timetzdata", "math_big_pure_go", "purego", "faketime",
                       "nethttpomithttp2", "boringcrypto"})

_BOOL_FLAGS = {"trimpath": "rewrites file paths", "race": "instruments every package",
               "msan": "instruments every package", "asan": "instruments every package",
               "linkshared": "links against shared Go libraries"}
_DEFAULT_PATHS = {"GOPATH": ("/go",), "GOMODCACHE": ("/go/pkg/mod",)}


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    seen: set[tuple[Location, str]] = set()
    # A KrakenD binary built with -trimpath (its build info says so) needs plugins built with it too.
    host_trimpath = ctx.target.build_flag("-trimpath") == "true"
    # where the module cache lives matters only to a plugin that compiles modules
    modules = any(p.gomod is None or p.gomod.requires for p in ws.plugins) or not ws.plugins
    for site in plugin_builds(ws):
        trimmed = host_trimpath and any(f.name == "trimpath" and f.value not in ("false", "0")
                                        for f in site.build.flags)
        # With -trimpath on both sides no file path is recorded, so where modules live no longer matters;
        # a KrakenD built from source in the same Dockerfile shares the plugin's GOPATH and module cache.
        same_paths = trimmed or (site.path == ctx.target.host_build_path)
        for finding in (*_flags(site, host_trimpath), *(() if same_paths else _paths(site, modules))):
            key = (finding.location, finding.message)
            if key not in seen:
                seen.add(key)
                yield finding


def _flags(site: BuildSite, host_trimpath: bool) -> Iterator[Finding]:
    for flag in site.build.flags:
        if host_trimpath and flag.name == "trimpath":
            continue
        reason = _reason(flag)
        if not reason:
            continue
        written = f"-{flag.name}" + (f"={flag.value}" if flag.has_value else "")
        where = " (from GOFLAGS)" if flag.source == "GOFLAGS" else ""
        yield RULE.finding(
            flag.location,
            f"{written}{where} {reason}, unlike KrakenD's own build; shared packages will not match",
            hint=f"remove {written} from the plugin build",
            fix=remove_span(site.lines, flag.location) if flag.source == "command" else None,
            severity=Severity.WARNING if flag.name == "tags" and not _std_tags(flag.value) else None,
        )


def _std_tags(value: str) -> bool:
    return any(tag.strip() in _STD_TAGS for tag in value.replace(",", " ").split())


def _home_gopath(site: BuildSite) -> Iterator[Finding]:
    """Go installed by hand in a plain OS image (a tarball in ubuntu, apk's go in alpine) has no
    GOPATH set, so it uses $HOME/go: the module cache is /root/go/pkg/mod, not KrakenD's /go/pkg/mod."""
    if site.image is None or site.image.role != "os" or site.build.container:
        return
    if site.env("GOPATH") is not None or site.env("GOMODCACHE") is not None:
        return  # an explicit value is judged below
    home = site.env("HOME") or "/root"
    yield RULE.finding(
        site.build.location,
        f"Go in {site.image.ref.raw} has no GOPATH set, so it uses $HOME/go ({home}/go) and compiles modules from "
        f"{home}/go/pkg/mod; KrakenD builds with GOPATH=/go, so shared packages will not match",
        hint="build in krakend/builder:<version> (or a golang image), or set ENV GOPATH=/go before the build",
        key=f"{site.path} home gopath",
    )


def _reason(flag: GoFlag) -> str:
    if flag.name in _BOOL_FLAGS and flag.value not in ("false", "0"):
        return _BOOL_FLAGS[flag.name]
    if flag.name in ("gcflags", "asmflags") and flag_pattern(flag.value):
        return f"recompiles the packages matching {flag_pattern(flag.value)!r}"
    if flag.name == "tags" and flag.value.strip():
        return "selects other files of shared packages"
    return ""


def _paths(site: BuildSite, modules: bool) -> Iterator[Finding]:
    if modules:
        yield from _home_gopath(site)
    for name, defaults in _DEFAULT_PATHS.items():
        var = site.build.getenv(name)
        value = site.env(name)
        if var is None or value is None or value.rstrip("/") in defaults:
            continue
        if name == "GOMODCACHE" and value.rstrip("/") == f"{site.env('GOPATH') or '/go'}/pkg/mod" \
                and (site.env("GOPATH") or "/go") == "/go":
            continue
        yield RULE.finding(
            var.location,
            f"{name}={value} ({var.origin}) changes the file paths of compiled packages; KrakenD builds with "
            f"{name}={defaults[0]}",
            hint=f"remove {name} (the golang and krakend/builder images use {defaults[0]})",
        )
