"""Reliability figures: how much hostile input the linter survives, and what the largest costs.

    python -m benchmarks.reliability                       # ~2-4 minutes on 2 cores
    python -m benchmarks.reliability --fuzz-seconds 300 --budget 60

Prints five sections:

1. fuzzing: inputs tried per parser, crashes (must be 0), broken promises and hangs
   (``benchmarks.fuzz``, the harness of ``tests/fuzz``);
2. largest input per parser: realistic files grown x4 from 64 KiB up to the cap ``linter.load``
   reads that kind of file to (16 MiB for Go files, 4 MiB configs, 1 MiB build files) while
   one parse stays under ``--budget`` seconds, each parsed in a fresh process so its time and peak
   memory are its own (peak RSS of that process, and how much it grew during the parse: the
   interpreter, the imports and the input's bytes are already in the baseline);
3. the whole engine on a hostile tree (a file over the cap, binary junk, a FIFO, a symlink out of
   the root, deep JSON, a YAML alias bomb) beside a valid plugin whose finding must survive;
4. GitHub faults: each fault of the fake GitHub (5xx, secondary rate limit, 429, malformed JSON,
   a dropped connection) on each route a first run uses; runs survived, findings still written as
   annotations, and comments/reviews/check runs posted twice;
5. hostile names in the step's log: the CLI run as inside GitHub Actions on a repository whose
   plugin, folder and file names and broken config hold ``::`` commands, ``##[``, ``%``, line
   breaks and ``<!--``; the log is read by the emulated runner of ``tests/hostile_log.py`` and every
   executed line that is not one of our own annotations or stop/resume markers is forged.
6. time ratios: the shapes that once took quadratic time (go.mod requires, a 40,000-char comment
   line, a minified krakend.json naming 8,000 unknown plugins, a 4 MB Go file of `var`s, a
   one-line Go file with a non-ASCII character, secret masking on long runs) at 1x and 10x input,
   per stage (engine, redaction, each format); ``--scaling-only`` runs just this section.

Exit status 1 when any parser crashed, the engine lost the valid plugin's finding, a GitHub
fault was not survived or created a duplicate, a forged log command was executed, or a shape of
section 6 grew faster than 11x.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.fuzz import print_results, run_campaign
from linter.inputs.text import MAX_TEXT_BYTES
from linter.load import MAX_BUILD_FILE_BYTES, MAX_CONFIG_BYTES
from tests.fuzz import seeds
from tests.fuzz.elf import MODINFO, go_plugin_elf
from tests.fuzz.harness import TARGETS

REPO = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024


# --- realistic inputs of any size -------------------------------------------------------------------

def _fill(head: str, unit: Callable[[int], str], tail: str, size: int) -> bytes:
    """``head`` + ``unit(0)`` + ``unit(1)`` + ... + ``tail``: as many units as fit in ``size`` bytes
    (at least one), so an input grown to the cap is still read."""
    parts, total, index = [head], len(head) + len(tail), 0
    while True:
        piece = unit(index)
        if index and total + len(piece.encode()) > size:
            break
        parts.append(piece)
        total += len(piece.encode())
        index += 1
    parts.append(tail)
    return "".join(parts).encode()


def _repeat(seed: str, size: int) -> bytes:
    return _fill("", lambda _i: seed, "", size)


def _endpoint(i: int) -> str:
    return (f'{{"endpoint": "/v1/e{i}", "extra_config": {{"plugin/req-resp-modifier": {{"name": ["m{i}"]}}}}, '
            f'"backend": [{{"host": ["http://b:8080"], "url_pattern": "/e{i}"}}]}},\n')


def _job(i: int) -> str:
    return (f"  build{i}:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-go@v5\n"
            f"        with: {{go-version: '1.22.{i % 10}'}}\n      - run: go build -buildmode=plugin -o p{i}.so .\n")


def _task(i: int) -> str:
    return (f"  t{i}:\n    vars: {{O{i}: p{i}.so}}\n"
            f"    cmds:\n      - go build -buildmode=plugin -o {{{{.O{i}}}}} ./p{i}\n")


def _service(i: int) -> str:
    return (f"  s{i}:\n    image: devopsfaith/krakend:${{V{i}:-2.7.{i % 9}}}\n"
            f"    volumes: ['./p{i}:/opt/krakend/plugins:ro']\n    command: run -d -c /etc/k{i}.json\n")


GENERATORS: dict[str, Callable[[int], bytes]] = {
    "gomod": lambda n: _fill("module example.com/big\n\ngo 1.22\n\nrequire (\n",
                             lambda i: f"\tgithub.com/org{i}/mod{i}/v2 v2.{i % 90}.{i % 7} // indirect\n", ")\n", n),
    "gosum": lambda n: _fill("", lambda i: f"github.com/org{i}/mod v1.{i}.0 h1:{'A' * 43}=\n"
                                           f"github.com/org{i}/mod v1.{i}.0/go.mod h1:{'B' * 43}=\n", "", n),
    "modules_txt": lambda n: _fill("", lambda i: f"# github.com/org{i}/mod v1.{i}.0\n## explicit; go 1.21\n"
                                                 f"github.com/org{i}/mod\ngithub.com/org{i}/mod/sub\n", "", n),
    "dockerfile": lambda n: _repeat(seeds.DOCKERFILE.split("\n", 2)[2], n),
    "workflow": lambda n: _fill("name: big\non: [push]\njobs:\n", _job, "", n),
    "makefile": lambda n: _fill("GO ?= go\n", lambda i: f"V{i} := {i}\nt{i}:\n\t$(GO) build -o p$(V{i}).so .\n", "", n),
    "taskfile": lambda n: _fill("version: '3'\nvars:\n  V: 2.7.0\ntasks:\n", _task, "", n),
    "compose": lambda n: _fill("services:\n", _service, "", n),
    "build_sh": lambda n: _repeat(seeds.SHELL_SCRIPT.split("\n", 1)[1], n),
    "go_version_file": lambda n: _fill("", lambda i: f"tool{i} 1.{i}.0\n", "golang 1.22.4\n", n),
    "gosource": lambda n: _fill("package main\n\nimport \"fmt\"\n\n",
                                lambda i: f"func f{i}(x int) string {{\n\treturn fmt.Sprint(x + {i})\n}}\n\n", "", n),
    "gateway_config": lambda n: _fill('{"version": 3, "endpoints": [\n', _endpoint, '{"endpoint": "/last"}]}\n', n),
    "gateway_yaml": lambda n: _fill("version: 3\nendpoints:\n", lambda i: f"  - endpoint: /v1/e{i}\n    backend:\n"
                                    f"      - host: [http://b:8080]\n        url_pattern: /e{i}\n", "", n),
    "gateway_tmpl": lambda n: _fill('{"version": 3, "port": {{ .port }}, "endpoints": [\n',
                                    lambda i: _endpoint(i).replace('"b:8080"', '"{{ .host }}"'), '{}]}\n', n),
    "gateway_toml": lambda n: _fill("version = 3\n", lambda i: f'[[endpoints]]\nendpoint = "/v1/e{i}"\n'
                                    f'[[endpoints.backend]]\nhost = ["http://b:8080"]\n', "", n),
    "shell": lambda n: _repeat("\n".join(seeds.SHELL_SNIPPETS) + "\n", n),
    "gobinary": lambda n: _big_elf(n),
}


def _big_elf(size: int) -> bytes:
    """The smallest real Go program of the test toolchains at least ``size`` bytes long, else a
    synthetic plugin whose build info lists enough dependencies to reach ``size``."""
    cache = REPO / ".cache" / "go"
    programs = [p for p in (*cache.glob("*/go/bin/*"), *cache.glob("*/go/pkg/tool/*/*")) if p.is_file()]
    for program in sorted(programs, key=lambda p: p.stat().st_size):
        if program.stat().st_size >= size:
            return program.read_bytes()
    deps = "".join(f"dep\tgithub.com/o{i}/m\tv1.0.{i}\n" for i in range(size // 30))
    return go_plugin_elf(modinfo=MODINFO + deps)


# The cap ``linter.load`` reads each kind of file up to (binaries are mapped, not read: no cap).
CAPS: dict[str, int] = {
    **dict.fromkeys(("dockerfile", "workflow", "makefile", "taskfile", "compose", "build_sh", "go_version_file",
                     "shell"), MAX_BUILD_FILE_BYTES),
    **dict.fromkeys(("gateway_config", "gateway_yaml", "gateway_toml", "gateway_tmpl"), MAX_CONFIG_BYTES),
}


# --- one measured parse, in its own process ----------------------------------------------------------

def _measure_child(name: str, source: str, queue: Any) -> None:
    # Only the input's bytes are in memory before the baseline: building them would set a
    # high-water mark above what the parse itself needs.
    data = Path(source).read_bytes()
    parse = TARGETS[name].load()
    if parse is None:
        queue.put({"error": "parser missing"})
        return
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        doc = parse(data, TARGETS[name].path)
        error = ""
        problems = len(getattr(doc, "problems", ()))
    except Exception as err:  # a crash here is a finding of this benchmark, not a reason to stop it
        error, problems = f"{type(err).__name__}: {err}"[:200], 0
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put({"bytes": len(data), "seconds": seconds, "peak_kib": peak, "baseline_kib": baseline, "error": error,
               "problems": problems})


def measure(name: str, size: int, timeout: float) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")  # a clean baseline for ru_maxrss
    queue = context.Queue()
    with tempfile.NamedTemporaryFile(prefix=f"kpl-{name}-") as source:
        source.write(GENERATORS[name](size))
        source.flush()
        child = context.Process(target=_measure_child, args=(name, source.name, queue))
        child.start()
        child.join(timeout)
    if child.is_alive():
        child.terminate()
        child.join()
        return {"bytes": size, "seconds": timeout, "peak_kib": 0, "error": f"no result within {timeout:g} s",
                "problems": 0}
    if child.exitcode != 0 or queue.empty():
        return {"bytes": size, "seconds": 0.0, "peak_kib": 0, "error": f"child exited {child.exitcode}",
                "problems": 0}
    result: dict[str, Any] = queue.get()
    return result


@dataclass
class Largest:
    name: str
    handled: dict[str, Any] | None
    stopped: str  # why it did not grow further


def largest_inputs(budget: float, max_bytes: int, only: Sequence[str] = (),
                   report: Callable[[Largest], None] = lambda _row: None) -> list[Largest]:
    """Grow each parser's input while it stays under ``budget``; ``report`` sees each row when done."""
    rows = []
    for name in TARGETS:
        if only and name not in only:
            continue
        if TARGETS[name].load() is None:
            rows.append(Largest(name, None, "parser missing"))
            report(rows[-1])
            continue
        cap = min(CAPS.get(name, max_bytes), max_bytes)
        handled, stopped, size = None, f"reached the {cap / MIB:g} MiB cap", min(64 * 1024, cap)
        while True:
            result = measure(name, size, timeout=budget * 3)
            if result["error"]:
                stopped = f"{result['bytes']} bytes: {result['error']}"
                break
            if result["seconds"] > budget:
                stopped = f"{result['bytes'] / MIB:.1f} MiB took {result['seconds']:.0f} s"
                if size < cap:  # a straight-line guess; superlinear parsers take longer
                    rate = result["bytes"] / result["seconds"]
                    stopped += f" (~{cap / rate:.0f} s at the {cap / MIB:g} MiB cap)"
                break
            handled = result
            if size >= cap:
                break
            size = min(size * 4, cap)
        rows.append(Largest(name, handled, stopped))
        report(rows[-1])
    return rows


LARGEST_HEADER = (f"{'parser':<16} {'largest':>10} {'time':>8} {'peak RSS':>9} {'(+parse)':>9} {'MB/s':>6} "
                  f"{'problems':>8}  limit")


def print_largest_row(row: Largest) -> None:
    if row.handled is None:
        print(f"{row.name:<16} {'-':>10} {'-':>8} {'-':>9} {'-':>9} {'-':>6} {'-':>8}  {row.stopped}", flush=True)
        return
    h = row.handled
    rate = h["bytes"] / MIB / h["seconds"] if h["seconds"] else 0.0
    grew = max(h["peak_kib"] - h["baseline_kib"], 0) / 1024
    print(f"{row.name:<16} {h['bytes'] / MIB:>8.2f}MB {h['seconds']:>7.2f}s {h['peak_kib'] / 1024:>7.0f}MB "
          f"{grew:>+7.0f}MB {rate:>6.2f} {h['problems']:>8}  {row.stopped}", flush=True)


# --- the engine on a hostile tree -----------------------------------------------------------------------

PLUGIN_GOMOD = "module example.com/good\n\ngo 1.22\n"
PLUGIN_GO = "package hello\n\nvar HandlerRegisterer = registerer(\"x\")\n\ntype registerer string\n"


def _hostile_tree(root: Path) -> None:
    (root / "good").mkdir(parents=True)
    (root / "good" / "go.mod").write_text(PLUGIN_GOMOD, encoding="utf-8")
    (root / "good" / "plugin.go").write_text(PLUGIN_GO, encoding="utf-8")
    (root / "huge").mkdir()
    with (root / "huge" / "krakend.json").open("wb") as handle:
        handle.write(b'{"version": 3, "x": "')
        handle.truncate(MAX_TEXT_BYTES + MIB)  # sparse: no disk or memory spent writing it
    (root / "junk").mkdir()
    (root / "junk" / "go.mod").write_bytes(bytes(range(256)) * 64)
    (root / "junk" / "plugin.so").write_bytes(go_plugin_elf()[:100])
    (root / "deep").mkdir()
    (root / "deep" / "krakend.json").write_bytes(b"[" * 100_000 + b"]" * 100_000)
    laughs = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9))
    (root / "deep" / "krakend.yaml").write_text(laughs, encoding="utf-8")
    os.mkfifo(root / "Dockerfile")
    (root / "krakend.toml").symlink_to("/etc/passwd")


def engine_on_hostile_tree() -> dict[str, Any]:
    import tracemalloc

    from tests.helpers import lint_tree

    with tempfile.TemporaryDirectory(prefix="kpl-hostile-") as tmp:
        root = Path(tmp)
        _hostile_tree(root)
        tracemalloc.start()
        started = time.perf_counter()
        run = lint_tree(root)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    found = sorted({(f.rule, f.location.path) for f in run.report.findings if f.rule.startswith("KP9")})
    valid = any(f.rule == "KP401" and f.location.path == "good/plugin.go" for f in run.report.findings)
    return {"seconds": seconds, "peak_mib": peak / MIB, "kp9": found, "valid_plugin_found": valid,
            "crashed": run.crashed}


# --- GitHub faults -----------------------------------------------------------------------------------

FAULT_ROUTES = ("pulls.files", "pulls.review-comments", "pulls.create-review", "issues.list-comments",
                "issues.create-comment", "checks.create", "checks.update", "graphql")


def _faults() -> dict[str, Any]:
    """Fault label -> the fake's fault (the request is applied, then the answer is replaced: a 5xx or
    a dropped answer after the write landed), or a status for ``refuse_once`` (rate limits: GitHub
    does not apply a rate-limited request, so it must not be applied here either)."""
    from tests.fakegithub.server import Fault

    return {"500": Fault.server_error(500), "502": Fault.server_error(502), "403 secondary": 403, "429": 429,
            "malformed JSON": Fault.malformed_json(), "disconnect": Fault.disconnect()}


def _posted(pull: Any) -> dict[str, int]:
    """What the channels left on the pull request, by kind (a second one of any kind is a duplicate)."""
    return {"reviews": len(pull.reviews), "review comments": len(pull.ours(pull.review_comments)),
            "issue comments": len(pull.ours(pull.issue_comments)), "check runs": len(pull.check_runs)}


def _fault_run(route: str | None, fault: Any, payload: dict[str, Any]) -> dict[str, Any]:
    from tests.fakegithub.pulls import refuse_once, serve_pull
    from tests.fakegithub.server import FakeGitHub
    from tests.github.support import run_channels, runner_env, sample_pull, sample_report

    with FakeGitHub() as server, tempfile.TemporaryDirectory() as tmp:
        pull = serve_pull(server, sample_pull())
        if isinstance(fault, int) and route is not None:
            refuse_once(server, route, status=fault, retry_after=30)
        elif route is not None:
            server.inject(route, fault)
        try:
            ran = run_channels(sample_report(), runner_env(Path(tmp), server, payload))
            error = ""
            annotations = "::error" in ran.log or "::warning" in ran.log
        except Exception as err:  # the figure this section exists for
            error, annotations = f"{type(err).__name__}: {err}"[:160], False
        return {"posted": _posted(pull), "error": error, "annotations": annotations}


def github_faults() -> list[dict[str, Any]] | None:
    """Each fault on each route of a first run: did the run survive, did it post anything twice?

    Uses the fake GitHub and the channel-test helpers of ``tests/github`` (read-only); None when
    they are not there.
    """
    try:
        from tests.github.support import pull_request_payload, webhook_examples
    except ImportError:
        return None
    payload = pull_request_payload(webhook_examples())
    clean = _fault_run(None, None, payload)["posted"]
    rows = []
    for route in FAULT_ROUTES:
        for label, fault in _faults().items():
            result = _fault_run(route, fault, payload)
            duplicates = sum(max(result["posted"][kind] - clean[kind], 0) for kind in clean)
            rows.append({"route": route, "fault": label, "survived": not result["error"],
                         "annotations kept": result["annotations"], "duplicates": duplicates,
                         "error": result["error"]})
    return rows


def print_faults(rows: Sequence[dict[str, Any]]) -> None:
    survived = sum(1 for row in rows if row["survived"])
    duplicates = sum(row["duplicates"] for row in rows)
    kept = sum(1 for row in rows if row["annotations kept"])
    print(f"faults injected: {len(rows)} (routes: {len(FAULT_ROUTES)} x faults: {len(_faults())}), "
          f"survived: {survived}, findings kept as annotations: {kept}, duplicates created: {duplicates}")
    for row in rows:
        if not row["survived"] or row["duplicates"] or not row["annotations kept"]:
            print(f"  {row['route']:<24} {row['fault']:<15} survived={row['survived']} "
                  f"duplicates={row['duplicates']} annotations={row['annotations kept']} {row['error']}")


# --- hostile names in the step's log ------------------------------------------------------------------


def hostile_log() -> dict[str, int] | None:
    """Hostile names tried, runs, log lines executed by the emulated runner, and how many were forged."""
    try:
        from tests.hostile_log import BROKEN_CONFIGS, hostile_names, run_in_actions, write_hostile_repo
    except ImportError:
        return None
    with tempfile.TemporaryDirectory(prefix="kpl-log-") as tmp:
        root, cache = Path(tmp) / "repo", str(Path(tmp) / "cache")
        write_hostile_repo(root)
        common = ["check", "--offline", "--krakend-version", "2.7.0", "--cache-dir", cache]
        runs = [run_in_actions(root, [*common, "--reporters", "gh-annotations,gh-step-summary"]),
                run_in_actions(root, [*common, "--format", "json", "--format", "terminal", "--no-color"]),
                run_in_actions(root, [*common, "--format", "check-plugin"])]
        for number, config in enumerate(BROKEN_CONFIGS):
            folder = Path(tmp) / f"config{number}"
            (folder / ".github").mkdir(parents=True)
            (folder / ".github" / "krakend-lint.yml").write_text(config, encoding="utf-8")
            runs.append(run_in_actions(folder, ["check", "--offline"]))
    return {"names": hostile_names(), "runs": len(runs), "executed": sum(len(run.executed) for run in runs),
            "forged": sum(len(run.forged) for run in runs)}


# --- time ratios of the shapes that were quadratic (issue 16) -------------------------------------

SCALING_TARGET = 11.0  # 10x input may take at most 11x the time


def _scaling_gomod(root: Path, n: int) -> dict[str, Any]:
    """A plugin whose go.mod requires ``n`` modules, and a KrakenD reference sharing every tenth."""
    requires = "".join(f"\texample.com/org{i}/mod v1.{i % 9}.0\n" for i in range(n))
    shared = range(0, n, 10)
    (root / "go.mod").write_text(f"module example.com/plug\n\ngo 1.22\n\nrequire (\n{requires})\n",
                                 encoding="utf-8")
    (root / "plugin.go").write_text(PLUGIN_GO, encoding="utf-8")
    (root / "ref").mkdir()
    reference = "".join(f"\texample.com/org{i}/mod v1.{i % 9 + 1}.0\n" for i in shared)
    (root / "ref" / "go.mod").write_text(f"module github.com/krakendio/krakend-ce/v2\n\ngo 1.22\n\nrequire (\n"
                                         f"{reference})\n", encoding="utf-8")
    (root / "ref" / "go.sum").write_text("".join(
        f"example.com/org{i}/mod v1.{i % 9 + 1}.0 h1:{'A' * 43}=\n" for i in shared), encoding="utf-8")
    return {"krakend_go_mod": root / "ref" / "go.mod", "krakend_go_sum": root / "ref" / "go.sum"}


def _scaling_comment(root: Path, n: int) -> dict[str, Any]:
    """One Go comment line of ``n`` word characters on a line with a finding (KP405: package main)."""
    (root / "go.mod").write_text(PLUGIN_GOMOD, encoding="utf-8")
    (root / "plugin.go").write_text(f"package hello // {'tokenpassword' * (n // 13)}\n\n"
                                    "var HandlerRegisterer = registerer(\"x\")\n\ntype registerer string\n",
                                    encoding="utf-8")
    return {}


def _scaling_minified(root: Path, n: int) -> dict[str, Any]:
    """A one-line krakend.json naming ``n`` plugins that no plugin registers (~11 bytes a name)."""
    names = ", ".join(f'"p{i:07d}"' for i in range(n))
    (root / "krakend.json").write_text('{"version": 3, "plugin": {"pattern": ".so", "folder": "/p/"}, '
                                       '"extra_config": {"plugin/http-server": {"name": [' + names + ']}}}\n',
                                       encoding="utf-8")
    return {}


def _scaling_vars(root: Path, n: int) -> dict[str, Any]:
    """A Go file of ``n`` bytes of `var` declarations (about 26 bytes each)."""
    (root / "go.mod").write_text(PLUGIN_GOMOD, encoding="utf-8")
    body = "".join(f"var value{i:08d} = {i}\n" for i in range(n // 26))
    (root / "plugin.go").write_text(PLUGIN_GO + body, encoding="utf-8")
    return {}


def _scaling_one_line_go(root: Path, n: int) -> dict[str, Any]:
    """A minified Go file: ``n`` declarations on one line that holds one non-ASCII character."""
    (root / "go.mod").write_text(PLUGIN_GOMOD, encoding="utf-8")
    (root / "plugin.go").write_text('package main; var s = "é"; ' + "".join(f"var v{i} = {i}; " for i in range(n))
                                    + "\n", encoding="utf-8")
    return {}


# name -> (tree builder, 1x size, unit of the size, the formats whose rendering is timed on their own)
SCALING_SHAPES: dict[str, tuple[Callable[[Path, int], dict[str, Any]], int, str, tuple[str, ...]]] = {
    "go.mod requires": (_scaling_gomod, 5_000, "requires", ()),
    "comment line": (_scaling_comment, 4_000, "chars", ("terminal", "json", "sarif", "rdjson")),
    "minified krakend.json": (_scaling_minified, 800, "names", ("terminal", "json", "sarif", "rdjson")),
    "Go file of vars": (_scaling_vars, 400_000, "bytes", ()),
    "one-line Go file": (_scaling_one_line_go, 5_000, "declarations", ()),
}
# Secret masking on its own (every message, hint and fix goes through it), on runs of the
# characters its patterns match.
MASKING_SHAPES: dict[str, Callable[[int], str]] = {
    "word characters": lambda n: "a" * n,
    "secret key names": lambda n: "tokenpassword" * (n // 13),
    "key=value chain": lambda n: "a=" * (n // 2),
    "JWT-like run": lambda n: "eyJ-" * (n // 4),
    "URL schemes": lambda n: "a://" * (n // 4),
}
MASKING_SIZE = 40_000


def _best_of(repeats: int, work: Callable[[], object], min_total: float = 0.5) -> float:
    """The least CPU time of ``repeats`` runs, or of more (at most 20) until ``min_total`` CPU seconds
    were spent: CPU time, so other processes on a shared machine do not count, and the least, the
    run least disturbed by caches and the collector; short stages get more runs to pick from."""
    import gc

    best, spent, runs = float("inf"), 0.0, 0
    while runs < repeats or (spent < min_total and runs < 20):
        gc.collect()
        started = time.process_time()
        work()
        took = time.process_time() - started
        best, spent, runs = min(best, took), spent + took, runs + 1
    return best


def _render_times(run: Any, formats: Sequence[str], repeats: int) -> dict[str, float]:
    from linter.formats import FORMATS, RenderContext
    from linter.redact import redact_report
    from linter.rules import rule_docs

    ctx = RenderContext(rules=rule_docs(), source_lines=run.loaded.source_line)
    times = {"redaction": _best_of(repeats, lambda: redact_report(run.report))}
    report = redact_report(run.report)
    for name in formats:
        # Each format pays for its excerpts, as a lone --format run does.
        times[name] = _best_of(repeats, lambda name=name: (run.loaded.shown.clear(), FORMATS[name](report, ctx)))
    return times


def _scaling_one(name: str, scale: int, repeats: int) -> tuple[dict[str, float], int]:
    from tests.helpers import lint_tree

    build, size, _unit, formats = SCALING_SHAPES[name]
    with tempfile.TemporaryDirectory(prefix="kpl-scaling-") as tmp:
        root = Path(tmp)
        settings = build(root, size * scale)
        runs: list[Any] = []
        times = {"engine": _best_of(repeats, lambda: runs.append(lint_tree(root, **settings)))}
        times.update(_render_times(runs[-1], formats, repeats))
        return times, len(runs[-1].report.findings)


def scaling_ratios(repeats: int = 3) -> list[dict[str, Any]]:
    """Each shape at 1x and 10x input: the best of ``repeats`` times per stage, and their ratio."""
    from linter.redact import mask_secrets

    rows = []
    for name, (_build, size, unit, _formats) in SCALING_SHAPES.items():
        _scaling_one(name, 1, 1)  # warm the imports and caches, so 1x is not charged for them
        small, findings_small = _scaling_one(name, 1, repeats)
        large, findings_large = _scaling_one(name, 10, repeats)
        for stage in small:
            rows.append({"shape": name, "stage": stage, "input": f"{size:,} / {size * 10:,} {unit}",
                         "findings": f"{findings_small:,} / {findings_large:,}", "small": small[stage],
                         "large": large[stage], "ratio": large[stage] / max(small[stage], 1e-9)})
    for name, make in MASKING_SHAPES.items():
        short, long = make(MASKING_SIZE), make(MASKING_SIZE * 10)
        small_time = _best_of(repeats, lambda short=short: mask_secrets(short))
        large_time = _best_of(repeats, lambda long=long: mask_secrets(long))
        rows.append({"shape": f"masking {name}", "stage": "mask_secrets",
                     "input": f"{MASKING_SIZE:,} / {MASKING_SIZE * 10:,} chars", "findings": "-",
                     "small": small_time, "large": large_time, "ratio": large_time / max(small_time, 1e-9)})
    return rows


def print_scaling(rows: Sequence[dict[str, Any]]) -> None:
    print(f"{'shape':<28} {'stage':<12} {'input (1x / 10x)':<30} {'findings':<16} {'1x':>8} {'10x':>8} "
          f"{'ratio':>6}")
    for row in rows:
        verdict = "" if row["ratio"] <= SCALING_TARGET else f"  above {SCALING_TARGET:g}x"
        print(f"{row['shape']:<28} {row['stage']:<12} {row['input']:<30} {row['findings']:<16} "
              f"{row['small']:>7.3f}s {row['large']:>7.3f}s {row['ratio']:>6.1f}{verdict}", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reliability", description=__doc__.split("\n\n")[0])
    parser.add_argument("--fuzz-seconds", type=float, default=60.0)
    parser.add_argument("--budget", type=float, default=20.0, help="seconds one parse may take while growing")
    parser.add_argument("--max-bytes", type=int, default=MAX_TEXT_BYTES)
    parser.add_argument("--only", default="", help="comma-separated parser names")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--scaling-only", action="store_true", help="only section 6 (time ratios)")
    args = parser.parse_args(argv)
    only = [name for name in args.only.split(",") if name]
    if args.scaling_only:
        return _scaling_section()

    print(f"== 1. fuzzing ({args.fuzz_seconds:g} s, hypothesis, seed {args.seed})")
    results = run_campaign(args.fuzz_seconds, only=only, seed=args.seed, out=REPO / ".cache" / "fuzz")
    print_results(results)
    sys.stdout.flush()
    crashes = sum(r.count("crash") for r in results)

    print(f"\n== 2. largest input per parser (growing x4 from 64 KiB to its cap while one parse takes "
          f"< {args.budget:g} s)")
    print(LARGEST_HEADER)
    rows = largest_inputs(args.budget, args.max_bytes, only, print_largest_row)

    print("\n== 3. the engine on a hostile tree")
    engine = engine_on_hostile_tree()
    print(f"time {engine['seconds']:.2f} s, peak traced memory {engine['peak_mib']:.1f} MiB, "
          f"rule crashed: {engine['crashed']}, valid plugin's KP401 still found: {engine['valid_plugin_found']}")
    for rule, path in engine["kp9"]:
        print(f"  {rule} {path}")

    print("\n== 4. GitHub faults (fake GitHub on 127.0.0.1, one fault per run of every channel)")
    faults = github_faults()
    if faults is None:
        print("tests/github and tests/fakegithub are not importable; no figures")
    else:
        print_faults(faults)

    print("\n== 5. hostile names in the step's log (the CLI as inside GitHub Actions, an emulated runner)")
    log = hostile_log()
    if log is None:
        print("tests/hostile_log.py is not importable; no figures")
    else:
        print(f"hostile names tried: {log['names']} (in {log['runs']} runs), log lines run as commands: "
              f"{log['executed']} (our annotations and stop-commands markers: {log['executed'] - log['forged']}), "
              f"forged log commands executed: {log['forged']}")
    scaling_bad = _scaling_section()

    if args.json:
        args.json.write_text(json.dumps({
            "fuzz": [{"name": r.name, "inputs": r.inputs, "crashes": r.count("crash"), "broken": r.count("broken"),
                      "hangs": r.count("hang")} for r in results],
            "largest": [{"name": row.name, "handled": row.handled, "stopped": row.stopped} for row in rows],
            "engine": engine, "github_faults": faults, "hostile_log": log,
        }, indent=2, default=str), encoding="utf-8")
    print(f"\ncrashes: {crashes}")
    github_bad = any(not row["survived"] or row["duplicates"] for row in faults or ())
    forged = bool(log and log["forged"])
    return 1 if crashes or not engine["valid_plugin_found"] or github_bad or forged or scaling_bad else 0


def _scaling_section() -> int:
    """Section 6; 1 when a shape's 10x input took more than SCALING_TARGET times its 1x time."""
    print(f"\n== 6. time ratios of the shapes that were quadratic (least CPU time of 3+ runs; 10x input must take "
          f"<= {SCALING_TARGET:g}x the time)")
    rows = scaling_ratios()
    print_scaling(rows)
    return 1 if any(row["ratio"] > SCALING_TARGET for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
