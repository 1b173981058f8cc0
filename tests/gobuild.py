"""Cached real Go builds from a tree of files given as a dict, for tests and benchmarks.

``build_tree(name, version, files, steps)`` writes ``files`` to a temporary folder, serves its
``modules/<module>@<version>/`` folders as a ``file://`` GOPROXY (the same layout and helper as
``tests/inputs/test_gobinary.py``), runs one ``go build`` per ``Step`` with that toolchain and
keeps the outputs under ``.cache/test-builds/<name>/<go>/<hash of files and steps>/``. A warm run
starts no compiler; a changed recipe lands in a new folder and older ones are removed.

``run_host`` runs a built host program on plugins and returns one line per plugin (or the crash).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests import gotoolchain
from tests.inputs.test_gobinary import fixture_files, run_go, write_proxy

BUILDS = gotoolchain.REPO / ".cache" / "test-builds"
RECIPE_VERSION = "1"  # bump to rebuild every cached output


@dataclass(frozen=True)
class Step:
    """One `go build`: run in ``folder`` of the tree, write ``output`` into the output folder."""

    output: str
    folder: str
    args: tuple[str, ...] = ()
    package: str = "."
    env: tuple[tuple[str, str], ...] = ()


def recipe_key(version: str, files: Mapping[str, bytes], steps: Sequence[Step]) -> str:
    digest = hashlib.sha256(f"{RECIPE_VERSION}\0{version}\0".encode())
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    for step in steps:
        digest.update(repr(step).encode())
    return digest.hexdigest()[:20]


def build_tree(name: str, version: str, files: Mapping[str, bytes], steps: Sequence[Step],
               builds: Path = BUILDS) -> Path:
    """The folder holding every step's output for this toolchain, built when missing."""
    out = builds / name / version / recipe_key(version, files, steps)
    if (out / "done").is_file():
        return out
    go = gotoolchain.ensure_go(version)
    work = Path(tempfile.mkdtemp(prefix=f"kpl-{name}-{version}-"))
    staging = out.with_name(f".{out.name}.{os.getpid()}")
    try:
        src = work / "src"
        for rel, data in files.items():
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            (src / rel).write_bytes(data)
        (src / "modules").mkdir(exist_ok=True)
        write_proxy(src / "modules", work / "proxy")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for step in steps:
            env = gotoolchain.go_env(version, work, work / "proxy", GOFLAGS="-mod=mod -buildvcs=false -modcacherw",
                                     **dict(step.env))
            run_go(go, ["build", *step.args, "-o", str(staging / step.output), step.package], src / step.folder, env)
        gotoolchain.publish_build(staging, out, version)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
    return out


def have_go(version: str) -> bool:
    return gotoolchain.go_binary(version) is not None


# ---------------------------------------------------------------------------------------------
# The load-verdict recipe: the gobinary fixtures plus variants of the plugin and a host that opens
# several plugins in one process, the way KrakenD opens every .so of its plugin folder.

MULTI_HOST = b"""// Opens every plugin named on the command line in one process, in order, as KrakenD opens the
// files of its plugin folder, and prints one line per plugin: "loaded <symbols>", "no-registerer"
// or "error: <the loader's error>".
package main

import (
\t"os"
\t"plugin"
\t"strings"

\t"example.com/kpl/util"
)

var registerers = []string{"HandlerRegisterer", "ClientRegisterer", "ModifierRegisterer", "MiddlewareRegisterer"}

func main() {
\tif len(os.Args) < 2 {
\t\tos.Stdout.WriteString(util.Name + "\\n")
\t\treturn
\t}
\tfor _, path := range os.Args[1:] {
\t\topened, err := plugin.Open(path)
\t\tif err != nil {
\t\t\tos.Stdout.WriteString("error: " + err.Error() + "\\n")
\t\t\tcontinue
\t\t}
\t\tvar found []string
\t\tfor _, name := range registerers {
\t\t\tif _, err := opened.Lookup(name); err == nil {
\t\t\t\tfound = append(found, name)
\t\t\t}
\t\t}
\t\tif len(found) == 0 {
\t\t\tos.Stdout.WriteString("no-registerer\\n")
\t\t\tcontinue
\t\t}
\t\tos.Stdout.WriteString("loaded " + strings.Join(found, ",") + "\\n")
\t}
}
"""

UTIL_V4 = b"""package util

// Name is the package's name.
const Name = "util"

// Twice doubles n, now through a helper.
func Twice(n int) int { return add(n, n) }

func add(a, b int) int { return a + b }
"""

PLUGIN_UTIL4_GOMOD = b"""module example.com/kpl/my.plugin

go 1.22

require (
\texample.com/kpl/greet v1.1.0
\texample.com/kpl/local v0.0.0
\texample.com/kpl/util v0.4.0
)

replace example.com/kpl/greet v1.1.0 => example.com/kpl/fork v1.2.0

replace example.com/kpl/local => ../local
"""

TWIN_GOMOD = b"""module example.com/kpl/my.plugin

go 1.22

require example.com/kpl/util v0.3.0
"""

TWIN_MAIN = b"""// Another plugin that declares the same module path as plugin/.
package main

import "example.com/kpl/util"

type registerer string

// ModifierRegisterer is the symbol a modifier plugin exports.
var ModifierRegisterer = registerer("kpl-twin")

// RegisterModifiers registers nothing that matters here.
func (r registerer) RegisterModifiers(register func(string, func(map[string]interface{}) func(interface{}) (interface{}, error), bool, bool)) {
\t_ = util.Twice(1)
}

func main() {}
"""

NO_REGISTERER_MAIN = b"""// A plugin that exports a function but no registerer.
package main

import "example.com/kpl/util"

// Version is exported, but KrakenD looks up registerers only.
func Version() string { return util.Name }

func main() {}
"""


def verdict_files() -> dict[str, bytes]:
    files = dict(fixture_files())
    plugin_main = files["plugin/main.go"]
    files.update({
        "host/cmd/multi/main.go": MULTI_HOST,
        "modules/example.com/kpl/util@v0.4.0/go.mod": b"module example.com/kpl/util\n\ngo 1.22\n",
        "modules/example.com/kpl/util@v0.4.0/util.go": UTIL_V4,
        "plugin-util4/go.mod": PLUGIN_UTIL4_GOMOD,
        "plugin-util4/main.go": plugin_main,
        "twin/go.mod": TWIN_GOMOD,
        "twin/main.go": TWIN_MAIN,
        "bare/go.mod": TWIN_GOMOD.replace(b"my.plugin", b"bare"),
        "bare/main.go": NO_REGISTERER_MAIN,
    })
    return files


PLUGIN = ("-buildmode=plugin",)
VERDICT_STEPS = (
    Step("host", "host", package="./cmd/multi"),
    Step("plugin.so", "plugin", PLUGIN),
    Step("plugin-trimpath.so", "plugin", (*PLUGIN, "-trimpath")),
    Step("plugin-util4.so", "plugin-util4", PLUGIN),
    Step("twin.so", "twin", PLUGIN),
    Step("bare.so", "bare", PLUGIN),
)
PLUGIN_ONLY = (Step("plugin.so", "plugin", PLUGIN),)


def verdict_build(version: str) -> Path:
    """The host and every plugin variant for the first toolchain; the plain plugin for the others."""
    steps = VERDICT_STEPS if version == gotoolchain.CI_VERSIONS[0] else PLUGIN_ONLY
    return build_tree("verdict", version, verdict_files(), steps)


def run_host(host: Path, plugins: Sequence[Path], timeout: float = 60) -> tuple[int, list[str]]:
    """Run ``host`` on ``plugins``: its exit code and its output lines (a crash's text included)."""
    done = subprocess.run([str(host), *map(str, plugins)], capture_output=True, text=True, timeout=timeout,
                          check=False)
    return done.returncode, (done.stdout + done.stderr).splitlines()


def verdict_outputs(version: str = gotoolchain.CI_VERSIONS[0]) -> Path:
    """``verdict_build`` for tests: skips the test when the toolchain is not installed."""
    import pytest

    if not have_go(version):
        pytest.skip(f"Go {version} not installed")
    return verdict_build(version)


def plugin_repo(root: Path, so: Path, *, gomod: str = "plugin/go.mod", host: Path | None = None) -> dict[str, str]:
    """A one-plugin repo in ``root``: the fixture plugin's sources, ``so`` copied to ``my.so`` and
    the verdict host copied to ``krakend``. Returns the text files for ``lint_files``."""
    files = verdict_files()
    shutil.copyfile(so, root / "my.so")
    shutil.copyfile(host or verdict_outputs() / "host", root / "krakend")
    return {"go.mod": files[gomod].decode(), "main.go": files["plugin/main.go"].decode()}
