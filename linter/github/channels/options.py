"""The GitHub options of `check`, kept apart from the channels so building the CLI's parser never
imports PyGithub (about 130 ms): it is imported only when a GitHub channel really runs."""

from __future__ import annotations

import argparse
import contextlib
from typing import Any

API_CHANNELS = ("gh-check-run", "gh-pr-review", "gh-sticky-comment")
LOCAL_CHANNELS = ("gh-annotations", "gh-step-summary")
ALL_CHANNELS = LOCAL_CHANNELS + API_CHANNELS
LEVEL_CHOICES = ("error", "warning", "notice", "never")
SCOPES = {"gh-check-run": "checks", "gh-pr-review": "pull-requests", "gh-sticky-comment": "pull-requests"}
PERMISSIONS = "permissions: {checks: write, pull-requests: write, contents: read}"
DEFAULT_TIMEOUT = 60.0  # seconds for all GitHub work of one run


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The GitHub options of ``check``. Options the CLI already defines are left as they are."""
    _add(parser, "--reporters", default=None, metavar="LIST",
         help=f"GitHub channels, comma-separated: {', '.join(ALL_CHANNELS)} (default inside Actions: "
              "all with a token, else annotations and step summary)")
    _add(parser, "--comment-on", choices=LEVEL_CHOICES, default=None,
         help="lowest severity that gets an inline PR comment (default warning)")
    _add(parser, "--annotate-on", choices=LEVEL_CHOICES, default=None,
         help="lowest severity that gets an annotation (default notice)")
    _add(parser, "--filter-mode", choices=("added", "diff_context", "file", "nofilter"), default=None,
         help="which findings may become inline comments: on added lines (default), in diff hunks, "
              "in changed files, or all")
    _add(parser, "--max-comments", type=int, default=None, metavar="N",
         help="most inline review comments alive at once (default 25)")
    _add(parser, "--github-timeout", type=_seconds, default=None, metavar="SECONDS",
         help=f"wall-clock limit for all GitHub work of the run (default {DEFAULT_TIMEOUT:g}); when it passes, "
              "the remaining GitHub channels stop and annotations, job summary and outputs are still written")
    _add(parser, "--github-token", default=None, help="token for the PR review, comment and check run "
         "(default: $GITHUB_TOKEN)")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"{text!r}: give more than 0 and at most 3600 seconds")
    return value


def _add(parser: argparse.ArgumentParser, flag: str, **kwargs: Any) -> None:
    # Already defined by the CLI (e.g. --github-token, also used for reference downloads): keep it.
    with contextlib.suppress(argparse.ArgumentError):
        parser.add_argument(flag, **kwargs)
