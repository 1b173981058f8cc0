"""The subcommands behind the CLI. Each takes parsed arguments and returns an exit code."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from linter.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, FORMAT_NAMES, UsageError, exit_code, use_color
from linter.engine import Run, run
from linter.redact import redact_run
from linter.rules import all_rules, by_id, rule_docs
from linter.settings import FileSettings, Settings, SettingsError, fail_threshold, load_file_settings, merge_excludes


def known_rule_keys() -> dict[str, str]:
    keys = {}
    for rule in all_rules():
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
    if version and not _looks_like_version(version):
        raise UsageError(f"--krakend-version: {version!r} is not a version like 2.7.0")
    token = getattr(args, "github_token", None) or os.environ.get("GITHUB_TOKEN", "")
    go_version = getattr(args, "krakend_go_version", None) or ""
    if go_version and not _looks_like_version(go_version):
        raise UsageError(f"--krakend-go-version: {go_version!r} is not a Go release like 1.22.5")
    return Settings(
        paths=tuple(getattr(args, "paths", None) or [Path()]),
        krakend_version=version.lstrip("v") if version else "",
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
        select=tuple(getattr(args, "select", ())),
    )


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
    if not any(file is None for _, file in wanted):
        wanted.insert(0, ("terminal", None))
    return wanted


def check(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    args.fail_on = settings.fail_on  # the config file's fail-on also drives the GitHub verdict
    outputs = _outputs(args)
    result = redact_run(run(settings, Path.cwd()))  # every output below sees only the redacted report
    for name, file in outputs:
        text = render(name, result, args)
        if file is None:
            sys.stdout.write(text)
        else:
            _write(file, text)
    _run_github_channels(result, args)
    if args.target_version:
        _print_upgrade(result, settings, args.target_version)
    return exit_code(result.report, fail_threshold(settings.fail_on), result.crashed)


def _print_upgrade(result: Run, settings: Settings, version: str) -> None:
    """`check --target-version V`: the exact edits that move each plugin to release V."""
    from linter.matrix_command import reference_lookup, upgrade_plans

    lookup = reference_lookup(settings, progress=False)
    for plan in upgrade_plans(result.loaded.workspace, version, lookup):
        print(plan.render_text())


def render(name: str, result: Run, args: argparse.Namespace) -> str:
    from linter.reporters import FORMATS, RenderContext

    if name == "check-plugin":
        return render_check_plugin_format(result, fix_commands=args.fix_commands)
    ctx = RenderContext(
        rules=rule_docs(),
        color=use_color(args.no_color) and name == "terminal",
        fail_on=fail_threshold(args.fail_on or "error"),
        source_lines=result.loaded.source_line,
    )
    return FORMATS[name](result.report, ctx)


def render_check_plugin_format(result: Run, *, fix_commands: bool) -> str:
    """What `krakend check-plugin -s <go.sum> [-f]` of the target release prints, per plugin."""
    from linter.krakend.checkplugin import indirect_requirements
    from linter.krakend.checkplugin import run as run_check_plugin
    from linter.reporters.check_plugin import render_check_plugin

    reference, version = result.context.reference, result.context.target.version
    plugins = [plugin for plugin in result.loaded.workspace.plugins if plugin.gosum is not None]
    if reference is None:
        return "No KrakenD reference: pass --krakend-version, --krakend-go-sum or --krakend-binary\n"
    blocks = []
    for plugin in plugins:
        assert plugin.gosum is not None
        outcome = run_check_plugin(plugin.gosum, reference.sum_versions, version=version)
        text = outcome.panic or render_check_plugin(outcome.diffs, version=version, fix_commands=fix_commands,
                                                    indirect=indirect_requirements(plugin.gomod))
        # One plugin prints exactly what check-plugin prints; a monorepo gets a header per go.sum.
        blocks.append(text if len(plugins) == 1 else f"==> {plugin.gosum.path} <==\n{text}")
    return "\n".join(blocks)


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

    run_github_channels(result.report, rule_docs(), args, os.environ, result.loaded.source_line)


def explain(args: argparse.Namespace) -> int:
    rule = by_id(args.rule)
    if rule is None:
        print(f"krakend-plugin-lint: error: no rule {args.rule!r}; `krakend-plugin-lint rules` lists them",
              file=sys.stderr)
        return EXIT_USAGE
    print(f"{rule.meta.id} {rule.meta.name} ({rule.meta.default_severity.label})\n")
    print(rule.doc.strip())
    return EXIT_OK


def list_rules(args: argparse.Namespace) -> int:
    for rule in all_rules():
        meta = rule.meta
        print(f"{meta.id}  {meta.name:<32} {meta.default_severity.label:<8} {meta.summary}")
    return EXIT_OK


def matrix(args: argparse.Namespace) -> int:
    """For each KrakenD release: would this plugin load (Go version and shared modules)."""
    from linter import matrix_command

    return matrix_command.run_matrix(args, settings_from_args(args))


def reference(args: argparse.Namespace) -> int:
    import json

    from linter.krakend.cache import Cache, cache_dir_for, pull_references, show_reference
    from linter.krakend.sources import GitHubConfig, ReferenceRequest

    cache = Cache(cache_dir_for(args.cache_dir, os.environ))
    github = GitHubConfig.from_env(os.environ, args.github_token)
    if args.reference_command == "pull":
        pulled = pull_references(args.versions, cache, github)
        print(pulled.render_text())
        return EXIT_OK if pulled.ok else EXIT_FINDINGS
    settings = settings_from_args(args)
    from linter.engine import _read_reference_file, read_krakend_binary

    request = ReferenceRequest(
        krakend_version=settings.krakend_version,
        binary=read_krakend_binary(settings.krakend_binary, Path.cwd()),
        binary_origin=str(settings.krakend_binary or ""),
        gosum=_read_reference_file(settings.krakend_go_sum, Path.cwd(), "gosum"),
        gomod=_read_reference_file(settings.krakend_go_mod, Path.cwd(), "gomod"),
        offline=settings.offline,
        github=github,
        version_source="--krakend-version",
    )
    shown = show_reference(request, cache)
    print(json.dumps(shown.as_dict(), indent=2) if args.format == "json" else shown.render_text())
    return EXIT_OK if shown.resolved.reference is not None else EXIT_FINDINGS
