"""Markdown escaping for every string a user controls: the one escaper of the linter.

Anything that comes from the scanned repository (messages quote file contents, paths are file
names someone chose, fix text is a proposed line) is hostile until escaped. In GitHub Markdown it
must not mention people (notifications), link or embed images, inject HTML, close a code span or
fence we opened, break a table row, or reference issues. The formats (the matrix table) and the
GitHub channels' templates (``linter.github.markdown``) both escape with these functions.
"""

from __future__ import annotations

import re

from linter.formats.log_text import ZWSP  # also breaks GitHub's mentions, references and autolinks, unseen

# ASCII punctuation that means something in GitHub Markdown. Backslash-escaping is valid for every
# ASCII punctuation character in CommonMark, so an escaped character always renders as itself.
_ESCAPED = frozenset("\\`*_{}[]()<>#+-!|~&$=")
# Bidi overrides and isolates can make text read differently from what it is (trojan source).
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
_MENTION = re.compile(r"@(?=[\w-])")
_ISSUE_REF = re.compile(r"(#|\bGH-)(?=\d)", re.IGNORECASE)
_SCHEME = re.compile(r"(?<=[A-Za-z])(?=://)")
_WWW = re.compile(r"(?<![\w.])(www)(?=\.)", re.IGNORECASE)

MARKER_PREFIX = "krakend-plugin-lint"
# The start of anything that could pass for one of our markers (any case, any spacing).
_MARKER_LIKE = re.compile(r"<!--(?=\s*" + re.escape(MARKER_PREFIX) + ")", re.IGNORECASE)


class Md(str):
    """Markdown we produced ourselves: templates print it as is (everything else is escaped)."""

    __slots__ = ()


def _table(keep_newlines: bool) -> dict[int, str]:
    table = {cp: "\ufffd" for cp in [*range(0x20), *range(0x7F, 0xA0), *range(0xD800, 0xE000)]}
    table.update({ord(ch): "\ufffd" for ch in _BIDI})
    table.update({ord("\n"): "\n" if keep_newlines else " ", ord("\r"): "\n" if keep_newlines else " ",
                  ord("\t"): "\t" if keep_newlines else " "})  # tabs matter in code (gofmt indents with them)
    return table


_KEEP_LINES = _table(keep_newlines=True)
_ONE_LINE = _table(keep_newlines=False)
_ESCAPE = {ord(ch): "\\" + ch for ch in _ESCAPED}


def _clean(text: str, *, keep_newlines: bool) -> str:
    """Drop control, surrogate and bidi characters; line breaks and tabs become spaces unless kept;
    break anything that looks like one of our markers."""
    if keep_newlines:
        return unmark(text.replace("\r\n", "\n").translate(_KEEP_LINES))
    return unmark(text.replace("\r\n", "\n").translate(_ONE_LINE))


def unmark(text: str) -> str:
    """User text with every marker-like ``<!-- krakend-plugin-lint`` broken by an invisible
    character, so text from a pull request can never be read back as one of our markers."""
    return _MARKER_LIKE.sub("<!" + ZWSP + "--", text)


def has_marker_like(text: str) -> bool:
    return _MARKER_LIKE.search(text) is not None


def defang(text: str) -> str:
    """Break mentions, issue references and bare URLs so GitHub neither notifies nor links."""
    text = _MENTION.sub("@" + ZWSP, text)
    text = _ISSUE_REF.sub(lambda m: m.group(1) + ZWSP, text)
    text = _SCHEME.sub(ZWSP, text)
    return _WWW.sub(lambda m: m.group(1) + ZWSP, text)


def inline(value: object) -> Md:
    """Plain text on one line of Markdown: renders exactly as the text, with no active syntax."""
    return Md(defang(_clean(str(value), keep_newlines=False)).translate(_ESCAPE))


def code(value: object) -> Md:
    """An inline code span that the text cannot close (fence longer than any backtick run)."""
    text = _clean(str(value), keep_newlines=False)
    if not text.strip():
        return Md("` `") if text else Md("")
    fence = "`" * (_longest_run(text, "`") + 1)
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    return Md(f"{fence}{pad}{text}{pad}{fence}")


def cell_code(value: object) -> Md:
    """``code`` for a table cell: GFM splits cells on ``|`` even inside code spans."""
    return Md(code(value).replace("|", "\\|"))


def fenced(value: object, info: str = "") -> Md:
    """A fenced code block whose fence is longer than any backtick run in the content.

    ``info`` is ours (``suggestion``, ``text``) and never user text. The result starts and ends
    with a newline-free fence line; callers put it on its own lines.
    """
    if info and not re.fullmatch(r"[a-z]+", info):
        raise ValueError(f"fence info must be a plain word, got {info!r}")
    text = _clean(str(value), keep_newlines=True)
    fence = "`" * max(3, _longest_run(text, "`") + 1)
    body = text if text.endswith("\n") or not text else text + "\n"
    return Md(f"{fence}{info}\n{body}{fence}")


def _longest_run(text: str, ch: str) -> int:
    longest = run = 0
    for c in text:
        run = run + 1 if c == ch else 0
        longest = max(longest, run)
    return longest
