"""Writing to a GitHub Actions step's log without letting repository text run workflow commands.

The runner reads every line a step writes (standard output and standard error). A line whose text,
after leading whitespace, starts with ``::`` is a workflow command (``::error::``, ``::add-mask::``,
``::stop-commands::``), and so is any line holding ``##[`` anywhere. The linter prints text taken
from the scanned repository (file and folder names, plugin names, YAML error snippets), so inside
Actions:

- every line written to stdout and stderr is *neutralised*: a zero-width space goes between the two
  colons of a leading ``::`` and inside every ``##[``, so the line reads the same and runs nothing;
- the reports are also printed between ``::stop-commands::<random token>`` and ``::<token>::``;
- only our own annotation lines and those two markers bypass this (``write_trusted``).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TextIO

from linter.formats.log_text import LINE_BREAKS, ZWSP, break_v1, json_safe, neutralise, neutralise_line

__all__ = ["ZWSP", "LogGuard", "break_v1", "guarded_streams", "in_actions", "json_safe", "neutralise",
           "neutralise_line", "untrusted_block", "write_trusted"]


def in_actions(env: Mapping[str, str]) -> bool:
    return env.get("GITHUB_ACTIONS") == "true"


def new_token() -> str:
    import secrets  # only inside Actions

    return secrets.token_hex(16)


class LogGuard(io.TextIOBase):
    """A text stream that neutralises each complete line before it reaches ``raw``.

    A partial line is held until its line break arrives (or ``close``), since only a whole line
    shows whether it starts with ``::``. ``write_trusted`` writes our own workflow commands as they
    are, each on a line of its own.
    """

    def __init__(self, raw: TextIO) -> None:
        super().__init__()
        self.raw = raw
        self._pending: list[str] = []  # pieces of the current, unfinished line

    def write(self, text: str) -> int:
        parts = LINE_BREAKS.split(text)
        if len(parts) == 1:
            self._pending.append(text)
            return len(text)
        parts[0] = "".join([*self._pending, parts[0]])
        self._pending = [parts[-1]] if parts[-1] else []
        self.raw.write(neutralise("".join(parts[:-1])))
        return len(text)

    def _take_pending(self) -> str:
        line, self._pending = "".join(self._pending), []
        return line

    def write_trusted(self, text: str) -> None:
        """Our own command lines: written unchanged, starting on a fresh line."""
        line = self._take_pending()
        if line:
            self.raw.write(neutralise(line) + "\n")
        self.raw.write(text)
        self.raw.flush()

    def flush(self) -> None:
        self.raw.flush()

    def close(self) -> None:
        """Write a held partial line; the underlying stream stays open."""
        if self.closed:
            return
        line = self._take_pending()
        if line:
            self.raw.write(neutralise(line))
        self.raw.flush()
        super().close()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.raw.isatty()

    def fileno(self) -> int:
        return self.raw.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.raw, "encoding", "utf-8")


def write_trusted(out: TextIO, text: str) -> None:
    """Write our own workflow-command lines to ``out``, past a ``LogGuard`` if it is one."""
    if isinstance(out, LogGuard):
        out.write_trusted(text)
    else:
        out.write(text)


@contextmanager
def guarded_streams(env: Mapping[str, str]) -> Iterator[None]:
    """Inside Actions, route ``sys.stdout`` and ``sys.stderr`` through a ``LogGuard`` for the block."""
    if not in_actions(env):
        yield
        return
    old_out, old_err = sys.stdout, sys.stderr
    out, err = LogGuard(old_out), LogGuard(old_err)
    sys.stdout, sys.stderr = out, err
    try:
        yield
    finally:
        sys.stdout, sys.stderr = old_out, old_err
        out.close()
        err.close()


@contextmanager
def untrusted_block(out: TextIO, env: Mapping[str, str]) -> Iterator[None]:
    """Inside Actions, stop the runner reading commands while the block writes to ``out``."""
    if not in_actions(env):
        yield
        return
    token = new_token()
    write_trusted(out, f"::stop-commands::{token}\n")
    try:
        yield
    finally:
        write_trusted(out, f"::{token}::\n")  # the block's text ends with a line break (LogGuard ensures it)
