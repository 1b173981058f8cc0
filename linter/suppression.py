"""Inline suppressions (`krakend-lint: ignore[KP101] reason`) and config-file ignores.

Inline: in a `//` comment on the finding's line or the line above (go.mod, Go source), or in a
`#` comment line directly above the instruction that holds the finding (Dockerfile). The gateway
config has no comments (JSON), so it is suppressed through config-file ignores (`path` or
`path:line`).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from linter.inputs.text import Text

# The directive grammar, applied to the text of a comment the parsers already found.
DIRECTIVE = re.compile(r"krakend-lint:\s*ignore\[(?P<ids>[A-Za-z0-9_,\s-]+)\](?P<reason>.*)")


@dataclass(frozen=True)
class Directive:
    line: int
    rules: frozenset[str]
    reason: str


def parse_directive(comment: str, line: int) -> Directive | None:
    match = DIRECTIVE.search(comment)
    if not match:
        return None
    ids = frozenset(part.strip().upper() for part in match["ids"].split(",") if part.strip())
    return Directive(line, ids, match["reason"].strip())


def hash_comment(line: str) -> str:
    stripped = line.lstrip()
    return stripped[1:] if stripped.startswith("#") else ""


def slash_directives(comments: Iterable[tuple[int, str]]) -> dict[int, Directive]:
    """go.mod and Go: the parsers' `//` comments; a directive covers its line and the next."""
    covered: dict[int, Directive] = {}
    for number, comment in comments:
        directive = parse_directive(comment, number)
        if directive:
            covered[number] = directive
            covered.setdefault(number + 1, directive)
    return covered


def dockerfile_directives(text: Text) -> dict[int, Directive]:
    covered: dict[int, Directive] = {}
    _dockerfile_directives(text, covered)
    return covered


def _dockerfile_directives(text: Text, covered: dict[int, Directive]) -> None:
    """A directive comment covers the whole next instruction, continuation lines included."""
    pending: Directive | None = None
    continuing = False
    for number, line in enumerate(text.lines, 1):
        comment = hash_comment(line)
        if comment and not continuing:
            pending = parse_directive(comment, number) or pending
            continue
        if pending and (line.strip() or continuing):
            covered[number] = pending
        continuing = line.rstrip().endswith("\\")
        if not continuing and line.strip():
            pending = None


@dataclass(frozen=True)
class ConfigIgnore:
    pattern: str
    line: int = 0

    @classmethod
    def parse(cls, text: str) -> ConfigIgnore:
        head, _, tail = text.rpartition(":")
        if head and tail.isdigit():
            return cls(head, int(tail))
        return cls(text)

    def matches(self, path: str, line: int) -> bool:
        return fnmatch.fnmatch(path, self.pattern) and (not self.line or self.line == line)


def config_ignored(rule: str, path: str, line: int, ignores: Mapping[str, Sequence[ConfigIgnore]]) -> bool:
    return any(ignore.matches(path, line) for ignore in ignores.get(rule, ()))


def inline_ignored(rule: str, line: int, directives: Mapping[int, Directive]) -> bool:
    directive = directives.get(line)
    return directive is not None and (rule in directive.rules or "ALL" in directive.rules)


def all_directives(
    texts: Mapping[str, Text], comments: Mapping[str, Sequence[tuple[int, str]]], paths: Iterable[str]
) -> dict[str, dict[int, Directive]]:
    """Directives of the files that have findings: from parsed comments, or Dockerfile comment lines
    (BuildKit's parser drops comments, and in a Dockerfile a comment is always a whole line)."""
    found = {}
    for path in paths:
        name = path.rsplit("/", 1)[-1].lower()
        if path in comments:
            found[path] = slash_directives(comments[path])
        elif path in texts and ("dockerfile" in name or name == "containerfile"):
            found[path] = dockerfile_directives(texts[path])
    return found
