"""`check` (the default command): lint, write each output format, run the GitHub channels, and
print the edits of `--target-version`."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from linter.commands.exits import EXIT_USAGE, UsageError, exit_code
from linter.commands.options import FORMAT_NAMES, settings_from_args
from linter.rule_index import indexed_rules
from linter.settings import did_you_mean, fail_threshold

if TYPE_CHECKING:
    from linter.engine import Run
    from linter.formats.check_plugin import Printed
    from linter.github.channels.options import ChannelOptions
    from linter.resolver import Resolver


def check_reporters(args: argparse.Namespace) -> None:
    """An unknown ``--reporters`` name is an error, not a channel silently dropped."""
    value = getattr(args, "reporters", None)
    if not value:
        return
    from linter.github.channels.options import ALL_CHANNELS, channel_names

    for name in channel_names(value):
        if name not in ALL_CHANNELS:
            raise UsageError(f"--reporters: unknown channel {name!r}{did_you_mean(name, ALL_CHANNELS)} "
                             f"(known: {', '.join(ALL_CHANNELS)})")


def _outputs(args: argparse.Namespace) -> list[tuple[str, Path | None]]:
    """(format, file) pairs; file None means standard output."""
    wanted: list[tuple[str, Path | None]] = [(name, None) for name in args.format]
    for item in args.output:
        name, sep, file = item.partition("=")
        if not sep or not file:
            raise UsageError(f"--output: expected FORMAT=FILE, got {item!r}")
        wanted.append((name, Path(file)))
    for name, _ in wanted:
        if name not in FORMAT_NAMES:
            raise UsageError(f"--format: unknown format {name!r} (known: {', '.join(FORMAT_NAMES)})")
    check_output_choice(wanted, fix_commands=args.fix_commands)
    if not any(file is None for _, file in wanted):
        wanted.insert(0, ("terminal", None))
    return wanted


def check_output_choice(wanted: Sequence[tuple[str, Path | None]], *, fix_commands: bool) -> None:
    """One format on standard output (two would interleave into something no reader can parse), and
    `--fix-commands` only where the check-plugin text is written."""
    to_stdout = [name for name, file in wanted if file is None]
    if len(to_stdout) > 1:
        others = " ".join(f"--output {name}=FILE" for name in to_stdout[1:])
        raise UsageError(f"--format: only one format can go to standard output, got {', '.join(to_stdout)}; "
                         f"write the others to files, e.g. {others}")
    if fix_commands and all(name != "check-plugin" for name, _ in wanted):
        raise UsageError("--fix-commands: only the check-plugin format prints fix commands; "
                         "add --format check-plugin (or --output check-plugin=FILE)")


def check(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    args.fail_on = settings.fail_on  # the config file's fail-on also drives the GitHub verdict
    outputs = _outputs(args)
    check_reporters(args)
    from linter.engine import run
    from linter.resolver import Resolver

    # One resolver for the run and for --target-version: one cache, one GitHub client and budget.
    with Resolver(settings, Path.cwd()) as resolver:
        result = _redacted(run(settings, Path.cwd(), resolver))  # outputs see only the redacted report
        emulated = _write_outputs(result, outputs, args)
        from linter.github_flags import github_options

        _run_github_channels(result, github_options(args, os.environ, outputs))
        if args.target_version:
            _print_upgrade(result, resolver, args.target_version)
    if emulated is not None and not result.crashed:
        return emulated
    return exit_code(result.report, fail_threshold(settings.fail_on), result.crashed)


def _print_check_plugin(printed: Printed) -> None:
    """Each stream where the real command writes it (both are the job log inside GitHub Actions,
    where the text is printed with workflow commands stopped)."""
    from linter.github.workflow_log import in_actions, untrusted_block

    for stream, text in ((sys.stderr, printed.stderr), (sys.stdout, printed.stdout)):
        if not text:
            continue
        stream.flush()
        if in_actions(os.environ):
            with untrusted_block(stream, os.environ):
                stream.write(text)
        else:
            stream.write(text)
        stream.flush()


def _print_report(name: str, text: str) -> None:
    """A report on standard output. Inside GitHub Actions that is the step's log, which runs
    workflow commands: JSON formats get ``##[`` written as ``#\\u0023[`` (the same JSON value), text
    formats are printed with commands stopped (our annotations come after, outside the block)."""
    from linter.github.workflow_log import in_actions, json_safe, untrusted_block

    if not in_actions(os.environ):
        sys.stdout.write(text)
    elif name in ("json", "sarif", "rdjson"):
        sys.stdout.write(json_safe(text))
    else:
        with untrusted_block(sys.stdout, os.environ):
            sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _redacted(found: Run) -> Run:
    from linter.redact import redact_report

    return dataclasses.replace(found, report=redact_report(found.report))


def _write_outputs(result: Run, outputs: Sequence[tuple[str, Path | None]], args: argparse.Namespace) -> int | None:
    """Each format to stdout or its file; the exit status of `krakend check-plugin` when that
    format owns stdout."""
    emulated: int | None = None
    for name, file in outputs:
        if name == "check-plugin":
            printed = render_check_plugin_format(result, args)
            if file is None:
                _print_check_plugin(printed)
                emulated = printed.exit_code
            else:
                _write(file, printed.text)
            continue
        text = render(name, result, args)
        if file is None:
            _print_report(name, text)
        else:
            _write(file, text)
    return emulated


def _print_upgrade(result: Run, resolver: Resolver, version: str) -> None:
    """`check --target-version V`: the exact edits that move each plugin to release V."""
    from linter.commands.matrix import ENTERPRISE_MATRIX, upgrade_plans
    from linter.formats.upgrade import render_upgrade

    edition = result.context.target.edition
    if edition == "ee":
        print(f"krakend-plugin-lint: --target-version: {ENTERPRISE_MATRIX}", file=sys.stderr)
        return
    lookup = resolver.lookup(edition=edition)
    for plan in upgrade_plans(result.loaded.workspace, version, lookup, result.loaded.texts):
        _print_report("terminal", render_upgrade(plan) + "\n")


def render(name: str, result: Run, args: argparse.Namespace) -> str:
    from linter.formats import FORMATS, RenderContext

    if name == "check-plugin":
        return render_check_plugin_format(result, args).text
    ctx = RenderContext(
        rules=indexed_rules(),
        color=use_color(args.no_color) and name == "terminal",
        fail_on=fail_threshold(args.fail_on or "error"),
        source_lines=result.loaded.source_line,
    )
    return FORMATS[name](result.report, ctx)


def render_check_plugin_format(result: Run, args: argparse.Namespace) -> Printed:
    """What `krakend check-plugin -s <go.sum> [-l <--libc>] [-f]` of the target release prints, one
    run per plugin. The "want" side is KrakenD's build list (what its binary's build info holds)
    and the libc string the release's binary carries; `-g` defaults to KrakenD's own Go there, so
    Go is never compared."""
    from linter.analysis.dependencies import check_plugin_want
    from linter.formats.check_plugin import (
        Printed,
        combine,
        command_error,
        go_panic,
        missing_gosum,
        render_check_plugin,
    )
    from linter.krakend.checkplugin import indirect_requirements, libc_string
    from linter.krakend.checkplugin import run as run_check_plugin

    fix_commands = bool(args.fix_commands)
    target = result.context.target
    reference, version = result.context.reference, target.version
    refused = command_error(version, fix_commands=fix_commands)
    if refused is not None:
        return refused
    if reference is None:
        why = ("KrakenD Enterprise Edition publishes no module versions: pass --krakend-go-sum or "
               "--krakend-binary taken from your EE image" if target.edition == "ee" else
               "No KrakenD reference: pass --krakend-version, --krakend-go-sum or --krakend-binary")
        return Printed(stderr=f"{why}\n", exit_code=EXIT_USAGE)
    libc_want = getattr(args, "krakend_libc_string", None)
    if libc_want is None and target.release is not None:
        libc_want = libc_string(target.release, target.libc or "musl")
    libc_have = getattr(args, "libc", "") if libc_want is not None else None
    runs: list[tuple[str, Printed]] = []
    for plugin in result.loaded.workspace.plugins:
        if plugin.gosum is None:
            path = "./go.sum" if plugin.dir in ("", ".") else plugin.path("go.sum")
            runs.append((path, missing_gosum(path)))
            continue
        outcome = run_check_plugin(plugin.gosum, check_plugin_want(reference), version=version,
                                   libc_want=libc_want, libc_have=libc_have)
        printed = go_panic(outcome.panic) if outcome.panic else render_check_plugin(
            outcome.diffs, version=version, fix_commands=fix_commands, indirect=indirect_requirements(plugin.gomod))
        runs.append((str(plugin.gosum.path), printed))
    return combine(runs) if runs else Printed()


def _write(file: Path, text: str) -> None:
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_name(file.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(file)
    except OSError as err:
        raise UsageError(f"--output: cannot write {file}: {err.strerror}") from None


def _run_github_channels(result: Run, options: ChannelOptions | None) -> None:
    if options is None:
        return
    from linter.github.channels.run import run_github_channels

    run_github_channels(result.report, indexed_rules(), options, os.environ, result.loaded.source_line)


def use_color(no_color: bool) -> bool:
    return not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()
