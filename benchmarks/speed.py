"""How fast the linter is, measured in one run and printed as ratios so machine noise cancels.

Usage::

    python -m benchmarks.speed [--runs 5] [--skip-large] [--large-packages 60]

1. A typical plugin repo: one handler plugin whose go.mod requires KrakenD 2.7.0's modules and whose
   go.sum holds their lines from KrakenD's real go.sum (~300 lines), a gateway config of 50
   endpoints and a builder/runtime Dockerfile. Warm (one untimed run first), offline, reference
   from KrakenD's go.mod/go.sum: the wall time of ``python -m linter check`` and its time above a
   bare ``python -c pass``. Every timing is the fastest of ``--runs`` interleaved runs.
2. Scaling at 1x, 10x and 100x of one dimension at a time (plugins in a monorepo, endpoints in the
   config, go.sum lines), timed in-process through ``linter.cli.main`` (so interpreter start-up
   and imports, measured in 1, do not dilute the ratio). A ratio near 10 and 100 is linear; the
   work that does not grow with the dimension keeps it below.
3. Imports of the CLI path: ``python -X importtime -c "import linter.cli"`` and a process that
   runs a whole check in-process with no GitHub channel, which must not import PyGithub.
4. The exact verdict on a large binary: a generated Go program that imports ``plugin``, most of
   the standard library and generated packages (cached under ``.cache/bench/``), and a plugin
   sharing packages with it: time to read both and to judge.

Exits 0 and prints a table; exits 1 only when PyGithub was imported on the non-GitHub path.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from tests import gotoolchain
from tests.fakegithub.openapi import shared_dir
from tests.gobuild import Step, build_tree

REPO = gotoolchain.REPO
BENCH_CACHE = REPO / ".cache" / "bench"
KRAKEND = "2.7.0"
GOSUM_TARGET = 300  # lines of the typical plugin's go.sum
FACTORS = (1, 10, 100)

# ---------------------------------------------------------------------------------------------
# The typical repo, and scaled versions of it

PLUGIN_MAIN = """// A KrakenD HTTP server plugin (handler) named {name}.
package main

import (
\t"context"
\t"errors"
\t"fmt"
\t"net/http"
)

var pluginName = "{name}"

// HandlerRegisterer is the symbol KrakenD looks up.
var HandlerRegisterer = registerer(pluginName)

type registerer string

func (r registerer) RegisterHandlers(f func(
\tname string,
\thandler func(context.Context, map[string]interface{{}}, http.Handler) (http.Handler, error),
)) {{
\tf(string(r), r.registerHandlers)
}}

func (r registerer) registerHandlers(
	_ context.Context, extra map[string]interface{{}}, h http.Handler,
) (http.Handler, error) {{
\tconfig, ok := extra[pluginName].(map[string]interface{{}})
\tif !ok {{
\t\treturn h, errors.New("configuration not found")
\t}}
\tpath, _ := config["path"].(string)
\treturn http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {{
\t\tif req.URL.Path == path {{
\t\t\tfmt.Fprintf(w, "hello from %s", pluginName)
\t\t\treturn
\t\t}}
\t\th.ServeHTTP(w, req)
\t}}), nil
}}

func main() {{}}
"""


@dataclass(frozen=True)
class Shape:
    plugins: int = 1
    endpoints: int = 50
    gosum_factor: int = 1


def krakend_files() -> tuple[Path, Path]:
    folder = shared_dir() / "krakend" / f"v{KRAKEND}"
    gomod, gosum = folder / "go.mod", folder / "go.sum"
    if not gomod.is_file() or not gosum.is_file():
        raise SystemExit(f"{folder} is missing: the benchmark uses KrakenD {KRAKEND}'s real go.mod/go.sum")
    return gomod, gosum


def krakend_requires(gomod: Path) -> list[tuple[str, str]]:
    """(module, version) of every require line of KrakenD's go.mod, in file order."""
    from linter.inputs.gomod import parse_gomod

    parsed = parse_gomod(gomod.read_bytes(), "go.mod")
    return [(req.path, req.version) for req in parsed.requires]


def plugin_modules(gomod: Path, gosum: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """KrakenD's requires, in order, until their go.sum lines reach ``GOSUM_TARGET``."""
    by_module: dict[str, list[str]] = {}
    for line in gosum.read_text().splitlines():
        if line.strip():
            by_module.setdefault(line.split()[0], []).append(line)
    chosen: list[tuple[str, str]] = []
    lines: list[str] = []
    for module, version in krakend_requires(gomod):
        if len(lines) >= GOSUM_TARGET:
            break
        if module in by_module:
            chosen.append((module, version))
            lines.extend(by_module[module])
    return chosen, lines


def scaled_gosum(lines: list[str], factor: int) -> str:
    """The real lines plus (factor - 1) times as many lines of older versions of the same modules
    (what a long-lived go.sum accumulates), so the highest versions stay KrakenD's."""
    extra = []
    for index in range(len(lines) * (factor - 1)):
        module = lines[index % len(lines)].split()[0]
        suffix = "/go.mod" if index % 2 else ""
        extra.append(f"{module} v0.0.{index}{suffix} h1:{index:043d}=")
    return "\n".join([*lines, *extra]) + "\n"


def gomod_text(module: str, requires: list[tuple[str, str]]) -> str:
    body = "".join(f"\t{path} {version}\n" for path, version in requires)
    return f"module {module}\n\ngo 1.22\n\nrequire (\n{body})\n"


def gateway_config(names: list[str], endpoints: int) -> str:
    server = {"name": names, **{name: {"path": f"/{name}"} for name in names}}
    config = {
        "version": 3,
        "plugin": {"pattern": ".so", "folder": "/opt/krakend/plugins/"},
        "extra_config": {"plugin/http-server": server},
        "endpoints": [
            {"endpoint": f"/api/v1/resource{i}/{{id}}", "method": "GET" if i % 3 else "POST",
             "backend": [{"url_pattern": f"/resource{i}/{{id}}", "host": ["http://backend:8080"],
                          "encoding": "json"}]}
            for i in range(endpoints)
        ],
    }
    return json.dumps(config, indent=2) + "\n"


def dockerfile(folders: list[str]) -> str:
    builds = "".join(f"RUN cd {f} && go build -buildmode=plugin -o /out/{Path(f).name}.so .\n" for f in folders)
    return (f"FROM krakend/builder:{KRAKEND} AS builder\nWORKDIR /app\nCOPY . .\n{builds}\n"
            f"FROM krakend:{KRAKEND}\nCOPY --from=builder /out/ /opt/krakend/plugins/\n"
            "COPY krakend.json /etc/krakend/krakend.json\n")


def make_repo(root: Path, shape: Shape) -> Path:
    gomod, gosum = krakend_files()
    requires, sum_lines = plugin_modules(gomod, gosum)
    shutil.rmtree(root, ignore_errors=True)
    folders = ["."] if shape.plugins == 1 else [f"plugins/p{i:03d}" for i in range(shape.plugins)]
    names = []
    for index, folder in enumerate(folders):
        name = "my-plugin" if shape.plugins == 1 else f"my-plugin-{index:03d}"
        names.append(name)
        where = root / folder
        where.mkdir(parents=True, exist_ok=True)
        module = "github.com/acme/krakend-my-plugin" + ("" if shape.plugins == 1 else f"/p{index:03d}")
        (where / "go.mod").write_text(gomod_text(module, requires))
        (where / "go.sum").write_text(scaled_gosum(sum_lines, shape.gosum_factor))
        (where / "main.go").write_text(PLUGIN_MAIN.format(name=name))
    (root / "krakend.json").write_text(gateway_config(names, shape.endpoints))
    (root / "Dockerfile").write_text(dockerfile(folders))
    return root


def check_args(repo: Path) -> list[str]:
    gomod, gosum = krakend_files()
    return ["check", str(repo), "--offline", "--no-color", "--krakend-version", KRAKEND,
            "--krakend-go-mod", str(gomod), "--krakend-go-sum", str(gosum),
            "--cache-dir", str(repo.parent / "cache"), "--fail-on", "never"]


# ---------------------------------------------------------------------------------------------
# Timing


def quiet_env() -> dict[str, str]:
    """This environment without GitHub Actions' variables, so no GitHub channel is chosen."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_", "RUNNER_"))}


def best_seconds(actions: Sequence[Callable[[], object]], runs: int) -> list[float]:
    """The fastest of ``runs`` timings of each action, taken in interleaved rounds (A B A B ...).

    Other work on the machine only ever adds time, so the minimum is the best estimate of an
    action's own cost, and interleaving exposes every action to the same background load.
    """
    best = [float("inf")] * len(actions)
    for _ in range(runs):
        for index, action in enumerate(actions):
            start = time.perf_counter()
            action()
            best[index] = min(best[index], time.perf_counter() - start)
    return best


def run_process(argv: Sequence[str], cwd: Path) -> None:
    subprocess.run(argv, cwd=cwd, env=quiet_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)


def in_process_check(repo: Path) -> int:
    from linter.cli import main

    with contextlib.redirect_stdout(io.StringIO()):
        return main(check_args(repo))


def typical(work: Path, runs: int) -> dict[str, float]:
    repo = make_repo(work / "typical" / "repo", Shape())
    argv = [sys.executable, "-m", "linter", *check_args(repo)]
    run_process(argv, REPO)  # warm: byte code, the parsers' first use
    bare, total = best_seconds([partial(run_process, [sys.executable, "-c", "pass"], REPO),
                                partial(run_process, argv, REPO)], runs)
    lines = len((repo / "go.sum").read_text().splitlines())
    return {"bare": bare, "total": total, "gosum_lines": lines}


def scaling(work: Path, runs: int) -> dict[str, dict[int, float]]:
    results: dict[str, dict[int, float]] = {}
    shapes: dict[str, Callable[[int], Shape]] = {
        "plugins": lambda f: Shape(plugins=f),
        "endpoints": lambda f: Shape(endpoints=50 * f),
        "go.sum lines": lambda f: Shape(gosum_factor=f),
    }
    for label, shape_of in shapes.items():
        repos = [make_repo(work / "scale" / f"{factor}x" / "repo", shape_of(factor)) for factor in FACTORS]
        for repo in repos:
            in_process_check(repo)  # warm
        times = best_seconds([partial(in_process_check, repo) for repo in repos], runs)
        results[label] = dict(zip(FACTORS, times, strict=True))
        for repo in repos:
            shutil.rmtree(repo.parent, ignore_errors=True)
    return results


IMPORT_PROBE = """
import contextlib, io, json, sys, time
start = time.perf_counter()
import linter.cli
imported = time.perf_counter() - start
with contextlib.redirect_stdout(io.StringIO()):
    linter.cli.main(json.loads(sys.argv[1]))
print(json.dumps({"import": imported, "github": "github" in sys.modules, "modules": len(sys.modules)}))
"""


@dataclass(frozen=True)
class ImportFacts:
    import_wall: float  # seconds to import linter.cli, measured in the probe process
    github: bool  # PyGithub was imported by a whole check without GitHub channels
    modules: int  # modules loaded after that check
    importtime: float  # seconds, -X importtime's cumulative figure for linter.cli
    heaviest: tuple[tuple[float, str], ...]  # (seconds, module) imported directly by linter.cli


def imports(work: Path) -> ImportFacts:
    repo = make_repo(work / "imports" / "repo", Shape())
    probe = subprocess.run([sys.executable, "-c", IMPORT_PROBE, json.dumps(check_args(repo))], cwd=REPO,
                           env=quiet_env(), capture_output=True, text=True, check=True)
    found = json.loads(probe.stdout.strip().splitlines()[-1])
    timing = subprocess.run([sys.executable, "-X", "importtime", "-c", "import linter.cli"], cwd=REPO,
                            env=quiet_env(), capture_output=True, text=True, check=True)
    cumulative, children = 0, []
    for line in timing.stderr.splitlines():
        columns = line.removeprefix("import time:").split("|")
        if len(columns) != 3 or not columns[1].strip().isdigit():
            continue
        name, micros = columns[2], int(columns[1])
        if name == " linter.cli":  # level 0: what `import linter.cli` cost, its imports included
            cumulative = micros
        elif name.startswith("   ") and not name.startswith("    "):  # level 1: imported by it
            children.append((micros / 1e6, name.strip()))
    return ImportFacts(float(found["import"]), bool(found["github"]), int(found["modules"]), cumulative / 1e6,
                       tuple(sorted(children, reverse=True)[:3]))


# ---------------------------------------------------------------------------------------------
# A large KrakenD-like binary


GENERATED_FUNC = """
// F{f} filters and counts items.
func F{f}(items []Item, key string) (map[string]int, error) {{
\tres := make(map[string]int, len(items))
\tfor i, it := range items {{
\t\tif strings.HasPrefix(it.Name, key) {{
\t\t\tres[it.Name+"-{p}-{f}"] += it.Score*{f1} + i
\t\t}} else if len(it.Tags) > {f7} {{
\t\t\tsort.Strings(it.Tags)
\t\t\tres[strings.Join(it.Tags, ",")] = len(it.Tags) ^ {p}
\t\t}}
\t}}
\tif len(res) == {f} {{
\t\treturn nil, fmt.Errorf("p{p}.F{f}: unexpected size %d for %q", len(res), key)
\t}}
\treturn res, nil
}}

// T{f} is a small record.
type T{f} struct {{
\tA, B int
\tS    string
}}

// M renders the record.
func (t *T{f}) M(x int) string {{ return fmt.Sprintf("%d-%s-%d", t.A*x+{f}, t.S, t.B) }}
"""
FUNCS_PER_PACKAGE = 200
EXCLUDED_STD = ("internal", "vendor", "cmd/", "syscall/js", "wasm", "runtime/race", "runtime/msan", "runtime/asan",
                "testing/fstest")


def std_packages(version: str) -> list[str]:
    go = gotoolchain.ensure_go(version)
    env = gotoolchain.go_env(version, Path(tempfile.gettempdir()))
    listed = subprocess.run([str(go), "list", "std"], env=env, capture_output=True, text=True, check=True).stdout
    return [p for p in listed.split() if not any(part in p for part in EXCLUDED_STD) and not p.startswith("cmd")]


def generated_package(index: int) -> bytes:
    name = f"p{index:03d}"
    body = "".join(GENERATED_FUNC.format(p=index, f=f, f1=f + 1, f7=f % 7) for f in range(FUNCS_PER_PACKAGE))
    everything = ", ".join(f"F{f}, (*T{f}).M" for f in range(FUNCS_PER_PACKAGE))
    text = (f"// Package {name} is generated code that gives the benchmark binary its size.\npackage {name}\n\n"
            'import (\n\t"fmt"\n\t"sort"\n\t"strings"\n)\n\n'
            "// Item is what the functions work on.\n"
            "type Item struct {\n\tName  string\n\tScore int\n\tTags  []string\n}\n"
            f"{body}\n// All keeps every function linked.\nvar All = []any{{{everything}}}\n")
    return text.encode()


def large_files(version: str, packages: int) -> dict[str, bytes]:
    std = std_packages(version)
    gen = [f"p{i:03d}" for i in range(packages)]
    imports_ = "".join(f'\t_ "{p}"\n' for p in std) + "".join(f'\t"example.com/big/gen/{p}"\n' for p in gen)
    keep = "".join(f"\tsink = append(sink, {p}.All...)\n" for p in gen)
    host = f"package main\n\nimport (\n{imports_})\n\nvar sink []any\n\nfunc main() {{\n{keep}}}\n"
    shared = gen[: min(10, len(gen))]
    plugin_imports = "".join(f'\t"example.com/big/gen/{p}"\n' for p in shared)
    plugin = ("package main\n\nimport (\n\t\"encoding/json\"\n\t\"net/http\"\n" + plugin_imports + ")\n\n"
              "type registerer string\n\n// HandlerRegisterer is the symbol KrakenD looks up.\n"
              "var HandlerRegisterer = registerer(\"big\")\n\n"
              "func (r registerer) Count() int {\n\t_, _ = json.Marshal(http.StatusOK)\n\treturn "
              + " + ".join(f"len({p}.All)" for p in shared) + "\n}\n\nfunc main() {}\n")
    files = {"go.mod": b"module example.com/big\n\ngo 1.22\n", "main.go": host.encode(),
             "plugin/main.go": plugin.encode()}
    for index in range(packages):
        files[f"gen/p{index:03d}/p.go"] = generated_package(index)
    return files


@dataclass(frozen=True)
class LargeFacts:
    size_mb: float
    plugin_mb: float
    packages: int  # link hashes in the host
    shared: int
    will_load: bool
    read_host: float
    read_plugin: float
    judge: float
    build: float  # seconds spent building (or finding the cached build)


def large_binary(version: str, packages: int) -> LargeFacts:
    from linter.inputs.gobinary import open_go_binary
    from linter.krakend.verdict import judge

    started = time.perf_counter()
    out = build_tree("large-host", version, large_files(version, packages),
                     (Step("krakend-large", "."), Step("plugin.so", ".", ("-buildmode=plugin",), "./plugin")),
                     builds=BENCH_CACHE)
    built = time.perf_counter() - started
    host_path, plugin_path = out / "krakend-large", out / "plugin.so"
    open_go_binary(host_path, "krakend-large")  # warm the page cache: the benchmark is about parsing
    read_host, read_plugin = best_seconds([partial(open_go_binary, host_path, "krakend-large"),
                                           partial(open_go_binary, plugin_path, "plugin.so")], 5)
    host, plugin = open_go_binary(host_path, "krakend-large"), open_go_binary(plugin_path, "plugin.so")
    verdict = judge(plugin, host)
    return LargeFacts(
        size_mb=host_path.stat().st_size / 2**20, plugin_mb=plugin_path.stat().st_size / 2**20,
        packages=len(host.package_hashes), shared=verdict.shared, will_load=verdict.will_load,
        read_host=read_host, read_plugin=read_plugin, judge=best_seconds([partial(judge, plugin, host)], 5)[0],
        build=built,
    )


# ---------------------------------------------------------------------------------------------
# Report


def ms(seconds: float) -> str:
    if seconds < 0.001:
        return f"{seconds * 1e6:8.1f} us"
    return f"{seconds * 1000:8.1f} ms"


def table(rows: list[tuple[str, str]]) -> str:
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label.ljust(width)}  {value}" for label, value in rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement (the fastest counts)")
    parser.add_argument("--skip-large", action="store_true", help="skip the large binary (needs Go)")
    parser.add_argument("--large-packages", type=int, default=60, help="generated packages in the large binary")
    parser.add_argument("--go", default=gotoolchain.CI_VERSIONS[0], help="Go release for the large binary")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="kpl-speed-"))
    try:
        rows: list[tuple[str, str]] = []
        base = typical(work, args.runs)
        rows += [
            (f"typical repo ({int(base['gosum_lines'])} go.sum lines, 50 endpoints)", ""),
            ("  python -c pass", ms(base["bare"])),
            ("  python -m linter check", ms(base["total"])),
            ("  check above interpreter start", f"{ms(base['total'] - base['bare'])}  "
                                                f"({base['total'] / base['bare']:.1f}x a bare start)"),
        ]
        for label, times in scaling(work, args.runs).items():
            one = times[1]
            ratios = "  ".join(f"{f}x: {times[f] / one:6.1f}" for f in FACTORS[1:])
            # Linear growth means each added 1x costs the same at 10x as at 100x.
            marginal = " / ".join(f"{(times[f] - one) / (f - 1) * 1000:.1f}" for f in FACTORS[1:])
            rows.append((f"scaling {label} (in-process, 1x = {one * 1000:.0f} ms)",
                         f"{ratios}   each added 1x: {marginal} ms"))
        found = imports(work)
        heaviest = ", ".join(f"{name} {seconds * 1000:.0f} ms" for seconds, name in found.heaviest)
        rows += [
            ("import linter.cli (-X importtime)", f"{ms(found.importtime)}  (heaviest: {heaviest})"),
            ("import linter.cli (wall, in the probe)", ms(found.import_wall)),
            ("PyGithub imported by a check without GitHub", "yes (FAIL)" if found.github else "no"),
            ("modules loaded after that check", str(found.modules)),
        ]
        if not args.skip_large and gotoolchain.go_binary(args.go) is not None:
            large = large_binary(args.go, args.large_packages)
            rows += [
                (f"large binary ({large.size_mb:.0f} MB, {large.packages} packages; plugin {large.plugin_mb:.0f} MB)",
                 f"built or found in {large.build:.0f} s"),
                ("  read KrakenD-like binary", ms(large.read_host)),
                ("  read plugin", ms(large.read_plugin)),
                (f"  judge ({large.shared} shared packages, will load: {large.will_load})", ms(large.judge)),
            ]
        else:
            rows.append(("large binary", "skipped (no Go toolchain or --skip-large)"))
        print(table(rows))
        return 1 if found.github else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
