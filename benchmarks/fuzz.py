"""Fuzz every parser for a while, at a larger scale than the unit suite.

    python -m benchmarks.fuzz --seconds 60                 # hypothesis, random seed, all parsers
    python -m benchmarks.fuzz --seconds 300 --engine atheris --only gomod,dockerfile
    python -m benchmarks.fuzz --seed 7 --out .cache/fuzz   # reproducible; crashing inputs kept there

The time is shared between the parsers. Each input goes through the same promises as the unit
property tests (``tests.fuzz.harness.check``): no exception, problems located in the file, the
same result twice. A parse that takes longer than ``--hang`` seconds is interrupted and counted.
Crashing and failing inputs are written to ``--out`` so they can be replayed and turned into tests.

The hypothesis engine is always available. ``--engine atheris`` (coverage-guided, libFuzzer) needs
``pip install atheris``; it runs each parser in a child process because libFuzzer never returns.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from tests.fuzz.harness import TARGETS, Target, check, mutated
from tests.fuzz.seeds import SEEDS

REPO = Path(__file__).resolve().parent.parent


class _Hang(BaseException):
    """Raised by the alarm inside a parse that ran too long (BaseException: parsers catch Exception)."""


class _TimeUp(BaseException):
    """Ends a hypothesis run when the parser's share of time is used (not an Exception, so
    hypothesis lets it through instead of reporting it as a failing example)."""


@dataclass
class Failure:
    kind: str  # "crash" (an exception), "broken" (a promise of the harness), "hang"
    summary: str
    size: int
    saved: str = ""


@dataclass
class TargetResult:
    name: str
    engine: str
    inputs: int = 0
    seconds: float = 0.0
    largest: int = 0
    slowest: float = 0.0
    failures: list[Failure] = field(default_factory=list)
    skipped: str = ""

    def count(self, kind: str) -> int:
        return sum(1 for failure in self.failures if failure.kind == kind)


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (SIGALRM: the main thread of a POSIX process only)."""
    def ring(_signum: int, _frame: FrameType | None) -> None:
        raise _Hang

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Recorder:
    """Runs one input through the harness and keeps the score for one target."""

    def __init__(self, target: Target, parse: Callable[[bytes, str], Any], result: TargetResult,
                 out: Path | None, hang: float) -> None:
        self.target, self.parse, self.result, self.out, self.hang = target, parse, result, out, hang
        self._seen: set[str] = set()

    def one(self, data: bytes) -> None:
        self.result.inputs += 1
        started = time.perf_counter()
        try:
            with _alarm(self.hang):
                check(self.target, self.parse, data)
        except _Hang:
            self._fail("hang", f"no result after {self.hang:g} s", data)
        except AssertionError as err:
            self._fail("broken", str(err).splitlines()[0], data)
        except Exception as err:
            frame = traceback.extract_tb(err.__traceback__)[-1]
            where = f"{Path(frame.filename).name}:{frame.lineno}"
            self._fail("crash", f"{type(err).__name__} at {where}: {str(err)[:200]}", data)
        elapsed = time.perf_counter() - started
        self.result.largest = max(self.result.largest, len(data))
        self.result.slowest = max(self.result.slowest, elapsed)

    def _fail(self, kind: str, summary: str, data: bytes) -> None:
        # One saved example per distinct failure is enough to reproduce it.
        key = f"{kind}:{summary.split(':')[0] if kind == 'crash' else summary}"
        if key in self._seen:
            return
        self._seen.add(key)
        saved = ""
        if self.out is not None:
            self.out.mkdir(parents=True, exist_ok=True)
            name = f"{self.target.name}-{kind}-{hashlib.sha256(data).hexdigest()[:12]}.bin"
            (self.out / name).write_bytes(data)
            saved = str(self.out / name)
        self.result.failures.append(Failure(kind, summary, len(data), saved))


def fuzz_hypothesis(target: Target, seconds: float, seed: int, out: Path | None, hang: float) -> TargetResult:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed

    result = TargetResult(target.name, "hypothesis")
    parse = target.load()
    if parse is None:
        result.skipped = f"{target.module}.{target.function} does not exist"
        return result
    recorder = Recorder(target, parse, result, out, hang)
    deadline = time.monotonic() + seconds

    @hypothesis_seed(seed)
    @settings(max_examples=10**9, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(mutated(target.name))
    def run(data: bytes) -> None:
        if time.monotonic() > deadline:
            raise _TimeUp
        recorder.one(data)

    started = time.perf_counter()
    with suppress(_TimeUp):
        run()
    result.seconds = time.perf_counter() - started
    return result


def fuzz_atheris(target: Target, seconds: float, seed: int, out: Path | None, hang: float) -> TargetResult:
    """libFuzzer in a child process (it exits instead of returning); results come back as JSON."""
    with tempfile.TemporaryDirectory(prefix="kpl-fuzz-") as tmp:
        corpus = Path(tmp, "corpus")
        corpus.mkdir()
        for index, data in enumerate(SEEDS[target.name]):
            (corpus / f"seed-{index}").write_bytes(data)
        report = Path(tmp, "result.json")
        command = [sys.executable, "-m", "benchmarks.fuzz", "--atheris-child", target.name,
                   "--child-report", str(report), "--hang", str(hang), "--seed", str(seed),
                   *(["--out", str(out)] if out else []),
                   "--", f"-max_total_time={max(int(seconds), 1)}", f"-seed={seed or 1}",
                   "-rss_limit_mb=4096", "-max_len=65536", str(corpus)]
        completed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
        if not report.exists():
            tail = (completed.stderr or completed.stdout).strip().splitlines()[-5:]
            return TargetResult(target.name, "atheris", skipped="atheris child failed: " + " | ".join(tail))
        raw = json.loads(report.read_text(encoding="utf-8"))
        failures = [Failure(**failure) for failure in raw.pop("failures")]
        return TargetResult(**raw, failures=failures)


def _atheris_child(name: str, report: Path, out: Path | None, hang: float, argv: list[str]) -> None:
    import atheris

    with atheris.instrument_imports(include=["linter"]):
        import linter.inputs  # noqa: F401  (instrument the parsers before they are loaded)

        target = TARGETS[name]
        parse = target.load()
    if parse is None:
        return
    result = TargetResult(name, "atheris")
    recorder = Recorder(target, parse, result, out, hang)
    started = time.perf_counter()
    saved = {"at": 0.0, "failures": 0}

    def one(data: bytes) -> None:
        recorder.one(data)
        now = time.perf_counter()
        # libFuzzer ends the process without running Python's exit hooks: save as we go.
        if now - saved["at"] > 0.5 or len(result.failures) != saved["failures"]:
            saved.update(at=now, failures=len(result.failures))
            result.seconds = now - started
            report.write_text(json.dumps(asdict(result)), encoding="utf-8")

    atheris.Setup([sys.argv[0], *argv], one)
    atheris.Fuzz()


def run_campaign(seconds: float, *, engine: str = "hypothesis", only: Sequence[str] = (), seed: int = 0,
                 out: Path | None = None, hang: float = 20.0) -> list[TargetResult]:
    names = [name for name in TARGETS if not only or name in only]
    runner = fuzz_atheris if engine == "atheris" else fuzz_hypothesis
    results: list[TargetResult] = []
    for index, name in enumerate(names):
        share = max((seconds - sum(r.seconds for r in results)) / (len(names) - index), 0.5)
        results.append(runner(TARGETS[name], share, seed, out, hang))
    return results


def print_results(results: Sequence[TargetResult], file: Any = sys.stdout) -> None:
    print(f"{'parser':<16} {'engine':<10} {'inputs':>8} {'per s':>7} {'crashes':>7} {'broken':>6} "
          f"{'hangs':>5} {'largest':>9} {'slowest':>8}", file=file)
    for r in results:
        if r.skipped:
            print(f"{r.name:<16} {r.engine:<10} skipped: {r.skipped}", file=file)
            continue
        rate = r.inputs / r.seconds if r.seconds else 0.0
        print(f"{r.name:<16} {r.engine:<10} {r.inputs:>8} {rate:>7.0f} {r.count('crash'):>7} "
              f"{r.count('broken'):>6} {r.count('hang'):>5} {r.largest:>9} {r.slowest:>7.3f}s", file=file)
    total = sum(r.inputs for r in results)
    bad = sum(len(r.failures) for r in results)
    print(f"total: {total} inputs, {bad} distinct failures", file=file)
    for r in results:
        for failure in r.failures:
            where = f" -> {failure.saved}" if failure.saved else ""
            print(f"  {r.name} {failure.kind}: {failure.summary} ({failure.size} bytes){where}", file=file)


def main(argv: Sequence[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in args_in:
        at = args_in.index("--")
        args_in, extra = args_in[:at], args_in[at + 1:]
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fuzz", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="total time, shared between parsers")
    parser.add_argument("--engine", choices=("hypothesis", "atheris"), default="hypothesis")
    parser.add_argument("--only", default="", help="comma-separated parser names: " + ",".join(TARGETS))
    parser.add_argument("--seed", type=int, default=int.from_bytes(os.urandom(4), "big"))
    parser.add_argument("--out", type=Path, default=REPO / ".cache" / "fuzz", help="where failing inputs go")
    parser.add_argument("--hang", type=float, default=20.0, help="seconds before one parse counts as a hang")
    parser.add_argument("--atheris-child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--child-report", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(args_in)
    if args.atheris_child:
        _atheris_child(args.atheris_child, args.child_report, args.out, args.hang, extra)
        return 0
    only = [name for name in args.only.split(",") if name]
    unknown = [name for name in only if name not in TARGETS]
    if unknown:
        parser.error(f"unknown parser(s): {', '.join(unknown)}")
    print(f"fuzzing for {args.seconds:g} s with {args.engine} (seed {args.seed})")
    results = run_campaign(args.seconds, engine=args.engine, only=only, seed=args.seed, out=args.out,
                           hang=args.hang)
    print_results(results)
    return 1 if any(r.failures for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
