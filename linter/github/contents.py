"""Files of a repository at a tag, read through ``GitHubClient`` (the one place that speaks HTTP
to GitHub), and what each failure means to someone who wanted a file.

``ContentsReader(config)`` is called as ``read(repo, path, ref) -> text``; it builds its client on
the first call (importing PyGithub costs more than the rest of a CLI run), so every file of one
run shares one wait budget and one deadline. A failure raises ``GitHubError``; ``describe`` turns
it into a (kind, message, hint) triple in the vocabulary of reference notices.
"""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from linter.github.token import github_token

if TYPE_CHECKING:
    from linter.github.client import GitHubClient, GitHubError

DEFAULT_API_URL = "https://api.github.com"
RATE_HINT = ("set GITHUB_TOKEN for a higher limit, or pull the reference ahead: "
             "krakend-plugin-lint reference pull <version>")
NETWORK_HINT = "check the network or GITHUB_API_URL, or use --offline with a cached reference"


@dataclass(frozen=True)
class GitHubConfig:
    """How to reach GitHub for reference files. Waits are capped: a rate limit asking for more
    than ``max_wait`` seconds is reported instead of waited out."""

    base_url: str = DEFAULT_API_URL
    token: str = ""
    timeout: int = 10  # seconds per request; PyGithub takes whole seconds
    attempts: int = 3  # per file, for 5xx, timeouts, short rate limits
    max_wait: float = 20.0  # the longest single wait
    total_wait: float = 40.0  # all waits of one run together
    backoff: float = 1.0  # first wait after a 5xx/timeout; doubles each time
    connect_retries: int = 1  # transport-level, for refused/reset connections
    deadline: float | None = None  # wall-clock seconds for all the reads of one run

    @classmethod
    def from_env(cls, env: Mapping[str, str], token: str | None = None, **overrides: Any) -> GitHubConfig:
        """GITHUB_API_URL, and the token `github_token` picks (an explicit ``token`` wins)."""
        url = env.get("GITHUB_API_URL", "").strip() or DEFAULT_API_URL
        chosen = token.strip() if token is not None else github_token(None, env)
        return cls(base_url=url.rstrip("/"), token=chosen, **overrides)


class ContentsReader:
    """``read(repo, path, ref)``: a file's text at ``ref``; raises ``GitHubError``."""

    def __init__(self, config: GitHubConfig, *, sleep: Callable[[float], None] = time.sleep,
                 now: Callable[[], float] = time.time) -> None:
        self.config = config
        self._sleep = sleep
        self._now = now
        self._client: GitHubClient | None = None

    def __call__(self, repo: str, path: str, ref: str) -> str:
        answer = self._connect().get(f"/repos/{repo}/contents/{quote(path)}", {"ref": ref})
        return decode_file(answer)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _connect(self) -> GitHubClient:
        if self._client is None:
            from linter.github.client import Deadline, GitHubClient, Pacing

            config = self.config
            pacing = Pacing(max_total_wait=config.total_wait, max_single_wait=config.max_wait,
                            attempts=config.attempts, timeout=max(int(config.timeout), 1), backoff=config.backoff,
                            connect_retries=config.connect_retries)
            self._client = GitHubClient(config.token, config.base_url, pacing=pacing, wall_clock=self._now,
                                        sleep=self._sleep, deadline=Deadline(config.deadline))
        return self._client


def decode_file(answer: Any) -> str:
    """The text of a contents-API answer; ``GitHubError`` (cause "not-a-file") when it is not a
    base64-encoded file."""
    if isinstance(answer, list) or not isinstance(answer, dict) or answer.get("type", "file") != "file":
        raise _malformed("the path is a directory, not a file" if isinstance(answer, list) else
                         "the answer has no base64 `content`")
    if answer.get("encoding") != "base64" or not isinstance(answer.get("content"), str):
        raise _malformed("the answer has no base64 `content`")
    try:
        return base64.b64decode(answer["content"], validate=False).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as err:
        raise _malformed(f"the content does not decode: {err}") from err


def _malformed(text: str) -> GitHubError:
    from linter.github.client import GitHubError

    return GitHubError("unreadable", text, 200, cause="not-a-file", detail=text)


def describe(err: GitHubError, max_wait: float) -> tuple[str, str, str]:
    """(kind, message, hint) of a failed read, as reference notices say it."""
    if err.cause == "not-a-file":
        return "malformed", f"malformed answer from GitHub: {err.detail}", ""
    if err.cause == "malformed":
        return "malformed", f"malformed JSON from GitHub: {err.detail}", ""
    if err.cause == "timeout" or err.kind == "deadline":
        return "timeout", "GitHub did not answer in time" + ("" if err.kind != "deadline" else f" ({err})"), ""
    if err.cause == "refused":
        return "connection", f"cannot reach GitHub: {err.detail}", NETWORK_HINT
    if err.cause == "dropped":
        return "connection", f"the connection to GitHub broke: {err.detail}", NETWORK_HINT
    if err.kind == "dead":
        return "connection", str(err), NETWORK_HINT
    if err.status:
        return _describe_status(err, max_wait)
    return "error", str(err), ""


def _describe_status(err: GitHubError, max_wait: float) -> tuple[str, str, str]:
    said = f" ({_said(err.data)})" if _said(err.data) else ""
    not_waiting = f"; not waiting {err.wait:.0f} s (at most {max_wait:.0f} s)" if err.cause == "wait" else ""
    if err.kind == "not-found":
        return "not-found", f"not found{said}", ""
    if err.kind == "unauthorized":
        return "unauthorized", f"the token was refused{said}", "check GITHUB_TOKEN / --github-token"
    if err.status >= 500:
        return "server-error", f"GitHub answered HTTP {err.status}{said}{not_waiting}", ""
    if err.kind == "rate-limited":
        return "rate-limited", f"rate limited by GitHub (HTTP {err.status}){said}{not_waiting}", RATE_HINT
    return "http-error", f"GitHub answered HTTP {err.status}{said}", ""


def _said(data: Any) -> str:
    if isinstance(data, dict):
        return str(data.get("message", ""))[:200]
    return ""
