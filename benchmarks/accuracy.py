"""Compare the linter's verdicts with the loader oracle's real verdicts.

Usage::

    python -m benchmarks.accuracy [--go 1.22.10] [--subset N] [--modes source,so,binary,check-plugin]

For every scenario (see ``benchmarks.oracle.scenarios``) the oracle builds the plugin with a real
Go toolchain and loads it into a KrakenD-like host (cached under ``.cache/oracle/``). Then the
linter is run on the materialized repo in four modes:

* ``source``: sources only, reference = the host's go.mod/go.sum (no Go version in it);
* ``so``: plus the built ``.so`` (``--plugin-so``);
* ``binary``: plus the host binary (``--krakend-binary``), the exact mode;
* ``check-plugin``: ``--mode check-plugin`` against the host binary, like ``krakend check-plugin``.

The binary modes pass no ``--krakend-version``: the host is not a KrakenD release, and a release
given next to a binary would supply the Go version instead of the binary's build info.

The linter says "will not load" when its JSON report has any finding of severity error outside
KP9xx. The script prints a confusion matrix per mode ("positive" = will not load) and every
disagreement with the scenario, the real failure and the linter's findings.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.oracle import run as oracle
from benchmarks.oracle.scenarios import Scenario, all_scenarios
from tests.gotoolchain import REPO

MODES = ("source", "so", "binary", "check-plugin")
LINT_TIMEOUT_SECONDS = 180
RELEASES_CSV = REPO.parent / "shared" / "krakend" / "releases.csv"
FALLBACK_KRAKEND = "2.8.0"


@dataclass
class Outcome:
    """One linter run on one scenario in one mode."""

    scenario: str
    mode: str
    real_fails: bool
    lint_fails: bool | None  # None: the linter could not be run / gave no report
    errors: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    problem: str = ""
    argv: list[str] = field(default_factory=list)


# --- the linter CLI ------------------------------------------------------------------------------


def linter_command() -> list[str]:
    exe = shutil.which("krakend-plugin-lint")
    venv_exe = Path(sys.executable).parent / "krakend-plugin-lint"
    if venv_exe.is_file():
        return [str(venv_exe)]
    return [exe] if exe else [sys.executable, "-m", "linter"]


def probe_cli(cmd: list[str]) -> tuple[bool, str]:
    """Whether `check --help` works; returns (ok, help text or the reason it does not)."""
    try:
        proc = subprocess.run([*cmd, "check", "--help"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, str(exc)
    text = proc.stdout + proc.stderr
    if proc.returncode != 0 or "--krakend-binary" not in text:
        tail = "\n".join(text.strip().splitlines()[-5:])
        return False, f"`{' '.join(cmd)} check --help` exited {proc.returncode}:\n{tail}"
    return True, text


# --- target version ------------------------------------------------------------------------------


def _releases() -> list[dict[str, str]]:
    if not RELEASES_CSV.is_file():
        return []
    with RELEASES_CSV.open(newline="") as fh:
        return list(csv.DictReader(fh))


def _vkey(version: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


def krakend_version_for(go: str) -> tuple[str, str]:
    """A KrakenD release to pass as --krakend-version for a host built with this Go.

    The synthetic host is not a release, so no exact match exists in general: prefer a release
    built with the same Go, then the newest release with the same Go minor. Returns the version
    and a note on how it was chosen.
    """
    rows = [r for r in _releases() if r.get("version", "").startswith("2.")]
    same = [r["version"] for r in rows if r.get("go_version") == go]
    if same:
        return max(same, key=_vkey), f"KrakenD {max(same, key=_vkey)} is built with Go {go}"
    minor = ".".join(go.split(".")[:2])
    close = [r for r in rows if ".".join(r.get("go_version", "").split(".")[:2]) == minor]
    if close:
        best = max(close, key=lambda r: _vkey(r["version"]))
        return best["version"], (f"no KrakenD release uses Go {go}; using {best['version']} (Go "
                                 f"{best['go_version']}), so Go-version rules in source mode compare against that")
    return FALLBACK_KRAKEND, f"no KrakenD release uses Go {minor}.x; using {FALLBACK_KRAKEND}"


# --- running one mode ----------------------------------------------------------------------------


def source_copy(repo: Path) -> Path:
    """The repo without built .so files, so source mode really sees only sources."""
    dest = source_dir(repo)
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(repo, dest, ignore=shutil.ignore_patterns("*.so", "*.so.*", "*.plugin"))
    return dest


def source_dir(repo: Path) -> Path:
    return oracle.ORACLE / "repos-source" / repo.name


def argv_for(mode: str, record: dict[str, Any], version: str, go_flag: bool, cli: list[str]) -> list[str]:
    repo = Path(record["repo"])
    target = source_dir(repo) if mode in ("source", "check-plugin") else repo
    argv = [*cli, "check", str(target), "--format", "json", "--offline"]
    if mode in ("source", "so"):
        # No binary: the target release supplies the Go version (see krakend_version_for).
        argv += ["--krakend-version", version]
        argv += ["--krakend-go-mod", record["host_gomod"], "--krakend-go-sum", record["host_gosum"]]
        if go_flag:
            # The synthetic host is a self-built KrakenD: its Go, and the glibc of this machine.
            argv += ["--krakend-go-version", record["host_go"], "--krakend-libc", "glibc"]
    if mode in ("so", "binary"):
        for so in record.get("so_files", []):
            argv += ["--plugin-so", str(repo / so)]
    if mode in ("binary", "check-plugin"):
        argv += ["--krakend-binary", record["host_binary"]]
    if mode == "check-plugin":
        argv += ["--mode", "check-plugin"]
    return argv


def _findings(report: Any) -> list[dict[str, Any]]:
    items = report.get("findings", []) if isinstance(report, dict) else report
    return [f for f in items if isinstance(f, dict)] if isinstance(items, list) else []


def rule_of(finding: dict[str, Any]) -> str:
    for key in ("rule", "rule_id", "id", "code"):
        value = finding.get(key)
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and isinstance(value.get("id"), str):
            return str(value["id"])
    return ""


def severity_of(finding: dict[str, Any]) -> str:
    value = finding.get("severity", finding.get("level", ""))
    if isinstance(value, int):
        return {3: "error", 2: "warning", 1: "notice"}.get(value, str(value))
    return str(value).lower()


def is_blocking(finding: dict[str, Any]) -> bool:
    if finding.get("suppressed"):
        return False
    return severity_of(finding) == "error" and not rule_of(finding).upper().startswith("KP9")


def lint(scn: Scenario, record: dict[str, Any], mode: str, version: str, go_flag: bool,
         cli: list[str]) -> Outcome:
    argv = argv_for(mode, record, version, go_flag, cli)
    out = Outcome(scn.name, mode, real_fails=not record["loads"], lint_fails=None, argv=argv)
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=LINT_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        out.problem = f"linter timed out after {LINT_TIMEOUT_SECONDS}s"
        return out
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        out.problem = f"no JSON report (exit {proc.returncode}): {proc.stderr.strip()[-400:]}"
        return out
    out.findings = _findings(report)
    out.errors = [f for f in out.findings if is_blocking(f)]
    out.lint_fails = bool(out.errors)
    return out


# --- reporting -----------------------------------------------------------------------------------


def matrix(outcomes: Sequence[Outcome]) -> str:
    tp = sum(1 for o in outcomes if o.real_fails and o.lint_fails)
    fn = sum(1 for o in outcomes if o.real_fails and o.lint_fails is False)
    fp = sum(1 for o in outcomes if not o.real_fails and o.lint_fails)
    tn = sum(1 for o in outcomes if not o.real_fails and o.lint_fails is False)
    broken = sum(1 for o in outcomes if o.lint_fails is None)
    judged = tp + fn + fp + tn
    acc = (tp + tn) / judged if judged else 0.0
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return (f"                     linter: will not load | linter: loads\n"
            f"  real: will not load  {tp:21d} | {fn:13d}\n"
            f"  real: loads          {fp:21d} | {tn:13d}\n"
            f"  accuracy {acc:.1%}  precision {prec:.1%}  recall {rec:.1%}  ({judged} judged, {broken} not run)")


BASELINE = "server-ok"


def baseline_noise(outcomes: Sequence[Outcome]) -> dict[str, set[str]]:
    """Per mode, the error rules that fire on the known-good baseline scenario.

    They come from target facts the synthetic host cannot supply (its Go version and libc are
    not a KrakenD release's), so a second matrix without them shows the rest of the linter.
    """
    noise: dict[str, set[str]] = {}
    for o in outcomes:
        # check-plugin's errors on the baseline (no go.sum) are what `krakend check-plugin` does.
        if o.scenario == BASELINE and o.errors and o.mode in ("source", "so"):
            noise[o.mode] = {rule_of(f) for f in o.errors}
    return noise


def without(o: Outcome, rules: set[str]) -> Outcome:
    errors = [f for f in o.errors if rule_of(f) not in rules]
    lint_fails = None if o.lint_fails is None else bool(errors)
    return Outcome(o.scenario, o.mode, o.real_fails, lint_fails, errors, o.findings, o.problem, o.argv)


def _finding_line(f: dict[str, Any]) -> str:
    where = f.get("path", "")
    if f.get("line"):
        where += f":{f['line']}"
    return f"{rule_of(f)} {severity_of(f)} {where} {f.get('message', '')}".strip()


def disagreements(outcomes: Sequence[Outcome], records: dict[str, dict[str, Any]]) -> list[str]:
    lines = []
    for o in outcomes:
        if o.lint_fails is not None and o.lint_fails == o.real_fails:
            continue
        rec = records[o.scenario]
        real = "loads" if rec["loads"] else f"{rec['failure']} ({rec.get('package') or rec.get('detail', '')[:80]})"
        if o.lint_fails is None:
            lines.append(f"- {o.scenario} [{o.mode}]: real {real}; linter did not report: {o.problem}")
            continue
        kind = "false alarm" if o.lint_fails else "missed"
        lines.append(f"- {o.scenario} [{o.mode}] {kind}: real {real}")
        shown = o.errors if o.lint_fails else o.findings
        lines += [f"    {_finding_line(f)}" for f in shown[:8]] or ["    (no findings)"]
    return lines


def go_version_rules(outcomes: Sequence[Outcome]) -> dict[str, int]:
    """Error rules that fire on loading plugins in source mode: candidates for a Go-version target."""
    counts: dict[str, int] = {}
    for o in outcomes:
        if o.mode in ("source", "check-plugin") and o.lint_fails and not o.real_fails:
            for f in o.errors:
                rule = rule_of(f)
                if rule.upper().startswith("KP2"):
                    counts[rule] = counts.get(rule, 0) + 1
    return counts


def _real_table(chosen: Sequence[Scenario], records: dict[str, dict[str, Any]]) -> str:
    return oracle.table(chosen, records)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.accuracy", description=__doc__.split("\n")[0])
    parser.add_argument("--go", default="", help="only scenarios whose host uses this Go version")
    parser.add_argument("--subset", type=int, default=0, help="only the first N scenarios (CI ones first)")
    parser.add_argument("--modes", default=",".join(MODES), help=f"comma-separated subset of {','.join(MODES)}")
    parser.add_argument("--krakend-version", default="", help="target passed to the linter (default: chosen "
                        "from the host's Go version)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", default=str(oracle.ORACLE / "accuracy.json"), help="write all outcomes here")
    args = parser.parse_args(argv)
    modes = [m for m in args.modes.split(",") if m]
    unknown = set(modes) - set(MODES)
    if unknown:
        parser.error(f"unknown mode(s): {', '.join(sorted(unknown))}")

    chosen = [s for s in all_scenarios() if not args.go or s.host_go == args.go]
    chosen.sort(key=lambda s: not s.ci)
    if args.subset:
        chosen = chosen[: args.subset]
    print(f"oracle: {len(chosen)} scenarios (building what is not cached under {oracle.ORACLE})")
    records = oracle.run_scenarios(chosen, args.jobs, log=lambda _msg: None)

    cli = linter_command()
    ok, help_text = probe_cli(cli)
    if not ok:
        print(_real_table(chosen, records))
        print(f"\nthe linter CLI is not usable yet, so there is nothing to compare:\n{help_text}\n"
              "real verdicts are in .cache/oracle/verdicts/ and the repos in .cache/oracle/repos/")
        return 0
    go_flag = "--krakend-go-version" in help_text

    for scn in chosen:  # made once, before the linter runs read them from several threads
        source_copy(Path(records[scn.name]["repo"]))
    jobs: list[tuple[Scenario, str, str]] = []
    notes: dict[str, str] = {}
    for scn in chosen:
        version, why = (args.krakend_version, "given") if args.krakend_version else krakend_version_for(scn.host_go)
        notes[scn.host_go] = f"host Go {scn.host_go}: --krakend-version {version} ({why})"
        jobs += [(scn, mode, version) for mode in modes]
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        outcomes = list(pool.map(lambda j: lint(j[0], records[j[0].name], j[1], j[2], go_flag, cli), jobs))

    for note in sorted(notes.values()):
        print(note)
    if not go_flag:
        print("the CLI has no --krakend-go-version: in source/check-plugin mode the Go version rules compare "
              "against the chosen release, not the synthetic host")
    for mode in modes:
        print(f"\n== mode {mode} ==")
        print(matrix([o for o in outcomes if o.mode == mode]))
    noise = baseline_noise(outcomes)
    for mode, noisy in sorted(noise.items()):
        print(f"\n== mode {mode}, ignoring {', '.join(sorted(noisy))} (errors on the known-good {BASELINE}) ==")
        print(matrix([without(o, noisy) for o in outcomes if o.mode == mode]))
    lines = disagreements(outcomes, records)
    print(f"\n== disagreements ({len(lines and [ln for ln in lines if ln.startswith('- ')])}) ==")
    print("\n".join(lines) if lines else "none")
    rules = go_version_rules(outcomes)
    if rules:
        print("\nGo-version rules raising errors on plugins that do load (they need the host's Go as target): "
              + ", ".join(f"{r} x{n}" for r, n in sorted(rules.items())))
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps([o.__dict__ for o in outcomes], indent=2, default=str) + "\n")
    print(f"\noutcomes written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
