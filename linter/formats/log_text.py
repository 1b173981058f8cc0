"""Text a GitHub Actions log shows as it is and never runs as a workflow command.

The runner treats a line whose text, after leading whitespace, starts with ``::`` as a workflow
command, and so any line holding ``##[`` anywhere (its older syntax). These helpers break both with a
zero-width space, so the line reads the same. The terminal format uses them; ``linter.github.workflow_log``
builds the guarded log streams on them.
"""

from __future__ import annotations

import re
import unicodedata

ZWSP = "\u200b"
# Every character some reader may treat as a line break: the runner splits on CR and LF; the others
# are neutralised as line starts too, so no reader of the log can see a command there.
LINE_BREAKS = re.compile("(\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029])")
_V1_COMMAND = re.compile(r"#(?=#\[)")


def _skippable(ch: str) -> bool:
    """Characters a runner might trim before looking for ``::`` (whitespace, controls, format characters)."""
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def break_v1(text: str) -> str:
    """``text`` with every ``##[`` broken (the runner's older command syntax, matched anywhere)."""
    return _V1_COMMAND.sub("#" + ZWSP, text) if "##[" in text else text


def neutralise_line(line: str) -> str:
    """One line (no line breaks inside) that the runner shows as text and never executes."""
    line = break_v1(line)
    start = 0
    while start < len(line) and _skippable(line[start]):
        start += 1
    if line.startswith("::", start):
        line = line[: start + 1] + ZWSP + line[start + 1 :]
    return line


def neutralise(text: str) -> str:
    """Every line of ``text`` neutralised; line breaks are kept as they are."""
    if "::" not in text and "##[" not in text:
        return text  # the usual case: nothing to do, in one pass at C speed
    parts = LINE_BREAKS.split(text)
    parts[::2] = [neutralise_line(part) for part in parts[::2]]
    return "".join(parts)


def json_safe(text: str) -> str:
    """JSON text (JSON, SARIF, rdjson) that runs nothing in the log and parses to the same value.

    ``##[`` can only occur inside a JSON string, where ``\\u0023`` is the same ``#``; JSON has no
    raw line breaks inside strings, so no line can start with ``::``.
    """
    return text.replace("##[", "#\\u0023[")
