"""``python -m benchmarks.realworld``: the linter against a reviewer's verdicts on public repositories.

Usage::

    python -m benchmarks.realworld [--corpus PATH]... [--only owner/name]... [--jobs N] [--json FILE]
                                   [--baseline EARLIER.json] [--max-findings N]

For every corpus entry (``benchmarks/realworld/corpus/*.toml`` unless ``--corpus`` is given) the
repository's mirror is extracted at the judged commit and linted offline, in a subprocess per
repository, as a new user would: ``python -m linter check . --format json --offline``. A repository
without a mirror is skipped, a linter crash or timeout is recorded and the run goes on.

Printed: a line per repository, the totals (verdict agreement, false errors and warnings, misses,
crashes), the confusion matrix reviewer x linter, and every disagreement with the reviewer's
reasons and the linter's errors and warnings; with ``--baseline``, what changed since an earlier
``--json`` file. Exits 0, or 2 when the corpus (or the baseline) cannot be read.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from benchmarks.realworld import report, run
from benchmarks.realworld.corpus import CorpusError, Entry, load_corpus
from benchmarks.realworld.score import RepoResult, score, totals

CORPUS = Path(__file__).resolve().parent / "corpus"


def run_entry(entry: Entry, places: run.Places, timeout: float = run.LINT_TIMEOUT_SECONDS) -> RepoResult:
    """Extract and lint one repository; problems before the linter runs make it skipped."""
    git_dir = run.find_git_dir(places.mirrors, entry)
    if git_dir is None:
        return RepoResult(entry, skipped="no mirror")
    try:
        if not run.has_commit(git_dir, entry.commit):
            return RepoResult(entry, skipped=f"commit {entry.commit[:12]} not in the mirror")
        tree, absent = run.extract(git_dir, entry, places.work)
    except (OSError, RuntimeError, ValueError, subprocess.SubprocessError) as err:
        return RepoResult(entry, skipped=f"cannot extract: {err}")
    missing = [p for p in entry.paths if not (tree / p).exists()]
    if missing:
        return RepoResult(entry, skipped=f"no {', '.join(missing)} in the tree")
    result = score(entry, run.lint(tree, run.lint_argv(entry, places.references), timeout))
    result.absent = absent
    return result


def run_all(entries: Sequence[Entry], places: run.Places, jobs: int = 1,
            timeout: float = run.LINT_TIMEOUT_SECONDS, progress: bool = False) -> list[RepoResult]:
    done = iter(range(1, len(entries) + 1))

    def one(entry: Entry) -> RepoResult:
        result = run_entry(entry, places, timeout)
        if progress:
            state = f"skipped ({result.skipped})" if result.skipped else result.verdict
            seconds = f" in {result.run.seconds:.1f} s" if result.run else ""
            print(f"[{next(done)}/{len(entries)}] {entry.name}: {state}{seconds}", file=sys.stderr, flush=True)
        return result

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, entries))


def select(entries: Sequence[Entry], only: Sequence[str]) -> list[Entry]:
    if not only:
        return list(entries)
    known = {e.name.lower() for e in entries}
    unknown = [name for name in only if name.lower() not in known]
    if unknown:
        raise CorpusError(f"not in the corpus: {', '.join(unknown)}")
    wanted = {name.lower() for name in only}
    return [e for e in entries if e.name.lower() in wanted]


def read_baseline(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise CorpusError(f"{path}: not a results file of --json: {err}") from err
    if not isinstance(data, dict) or not isinstance(data.get("repos"), list):
        raise CorpusError(f"{path}: not a results file of --json (no repos)")
    return data


def write_json(path: Path, results: Sequence[RepoResult], notes: Sequence[str]) -> None:
    data = {"notes": list(notes), "totals": totals(results).as_dict(), "repos": [r.as_dict() for r in results]}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.realworld", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, action="append", default=[], metavar="PATH",
                        help=f"corpus TOML file or folder, repeatable (default {CORPUS.relative_to(run.REPO)})")
    parser.add_argument("--only", action="append", default=[], metavar="NAME", help="only this owner/name (repeatable)")
    parser.add_argument("--jobs", type=int, default=1, help="repositories linted in parallel")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the full results here")
    parser.add_argument("--baseline", type=Path, metavar="FILE", help="an earlier --json file: print what changed")
    parser.add_argument("--max-findings", type=int, default=report.MAX_FINDINGS, metavar="N",
                        help="errors and warnings listed per disagreement (0: all)")
    args = parser.parse_args(argv)
    try:
        entries, notes = load_corpus(args.corpus or [CORPUS])
        entries = select(entries, args.only)
        baseline = (str(args.baseline), read_baseline(args.baseline)) if args.baseline else None
    except CorpusError as err:
        print(f"benchmarks.realworld: {err}", file=sys.stderr)
        return 2
    places = run.Places.from_env(os.environ)
    _, seeded = run.seed_references(places.shared, places.references)
    notes = [f"corpus: {len(entries)} repositories; mirrors {places.mirrors}; trees {places.work}", seeded, *notes]
    results = run_all(entries, places, args.jobs, progress=True)
    print(report.render(results, totals(results), notes, args.max_findings, baseline))
    if args.json:
        write_json(args.json, results, notes)
        print(f"\nresults written to {args.json}")
    return 0
