"""The command line: `check`, `explain`, `rules`, `matrix`, `reference`, `fix`. Decides the exit code.

Exit codes (``linter.commands.exits``): 0 nothing at or above --fail-on; 1 findings at or above it;
2 usage or configuration error; 3 internal error (a rule crashed; every other finding is still
reported). Each subcommand lives in its own module under ``linter.commands``, imported only when
it runs.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from linter import __version__
from linter.commands.exits import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_USAGE, UsageError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="krakend-plugin-lint", description="Will this KrakenD plugin load? Lints a plugin repo.")
    parser.add_argument("--version", action="version", version=f"krakend-plugin-lint {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    _add_check(sub.add_parser("check", help="lint plugin repositories (default command)"))
    explain = sub.add_parser("explain", help="print a rule's documentation")
    explain.add_argument("rule", help="rule ID or name, e.g. KP101")
    sub.add_parser("rules", help="list every rule")
    _add_matrix(sub.add_parser("matrix", help="which KrakenD releases this plugin would load into"))
    _add_reference(sub.add_parser("reference", help="fill or show the KrakenD reference cache"))
    _add_fix(sub.add_parser("fix", help="apply every fix the findings carry (and move to --target-version)"))
    return parser


def _add_fix(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("path", nargs="?", type=Path, default=Path(), help="the folder to fix (default .)")
    _add_target_options(cmd)
    cmd.add_argument("--target-version", metavar="X.Y.Z",
                     help="also move the plugin and its deployment to this release (or `latest`)")
    cmd.add_argument("--dry-run", action="store_true", help="print a unified diff; write nothing")
    cmd.add_argument("--select", action="append", default=[], metavar="RULE",
                     help="only apply the fixes of these rules or families (KP101, KP1xx); repeatable")
    cmd.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="skip paths matching GLOB")


def _add_target_options(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--krakend-version", metavar="X.Y.Z", help="the KrakenD release to check against")
    cmd.add_argument("--krakend-go-sum", type=Path, metavar="FILE", help="KrakenD's go.sum as the reference")
    cmd.add_argument("--krakend-go-mod", type=Path, metavar="FILE", help="KrakenD's go.mod as the reference")
    cmd.add_argument("--krakend-binary", type=Path, metavar="FILE", help="a KrakenD executable (exact verdict)")
    cmd.add_argument("--krakend-go-version", metavar="X.Y.Z",
                     help="the Go release a self-built KrakenD was compiled with (overrides the release table)")
    cmd.add_argument("--krakend-libc", choices=("musl", "glibc"), help="the libc of a self-built KrakenD")
    cmd.add_argument("--offline", action="store_true", help="never touch the network")
    cmd.add_argument("--cache-dir", type=Path, metavar="DIR", help="where fetched references are cached")
    cmd.add_argument("--github-token", default=None, help="token for fetching references (default: $GITHUB_TOKEN)")
    cmd.add_argument("--config", type=Path, metavar="FILE", help="config file (default .github/krakend-lint.yml)")


def _add_check(cmd: argparse.ArgumentParser) -> None:
    from linter.commands.options import FORMAT_NAMES  # with the parser, not the module: `import linter.cli` stays light

    cmd.add_argument("paths", nargs="*", type=Path, default=[], help="folders or files to lint (default .)")
    _add_target_options(cmd)
    cmd.add_argument("--plugin-so", type=Path, action="append", default=[], metavar="FILE",
                     help="a built plugin .so to check (repeatable)")
    cmd.add_argument("--gateway-config", type=Path, action="append", default=[], metavar="FILE",
                     help="a gateway config to lint besides the krakend.* files found")
    cmd.add_argument("--gateway-config-rendered", type=Path, action="append", default=[], metavar="FILE",
                     help="a rendered Flexible Configuration file to lint instead of its template")
    cmd.add_argument("--mode", choices=("precise", "check-plugin"), default=None,
                     help="dependency comparison: precise (default) or exactly as `krakend check-plugin`")
    cmd.add_argument("--fail-on", choices=("error", "warning", "notice", "never"), default=None)
    cmd.add_argument("--format", action="append", default=[], metavar="FORMAT",
                     help=f"output format, repeatable: {', '.join(FORMAT_NAMES)}")
    cmd.add_argument("--output", action="append", default=[], metavar="FORMAT=FILE",
                     help="write one format to a file instead of standard output")
    cmd.add_argument("--fix-commands", action="store_true",
                     help="check-plugin format only: print fix commands (its -f)")
    cmd.add_argument("--libc", default="", metavar="STRING",
                     help="check-plugin format: the plugin's libc string (its -l; default empty, as there)")
    cmd.add_argument("--krakend-libc-string", default=None, metavar="STRING",
                     help="check-plugin format: KrakenD's libc string as `krakend version` prints it "
                          "(default: the release's, as far as known)")
    cmd.add_argument("--target-version", metavar="X.Y.Z", help="also print the edits to move to this release")
    cmd.add_argument("--select", action="append", default=[], metavar="RULE",
                     help="only run these rules or families (KP101, KP1xx); repeatable")
    cmd.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="skip paths matching GLOB")
    cmd.add_argument("--no-color", action="store_true", help="never colour the terminal output")
    from linter.github_flags import add_arguments

    add_arguments(cmd)


def _add_matrix(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("paths", nargs="*", type=Path, default=[])
    _add_target_options(cmd)
    cmd.add_argument("--versions", metavar="A..B", help="range of releases, e.g. 2.7.0..2.13.8")
    cmd.add_argument("--upgrade-to", metavar="X.Y.Z", help="print the edits to move the plugin to this release")
    cmd.add_argument("--format", choices=("terminal", "markdown", "json"), default="terminal")


def _add_reference(cmd: argparse.ArgumentParser) -> None:
    sub = cmd.add_subparsers(dest="reference_command", parser_class=_Parser, required=True)
    pull = sub.add_parser("pull", help="fetch references into the cache (for air-gapped CI)")
    pull.add_argument("versions", nargs="+", metavar="X.Y.Z")
    pull.add_argument("--cache-dir", type=Path, metavar="DIR")
    pull.add_argument("--github-token", default=None)
    show = sub.add_parser("show", help="print the reference the linter would use and where each fact came from")
    show.add_argument("version", nargs="?", metavar="X.Y.Z", help="the KrakenD release (as --krakend-version)")
    _add_target_options(show)
    show.add_argument("--format", choices=("terminal", "json"), default="terminal")


def run() -> int:
    """``main`` for a process that ends with it (`python -m linter`, the console script), with the
    cycle collector tuned for a short run (not for tests, which call ``main`` in-process):

    - start-up creates tens of thousands of long-lived objects (modules, classes, functions); a
      young-generation collection every 700 allocations ran some 36 times while linting the bundled
      example, freed under a thousand objects and cost 7-10 ms, so it runs every 10,000;
    - what the run built is frozen before the exit (``gc.freeze``): the interpreter's last
      collection then skips it, which was a tenth of a short run. Objects are still freed."""
    gc.set_threshold(10_000, *gc.get_threshold()[1:])
    code = main()
    gc.freeze()
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; inside GitHub Actions every line written is made unable to run a workflow
    command (``linter.github.workflow_log``), since much of it quotes the scanned repository."""
    from linter.github.workflow_log import guarded_streams

    with guarded_streams(os.environ):
        return _main(list(sys.argv[1:] if argv is None else argv))


def _main(args_list: list[str]) -> int:
    if not args_list or args_list[0] not in ("check", "explain", "rules", "matrix", "reference", "fix", "-h", "--help",
                                             "--version"):
        args_list.insert(0, "check")
    try:
        args = build_parser().parse_args(args_list)
        return _dispatch(args)
    except _usage_errors() as err:
        print(f"krakend-plugin-lint: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as done:  # --help and --version
        return int(done.code or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `krakend-plugin-lint explain KP201 | head`: the reader left; say nothing more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FINDINGS
    except Exception as err:  # a bug must still end with a message and exit code 3
        if os.environ.get("KPL_DEBUG") == "1":
            raise
        print(f"krakend-plugin-lint: internal error: {type(err).__name__}: {err} "
              f"(set KPL_DEBUG=1 for the traceback and please report it)", file=sys.stderr)
        return EXIT_INTERNAL


def _usage_errors() -> tuple[type[Exception], ...]:
    """The errors that mean a wrong command line. A bad reference file can only come from the
    resolver, and only once it was imported: ``rules`` and ``explain`` never import it."""
    resolver = sys.modules.get("linter.resolver")
    return (UsageError,) if resolver is None else (UsageError, resolver.ReferenceFileError)


def _dispatch(args: argparse.Namespace) -> int:
    return _handler(args.command)(args)


def _handler(command: str) -> Callable[[argparse.Namespace], int]:
    """The command's entry point; only its own module is imported (start-up is most of a short run)."""
    if command == "explain":
        from linter.commands import rules

        return rules.explain
    if command == "rules":
        from linter.commands import rules

        return rules.list_rules
    if command == "matrix":
        from linter.commands import matrix

        return matrix.matrix
    if command == "reference":
        from linter.commands import reference

        return reference.reference
    if command == "fix":
        from linter.commands import fix

        return fix.fix
    from linter.commands import check

    return check.check
