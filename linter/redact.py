"""What of a file may reach a pull request: one line, capped, with anything secret-looking masked.

Excerpts (terminal carets, check-run details, review comments) all come through
``Loaded.source_line``, which calls ``excerpt`` here, so the rule holds for every channel.
"""

from __future__ import annotations

import re

MAX_EXCERPT = 300
MASK = "****"

# A value under a key that names a secret: JSON/YAML (`"password": "x"`, `token: x`), ENV/ARG and
# shell assignments (`API_KEY=x`).
_KEYED = re.compile(
    r"""(?P<key>["']?[\w.-]*(?:passw(?:or)?d|secret|token|api[_-]?key|apikey|private[_-]?key|credential|auth)"""
    r"""[\w.-]*["']?\s*[:=]\s*)(?P<quote>["']?)(?P<value>[^"'\s,}]+)""",
    re.IGNORECASE,
)
# Well-known token shapes wherever they appear.
_TOKENS = re.compile(
    r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|AKIA[0-9A-Z]{16}|xox[baprs]-[A-Za-z0-9-]{10,}"
    r"|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})"
)
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}")
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^/\s:@]+:)[^@\s/]+@", re.IGNORECASE)


def mask_secrets(line: str) -> str:
    # Bearer values first: "Authorization: Bearer x" would otherwise mask only the word Bearer.
    line = _BEARER.sub(lambda m: f"{m.group(1)} {MASK}", line)
    line = _TOKENS.sub(MASK, line)
    line = _URL_PASSWORD.sub(lambda m: f"{m['head']}{MASK}@", line)
    return _KEYED.sub(lambda m: f"{m['key']}{m['quote']}{MASK}", line)


def excerpt(line: str) -> str:
    """The line as it may be shown: secrets masked, at most MAX_EXCERPT characters."""
    masked = mask_secrets(line)
    return masked if len(masked) <= MAX_EXCERPT else masked[: MAX_EXCERPT - 1] + "…"
