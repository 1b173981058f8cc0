"""The go.mod lexer: a line-oriented token stream (words, quoted and backquoted strings,
`( ) [ ] ,`, `//` comments), as the Go command reads it."""

from __future__ import annotations

from dataclasses import dataclass, field

from linter.inputs.gomod.model import Comment
from linter.model import Location, Problem

PUNCT = "()[]{},"


@dataclass(frozen=True)
class Token:
    kind: str  # "word", "string", or one of PUNCT
    text: str  # as written
    value: str  # unquoted for strings, else the text
    line: int
    column: int

    def location(self, path: str) -> Location:
        return Location(path, self.line, self.column, self.line, self.column + len(self.text) - 1)


@dataclass
class Line:
    number: int
    tokens: list[Token] = field(default_factory=list)
    comment: Comment | None = None


_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\", '"': '"'}
_HEX_LENGTH = {"x": 2, "u": 4, "U": 8}


def _unquote(raw: str) -> str | None:
    """Go's strconv.Unquote for a double-quoted or backquoted string; None when invalid."""
    if raw.startswith("`"):
        return raw[1:-1] if len(raw) >= 2 and raw.endswith("`") else None
    body, out, i = raw[1:-1], [], 0
    while i < len(body):
        char = body[i]
        if char != "\\":
            out.append(char)
            i += 1
            continue
        esc = body[i + 1 : i + 2]
        if esc in _ESCAPES:
            out.append(_ESCAPES[esc])
            i += 2
        elif esc in _HEX_LENGTH:
            digits = body[i + 2 : i + 2 + _HEX_LENGTH[esc]]
            if len(digits) != _HEX_LENGTH[esc] or not all(c in "0123456789abcdefABCDEF" for c in digits):
                return None
            out.append(chr(int(digits, 16)))
            i += 2 + len(digits)
        elif esc.isdigit() and len(body[i + 1 : i + 4]) == 3 and set(body[i + 1 : i + 4]) <= set("01234567"):
            out.append(chr(int(body[i + 1 : i + 4], 8)))
            i += 4
        else:
            return None
    return "".join(out)


def _is_ident_char(char: str) -> bool:
    return char not in PUNCT and not char.isspace() and char.isprintable()


def _string_end(text: str, start: int) -> int:
    """Index just after the closing quote of the string at ``start``, or -1 when unterminated."""
    quote, i = text[start], start + 1
    while i < len(text):
        if text[i] == "\\" and quote == '"':
            i += 2
            continue
        if text[i] == quote:
            return i + 1
        i += 1
    return -1


def lex_line(text: str, number: int, path: str, problems: list[Problem]) -> Line:
    line, i = Line(number), 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif text.startswith("//", i):
            line.comment = Comment(number, text[i:].rstrip(), i + 1)
            break
        elif text.startswith("/*", i):
            message = "mod files must use // comments, not /* */"
            problems.append(Problem(Location(path, number, i + 1), message))
            break
        elif char in PUNCT:
            line.tokens.append(Token(char, char, char, number, i + 1))
            i += 1
        elif char in '"`':
            i = _lex_string(text, i, line, path, problems)
        elif not _is_ident_char(char):
            problems.append(Problem(Location(path, number, i + 1), f"unexpected input character {char!r}"))
            i += 1
        else:
            end = i
            while end < len(text) and _is_ident_char(text[end]) and not text.startswith(("//", "/*"), end):
                end += 1
            line.tokens.append(Token("word", text[i:end], text[i:end], number, i + 1))
            i = end
    return line


def _lex_string(text: str, start: int, line: Line, path: str, problems: list[Problem]) -> int:
    end = _string_end(text, start)
    if end < 0:
        problems.append(Problem(Location(path, line.number, start + 1), "unterminated string"))
        return len(text)
    raw = text[start:end]
    value = _unquote(raw)
    if value is None:
        problems.append(Problem(Location(path, line.number, start + 1), f"invalid quoted string {raw}"))
        value = raw
    line.tokens.append(Token("string", raw, value, line.number, start + 1))
    return end
