"""Would the linter have caught each public plugin-loading report? A table over tests/replay/.

Usage::

    python -m benchmarks.replay [--only CASE ...] [--width 110]

Each case under ``tests/replay/<tracker>-<number>/`` (format in that folder's README) is linted
offline, in-process, twice: its ``broken/`` twin (the reporter's setup) and its ``fixed/`` twin.
Per case the table prints the error the report quotes, our findings on the broken twin (rule,
path:line, message, cut to the width), and two verdicts:

* caught before deploying: the broken twin gets at least one error or warning, so the run would
  have failed or warned before the plugin reached KrakenD;
* right cause: every finding the case expects (the real cause, on the right line) is among them.

Then the totals (the share caught with the right cause), every miss with the reason the case
records (``why_not`` for causes no linter can see, ``known_gap`` for ones ours should), and any
error or warning on a fixed twin (a false finding).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from linter.model import Finding
from tests.replay.cases import Case, CaseError, blocking, case_dirs, describe, lint_twin, load_case, missing


@dataclass(frozen=True)
class Outcome:
    case: Case
    broken: tuple[Finding, ...]
    fixed_blocking: tuple[Finding, ...]

    @property
    def caught(self) -> bool:
        return bool(blocking(self.broken))

    @property
    def right_cause(self) -> bool:
        return self.case.catchable and not missing(self.case, self.broken)


def replay(case: Case, cache: Path) -> Outcome:
    broken = tuple(lint_twin(case, "broken", cache))
    fixed = tuple(blocking(lint_twin(case, "fixed", cache)))
    return Outcome(case, broken, fixed)


def cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(width - 1, 1)] + "…"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def print_table(outcomes: Sequence[Outcome], width: int) -> None:
    name_width = max([len("case"), *(len(o.case.name) for o in outcomes)])
    print(f"{'case':<{name_width}}  caught before deploying  right cause")
    for o in outcomes:
        print(f"{o.case.name:<{name_width}}  {_yes(o.caught):<23}  {_yes(o.right_cause)}")
        print(f"    real error: {cut(o.case.real_error, width - 16)}")
        shown = sorted(o.broken, key=Finding.sort_key)
        if not shown:
            print("    our findings: none")
        for finding in shown:
            print(f"    {cut(describe(finding), width - 4)}")


def print_totals(outcomes: Sequence[Outcome]) -> None:
    total = len(outcomes)
    caught = sum(o.caught for o in outcomes)
    right = sum(o.right_cause for o in outcomes)
    catchable = sum(o.case.catchable for o in outcomes)
    clean = sum(not o.fixed_blocking for o in outcomes)
    print()
    print(f"cases: {total} ({catchable} catchable, {total - catchable} not catchable before deploying)")
    print(f"caught before deploying: {caught}/{total} ({_share(caught, total)})")
    print(f"caught with the right cause: {right}/{total} ({_share(right, total)}); "
          f"of the catchable ones {right}/{catchable} ({_share(right, catchable)})")
    print(f"fixed twins with no error or warning: {clean}/{total}")


def print_misses(outcomes: Sequence[Outcome], width: int) -> None:
    misses = [o for o in outcomes if not o.right_cause]
    print()
    print(f"misses ({len(misses)}):")
    for o in misses:
        if not o.case.catchable:
            reason = f"not catchable: {o.case.why_not}"
        elif o.case.known_gap:
            reason = f"known gap: {o.case.known_gap}"
        else:
            reason = "regression: expected " + ", ".join(map(str, missing(o.case, o.broken)))
        print(f"  {o.case.name}: {cut(reason, 10 * width)}")
    false = [o for o in outcomes if o.fixed_blocking]
    if false:
        print()
        print(f"false findings on fixed twins ({len(false)}):")
        for o in false:
            for finding in o.fixed_blocking:
                print(f"  {o.case.name}: {cut(describe(finding), width)}")


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def select(only: Sequence[str]) -> list[Path]:
    folders = case_dirs()
    if not only:
        return folders
    known = {p.name: p for p in folders}
    unknown = [name for name in only if name not in known]
    if unknown:
        raise SystemExit(f"--only: unknown case(s) {', '.join(unknown)}; cases are under tests/replay/")
    return [known[name] for name in only]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.replay", description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", default=[], metavar="CASE", help="case folder names, e.g. krakend-ce-187")
    parser.add_argument("--width", type=int, default=110, help="cut lines to this many characters")
    args = parser.parse_args(argv)
    try:
        cases = [load_case(folder) for folder in select(args.only)]
    except CaseError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="kpl-replay-") as cache:
        outcomes = [replay(case, Path(cache)) for case in cases]
    print_table(outcomes, args.width)
    print_totals(outcomes)
    print_misses(outcomes, args.width)
    return 0


if __name__ == "__main__":
    sys.exit(main())
