"""Nothing the scanned repository controls can run a workflow command in the step's log.

The runner emulation (tests/hostile_log.py) executes lines starting with ``::`` and any line
holding ``##[``; the hostile repository puts such text in plugin names, folder names, file names
and the YAML error snippet of a broken config. Every executed line must be one of our own.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from linter.github.workflow_log import LogGuard, json_safe, neutralise, untrusted_block
from tests.hostile_log import (
    BROKEN_CONFIGS,
    FILE_NAMES,
    FOLDER_NAMES,
    PLUGIN_NAMES,
    executed_commands,
    run_in_actions,
    write_hostile_repo,
)

ALL_NAMES = (*PLUGIN_NAMES, *FOLDER_NAMES, *FILE_NAMES, *BROKEN_CONFIGS)
PREFIXES = ("", " ", "\t", "\u00a0", "\u3000 ", "\ufeff", "\u200b", "\x0b")


def test_the_emulated_runner_executes_what_the_runner_executes() -> None:
    log = "\n".join(["plain", "::error::a", "   ::warning::b", "text ##[group]c", "::stop-commands::T",
                     "::error::stopped", "x ##[error]still", "::T::", "::notice::again", "a :: b"])
    assert executed_commands(log) == ["::error::a", "   ::warning::b", "text ##[group]c", "::stop-commands::T",
                                      "x ##[error]still", "::notice::again"]


@pytest.mark.parametrize("prefix", PREFIXES, ids=repr)
@pytest.mark.parametrize("name", ALL_NAMES, ids=repr)
def test_neutralised_text_runs_nothing(name: str, prefix: str) -> None:
    text = f"{prefix}{name}\n{prefix}{name}"
    assert executed_commands(neutralise(text)) == []


def test_neutralise_keeps_the_text_readable() -> None:
    assert neutralise("::error::x\nplain ##[y]\n").replace("\u200b", "") == "::error::x\nplain ##[y]\n"
    assert neutralise("a :: b\nno command") == "a :: b\nno command"


def test_the_guard_neutralises_lines_written_in_pieces() -> None:
    raw = io.StringIO()
    guard = LogGuard(raw)
    for piece in (":", ":error::one\n  ", ":", ":warning::two\r::", "notice::three", "\n#", "#[x]"):
        guard.write(piece)
    guard.write_trusted("::notice::ours\n")
    guard.close()
    assert executed_commands(raw.getvalue()) == ["::notice::ours"]


def test_a_stop_commands_block_ends_on_a_fresh_line() -> None:
    raw = io.StringIO()
    guard = LogGuard(raw)
    with untrusted_block(guard, {"GITHUB_ACTIONS": "true"}):
        guard.write("::error::no line break at the end")
    guard.write_trusted("::error::ours\n")
    lines = raw.getvalue().splitlines()
    assert lines[0].startswith("::stop-commands::") and lines[-2] == f"::{lines[0].split('::')[2]}::"
    assert executed_commands(raw.getvalue()) == [lines[0], "::error::ours"]  # the resume line is not a command


def test_json_stays_the_same_value() -> None:
    data = {"name": "##[error]x ::error::y", "list": ["##[", "###["]}
    text = json.dumps(data, indent=2)
    assert json.loads(json_safe(text)) == data
    assert executed_commands(json_safe(text)) == []


@pytest.fixture(scope="module")
def hostile_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    write_hostile_repo(root)
    return root


def test_a_hostile_repository_forges_no_command(hostile_repo: Path) -> None:
    logged = run_in_actions(hostile_repo, ["check", "--offline", "--krakend-version", "2.7.0", "--no-color",
                                           "--reporters", "gh-annotations", "--cache-dir", str(hostile_repo / ".c")])
    assert logged.code == 1
    assert logged.forged == []
    # Our annotations still run: one per finding that the report names (hostile paths included).
    annotations = [line for line in logged.executed if line.startswith(("::error ", "::warning ", "::notice "))]
    assert {line.split(" ", 1)[0] for line in annotations} == {"::error", "::warning", "::notice"}
    assert any("file=%3A%3Aerror title=PWNED%3A%3Afolder PWNED/main.go" in line for line in annotations)
    # The terminal report sits between stop-commands and its resume line, before the annotations.
    assert logged.executed[0].startswith("::stop-commands::")
    lines = logged.stdout.split("\n")
    resume = lines.index(f"::{logged.executed[0].removeprefix('::stop-commands::')}::")
    assert lines.index(logged.executed[0]) == 0 and set(annotations) <= set(lines[resume + 1 :])
    assert "PWNED" in logged.stdout  # the names are shown, as text


def test_a_hostile_repository_in_json_on_stdout(hostile_repo: Path) -> None:
    logged = run_in_actions(hostile_repo, ["check", "--offline", "--krakend-version", "2.7.0", "--format", "json",
                                           "--reporters", "gh-step-summary", "--cache-dir", str(hostile_repo / ".c")])
    assert logged.forged == [] and logged.executed == []
    report, _ = json.JSONDecoder().raw_decode(logged.stdout)  # the channels' log lines follow it
    names = {f["message"] for f in report["findings"]}
    assert any("##[error]PWNED" in message for message in names)  # the same value as without Actions


@pytest.mark.parametrize("config", BROKEN_CONFIGS, ids=repr)
def test_a_broken_config_snippet_forges_no_command(tmp_path: Path, config: str) -> None:
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "krakend-lint.yml").write_text(config, encoding="utf-8")
    logged = run_in_actions(tmp_path, ["check", "--offline"])
    assert logged.code == 2
    assert "PWNED" in logged.stderr  # the snippet is still shown
    assert logged.forged == []
