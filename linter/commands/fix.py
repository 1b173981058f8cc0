"""`fix`: the command around ``linter.fix``: settings, the target release, output and exit code.

Exit codes: 0 the tree is fixed (or needed nothing); 1 with ``--dry-run`` when there is something to
change, or when a file was refused or a fixable finding is left; 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from linter.commands.exits import EXIT_FINDINGS, EXIT_OK, UsageError
from linter.commands.options import settings_from_args
from linter.engine import run
from linter.fix import Checker, FixResult, fix_tree, unified_diff, with_refusals, write_changes
from linter.model import Finding
from linter.resolver import Resolver
from linter.settings import Settings

# Commands a fix cannot run for the user, and why.
_WHY = {"go mod tidy": "it needs the network to fetch modules and update go.sum"}


def fix(args: argparse.Namespace) -> int:
    """`fix [PATH] [--target-version V] [--dry-run]`."""
    args.paths = [args.path]
    return run_fix(args, settings_from_args(args))


def run_fix(args: argparse.Namespace, settings: Settings) -> int:
    root = Path(args.path)
    if not root.is_dir():
        raise UsageError(f"fix: {str(root)!r} is not a folder")
    target = ""
    if args.target_version:
        from linter.commands.matrix import target_release

        target = target_release(args.target_version).version
        settings = replace(settings, krakend_version=target)
    result = fix_tree(root, _checker(settings, target))
    prefix = _prefix(root)
    if args.dry_run:
        sys.stdout.write(unified_diff(result.changes, prefix))
        _summary(result, prefix, written=False)
        return EXIT_FINDINGS if result.changed or result.left else EXIT_OK
    _, refused = write_changes(root, result.changes)
    result = with_refusals(result, refused)
    _summary(result, prefix, written=True)
    return EXIT_FINDINGS if result.refused or result.left else EXIT_OK


def _checker(settings: Settings, target: str) -> Checker:
    def check(copy: Path) -> tuple[Sequence[Finding], Sequence[object]]:
        checked = run(replace(settings, paths=(copy,)), copy)
        # Without --target-version the deployment's own pinned release is the target: the build,
        # the runtime image, the variables and the schema are aligned with what it deploys.
        # Several deployments may deploy different releases on purpose: then only their findings' fixes.
        found = checked.context.target
        implicit = not settings.select and len(checked.deployments) == 1 and bool(found.version) and not found.floating
        version = target or (found.version if implicit else "")
        if not version:
            return checked.report.findings, ()
        from linter.commands.matrix import upgrade_plans

        with Resolver(settings, Path.cwd()) as resolver:
            try:
                plans = list(upgrade_plans(checked.loaded.workspace, version, resolver.lookup(), checked.loaded.texts))
            except UsageError:
                if target:
                    raise
                plans = []  # no reference for the deployed release offline: the findings' fixes only
        return checked.report.findings, plans

    return check


def _prefix(root: Path) -> str:
    text = root.as_posix()
    return "" if text in ("", ".") else text.rstrip("/") + "/"


def _summary(result: FixResult, prefix: str, *, written: bool) -> None:
    out = sys.stderr if not written else sys.stdout
    verb = "fixed" if written else "would fix"
    files = [c.path for c in result.changes if c.path not in {r.path for r in result.refused}]
    if not result.changes:
        print("nothing to fix", file=out)
    else:
        print(f"{verb} {len(files)} file{'s' if len(files) != 1 else ''} "
              f"({len(result.applied)} edits in {result.rounds} rounds):", file=out)
        for edit in result.applied:
            print(f"  {prefix}{edit.path}:{edit.line or 'end'}: {edit.reason}", file=out)
    for refused in result.refused:
        print(f"refused: {prefix}{refused.path}: {refused.reason}", file=out)
    for finding in result.left:
        print(f"not fixed: {prefix}{finding.location}: {finding.rule} {finding.name} (another fix edits the same "
              f"line; run fix again after reviewing)", file=out)
    for command in result.commands:
        print(f"run yourself: {command}  ({_WHY.get(command, 'the linter does not run commands')})", file=out)
    for note in result.notes:
        print(f"note: {note}", file=out)
