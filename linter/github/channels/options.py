"""What a run asks of the GitHub channels: their names and the ``ChannelOptions`` the command builds.

This module imports nothing heavy: the CLI reads the channel names from it while building its parser,
and PyGithub (about 130 ms) is imported only when a GitHub channel really runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from linter.model import Severity

API_CHANNELS = ("gh-check-run", "gh-pr-review", "gh-sticky-comment")
LOCAL_CHANNELS = ("gh-annotations", "gh-step-summary")
ALL_CHANNELS = LOCAL_CHANNELS + API_CHANNELS
LEVEL_CHOICES = ("error", "warning", "notice", "never")
FILTER_MODES = ("added", "diff_context", "file", "nofilter")
PERMISSIONS = "permissions: {checks: write, pull-requests: write, contents: read}"
DEFAULT_TIMEOUT = 60.0  # seconds for all GitHub work of one run
DEFAULT_MAX_COMMENTS = 25


@dataclass(frozen=True)
class ChannelOptions:
    channels: tuple[str, ...] = ()  # the selected channels, by name
    comment_on: Severity | None = Severity.WARNING
    annotate_on: Severity | None = Severity.NOTICE
    fail_on: Severity | None = Severity.ERROR
    filter_mode: str = "added"
    max_comments: int = DEFAULT_MAX_COMMENTS
    timeout: float = DEFAULT_TIMEOUT  # wall-clock seconds for all GitHub work of the run
    token: str = field(default="", repr=False)
    report_files: Mapping[str, str] = field(default_factory=dict)  # "sarif"/"json" -> a file the CLI writes


def threshold(text: str | None, default: Severity | None) -> Severity | None:
    """``error|warning|notice`` -> that level; ``never`` -> None (nothing reaches it)."""
    if not text:
        return default
    if text.strip().lower() in ("never", "none", "off"):
        return None
    return Severity.parse(text)


def channel_names(value: str) -> list[str]:
    """The names a ``reporters`` list gives (comma- or line-separated), as written."""
    return [name.strip() for name in value.replace("\n", ",").split(",") if name.strip()]


def select_channels(value: str | None, has_token: bool, in_actions: bool) -> tuple[str, ...]:
    """The channels a ``reporters`` list names (unknown names dropped; the CLI refuses them first).
    Unset: none outside Actions; inside, all of them with a token, else the two that need none."""
    if value is None or not value.strip():
        if not in_actions:
            return ()
        return ALL_CHANNELS if has_token else LOCAL_CHANNELS
    return tuple(name for name in dict.fromkeys(channel_names(value)) if name in ALL_CHANNELS)
