"""Our hidden markers, workflow-command escaping, and the Jinja2 templates of the GitHub channels.

User text is escaped with ``linter.formats.markdown``: the templates call its functions as filters,
and any ``{{ value }}`` a template forgets to filter is escaped as inline text by default
(``finalize``), so forgetting is safe, not a hole. On standard output, text must not start a
workflow command (``command_data``, ``log_safe``).
"""

from __future__ import annotations

import importlib.resources
import re
from functools import lru_cache
from typing import Any

import jinja2

from linter.formats.markdown import MARKER_PREFIX, Md, cell_code, code, fenced, inline

_MARKER_VALUE = re.compile(r"^[A-Za-z0-9._=-]{1,200}$")


def marker(kind: str, value: str = "") -> Md:
    """A hidden HTML comment that finds our own comments again: ``<!-- krakend-plugin-lint:fp=... -->``."""
    if not re.fullmatch(r"[a-z-]+", kind) or (value and not _MARKER_VALUE.match(value)):
        raise ValueError(f"unsafe marker {kind!r}={value!r}")
    return Md(f"<!-- {MARKER_PREFIX}:{kind}={value} -->" if value else f"<!-- {MARKER_PREFIX}:{kind} -->")


def marker_pattern(kind: str) -> re.Pattern[str]:
    """Matches ``marker(kind, value)`` and captures the value."""
    return re.compile(rf"<!-- {re.escape(MARKER_PREFIX)}:{re.escape(kind)}=([A-Za-z0-9._=-]+) -->")


def first_line(body: str) -> str:
    return body.lstrip("\r\n").split("\n", 1)[0].rstrip("\r ")


def last_line(body: str) -> str:
    """The last non-empty line, where our templates put the value markers."""
    return body.rstrip().rsplit("\n", 1)[-1].strip()


def trailing_marker(body: str, pattern: re.Pattern[str]) -> str | None:
    """The value of a ``pattern`` marker that is the body's whole last line (where we put it), else
    None: a marker anywhere else is someone else's text."""
    found = pattern.fullmatch(last_line(body))
    return found.group(1) if found else None


# --- workflow commands and log lines -------------------------------------------------------------


def command_data(value: str) -> str:
    """The message part of ``::error ...::message`` (the runner decodes these three)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def command_property(value: str) -> str:
    """A ``key=value`` property of a workflow command: also ``:`` and ``,`` are separators there."""
    return command_data(value).replace(":", "%3A").replace(",", "%2C")


def log_safe(value: str) -> str:
    """One log line that cannot start a workflow command: no line breaks inside it."""
    return value.replace("\r", "\\r").replace("\n", "\\n")


# --- templates -------------------------------------------------------------------------------------


def _finalize(value: Any) -> str:
    if isinstance(value, Md):
        return value
    if isinstance(value, bool | int | float):
        return str(value)
    return inline(value)


def _load(name: str) -> str:
    resource = importlib.resources.files("linter") / "templates" / name
    return resource.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Templates live in ``linter/templates/*.md.j2`` (package data) and fail on undefined names."""
    # Markdown, not HTML: escaping is done by finalize and the filters below.
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_load),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(md=inline, code=code, cell_code=cell_code, fenced=fenced, marker=marker, trusted=Md)
    return env


def render(name: str, **values: Any) -> str:
    return environment().get_template(name).render(**values)
