"""The check command's GitHub flags become one typed ChannelOptions, built once."""

from __future__ import annotations

import argparse
from pathlib import Path

from linter.cli import build_parser
from linter.github.channels.options import ALL_CHANNELS, LOCAL_CHANNELS
from linter.github_flags import channel_options, github_options
from linter.model import Severity

ACTIONS = {"GITHUB_ACTIONS": "true"}


def parse(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["check", *argv])


def test_no_channel_outside_actions_unless_asked() -> None:
    assert github_options(parse(), {}) is None
    chosen = github_options(parse("--reporters", "gh-annotations"), {})
    assert chosen is not None and chosen.channels == ("gh-annotations",)


def test_defaults_inside_actions_depend_on_the_token() -> None:
    assert channel_options(parse(), ACTIONS).channels == LOCAL_CHANNELS
    with_token = channel_options(parse(), {**ACTIONS, "GITHUB_TOKEN": "t"})
    assert with_token.channels == ALL_CHANNELS and with_token.token == "t"


def test_token_precedence_flag_then_action_input_then_environment() -> None:
    env = {**ACTIONS, "INPUT_GITHUB-TOKEN": " input ", "GITHUB_TOKEN": "env"}
    assert channel_options(parse("--github-token", "flag"), env).token == "flag"
    assert channel_options(parse(), env).token == "input"
    assert channel_options(parse(), {"GITHUB_TOKEN": "env"}).token == "env"
    assert "input" not in repr(channel_options(parse(), env))


def test_levels_limits_and_report_files(tmp_path: Path) -> None:
    opts = channel_options(parse("--comment-on", "never", "--annotate-on", "error", "--max-comments", "-3",
                                 "--github-timeout", "5", "--filter-mode", "file"), ACTIONS,
                           [("terminal", None), ("sarif", tmp_path / "a.sarif"), ("rdjson", tmp_path / "r.json")])
    assert (opts.comment_on, opts.annotate_on, opts.fail_on) == (None, Severity.ERROR, Severity.ERROR)
    assert (opts.max_comments, opts.timeout, opts.filter_mode) == (0, 5.0, "file")
    assert dict(opts.report_files) == {"sarif": str((tmp_path / "a.sarif").resolve())}
