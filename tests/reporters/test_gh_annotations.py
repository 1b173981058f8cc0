"""Annotation lines: each is exactly one workflow command, whatever the finding's text holds."""

from __future__ import annotations

import io
import re

import pytest

from linter.github.channels.annotations import command, emit
from linter.github.workflow_log import ZWSP, LogGuard
from linter.model import Location
from tests.hostile_log import FILE_NAMES, FOLDER_NAMES, PLUGIN_NAMES, executed_commands
from tests.reporters.conftest import KP201

HOSTILE = (*PLUGIN_NAMES, *FOLDER_NAMES, *FILE_NAMES)


def _decode(value: str, *, prop: bool) -> str:
    pairs = [("%0D", "\r"), ("%0A", "\n"), *([("%3A", ":"), ("%2C", ",")] if prop else []), ("%25", "%")]
    for code, char in pairs:
        value = value.replace(code, char)
    return value.replace(ZWSP, "")


@pytest.mark.parametrize("text", HOSTILE, ids=repr)
def test_an_annotation_is_one_command_holding_the_text(text: str) -> None:
    finding = KP201.finding(Location(f"{text}/main.go", 3, 1), f"message {text}", hint=f"hint {text}")
    line = command(finding)
    assert executed_commands(line) == [line]  # itself, once: no line break, no "##["
    assert "##[" not in line
    match = re.fullmatch(r"::error file=([^,]*),line=3,col=1,endColumn=1,title=KP201 builder-go-version::(.*)", line)
    assert match is not None
    assert _decode(match.group(1), prop=True) == f"{text}/main.go"
    assert _decode(match.group(2), prop=False) == f"message {text}\nHow to fix: hint {text}"


def test_annotations_pass_the_log_guard_unchanged() -> None:
    findings = [KP201.finding(Location("::error::x.go", n, 1), "::warning::m") for n in range(1, 13)]
    raw = io.StringIO()
    guard = LogGuard(raw)
    guard.write("partial line ::")
    emit(findings, guard)
    guard.close()
    executed = executed_commands(raw.getvalue())
    assert len(executed) == 11 and executed[-1].startswith("::notice title=krakend-plugin-lint::2 more")
    assert executed[0] == command(findings[0])
