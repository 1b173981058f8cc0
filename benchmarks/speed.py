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

5. Start-up where users wait: ``check`` of the bundled example plugin, ``rules`` and ``explain``
   against a bare ``python -c pass``, the median of ``--startup-runs`` interleaved runs of each.
   Run with byte code cached (under the work folder), as an installed package has it, even when
   the environment sets PYTHONDONTWRITEBYTECODE. Each line also gives the median CPU time above
   the bare start, which other work on a busy machine disturbs much less than the wall time.
6. ``matrix`` of the example over every known release with a cold (empty) cache and the embedded
   reference data, median of the same runs.
7. Large inputs, each in a fresh process: a YAML gateway config at 1/100, 1/10 and all of 4 MiB
   (wall and CPU seconds), and Go source at 1/100, 1/10 and all of 16 MiB (seconds and the peak
   memory the parse added, as a multiple of the input's size), next to the peak of tree-sitter's
   tree of the whole 16 MiB parsed at once (what parsing it in pieces avoids).

Exits 0 and prints a table; exits 1 only when PyGithub was imported on the non-GitHub path.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import shutil
import statistics
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
# Start-up of the bundled example, matrix, and large inputs


def bytecode_env(work: Path) -> dict[str, str]:
    """quiet_env with byte code written and read under ``work`` (an installed package has it)."""
    env = {k: v for k, v in quiet_env().items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    return env


def children_cpu() -> float:
    """CPU seconds (user and system) of the finished child processes so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def median_seconds(argvs: dict[str, list[str]], runs: int, env: dict[str, str],
                   before: Callable[[str], None] | None = None) -> dict[str, float]:
    """The median wall time of each command over ``runs`` interleaved rounds, and as ``<name> cpu``
    its median CPU time: on a machine other work keeps busy, CPU time varies much less than wall."""
    times: dict[str, list[float]] = {name: [] for name in argvs}
    cpu: dict[str, list[float]] = {name: [] for name in argvs}
    for _ in range(runs):
        for name, argv in argvs.items():
            if before is not None:
                before(name)
            start, start_cpu = time.perf_counter(), children_cpu()
            subprocess.run(argv, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            times[name].append(time.perf_counter() - start)
            cpu[name].append(children_cpu() - start_cpu)
    return {**{name: statistics.median(found) for name, found in times.items()},
            **{f"{name} cpu": statistics.median(found) for name, found in cpu.items()}}


def startup(work: Path, runs: int) -> dict[str, float]:
    env = bytecode_env(work)
    example = str(REPO / "examples" / "plugin")
    cold = work / "matrix-cache"
    lint = [sys.executable, "-m", "linter"]
    argvs = {
        "bare": [sys.executable, "-c", "pass"],
        "check": [*lint, "check", example, "--offline", "--no-color", "--fail-on", "never",
                  "--cache-dir", str(work / "check-cache")],
        "rules": [*lint, "rules"],
        "explain": [*lint, "explain", "KP101"],
        "matrix": [*lint, "matrix", example, "--offline", "--cache-dir", str(cold)],
    }
    for argv in argvs.values():  # warm: byte code written, the check's cache filled
        subprocess.run(argv, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

    def empty_matrix_cache(name: str) -> None:
        if name == "matrix":
            shutil.rmtree(cold, ignore_errors=True)

    return median_seconds(argvs, runs, env, empty_matrix_cache)


YAML_PROBE = r"""
import json, sys, time
from linter.inputs.gateway_config import parse_gateway_config
endpoints = int(sys.argv[1])
lines = ["version: 3", "plugin:", "  pattern: .so", "  folder: /opt/krakend/plugins/", "endpoints:"]
for i in range(endpoints):
    lines += [f"  - endpoint: /api/v1/resource{i}/{{id}}", "    method: GET", "    extra_config:",
              "      plugin/req-resp-modifier:", f"        name: [m{i}]", "    backend:",
              f"      - url_pattern: /r{i}/{{id}}", "        host: [http://backend:8080]", "        extra_config:",
              "          plugin/http-client:", f"            name: c{i}"]
data = ("\n".join(lines) + "\n").encode()
cpu, wall = time.process_time(), time.perf_counter()
parsed = parse_gateway_config(data, "krakend.yaml")
print(json.dumps({"bytes": len(data), "wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                  "problems": len(parsed.problems)}))
"""

GO_PROBE = r"""
import gc, json, resource, sys, time
from linter.inputs.gosource import parse_go_file
unit = (
    "\n// F{i} filters and counts items.\n"
    "func F{i}(items []Item, key string) (map[string]int, error) {{\n"
    "\tres := make(map[string]int, len(items))\n"
    "\tfor i, it := range items {{\n"
    "\t\tif strings.HasPrefix(it.Name, key) {{\n"
    "\t\t\tres[it.Name+\"-{i}\"] += it.Score*{i} + i\n"
    "\t\t}}\n"
    "\t}}\n"
    "\treturn res, nil\n"
    "}}\n\n"
    "// T{i} is a small record.\n"
    "type T{i} struct {{\n\tA, B int\n\tS    string\n}}\n"
)
size = int(sys.argv[1])
parts = ['package main\n\nimport "strings"\n\ntype Item struct{ Name string; Score int }\n']
total, index = len(parts[0]), 0
while total < size:
    parts.append(unit.format(i=index))
    total, index = total + len(parts[-1]), index + 1
data = "".join(parts).encode()
del parts
gc.collect()
def status(field):  # Linux: kB of resident memory now (VmRSS) or at its peak (VmHWM)
    with open("/proc/self/status") as found:
        return next(int(line.split()[1]) * 1024 for line in found if line.startswith(field + ":"))
try:
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # the peak restarts from the memory in use now, not from building the input
    before, peak_of = status("VmRSS"), lambda: status("VmHWM")
except OSError:
    def peak_of():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    before = peak_of()
cpu, wall = time.process_time(), time.perf_counter()
if sys.argv[2:] == ["tree"]:  # tree-sitter's tree of the whole file, nothing else: the floor of a whole parse
    import tree_sitter_go
    from tree_sitter import Language, Parser
    parsed = Parser(Language(tree_sitter_go.language())).parse(data)
    count = parsed.root_node.descendant_count
else:
    parsed = parse_go_file(data, "big.go")
    count = len(parsed.functions)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
peak = peak_of()
print(json.dumps({"bytes": len(data), "wall": wall, "cpu": cpu, "peak": peak - before, "count": count}))
"""

YAML_ENDPOINTS = 15_300  # about 4 MiB, the gateway config cap
GO_BYTES = 16 * 1024 * 1024 - 4096  # just under the 16 MiB cap of Go sources


def probe(script: str, arg: int, *more: str) -> dict[str, float]:
    env = quiet_env()
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run([sys.executable, "-c", script, str(arg), *more], cwd=REPO, env=env, capture_output=True,
                          text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def large_inputs() -> dict[str, list[dict[str, float]]]:
    """Each size at 1/100, 1/10 and the whole, so the ratios show whether the cost is linear."""
    return {
        "yaml": [probe(YAML_PROBE, YAML_ENDPOINTS // d) for d in (100, 10, 1)],
        "go": [probe(GO_PROBE, GO_BYTES // d) for d in (100, 10, 1)],
        "go tree": [probe(GO_PROBE, GO_BYTES, "tree")],
    }


def startup_rows(found: dict[str, float], runs: int) -> list[tuple[str, str]]:
    bare, bare_cpu = found["bare"], found["bare cpu"]
    rows = [(f"bundled example, median of {runs} interleaved runs each", ""),
            ("  python -c pass", f"{ms(bare)}  (CPU {ms(bare_cpu).strip()})")]
    for name, label in (("check", "check examples/plugin --offline"), ("rules", "rules"),
                        ("explain", "explain KP101"), ("matrix", "matrix, every release, cold cache")):
        rows.append((f"  {label}", f"{ms(found[name])}  ({ms(found[name] - bare)} above python -c pass, "
                                   f"{found[name] / bare:.1f}x; CPU {ms(found[name + ' cpu'] - bare_cpu).strip()} "
                                   "above)"))
    return rows


def large_rows(found: dict[str, list[dict[str, float]]]) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for key, label in (("yaml", "YAML gateway config"), ("go", "Go source")):
        small, mid, whole = found[key]
        figure = f"{whole['wall']:.2f} s wall, {whole['cpu']:.2f} s CPU"
        if "peak" in whole:
            figure += f", peak +{whole['peak'] / 2**20:.0f} MiB = {whole['peak'] / whole['bytes']:.1f}x the input"
        rows.append((f"{label} {whole['bytes'] / 2**20:.1f} MiB", figure))
        rows.append((f"  CPU at 10x and 100x of {small['bytes'] / 2**10:.0f} KiB",
                     f"{mid['cpu'] / small['cpu']:.1f}x and {whole['cpu'] / small['cpu']:.1f}x"))
    tree = found["go tree"][0]  # why a large file is parsed in pieces
    rows.append(("  tree-sitter's tree of the whole file alone",
                 f"{tree['wall']:.2f} s wall, peak +{tree['peak'] / 2**20:.0f} MiB = "
                 f"{tree['peak'] / tree['bytes']:.1f}x the input ({tree['count']:.0f} nodes)"))
    return rows


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
    from linter.krakend.judge import judge

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
    parser.add_argument("--startup-runs", type=int, default=11, help="interleaved runs for the start-up medians")
    parser.add_argument("--only", choices=("all", "startup", "inputs"), default="all",
                        help="only the start-up figures (5, 6) or only the large inputs (7)")
    args = parser.parse_args(argv)
    if args.only != "all":
        work = Path(tempfile.mkdtemp(prefix="kpl-speed-"))
        try:
            found = startup_rows(startup(work, args.startup_runs), args.startup_runs) if args.only == "startup" \
                else large_rows(large_inputs())
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(table(found))
        return 0
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
        rows += startup_rows(startup(work, args.startup_runs), args.startup_runs)
        rows += large_rows(large_inputs())
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
