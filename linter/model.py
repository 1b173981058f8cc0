"""The finding model: plain, frozen data shared by every package.

Nothing here knows about files, GitHub or output formats. Rules build findings through
``RuleMeta.finding`` so the ID, name and default severity are always filled in the same way.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

DOCS_URL = "https://github.com/krakend-plugin-lint/krakend-plugin-lint/blob/main/README.md"


class Severity(enum.IntEnum):
    """Three levels, matching GitHub's error/warning/notice and SARIF's error/warning/note."""

    NOTICE = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (use error, warning or notice)") from None


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: 1-based line and column; 0 means "the whole file" / "the whole line".

    ``path`` is relative to the directory the linter was run from, with ``/`` separators.
    """

    path: str
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0

    def __post_init__(self) -> None:
        # A missing end is the start: every consumer (SARIF, check runs, review comments) wants one.
        if self.end_line < self.line:
            object.__setattr__(self, "end_line", self.line)
        if self.end_line == self.line and self.end_column < self.column:
            object.__setattr__(self, "end_column", self.column)

    def __str__(self) -> str:
        if not self.line:
            return self.path
        if not self.column:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """An input that could not be read or parsed, in whole or in part (pyflakes' syntaxError).

    Parsers return these beside what they could parse; the engine turns them into KP9xx findings.
    ``kind`` says which KP9xx rule reports it (see ``linter.rules`` KP901..).
    """

    location: Location
    message: str
    kind: str = "unparsable"


@dataclass(frozen=True)
class Fix:
    """A replacement for whole lines ``line``..``end_line`` of ``location.path`` (a PR suggestion)."""

    line: int
    replacement: str
    end_line: int = 0

    @property
    def last_line(self) -> int:
        return max(self.line, self.end_line)


@dataclass(frozen=True)
class RuleMeta:
    """What a rule is, declared once in its module as ``RULE``."""

    id: str
    name: str
    summary: str
    default_severity: Severity

    @property
    def family(self) -> str:
        return self.id[:3] + "xx"

    @property
    def help_url(self) -> str:
        return f"{DOCS_URL}#{self.id.lower()}-{self.name}"

    def finding(
        self,
        location: Location,
        message: str,
        *,
        hint: str = "",
        fix: Fix | None = None,
        related: tuple[Location, ...] = (),
        severity: Severity | None = None,
        plugin: str = "",
        key: str = "",
    ) -> Finding:
        """Build a finding of this rule. ``key`` makes the fingerprint stable when messages quote
        values that change between runs; by default the message is the key."""
        return Finding(
            rule=self.id,
            name=self.name,
            severity=severity or self.default_severity,
            location=location,
            message=message,
            hint=hint,
            fix=fix,
            related=related,
            plugin=plugin,
            key=key or message,
        )


@dataclass(frozen=True)
class Finding:
    rule: str
    name: str
    severity: Severity
    location: Location
    message: str
    hint: str = ""
    fix: Fix | None = None
    related: tuple[Location, ...] = ()
    plugin: str = ""
    key: str = ""
    suppressed_by: str = ""  # "", "inline" or "config"

    @property
    def fingerprint(self) -> str:
        """Stable across runs and line moves: rule, file and what was found, never line numbers."""
        import hashlib  # OpenSSL's: only the JSON, SARIF and GitHub outputs need fingerprints

        raw = "\0".join((self.rule, self.location.path, self.key or self.message))
        return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:16]

    def sort_key(self) -> tuple[int, str, int, int, str]:
        loc = self.location
        return (-int(self.severity), loc.path, loc.line, loc.column, self.rule)

    def position_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.rule)


@dataclass(frozen=True)
class Fact:
    """One fact about the target KrakenD and where it came from (shown in JSON and summaries)."""

    name: str
    value: str
    source: str


@dataclass(frozen=True)
class PluginSummary:
    """A plugin root found in the scanned tree."""

    root: str
    module: str
    types: tuple[str, ...]  # http-server, http-client, req-resp-modifier, middleware, unknown
    files: tuple[str, ...] = ()  # the files of the deployment it was checked in (build, run, config)
    krakend: tuple[Fact, ...] = ()  # the KrakenD that deployment targets, and where each fact came from


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    plugins: tuple[PluginSummary, ...] = ()
    krakend: tuple[Fact, ...] = ()
    tool_version: str = ""

    @property
    def active(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.suppressed_by)

    @property
    def suppressed(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.suppressed_by)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.active if f.severity == severity)

    def fact(self, name: str) -> str:
        for fact in self.krakend:
            if fact.name == name:
                return fact.value
        return ""


@dataclass(frozen=True)
class RuleDoc:
    """A rule's metadata and its user documentation (the rule module's docstring), for reporters."""

    meta: RuleMeta
    doc: str

    @property
    def description(self) -> str:
        """The first paragraph of the documentation: one sentence about what the rule checks."""
        return self.doc.strip().split("\n\n", 1)[0].replace("\n", " ")
