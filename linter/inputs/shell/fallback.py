"""The fallback splitter: a small quote-aware tokenizer for a line tree-sitter cannot parse.

It gives a best-effort answer without a ``Problem``: a line that is broken shell is reported by the
shell that runs it, and the rest of the script keeps its answer.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.shell.model import EnvVar, SimpleCommand, Word
from linter.inputs.shell.source import SourceMap

_SEPARATORS = ("&&", "||", ";;", ";", "|", "&", "\n", "(", ")")
_RESERVED = frozenset(
    {"if", "then", "elif", "else", "fi", "do", "done", "while", "until", "for", "in", "case", "esac",
     "!", "{", "}", "[[", "]]", "time", "function"}
)



def assignment(word: str, start: int, end: int, source: SourceMap, origin: str = "assignment") -> EnvVar:
    name, _, value = word.partition("=")
    return EnvVar(name, value, source.location(start, end), origin)


def fallback_commands(text: str, source: SourceMap) -> Iterator[SimpleCommand]:
    for segment in _segments(text):
        while segment and segment[0][0] in _RESERVED:
            segment = segment[1:]
        if not segment:
            continue
        assignments: list[EnvVar] = []
        rest = list(segment)
        while rest and _isassignment(rest[0][0]):
            word, start, end = rest.pop(0)
            assignments.append(assignment(word, start, end, source))
        words = rest
        built = tuple(Word(w, text[s:e], s, e, source.location(s, e)) for w, s, e in words)
        start, end = segment[0][1], segment[-1][2]
        yield SimpleCommand(built, tuple(assignments), source.location(start, end))


def _isassignment(word: str) -> bool:
    name, equals, _ = word.partition("=")
    return bool(equals) and bool(name) and (name[0].isalpha() or name[0] == "_") and all(
        c.isalnum() or c == "_" for c in name
    )


def _segments(text: str) -> Iterator[list[tuple[str, int, int]]]:
    segment: list[tuple[str, int, int]] = []
    for token in tokens(text):
        if token[0] is None:
            if segment:
                yield segment
            segment = []
        else:
            segment.append((token[0], token[1], token[2]))
    if segment:
        yield segment


def tokens(text: str) -> Iterator[tuple[str | None, int, int]]:
    """Words (unquoted text, start, end) and separators (None, start, end)."""
    index = 0
    while index < len(text):
        char = text[index]
        if char in " \t":
            index += 1
            continue
        if char == "\\" and text[index + 1 : index + 2] == "\n":
            index += 2
            continue
        if char == "#":
            while index < len(text) and text[index] != "\n":
                index += 1
            continue
        separator = next((s for s in _SEPARATORS if text.startswith(s, index)), "")
        if separator:
            yield None, index, index + len(separator)
            index += len(separator)
            continue
        word, end = _word(text, index)
        yield word, index, end
        index = end


def _word(text: str, index: int) -> tuple[str, int]:
    out: list[str] = []
    depth = 0
    while index < len(text):
        char = text[index]
        if depth == 0 and (char in " \t\n;&|()" or (char == "\\" and text[index + 1 : index + 2] == "\n")):
            break
        if char in "'\"`":
            close = text.find(char, index + 1)
            close = len(text) if close < 0 else close
            out.append(text[index + 1 : close])
            index = close + 1
            continue
        if char == "\\" and index + 1 < len(text):
            out.append(text[index + 1])
            index += 2
            continue
        if text.startswith("$(", index):
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        out.append(char)
        index += 1
    return "".join(out), index
