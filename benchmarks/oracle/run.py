"""Build hosts and scenario plugins with real Go toolchains, load them, and record real verdicts.

Usage::

    python -m benchmarks.oracle.run                 # every scenario
    python -m benchmarks.oracle.run --ci            # the CI subset
    python -m benchmarks.oracle.run --only server-ok,pointer-variable --force

Everything lives under ``.cache/oracle/`` (gitignored): ``proxy/`` (the file:// GOPROXY),
``work/<proxy digest>/`` (the shared GOPATH, so host and plugins see the same module cache
paths), ``hosts/``
(one host binary per Go version and variant), ``builds/<scenario>-<key>/`` (prepared sources,
the built .so, logs), ``verdicts/<scenario>.json`` (the real verdict and its cache key) and
``repos/<scenario>/`` (a materialized plugin repo with go.mod, go.sum, sources, krakend.json, a
Dockerfile and the built .so, for running the linter on). A scenario's key hashes its data,
the harness version, the proxy content and its host, so reruns only redo what changed.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from benchmarks.oracle import modules, proxy
from benchmarks.oracle.scenarios import (
    BUILD_FAILED,
    HOST_TIMEOUT,
    PluginRepo,
    Scenario,
    all_scenarios,
)
from tests.gotoolchain import REPO, ensure_go, go_env

HARNESS_VERSION = "5"
# Resolved: a worktree whose .cache links to another checkout's shares its builds, and every build
# sees one module-cache path (Go writes that path into binaries built without -trimpath).
ORACLE = Path(os.environ.get("KPL_ORACLE_CACHE", REPO / ".cache" / "oracle")).resolve()
PROXY = ORACLE / "proxy"
# The GOPATH (and so the module cache) shared by hosts and plugins; keyed by the proxy content
# because Go treats module@version as immutable and would keep serving an old download.
WORK = ORACLE / "work" / proxy.digest()
HOSTS = ORACLE / "hosts"
BUILDS = ORACLE / "builds"
VERDICTS = ORACLE / "verdicts"
REPOS = ORACLE / "repos"
HOST_SRC = Path(__file__).resolve().parent / "host"
HOST_TIMEOUT_SECONDS = 30
GO_TIMEOUT_SECONDS = 900

Log = Callable[[str], None]


class GoStepError(Exception):
    """A go command failed; ``stage`` says which step, ``output`` holds its tail."""

    def __init__(self, stage: str, output: str) -> None:
        super().__init__(f"{stage} failed")
        self.stage = stage
        self.output = output


@dataclasses.dataclass(frozen=True)
class Host:
    go: str
    variant: str
    key: str
    dir: Path

    @property
    def binary(self) -> Path:
        return self.dir / "krakend-host"

    @property
    def gomod(self) -> Path:
        return self.dir / "go.mod"

    @property
    def gosum(self) -> Path:
        return self.dir / "go.sum"


def _hash(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _env(go: str, **extra: str) -> dict[str, str]:
    env = go_env(go, WORK, PROXY, **extra)
    if os.environ.get("KPL_ORACLE_GOCACHE"):  # measuring cold runs without touching the shared cache
        env["GOCACHE"] = f"{os.environ['KPL_ORACLE_GOCACHE']}/{go}"
    return env


def _go(go: str, args: Sequence[str], cwd: Path, stage: str, **env: str) -> str:
    """Run the go command of that version; raise GoStepError with its output when it fails."""
    proc = subprocess.run(["go", *args], cwd=cwd, env=_env(go, **env), capture_output=True, text=True,
                          timeout=GO_TIMEOUT_SECONDS, check=False)
    out = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0:
        raise GoStepError(stage, out[-4000:])
    return out


# --- hosts ---------------------------------------------------------------------------------------


def host_key(go: str, variant: str) -> str:
    sources = {p.name: p.read_text() for p in sorted(HOST_SRC.iterdir()) if p.is_file()}
    # The module cache's path is in the host's package hashes: a host built over another path (an
    # earlier checkout) refuses every plugin built now with "different version of package".
    return _hash("host", HARNESS_VERSION, go, variant, proxy.digest(), sources, str(WORK))


def host_for(go: str, variant: str) -> Host:
    key = host_key(go, variant)
    return Host(go, variant, key, HOSTS / f"{go}-{variant}-{key}")


def _prune(parent: Path, prefix: str, keep: Path) -> None:
    """Remove `<prefix><16 hex key>` folders other than keep (artifacts of older keys)."""
    for old in parent.glob(f"{prefix}*"):
        rest = old.name[len(prefix):]
        if old != keep and len(rest) == 16 and all(c in "0123456789abcdef" for c in rest):
            shutil.rmtree(old, ignore_errors=True)


def build_host(go: str, variant: str, log: Log = print) -> Host:
    """The host binary for this Go version and variant, built once and cached."""
    host = host_for(go, variant)
    if host.binary.is_file():
        return host
    _prune(HOSTS, f"{go}-{variant}-", host.dir)
    ensure_go(go)
    proxy.write_proxy(PROXY)
    # Built in place: the directory name ends up in the host's file paths, keep it stable.
    shutil.rmtree(host.dir, ignore_errors=True)
    shutil.copytree(HOST_SRC, host.dir)
    start = time.monotonic()
    _go(go, ["mod", "tidy"], host.dir, "host-tidy", GOFLAGS="-mod=mod")
    flags = ["-trimpath"] if variant == "trimpath" else []
    _go(go, ["build", "-buildmode=exe", *flags, "-o", "krakend-host.partial", "."], host.dir, "host-build")
    (host.dir / "krakend-host.partial").rename(host.binary)
    log(f"built host go{go}/{variant} in {time.monotonic() - start:.1f}s")
    return host


# --- preparing a plugin repo ---------------------------------------------------------------------


def gomod_text(scn: Scenario, plugin: PluginRepo) -> str:
    lines = [f"module {scn.module_of(plugin)}", "", f"go {plugin.go_directive}"]
    if plugin.toolchain:
        lines += ["", f"toolchain {plugin.toolchain}"]
    if plugin.requires:
        lines += ["", "require ("] + [f"\t{p} {v}" for p, v in plugin.requires] + [")"]
    if plugin.replaces:
        lines += ["", "replace ("] + [f"\t{old} => {new}" for old, new in plugin.replaces] + [")"]
    return "\n".join(lines) + "\n"


def _write_local_module(dest: Path, path: str, version: str) -> None:
    mod = modules.find(path, version)
    for name, text in {**mod.files, "go.mod": mod.gomod()}.items():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)


def _sum_key(line: str) -> tuple[str, str]:
    fields = line.split()
    return (fields[0], fields[1]) if len(fields) >= 2 else (line, "")


def _add_stale_sums(go: str, plugin: PluginRepo, src: Path) -> None:
    """Add the go.sum lines a go.mod that required these versions would have left behind."""
    lines = set((src / "go.sum").read_text().splitlines()) if (src / "go.sum").is_file() else set()
    for path, version in plugin.stale_sums:
        info = json.loads(_go(go, ["mod", "download", "-json", f"{path}@{version}"], src, "stale-sum"))
        lines.add(f"{path} {version} {info['Sum']}")
        lines.add(f"{path} {version}/go.mod {info['GoModSum']}")
    ordered = sorted((ln for ln in lines if ln.strip()), key=_sum_key)
    (src / "go.sum").write_text("\n".join(ordered) + "\n")


def prepare_plugin(scn: Scenario, plugin: PluginRepo, src: Path) -> None:
    """Write sources and go.mod, then let the real toolchain produce go.mod/go.sum."""
    src.mkdir(parents=True, exist_ok=True)
    for name, text in plugin.sources().items():
        (src / name).write_text(text)
    for rel, path, version in plugin.local_modules:
        _write_local_module(src / rel, path, version)
    (src / "go.mod").write_text(gomod_text(scn, plugin))
    go = scn.plugin_go
    if plugin.tidy:
        _go(go, ["mod", "tidy"], src, "tidy", GOFLAGS="-mod=mod")
    else:
        for path, _ in plugin.requires:
            _go(go, ["mod", "download", path], src, "download", GOFLAGS="-mod=mod")
    if plugin.stale_sums:
        _add_stale_sums(go, plugin, src)


def _expand(env: dict[str, str]) -> dict[str, str]:
    return {k: v.replace("{work}", str(WORK)) for k, v in env.items()}


def build_plugin(scn: Scenario, plugin: PluginRepo, src: Path, out: Path) -> None:
    """go build -buildmode=plugin with the scenario's flags and environment, go.mod read-only."""
    env = {"GOFLAGS": "-mod=readonly", **_expand(dict(scn.build.env))}
    out.parent.mkdir(parents=True, exist_ok=True)
    _go(scn.plugin_go, ["build", "-buildmode=plugin", *scn.build.flags, "-o", str(out), "."], src, "build", **env)


# --- running the host ----------------------------------------------------------------------------


def run_host(host: Host, config: dict[str, Any], outputs: Sequence[tuple[Path, Sequence[str]]],
             rundir: Path) -> dict[str, Any]:
    """Copy the built files into a plugin folder, run the host on it, return its JSON verdict."""
    shutil.rmtree(rundir, ignore_errors=True)
    folder = rundir / "plugins"
    folder.mkdir(parents=True)
    for built, names in outputs:
        for name in names:
            shutil.copy2(built, folder / name)
    (rundir / "krakend.json").write_text(json.dumps(config, indent=2))
    argv = [str(host.binary), "-c", str(rundir / "krakend.json"), "-plugins", str(folder)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = proc.communicate(timeout=HOST_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return _hung(proc, folder)
    proc_rc = proc.returncode
    text = stdout.replace(str(folder), "$PLUGINS")
    try:
        verdict: dict[str, Any] = json.loads(text)
    except json.JSONDecodeError:
        err = stderr.replace(str(folder), "$PLUGINS")
        first = next((ln for ln in err.splitlines() if ln.strip()), f"exit code {proc_rc}")
        return {"loads": False, "failure": "host-crashed", "exit_code": proc_rc,
                "failure_detail": first, "stderr_head": err[:3000]}
    return verdict


def _hung(proc: subprocess.Popen[str], folder: Path) -> dict[str, Any]:
    """A host that did not finish: ask Go for a goroutine dump (SIGQUIT) to see where it waits."""
    proc.send_signal(signal.SIGQUIT)
    try:
        _, stderr = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, stderr = proc.communicate()
    stderr = (stderr or "").replace(str(folder), "$PLUGINS")
    where = "blocked in plugin.Open" if "plugin.Open" in stderr else "no goroutine dump"
    return {"loads": False, "failure": HOST_TIMEOUT, "stderr_head": stderr[:3000],
            "failure_detail": f"host did not finish within {HOST_TIMEOUT_SECONDS}s ({where})"}


# --- one scenario --------------------------------------------------------------------------------


def scenario_key(scn: Scenario, host: Host) -> str:
    sources = [p.sources() for p in scn.plugins]
    return _hash("scenario", HARNESS_VERSION, dataclasses.asdict(scn), sources, proxy.digest(), host.key,
                 scn.plugin_go)


def build_dir(scn: Scenario, key: str) -> Path:
    return BUILDS / f"{scn.name}-{key}"


def _summarize(scn: Scenario, verdict: dict[str, Any]) -> dict[str, Any]:
    loaders = [ld for f in verdict.get("files", []) for ld in f.get("loaders", {}).values()]
    packages = [f.get("mismatched_package", "") for f in verdict.get("files", []) if f.get("mismatched_package")]
    return {
        "loads": bool(verdict.get("loads")),
        "failure": verdict.get("failure", ""),
        "detail": verdict.get("failure_detail", ""),
        "package": packages[0] if packages else "",
        "logger_registered": any(ld.get("logger_registered") for ld in loaders),
        "context_registered": any(ld.get("context_registered") for ld in loaders),
        "shadowed": list(verdict.get("shadowed_response_modifiers", [])),
        "ignored": len(verdict.get("ignored_config", [])),
    }


def _plugin_dirs(scn: Scenario, root: Path) -> list[tuple[PluginRepo, Path]]:
    return [(p, root / p.dir) for p in scn.plugins]


def evaluate(scn: Scenario, host: Host, key: str) -> dict[str, Any]:
    """Prepare, build and load one scenario; returns the verdict record."""
    bdir = build_dir(scn, key)
    shutil.rmtree(bdir, ignore_errors=True)
    start = time.monotonic()
    record: dict[str, Any] = {
        "scenario": scn.name, "key": key, "host_go": scn.host_go, "host_variant": scn.host_variant,
        "plugin_go": scn.plugin_go, "build": {"ok": True, "stage": "", "log": ""},
    }
    outputs: list[tuple[Path, Sequence[str]]] = []
    try:
        for plugin, src in _plugin_dirs(scn, bdir / "src"):
            prepare_plugin(scn, plugin, src)
            out = bdir / "out" / plugin.dir / plugin.output
            build_plugin(scn, plugin, src, out)
            outputs.append((out, (plugin.output, *plugin.copies)))
    except GoStepError as exc:
        record["build"] = {"ok": False, "stage": exc.stage, "log": exc.output.replace(str(WORK), "$WORK")}
        record["host"] = None
        record.update(loads=False, failure=BUILD_FAILED, detail=exc.output.splitlines()[-1] if exc.output else "",
                      package="", logger_registered=False, context_registered=False, shadowed=[], ignored=0)
    else:
        verdict = run_host(host, scn.config(), outputs, bdir / "run")
        record["host"] = verdict
        record.update(_summarize(scn, verdict))
    record["seconds"] = round(time.monotonic() - start, 1)
    return record


# --- materialized repos --------------------------------------------------------------------------


def dockerfile(scn: Scenario) -> str:
    """A Dockerfile that builds the plugin(s) the way the oracle did."""
    lines = [f"# Builds the {scn.name} oracle plugin with the toolchain and flags the oracle used.",
             f"FROM golang:{scn.plugin_go}-bookworm AS builder"]
    for key, value in sorted(scn.build.env.items()):
        lines.append(f"ENV {key}={value.replace('{work}', '/tmp')}")
    lines.append("WORKDIR /src")
    lines.append("COPY . .")
    for plugin in scn.plugins:
        workdir = "/src" if plugin.dir == "." else f"/src/{plugin.dir}"
        cmd = ["go", "build", "-buildmode=plugin", *scn.build.flags, "-o", f"/plugins/{plugin.output}", "."]
        if plugin.dir != ".":
            lines.append(f"WORKDIR {workdir}")
        lines.append(f"RUN {shlex.join(cmd)}")
        for copy in plugin.copies:
            lines.append(f"RUN {shlex.join(['cp', f'/plugins/{plugin.output}', f'/plugins/{copy}'])}")
    return "\n".join(lines) + "\n"


def repo_dir(name: str) -> Path:
    return REPOS / name


def materialize(scn: Scenario, key: str, record: dict[str, Any]) -> Path:
    """Write .cache/oracle/repos/<name>/ from the build dir (sources, go files, .so, config)."""
    bdir = build_dir(scn, key)
    repo = repo_dir(scn.name)
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    so_files: list[str] = []
    for plugin, src in _plugin_dirs(scn, bdir / "src"):
        dest = repo / plugin.dir
        if src.is_dir():
            shutil.copytree(src, dest, dirs_exist_ok=True)
        built = bdir / "out" / plugin.dir / plugin.output
        if built.is_file():
            for name in (plugin.output, *plugin.copies):
                shutil.copy2(built, dest / name)
                so_files.append(str((dest / name).relative_to(repo)))
    (repo / "krakend.json").write_text(json.dumps(scn.config(), indent=2) + "\n")
    (repo / "Dockerfile").write_text(dockerfile(scn))
    record["repo"] = str(repo)
    record["so_files"] = so_files
    return repo


def _load_cached(scn: Scenario, key: str) -> dict[str, Any] | None:
    path = VERDICTS / f"{scn.name}.json"
    if not path.is_file():
        return None
    try:
        record: dict[str, Any] = json.loads(path.read_text())
    except json.JSONDecodeError:
        return None
    return record if record.get("key") == key else None


def run_scenario(scn: Scenario, host: Host, force: bool = False) -> dict[str, Any]:
    key = scenario_key(scn, host)
    record = None if force else _load_cached(scn, key)
    if record is None or not build_dir(scn, key).is_dir():
        _prune(BUILDS, f"{scn.name}-", build_dir(scn, key))
        record = evaluate(scn, host, key)
        record["cached"] = False
    else:
        record["cached"] = True
    record["host_binary"] = str(host.binary)
    record["host_gomod"] = str(host.gomod)
    record["host_gosum"] = str(host.gosum)
    materialize(scn, key, record)
    VERDICTS.mkdir(parents=True, exist_ok=True)
    (VERDICTS / f"{scn.name}.json").write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    return record


# --- expectations --------------------------------------------------------------------------------


def mismatches(scn: Scenario, record: dict[str, Any]) -> list[str]:
    """How the real verdict differs from the scenario's expectation (empty when it agrees)."""
    exp = scn.expect
    out = []
    if record["loads"] != exp.loads:
        out.append(f"loads={record['loads']} (expected {exp.loads})")
    if record["failure"] != exp.failure:
        out.append(f"failure={record['failure']} (expected {exp.failure})")
    if exp.package and not record.get("package", "").startswith(exp.package):
        out.append(f"package={record.get('package')!r} (expected {exp.package!r})")
    if exp.detail and exp.detail not in record.get("detail", ""):
        out.append(f"detail={record.get('detail')!r} (expected to contain {exp.detail!r})")
    checks: list[tuple[str, Any]] = [("logger_registered", exp.logger_registered),
                                     ("context_registered", exp.context_registered),
                                     ("ignored", exp.ignored)]
    for field, want in checks:
        if want is not None and record.get(field) != want:
            out.append(f"{field}={record.get(field)} (expected {want})")
    if exp.shadowed is not None and tuple(record.get("shadowed", ())) != exp.shadowed:
        out.append(f"shadowed={record.get('shadowed')} (expected {list(exp.shadowed)})")
    return out


# --- driver --------------------------------------------------------------------------------------


def run_scenarios(scenarios: Iterable[Scenario], jobs: int = 2, force: bool = False,
                  log: Log = print) -> dict[str, dict[str, Any]]:
    """Build what is needed and return each scenario's verdict record, by scenario name."""
    todo = list(scenarios)
    proxy.write_proxy(PROXY)
    WORK.mkdir(parents=True, exist_ok=True)
    for version in sorted({s.plugin_go for s in todo} | {s.host_go for s in todo}):
        ensure_go(version)
    hosts = {(s.host_go, s.host_variant): build_host(s.host_go, s.host_variant, log) for s in todo}

    def one(scn: Scenario) -> dict[str, Any]:
        record = run_scenario(scn, hosts[(scn.host_go, scn.host_variant)], force)
        verdict = "loads" if record["loads"] else record["failure"]
        origin = "cached" if record["cached"] else f"{record['seconds']}s"
        log(f"  {scn.name:40} {verdict:28} ({origin})")
        return record

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        records = list(pool.map(one, todo))
    return {r["scenario"]: r for r in records}


def table(scenarios: Sequence[Scenario], records: dict[str, dict[str, Any]]) -> str:
    """A Markdown table of every scenario's real verdict next to its expectation."""
    rows = ["| scenario | host | plugin go | expected | real | detail | agrees |", "|---|---|---|---|---|---|---|"]
    for scn in scenarios:
        rec = records[scn.name]
        expected = "loads" if scn.expect.loads else scn.expect.failure
        real = "loads" if rec["loads"] else rec["failure"]
        detail = rec.get("package") or ""
        if not detail and not rec["loads"]:
            detail = rec.get("detail", "")[:70].replace("|", "/").replace("\n", " ")
        agree = "yes" if not mismatches(scn, rec) else "NO: " + "; ".join(mismatches(scn, rec))
        rows.append(f"| {scn.name} | {scn.host_go}/{scn.host_variant} | {scn.plugin_go} | {expected} | {real} "
                    f"| {detail} | {agree} |")
    return "\n".join(rows)


def select(only: str = "", topic: str = "", ci: bool = False, go: str = "") -> list[Scenario]:
    chosen = list(all_scenarios())
    if only:
        names = {n.strip() for n in only.split(",") if n.strip()}
        unknown = names - {s.name for s in chosen}
        if unknown:
            raise SystemExit(f"unknown scenario(s): {', '.join(sorted(unknown))}")
        chosen = [s for s in chosen if s.name in names]
    if topic:
        chosen = [s for s in chosen if s.topic == topic]
    if ci:
        chosen = [s for s in chosen if s.ci]
    if go:
        chosen = [s for s in chosen if s.host_go == go]
    return chosen


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.oracle.run", description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    parser.add_argument("--topic", default="", help="only scenarios of this topic")
    parser.add_argument("--ci", action="store_true", help="only the CI subset")
    parser.add_argument("--go", default="", help="only scenarios whose host uses this Go version")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--force", action="store_true", help="ignore cached verdicts")
    parser.add_argument("--table", default="", help="also write the Markdown verdict table to this file")
    args = parser.parse_args(argv)
    chosen = select(args.only, args.topic, args.ci, args.go)
    start = time.monotonic()
    records = run_scenarios(chosen, args.jobs, args.force)
    text = table(chosen, records)
    print(text)
    if args.table:
        Path(args.table).write_text(text + "\n")
    bad = [s.name for s in chosen if mismatches(s, records[s.name])]
    print(f"\n{len(chosen)} scenarios in {time.monotonic() - start:.0f}s; "
          f"{len(chosen) - len(bad)} agree with their expectation, {len(bad)} do not"
          + (f": {', '.join(bad)}" if bad else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
