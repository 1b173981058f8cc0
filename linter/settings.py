"""Settings: the config file (`.github/krakend-lint.yml` or `--config`) merged under CLI options.

The file is validated strictly: an unknown key, a wrong type or an unknown rule is a
``SettingsError`` naming the key, which the CLI turns into exit code 2.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from linter.model import Severity
from linter.suppression import ConfigIgnore

DEFAULT_CONFIG = Path(".github/krakend-lint.yml")
FAIL_ON = ("error", "warning", "notice", "never")
TOP_KEYS = frozenset({"krakend-version", "exclude", "fail-on", "mode", "provided-names", "rules", "enterprise"})
RULE_KEYS = frozenset({"disable", "severity", "ignore"})


class SettingsError(Exception):
    """A configuration mistake; the message names the file, the key and what is wrong."""


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``word`` (case ignored, difflib's ratio at least 0.6), or None."""
    folded: dict[str, str] = {}
    for choice in choices:
        folded.setdefault(choice.casefold(), choice)
    import difflib  # only for a typo

    near = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[near[0]] if near else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``; did you mean 'X'?`` for the nearest of ``choices``, or "" when none is near."""
    near = nearest(word, choices)
    return f"; did you mean {near!r}?" if near is not None else ""


@dataclass(frozen=True)
class RuleSettings:
    disable: bool = False
    severity: Severity | None = None
    ignore: tuple[ConfigIgnore, ...] = ()


@dataclass(frozen=True)
class FileSettings:
    krakend_version: str = ""
    exclude: tuple[str, ...] = ()
    fail_on: str = ""
    mode: str = ""
    provided_names: frozenset[str] = frozenset()
    rules: Mapping[str, RuleSettings] = field(default_factory=lambda: MappingProxyType({}))
    source: str = ""


def load_file_settings(path: Path | None, known_rules: Mapping[str, str]) -> FileSettings:
    """``known_rules`` maps every accepted key (ID and slug) to the rule ID."""
    if path is None:
        if not DEFAULT_CONFIG.is_file():
            return FileSettings()
        path = DEFAULT_CONFIG
    import yaml  # only with a config file: most runs have none

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as err:
        raise SettingsError(f"{path}: cannot read config file: {err.strerror}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise SettingsError(f"{path}: not valid YAML: {err}") from None
    if not isinstance(raw, dict):
        raise SettingsError(f"{path}: the config file must be a mapping of keys")
    return _parse(raw, str(path), known_rules)


def _parse(raw: dict[str, Any], source: str, known_rules: Mapping[str, str]) -> FileSettings:
    unknown = sorted(set(map(str, raw)) - TOP_KEYS)
    if unknown:
        raise SettingsError(f"{source}: unknown key {unknown[0]!r}{did_you_mean(unknown[0], TOP_KEYS)} "
                            f"(known: {', '.join(sorted(TOP_KEYS))})")
    fail_on = _string(raw, "fail-on", source)
    if fail_on and fail_on not in FAIL_ON:
        raise SettingsError(f"{source}: fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    mode = _string(raw, "mode", source)
    if mode and mode not in ("precise", "check-plugin"):
        raise SettingsError(f"{source}: mode must be precise or check-plugin, not {mode!r}")
    rules_raw = raw.get("rules") or {}
    if not isinstance(rules_raw, dict):
        raise SettingsError(f"{source}: rules must be a mapping of rule IDs")
    rules = {}
    for key, value in rules_raw.items():
        rule_id = known_rules.get(str(key).upper()) or known_rules.get(str(key).lower())
        if rule_id is None:
            raise SettingsError(f"{source}: rules: unknown rule {key!r}{did_you_mean(str(key), known_rules)} "
                                "(`krakend-plugin-lint rules` lists them)")
        rules[rule_id] = _rule(value, f"{source}: rules.{key}")
    return FileSettings(
        krakend_version=_string(raw, "krakend-version", source),
        exclude=_strings(raw, "exclude", source),
        fail_on=fail_on,
        mode=mode,
        provided_names=frozenset(_strings(raw, "provided-names", source)),
        rules=MappingProxyType(rules),
        source=source,
    )


def _rule(value: Any, where: str) -> RuleSettings:
    if value is None:
        return RuleSettings()
    if not isinstance(value, dict):
        raise SettingsError(f"{where}: must be a mapping with {', '.join(sorted(RULE_KEYS))}")
    unknown = sorted(set(map(str, value)) - RULE_KEYS)
    if unknown:
        raise SettingsError(f"{where}: unknown key {unknown[0]!r}{did_you_mean(unknown[0], RULE_KEYS)} "
                            f"(known: {', '.join(sorted(RULE_KEYS))})")
    disable = value.get("disable", False)
    if not isinstance(disable, bool):
        raise SettingsError(f"{where}.disable: must be true or false")
    severity = None
    if value.get("severity") is not None:
        try:
            severity = Severity.parse(str(value["severity"]))
        except ValueError as err:
            raise SettingsError(f"{where}.severity: {err}") from None
    ignores = tuple(ConfigIgnore.parse(text) for text in _strings(value, "ignore", where))
    return RuleSettings(disable, severity, ignores)


def _string(raw: Mapping[str, Any], key: str, source: str) -> str:
    value = raw.get(key)
    if value is None:
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise SettingsError(f"{source}: {key} must be a string")
    return str(value)


def _strings(raw: Mapping[str, Any], key: str, source: str) -> tuple[str, ...]:
    value = raw.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SettingsError(f"{source}: {key} must be a list of strings")
    return tuple(value)


@dataclass(frozen=True)
class Settings:
    """Everything one `check` run needs, after CLI options override the file."""

    paths: tuple[Path, ...] = (Path(),)
    krakend_version: str = ""
    krakend_version_source: str = ""  # "--krakend-version" or "<config file>: krakend-version"
    krakend_go_sum: Path | None = None
    krakend_go_mod: Path | None = None
    krakend_binary: Path | None = None
    krakend_go_version: str = ""  # a self-built KrakenD's Go release
    krakend_libc: str = ""  # a self-built KrakenD's libc: "musl" or "glibc"
    plugin_sos: tuple[Path, ...] = ()
    gateway_configs: tuple[Path, ...] = ()
    rendered_configs: tuple[Path, ...] = ()  # Flexible Configuration output, linted as plain config
    offline: bool = False
    cache_dir: Path | None = None
    github_token: str = ""
    mode: str = "precise"
    fail_on: str = "error"
    exclude: tuple[str, ...] = ()
    provided_names: frozenset[str] = frozenset()
    rules: Mapping[str, RuleSettings] = field(default_factory=lambda: MappingProxyType({}))
    select: tuple[str, ...] = ()  # --select: only these rules/families (empty = all)

    def rule(self, rule_id: str) -> RuleSettings:
        return self.rules.get(rule_id, RuleSettings())


def fail_threshold(fail_on: str) -> Severity | None:
    return None if fail_on == "never" else Severity.parse(fail_on)


def merge_excludes(*groups: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(pattern for group in groups for pattern in group))
