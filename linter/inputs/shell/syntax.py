"""Shell text split into simple commands with tree-sitter's bash grammar, words keeping their positions.

When the text has a syntax error it is parsed again line by line, and a line that still does not
parse goes to the fallback splitter.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import tree_sitter_bash
from tree_sitter import Language, Node, Parser

from linter.inputs.shell.fallback import assignment, fallback_commands, tokens
from linter.inputs.shell.model import EnvVar, SimpleCommand, Word
from linter.inputs.shell.source import SourceMap


def split_commands(text: str, source: SourceMap) -> tuple[tuple[SimpleCommand, ...], bool]:
    """Simple commands in execution order; ``exact`` is False when the fallback was used."""
    if not text.strip():
        return (), True
    whole = _parsed_commands(text, source)
    if whole is not None:
        return whole, True
    # Parse line by line so one broken line does not cost the precision of the others; each line
    # is cut out with its own source map (padding it to keep offsets made the work quadratic).
    found: list[SimpleCommand] = []
    for start, end in _chunks(text):
        line, line_source = text[start:end], source.shifted(start)
        chunk = _parsed_commands(line, line_source)
        found.extend(chunk if chunk is not None else fallback_commands(line, line_source))
    return tuple(found), False


@cache
def _parser() -> Parser:
    return Parser(Language(tree_sitter_bash.language()))


def _parse(data: bytes) -> Node:
    """The syntax tree of ``data``. tree-sitter's parser is linear in its input and always ends:
    unlike bashlex, no input can make it loop, so no guard is needed."""
    return _parser().parse(data).root_node


def _parsed_commands(text: str, source: SourceMap) -> tuple[SimpleCommand, ...] | None:
    """The commands of ``text``, or None when it has a syntax error (the caller falls back)."""
    data = text.encode("utf-8", "surrogatepass")
    root = _parse(data)
    if root.has_error:
        return None
    reader = _TreeReader(text, source, _Offsets.of(text, data))
    return tuple(reader.commands(root))


def _chunks(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each logical line: newlines outside quotes and not escaped."""
    start = 0
    for token, token_start, token_end in tokens(text):
        if token is None and text[token_start:token_end] == "\n":
            yield start, token_start
            start = token_end
    if text[start:].strip():
        yield start, len(text)


# --- syntax tree walking -------------------------------------------------------------------------

_REDIRECTS = frozenset({"file_redirect", "heredoc_redirect", "herestring_redirect"})
_EXPANSIONS = frozenset(
    {"command_substitution", "expansion", "simple_expansion", "arithmetic_expansion", "process_substitution"}
)
_DECLARATIONS = frozenset({"declaration_command", "unset_command"})
_ASSIGNMENT_SCOPES = frozenset({"command", "declaration_command", "variable_assignments"})


@dataclass(frozen=True)
class _Offsets:
    """tree-sitter counts bytes of UTF-8; words count characters of the text. ``starts`` holds the
    byte offset of every character, and is empty for ASCII text, where the two agree."""

    starts: tuple[int, ...] = ()

    @classmethod
    def of(cls, text: str, data: bytes) -> _Offsets:
        if len(data) == len(text):
            return cls()
        starts: list[int] = []
        offset = 0
        for char in text:
            starts.append(offset)
            point = ord(char)
            offset += 1 if point < 0x80 else 2 if point < 0x800 else 3 if point < 0x10000 else 4
        return cls(tuple(starts))

    def char(self, byte: int) -> int:
        return bisect.bisect_left(self.starts, byte) if self.starts else byte


@dataclass(frozen=True)
class _TreeReader:
    text: str
    source: SourceMap
    offsets: _Offsets

    def span(self, node: Node) -> tuple[int, int]:
        return self.offsets.char(node.start_byte), self.offsets.char(node.end_byte)

    def commands(self, root: Node) -> Iterator[SimpleCommand]:
        """Every command in document order; one found inside the words of another (``$(...)``)
        comes right after it, as it runs."""
        stack = [root]
        while stack:
            node = stack.pop()
            command = self._command(node)
            if command is not None:
                yield command
            stack.extend(reversed(node.named_children))

    def _command(self, node: Node) -> SimpleCommand | None:
        kind = node.type
        if kind == "command":
            return self._simple(node)
        if kind in _DECLARATIONS:
            words = tuple(self.word(child) for child in node.children if child.type != "comment")
            return self._built(node, words, ())
        if kind == "variable_assignments" or (
            kind == "variable_assignment" and node.parent is not None and node.parent.type not in _ASSIGNMENT_SCOPES
        ):
            parts = node.named_children if kind == "variable_assignments" else [node]
            return self._built(node, (), tuple(self.assignment(part) for part in parts))
        return None

    def _simple(self, node: Node) -> SimpleCommand | None:
        words: list[Word] = []
        assignments: list[EnvVar] = []
        for child in node.named_children:
            kind = child.type
            if kind in _REDIRECTS or kind == "comment":
                continue
            if kind == "variable_assignment" and not words:
                assignments.append(self.assignment(child))
            elif kind == "command_name":
                words.append(self.word(child.named_children[0] if child.named_child_count == 1 else child))
            else:
                words.append(self.word(child))
        return self._built(node, tuple(words), tuple(assignments))

    def _built(self, node: Node, words: tuple[Word, ...], assignments: tuple[EnvVar, ...]) -> SimpleCommand | None:
        if not words and not assignments:
            return None
        start, end = self.offsets.char(node.start_byte), self.offsets.char(_command_end(node))
        return SimpleCommand(words, assignments, self.source.location(start, end))

    def word(self, node: Node) -> Word:
        start, end = self.span(node)
        return Word(self._unquoted(node, start, end), self.text[start:end], start, end,
                    self.source.location(start, end))

    def assignment(self, node: Node) -> EnvVar:
        start, end = self.span(node)
        return assignment(self._unquoted(node, start, end), start, end, self.source)

    def _unquoted(self, node: Node, start: int, end: int) -> str:
        verbatim = [self.span(found) for found in _outermost(node, _EXPANSIONS)]
        return unquote(self.text, start, end, verbatim)


_HEREDOC_TEXT = frozenset({"heredoc_body", "heredoc_end"})


def _command_end(node: Node) -> int:
    """Where a command ends: its redirections (``2>/dev/null``, ``<<EOF``, but not the here-document's
    lines) belong to it, although the grammar puts them beside it."""
    end: int = node.end_byte
    parent = node.parent
    if parent is None or parent.type != "redirected_statement" or parent.child_by_field_name("body") != node:
        return end
    for redirect in parent.children_by_field_name("redirect"):
        if redirect.type == "heredoc_redirect":
            parts = [part.end_byte for part in redirect.children if part.type not in _HEREDOC_TEXT]
            end = max(end, *parts)
        else:
            end = max(end, redirect.end_byte)
    return end


def _outermost(node: Node, kinds: frozenset[str]) -> Iterator[Node]:
    """The nodes of ``kinds`` under ``node`` (itself included) that no other such node contains."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in kinds:
            yield current
        else:
            stack.extend(reversed(current.named_children))


def unquote(text: str, start: int, end: int, verbatim: list[tuple[int, int]]) -> str:
    """The word ``text[start:end]`` with its quotes and escapes removed, as the shell would, except
    that the ``verbatim`` spans (expansions and substitutions) are kept as written."""
    out: list[str] = []
    spans = iter(verbatim)
    span = next(spans, None)
    index, quoted = start, False
    while index < end:
        if span is not None and index >= span[0]:
            out.append(text[span[0] : span[1]])
            index = max(index, span[1])
            span = next(spans, None)
            continue
        char, nxt = text[index], text[index + 1 : index + 2] if index + 1 < end else ""
        if quoted:
            quoted, index = _in_double_quotes(out, char, nxt, index)
        elif char == "'" or (char == "$" and nxt == "'"):
            opening = index + (2 if char == "$" else 1)
            close = text.find("'", opening, end)
            close = end if close < 0 else close
            out.append(text[opening:close])
            index = close + 1
        elif char == '"':
            quoted, index = True, index + 1
        elif char == "\\" and nxt:
            out.append("" if nxt == "\n" else nxt)
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _in_double_quotes(out: list[str], char: str, nxt: str, index: int) -> tuple[bool, int]:
    if char == '"':
        return False, index + 1
    if char == "\\" and nxt and nxt in '$`"\\\n':
        out.append("" if nxt == "\n" else nxt)
        return True, index + 2
    out.append(char)
    return True, index + 1
