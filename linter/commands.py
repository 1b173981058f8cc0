"""The subcommands behind the CLI. Each takes parsed arguments and returns an exit code."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from linter.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, FORMAT_NAMES, UsageError, exit_code, use_color
from linter.rule_index import find_rule, indexed_rules
from linter.settings import (
    FileSettings,
    Settings,
    SettingsError,
    did_you_mean,
    fail_threshold,
    load_file_settings,
    merge_excludes,
    nearest,
)

if TYPE_CHECKING:
    from linter.engine import Run
    from linter.reporters.check_plugin import Printed


def known_rule_keys() -> dict[str, str]:
    keys = {}
    for rule in indexed_rules():
        keys[rule.meta.id] = rule.meta.id
        keys[rule.meta.name] = rule.meta.id
    return keys


def settings_from_args(args: argparse.Namespace) -> Settings:
    try:
        file = load_file_settings(args.config, known_rule_keys())
    except SettingsError as err:
        raise UsageError(str(err)) from None
    return _merge(args, file)


def _merge(args: argparse.Namespace, file: FileSettings) -> Settings:
    version = getattr(args, "krakend_version", None) or file.krakend_version
    version_source = version_label(getattr(args, "krakend_version", None), file)
    if version:
        check_krakend_version(version, version_source)
    token = getattr(args, "github_token", None) or os.environ.get("GITHUB_TOKEN", "")
    go_version = getattr(args, "krakend_go_version", None) or ""
    if go_version and not _looks_like_version(go_version):
        raise UsageError(f"--krakend-go-version: {go_version!r} is not a Go release like 1.22.5")
    for option in ("paths", "plugin_so", "gateway_config", "gateway_config_rendered"):
        for path in getattr(args, option, None) or ():
            _must_exist(path, "path" if option == "paths" else "--" + option.replace("_", "-"))
    return Settings(
        paths=tuple(getattr(args, "paths", None) or [Path()]),
        krakend_version=version.lstrip("v") if version else "",
        krakend_version_source=version_source if version else "",
        krakend_go_sum=args.krakend_go_sum,
        krakend_go_mod=args.krakend_go_mod,
        krakend_binary=args.krakend_binary,
        krakend_go_version=go_version.removeprefix("go"),
        krakend_libc=getattr(args, "krakend_libc", None) or "",
        plugin_sos=tuple(getattr(args, "plugin_so", ())),
        gateway_configs=tuple(getattr(args, "gateway_config", ())),
        rendered_configs=tuple(getattr(args, "gateway_config_rendered", ())),
        offline=args.offline,
        cache_dir=args.cache_dir,
        github_token=token,
        mode=getattr(args, "mode", None) or file.mode or "precise",
        fail_on=getattr(args, "fail_on", None) or file.fail_on or "error",
        exclude=merge_excludes(file.exclude, getattr(args, "exclude", ())),
        provided_names=file.provided_names,
        rules=file.rules,
        select=selection(getattr(args, "select", None) or ()),
    )


def version_label(cli_version: str | None, file: FileSettings) -> str:
    """Where the KrakenD version came from, as findings and notices label it."""
    if cli_version or not file.krakend_version:
        return "--krakend-version"
    return f"{file.source}: krakend-version"


def check_krakend_version(version: str, where: str) -> None:
    """A requested KrakenD version must name a release (or one newer than the table): `2.7.9` is a
    usage error that names the nearest releases; `latest`, `2.7` and `2` are resolved later."""
    from linter.krakend.releases import UnknownReleaseError, check_requested

    try:
        check_requested(version)
    except UnknownReleaseError as err:
        raise UsageError(f"{where}: {err}") from None


def _show_version(args: argparse.Namespace) -> tuple[str, str]:
    """`reference show [X.Y.Z]`: the release asked for (positional or --krakend-version), resolved
    when it floats (`latest` -> the newest release), and how the output labels it."""
    from linter.krakend.releases import UnknownReleaseError, check_requested, normalize

    if args.version and args.krakend_version and normalize(args.version) != normalize(args.krakend_version):
        raise UsageError(f"reference show: {args.version} and --krakend-version {args.krakend_version} disagree")
    written = args.version or args.krakend_version or ""
    args.krakend_version = written or None
    if not written:
        return "", "--krakend-version"
    try:
        version = check_requested(written)
    except UnknownReleaseError as err:
        raise UsageError(f"reference show: {err}") from None
    if normalize(written) == version:
        return version, "--krakend-version"
    return version, f"--krakend-version {written} (the newest release it means)"


def selection(patterns: Sequence[str]) -> tuple[str, ...]:
    """``--select`` values (repeatable, or comma-separated) as rule IDs or ``KPNxx`` families. IDs,
    families and rule names match ignoring case (``kp101``, ``KP1XX``, ``shared-module-version``);
    anything else is a typo: exit 2 with the nearest valid name."""
    ids = {rule.meta.id: rule.meta.id for rule in indexed_rules()}
    names = {rule.meta.name: rule.meta.id for rule in indexed_rules()}
    families = {rule_id[:-2] + "xx": rule_id[:-2] + "xx" for rule_id in ids}
    chosen = []
    for pattern in (part for value in patterns for part in value.split(",")):
        text = pattern.strip()
        family = families.get(text.upper()[:-2] + "xx") if text.upper().endswith("XX") else None
        found = ids.get(text.upper()) or names.get(text.lower()) or family
        if found is None:
            hint = did_you_mean(text, [*ids, *families, *names])
            raise UsageError(f"--select: unknown rule or family {pattern!r}{hint} "
                             "(`krakend-plugin-lint rules` lists them; a family is written like KP1xx)")
        chosen.append(found)
    return tuple(dict.fromkeys(chosen))


def check_reporters(args: argparse.Namespace) -> None:
    """An unknown ``--reporters`` name is an error, not a channel silently dropped."""
    value = getattr(args, "reporters", None)
    if not value:
        return
    from linter.reporters.github_options import ALL_CHANNELS

    for name in (part.strip() for part in value.replace("\n", ",").split(",")):
        if name and name not in ALL_CHANNELS:
            raise UsageError(f"--reporters: unknown channel {name!r}{did_you_mean(name, ALL_CHANNELS)} "
                             f"(known: {', '.join(ALL_CHANNELS)})")


def _must_exist(path: Path, what: str) -> None:
    """A path given on the command line that is not there is an error naming the nearest that is."""
    if "\0" in str(path):
        raise UsageError(f"{what}: {str(path)!r} is not a valid path (it contains a NUL byte)")
    try:
        if path.exists():
            return
    except OSError as err:
        raise UsageError(f"{what}: cannot read {str(path)!r}: {err.strerror}") from None
    raise UsageError(f"{what}: {str(path)!r} does not exist{_nearest_sibling(path)}")


def _nearest_sibling(path: Path) -> str:
    """``; did you mean 'plugins/auth'?`` from the entries of the folder the path names."""
    parent = path.parent
    try:
        siblings = [entry.name for _, entry in zip(range(10_000), parent.iterdir(), strict=False)]
    except OSError:
        return ""
    near = nearest(path.name, siblings)
    return f"; did you mean {str(parent / near)!r}?" if near is not None else ""


def _looks_like_version(text: str) -> bool:
    parts = text.lstrip("v").removeprefix("go").split(".")
    return 1 <= len(parts) <= 3 and all(part.isdigit() for part in parts)


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
    from linter.redact import redact_run

    result = redact_run(run(settings, Path.cwd()))  # every output below sees only the redacted report
    emulated: int | None = None  # the exit status of `krakend check-plugin`, when it owns stdout
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
    _run_github_channels(result, args)
    if args.target_version:
        _print_upgrade(result, settings, args.target_version)
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


def _print_upgrade(result: Run, settings: Settings, version: str) -> None:
    """`check --target-version V`: the exact edits that move each plugin to release V."""
    from linter.matrix_command import ENTERPRISE_MATRIX, upgrade_plans
    from linter.resolver import Resolver

    edition = result.context.target.edition
    if edition == "ee":
        print(f"krakend-plugin-lint: --target-version: {ENTERPRISE_MATRIX}", file=sys.stderr)
        return
    with Resolver(settings, Path.cwd()) as resolver:
        lookup = resolver.lookup(edition=edition)
        for plan in upgrade_plans(result.loaded.workspace, version, lookup, result.loaded.texts):
            _print_report("terminal", plan.render_text() + "\n")


def render(name: str, result: Run, args: argparse.Namespace) -> str:
    from linter.reporters import FORMATS, RenderContext

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
    from linter.krakend.checkplugin import indirect_requirements, libc_string
    from linter.krakend.checkplugin import run as run_check_plugin
    from linter.reporters.check_plugin import (
        Printed,
        combine,
        command_error,
        go_panic,
        missing_gosum,
        render_check_plugin,
    )
    from linter.rules._dependencies import check_plugin_want

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


def _run_github_channels(result: Run, args: argparse.Namespace) -> None:
    if not getattr(args, "reporters", None) and os.environ.get("GITHUB_ACTIONS") != "true":
        return
    from linter.reporters.github import run_github_channels

    run_github_channels(result.report, indexed_rules(), args, os.environ, result.loaded.source_line)


def explain(args: argparse.Namespace) -> int:
    rule = find_rule(args.rule)
    if rule is None:
        keys = [key for known in indexed_rules() for key in (known.meta.id, known.meta.name)]
        print(f"krakend-plugin-lint: error: no rule {args.rule!r}{did_you_mean(args.rule, keys)}; "
              "`krakend-plugin-lint rules` lists them", file=sys.stderr)
        return EXIT_USAGE
    print(f"{rule.meta.id} {rule.meta.name} ({rule.meta.default_severity.label})\n")
    print(rule.doc.strip())
    return EXIT_OK


def list_rules(args: argparse.Namespace) -> int:
    for rule in indexed_rules():
        meta = rule.meta
        print(f"{meta.id}  {meta.name:<32} {meta.default_severity.label:<8} {meta.summary}")
    return EXIT_OK


def matrix(args: argparse.Namespace) -> int:
    """For each KrakenD release: would this plugin load (Go version and shared modules)."""
    from linter import matrix_command

    return matrix_command.run_matrix(args, settings_from_args(args))


def reference(args: argparse.Namespace) -> int:
    import json

    from linter.resolver import Resolver

    if args.reference_command == "pull":
        token = args.github_token if args.github_token is not None else os.environ.get("GITHUB_TOKEN", "")
        with Resolver(Settings(cache_dir=args.cache_dir, github_token=token), Path.cwd()) as resolver:
            pulled = resolver.pull(args.versions)
        print(pulled.render_text())
        return EXIT_OK if pulled.ok else EXIT_FINDINGS
    version, version_source = _show_version(args)
    settings = settings_from_args(args)
    if not version and settings.krakend_version_source:
        version_source = settings.krakend_version_source
    with Resolver(settings, Path.cwd()) as resolver:
        shown = resolver.show(version or settings.krakend_version, version_source)
    print(json.dumps(shown.as_dict(), indent=2) if args.format == "json" else shown.render_text())
    return EXIT_OK if shown.resolved.reference is not None else EXIT_FINDINGS


def fix(args: argparse.Namespace) -> int:
    """`fix [PATH] [--target-version V] [--dry-run]`: see ``linter.fix_command``."""
    from linter import fix_command

    args.paths = [args.path]
    return fix_command.run_fix(args, settings_from_args(args))
