"""Shared fixtures for reporter tests: one fixed Report that exercises every feature, its
rule registry and source text, and a ``golden`` comparer.

Golden files are rewritten with ``UPDATE_GOLDEN=1`` in the environment (the repository-level
``--update-golden`` option sets it); review the diff before committing them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from linter.formats.base import RenderContext
from linter.model import Fact, Finding, Fix, Location, PluginSummary, Report, RuleDoc, RuleMeta, Severity

GOLDEN_DIR = Path(__file__).parent / "golden"
SCHEMA_DIR = Path(__file__).parent / "schemas"

AUTH = "plugins/auth"
LIMITER = "plugins/rate limiter"  # a path with a space

LONG_JSON_LINE = '  "extra_config": {' + '"x": 1, ' * 30 + '"plugin/http-server": {"name": ["rate-limiter"]}}'

SOURCES: dict[str, tuple[str, ...]] = {
    f"{AUTH}/Dockerfile": (
        "FROM golang:1.22.4-alpine3.19 AS builder",
        "WORKDIR /src",
        "COPY . .",
        "RUN go build -buildmode=plugin \\",
        "    -trimpath -o /out/auth.so .",
        "FROM devopsfaith/krakend:2.7.0",
    ),
    f"{AUTH}/go.mod": ("module github.com/acme/auth", "", "go 1.21", ""),
    f"{LIMITER}/go.mod": (
        "module github.com/acme/rate-limiter",
        "",
        "require (",
        "\tgithub.com/ünïcode/lib v1.2.3 // 日本語",
        ")",
    ),
    "config/krakend.json": ("{", LONG_JSON_LINE, "}"),
}


def _meta(rule_id: str, name: str, summary: str, severity: Severity) -> RuleMeta:
    return RuleMeta(id=rule_id, name=name, summary=summary, default_severity=severity)


KP101 = _meta("KP101", "dependency-versions", "required module versions must equal KrakenD's", Severity.ERROR)
KP201 = _meta("KP201", "builder-go-version", "builder Go version must equal KrakenD's Go", Severity.ERROR)
KP402 = _meta("KP402", "registerer-symbol", "the plugin must export the registerer symbol", Severity.ERROR)
KP501 = _meta("KP501", "config-plugin-folder", "the gateway config must declare plugin.folder", Severity.NOTICE)
KP502 = _meta("KP502", "config-plugin-name", "configured plugin names must be registered", Severity.NOTICE)
KP601 = _meta("KP601", "no-trimpath", "plugins must be built without -trimpath", Severity.WARNING)
# KP903 is left out of the registry on purpose: reporters must cope with an unknown rule.
KP903 = _meta("KP903", "reference-unavailable", "the KrakenD reference could not be read", Severity.WARNING)


def _doc(summary: str, why: str) -> str:
    sections = f"## Why\n{why}\n\n## Fails\n```\nbad\n```\n\n## Passes\n```\ngood\n```\n\n## How to fix\nChange it."
    return f"{summary}.\n\n{sections}"


RULES: tuple[RuleDoc, ...] = (
    RuleDoc(KP201, _doc("Builder image Go version must equal the Go KrakenD was built with", "Go refuses it.")),
    RuleDoc(KP101, _doc("Every shared module must be at KrakenD's version", "plugin.Open compares hashes.")),
    RuleDoc(KP402, _doc("The plugin exports the registerer KrakenD looks up", "KrakenD calls Lookup.")),
    RuleDoc(KP501, _doc("The gateway config names the plugin folder", "KrakenD scans that folder.")),
    RuleDoc(KP502, _doc("Every configured plugin name is registered by some plugin", "Names must match.")),
    RuleDoc(KP601, _doc("Plugins are built without -trimpath " + "because " * 200, "Paths change hashes.")),
    RuleDoc(_meta("KP301", "unused-rule", "a rule with no findings still appears", Severity.ERROR), ""),
)


def build_findings() -> tuple[Finding, ...]:
    dockerfile = f"{AUTH}/Dockerfile"
    return (
        KP201.finding(
            Location(dockerfile, 1, 6, 1, 29),
            "builder image has Go 1.22.4 but KrakenD 2.7.0 is built with Go 1.22.7",
            hint="build with the KrakenD builder image of the same version",
            fix=Fix(1, "FROM krakend/builder:2.7.0 AS builder"),
            related=(Location(f"{AUTH}/go.mod", 3, 1, 3, 7), Location(dockerfile, 6, 6, 6, 30)),
            plugin=AUTH,
        ),
        KP101.finding(
            _span(f"{LIMITER}/go.mod", 4, "v1.2.3"),
            "github.com/ünïcode/lib is v1.2.3 but KrakenD 2.7.0 uses v1.4.0 «exact»",
            hint="require github.com/ünïcode/lib v1.4.0\nthen run go mod tidy",
            fix=Fix(4, "\tgithub.com/ünïcode/lib v1.4.0 // 日本語"),
            plugin=LIMITER,
            key="github.com/ünïcode/lib",
        ),
        KP601.finding(
            Location(dockerfile, 4),
            "go build uses -trimpath, which KrakenD's own build does not",
            hint="drop -trimpath",
            fix=Fix(4, "RUN go build -buildmode=plugin -o /out/auth.so .", end_line=5),
            plugin=AUTH,
        ),
        KP502.finding(
            _span("config/krakend.json", 2, '"rate-limiter"'),
            'plugin name "rate-limiter" is not registered by any plugin',
            plugin=LIMITER,
        ),
        KP501.finding(
            Location("config/krakend.json"),
            "the gateway config has no plugin.folder, so KrakenD loads no plugins",
            hint='add "plugin": {"folder": "/opt/krakend/plugins/", "pattern": ".so"}',
        ),
        KP903.finding(
            Location(".github/workflows/build.yml", 12, 9, 12, 30),  # no source text: no excerpt
            "no go.sum of KrakenD 2.7.0 is available offline",
            severity=Severity.ERROR,
        ),
        _suppressed(
            KP402.finding(
                Location(f"{AUTH}/main.go", 10, 5, 10, 20),
                "HandlerRegisterer is a pointer",
                plugin=AUTH,
            ),
            "inline",
        ),
        _suppressed(KP903.finding(Location("go.work"), "go.work is not read", plugin=""), "config"),
    )


def _span(path: str, line: int, text: str) -> Location:
    """The location of ``text`` on ``line`` of a fixture file (first to last character)."""
    column = SOURCES[path][line - 1].index(text) + 1
    return Location(path, line, column, line, column + len(text) - 1)


def _suppressed(finding: Finding, by: str) -> Finding:
    return Finding(**{**finding.__dict__, "suppressed_by": by})


def build_report() -> Report:
    return Report(
        findings=build_findings(),
        plugins=(
            PluginSummary(AUTH, "github.com/acme/auth", ("http-server",)),
            PluginSummary(LIMITER, "github.com/acme/rate-limiter", ("http-client", "req-resp-modifier")),
        ),
        krakend=(
            Fact("version", "2.7.0", f"{AUTH}/Dockerfile:6"),
            Fact("go_version", "1.22.7", "release table"),
            Fact("libc", "musl", "release table"),
        ),
        tool_version="0.1.0",
    )


def read_source(path: str, line: int) -> str:
    lines = SOURCES.get(path, ())
    return lines[line - 1] if 0 < line <= len(lines) else ""


@pytest.fixture
def report() -> Report:
    return build_report()


@pytest.fixture
def ctx() -> RenderContext:
    return RenderContext(rules=RULES, color=False, fail_on=None, source_lines=read_source)


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    def compare(name: str, actual: str) -> None:
        path = GOLDEN_DIR / name
        if os.environ.get("UPDATE_GOLDEN") == "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8", newline="") as out:
                out.write(actual)
            return
        assert path.exists(), f"{path} is missing; run the tests with UPDATE_GOLDEN=1 to write it"
        with path.open(encoding="utf-8", newline="") as stored:
            expected = stored.read()
        assert actual == expected, f"{name} differs from its golden file; UPDATE_GOLDEN=1 rewrites it"

    return compare
