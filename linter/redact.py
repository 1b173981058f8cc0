"""What of the linted files and of remote answers may leave the process: secrets masked, excerpts capped.

Two entry points cover every channel:

* ``excerpt``: one source line as outputs show it (terminal carets, check-run details, review
  comments all read lines through ``Loaded.source_line``, which calls it);
* ``redact_report``: every finding's message, hint, key and fix, and
  the report's facts, once, before any reporter sees the report.

Texts built elsewhere call ``mask_secrets`` themselves (reference notices, check-plugin output).
Every pattern here runs in time linear in its input: a key's name is matched possessively and
looked at only when a ``:`` or ``=`` follows it, and token shapes start only where a run of their
characters starts, so a 40,000-character run of word characters costs one pass.
"""

from __future__ import annotations

import dataclasses
import re

from linter.model import Fact, Finding, PluginSummary, Report

MAX_EXCERPT = 300
MASK = "****"
# A long line is masked on its first _MASK_WINDOW characters only, then cut to MAX_EXCERPT: a
# secret that starts on the shown part is whole in the window (tokens are far shorter), and a
# 90 KB minified line costs what a short one does.
_MASK_WINDOW = 4096

# A key whose name says it holds a secret: JSON/YAML (`"password": "x"`, `token: x`), ENV/ARG and
# shell assignments (`API_KEY=x`), HTTP headers (`Authorization: token x`).
_KEY = re.compile(r"""(?<![\w.-])["']?(?P<name>[\w.-]++)["']?[ \t]*+[:=][ \t]*+""")
_SECRET_NAME = re.compile(
    r"passw(?:or)?d|secret|token|api[_-]?key|apikey|private[_-]?key|credential|auth", re.IGNORECASE)
# The value after such a key: a quoted string to its closing quote, else one word; an HTTP
# authorization scheme in front of it stays readable.
_VALUE = re.compile(
    r"""(?P<scheme>(?:bearer|basic|token|digest)[ \t]++)?"""
    r"""(?:"(?P<double>(?:[^"\\\n]|\\.)*+)"|'(?P<single>[^'\n]*+)'|(?P<word>[^"'\s,}]++))""",
    re.IGNORECASE)
# Well-known token shapes wherever they appear (a JWT only where a run of base64url characters starts).
_TOKENS = re.compile(
    r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|AKIA[0-9A-Z]{16}|xox[baprs]-[A-Za-z0-9-]{10,}"
    r"|(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}+\.[A-Za-z0-9_-]{10,}+\.[A-Za-z0-9_-]{10,}+)"
)
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s++[A-Za-z0-9._~+/=-]{8,}+")
_URL_PASSWORD = re.compile(
    r"(?<![a-z0-9+.-])(?P<head>[a-z][a-z0-9+.-]*+://[^/\s:@]++:)[^@\s/]++@", re.IGNORECASE)


def mask_secrets(text: str) -> str:
    """``text`` with every secret-looking value replaced by ``MASK``; linear in ``len(text)``."""
    # Bearer values first: "Authorization: Bearer x" would otherwise mask only the word Bearer.
    text = _BEARER.sub(lambda m: f"{m.group(1)} {MASK}", text)
    text = _TOKENS.sub(MASK, text)
    text = _URL_PASSWORD.sub(lambda m: f"{m['head']}{MASK}@", text)
    return _mask_keyed(text)


def _mask_keyed(text: str) -> str:
    parts: list[str] = []
    shown = start = 0
    while (key := _KEY.search(text, start)) is not None:
        start = key.end()
        if not _SECRET_NAME.search(key["name"]):
            continue
        value = _VALUE.match(text, start)
        if value is None:
            continue
        secret = next(name for name in ("double", "single", "word") if value[name] is not None)
        if value[secret]:
            parts += (text[shown:value.start(secret)], MASK)
            shown = value.end(secret)
        start = value.end()
    parts.append(text[shown:])
    return "".join(parts)


def excerpt(line: str) -> str:
    """The line as it may be shown: secrets masked, at most MAX_EXCERPT characters."""
    masked = mask_secrets(line[:_MASK_WINDOW])
    if len(masked) <= MAX_EXCERPT and len(line) <= _MASK_WINDOW:
        return masked
    return masked[: MAX_EXCERPT - 1] + "…"


def redact_finding(finding: Finding) -> Finding:
    """The finding with secrets masked in its message, hint and key. A fix whose replacement holds
    a secret is dropped: masked, it would write ``****`` over the credential; unmasked, it would
    publish it."""
    fix = finding.fix
    if fix is not None and mask_secrets(fix.replacement) != fix.replacement:
        fix = None
    message, hint, key = mask_secrets(finding.message), mask_secrets(finding.hint), mask_secrets(finding.key)
    if (message, hint, key, fix) == (finding.message, finding.hint, finding.key, finding.fix):
        return finding
    return dataclasses.replace(finding, message=message, hint=hint, key=key, fix=fix)


def redact_report(report: Report) -> Report:
    """The report every reporter is given: findings, facts and plugin modules with secrets masked."""
    return dataclasses.replace(
        report,
        findings=tuple(redact_finding(f) for f in report.findings),
        plugins=tuple(_redact_plugin(p) for p in report.plugins),
        krakend=_redact_facts(report.krakend),
    )


def _redact_plugin(plugin: PluginSummary) -> PluginSummary:
    return dataclasses.replace(plugin, module=mask_secrets(plugin.module), krakend=_redact_facts(plugin.krakend))


def _redact_facts(facts: tuple[Fact, ...]) -> tuple[Fact, ...]:
    return tuple(Fact(f.name, mask_secrets(f.value), mask_secrets(f.source)) for f in facts)
