"""Parsed command-line options -> ``Settings``: the config file merged under the options, every
value checked (a typo is a usage error naming the nearest valid value)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path

from linter.commands.exits import UsageError
from linter.github.token import github_token
from linter.rule_index import indexed_rules
from linter.settings import (
    FileSettings,
    Settings,
    SettingsError,
    did_you_mean,
    load_file_settings,
    merge_excludes,
    nearest,
)

FORMAT_NAMES = ("terminal", "json", "sarif", "rdjson", "check-plugin")


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
    token = github_token(getattr(args, "github_token", None), os.environ)
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
