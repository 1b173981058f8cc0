"""The GitHub flags of `check`: their argparse definitions, and the ``ChannelOptions`` built from
them once per run. Below this module the channels see only the typed options, never argparse.

Building the parser imports only ``linter.github.channels.options`` (no PyGithub).
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from linter.github.channels.options import (
    ALL_CHANNELS,
    DEFAULT_MAX_COMMENTS,
    DEFAULT_TIMEOUT,
    FILTER_MODES,
    LEVEL_CHOICES,
    ChannelOptions,
    select_channels,
    threshold,
)
from linter.github.token import github_token
from linter.model import Severity

REPORT_FILES = ("sarif", "json")  # the formats whose files later steps get as step outputs


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The GitHub options of ``check``. Options the CLI already defines are left as they are."""
    _add(parser, "--reporters", default=None, metavar="LIST",
         help=f"GitHub channels, comma-separated: {', '.join(ALL_CHANNELS)} (default inside Actions: "
              "all with a token, else annotations and step summary)")
    _add(parser, "--comment-on", choices=LEVEL_CHOICES, default=None,
         help="lowest severity that gets an inline PR comment (default warning)")
    _add(parser, "--annotate-on", choices=LEVEL_CHOICES, default=None,
         help="lowest severity that gets an annotation (default notice)")
    _add(parser, "--filter-mode", choices=FILTER_MODES, default=None,
         help="which findings may become inline comments: on added lines (default), in diff hunks, "
              "in changed files, or all")
    _add(parser, "--max-comments", type=int, default=None, metavar="N",
         help=f"most inline review comments alive at once (default {DEFAULT_MAX_COMMENTS})")
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


def github_options(args: argparse.Namespace, env: Mapping[str, str],
                   outputs: Sequence[tuple[str, Path | None]] = ()) -> ChannelOptions | None:
    """The options of this run's GitHub channels, or None when it asks for none: no ``--reporters``
    outside GitHub Actions (then PyGithub is never imported)."""
    if not getattr(args, "reporters", None) and env.get("GITHUB_ACTIONS") != "true":
        return None
    return channel_options(args, env, outputs)


def channel_options(args: argparse.Namespace, env: Mapping[str, str],
                    outputs: Sequence[tuple[str, Path | None]] = ()) -> ChannelOptions:
    """``outputs`` is the parsed ``--format``/``--output`` list, (format, file or None for stdout)."""
    token = github_token(getattr(args, "github_token", None), env)
    in_actions = env.get("GITHUB_ACTIONS") == "true"
    max_comments = getattr(args, "max_comments", None)
    timeout = getattr(args, "github_timeout", None)
    return ChannelOptions(
        channels=select_channels(getattr(args, "reporters", None), bool(token), in_actions),
        comment_on=threshold(getattr(args, "comment_on", None), Severity.WARNING),
        annotate_on=threshold(getattr(args, "annotate_on", None), Severity.NOTICE),
        fail_on=threshold(getattr(args, "fail_on", None), Severity.ERROR),
        filter_mode=getattr(args, "filter_mode", None) or "added",
        max_comments=DEFAULT_MAX_COMMENTS if max_comments is None else max(0, int(max_comments)),
        timeout=float(timeout) if isinstance(timeout, int | float) and timeout > 0 else DEFAULT_TIMEOUT,
        token=token,
        report_files={name: str(file.resolve()) for name, file in outputs if file is not None and name in REPORT_FILES},
    )
