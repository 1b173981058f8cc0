"""The wire-level pieces of ``linter.github.client``: its errors, the run's deadline, and reading
what GitHub answered (rate-limit headers, error bodies, network failures through the
requests/urllib3 wrappers)."""

from __future__ import annotations

import email.utils
import json
import math
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")
READ_ONLY_TEXT = ("resource not accessible by", "must have push access", "must have admin rights")
SECONDARY_TEXT = ("secondary rate limit", "abuse detection", "please retry your request again later",
                   "please wait a few minutes")

class GitHubError(Exception):
    """A GitHub call failed. ``kind`` is one of: unauthorized, read-only, not-found, validation,
    rate-limited, unavailable, server, unreadable (an answer that is not the JSON GitHub sends),
    deadline, http, graphql, dead (an earlier failure stopped the client)."""

    def __init__(self, kind: str, message: str, status: int = 0, data: Any = None, *, cause: str = "",
                 detail: str = "", wait: float = 0.0) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.data = data
        self.cause = cause  # what happened: timeout, refused, dropped, malformed, not-a-file, wait
        self.detail = detail  # the operating system's or the decoder's words for it
        self.wait = wait  # cause "wait": the seconds GitHub asked for and the budget did not allow


class ReadOnlyTokenError(GitHubError):
    """The token may read but not write here (fork PRs, Dependabot, missing ``permissions:``)."""


class WriteUncertainError(GitHubError):
    """A non-idempotent write failed in a way that does not tell whether GitHub applied it."""


class Deadline:
    """One wall-clock limit for all the GitHub work of a run (``seconds`` None: no limit).

    Always real time (``time.monotonic``), also when a test fakes the client's clock: it exists to
    bound how long the step really takes.
    """

    def __init__(self, seconds: float | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._start = clock()

    def remaining(self) -> float:
        if self.seconds is None:
            return math.inf
        return self.seconds - (self._clock() - self._start)

    def text(self) -> str:
        limit = f"{self.seconds:g}s" if self.seconds is not None else "none"
        return f"the GitHub deadline passed (github-timeout: {limit})"


class RetryableError(Exception):
    def __init__(self, status: int, rate_limited: bool, wait: float, reason: str, kind: str = "", *,
                 data: Any = None, cause: str = "", detail: str = "") -> None:
        super().__init__(reason)
        self.status, self.rate_limited, self.wait, self.reason = status, rate_limited, wait, reason
        self.kind, self.data, self.cause, self.detail = kind, data, cause, detail


class OverdueError(Exception):
    """The deadline passed while a request was still under way."""


def within(seconds: float, call: Callable[[], T]) -> T:
    """``call()``, abandoned after ``seconds`` of wall time (it runs on a daemon thread, which a
    read that trickles forever cannot keep from exiting with the process)."""
    if math.isinf(seconds):
        return call()
    box: dict[str, Any] = {}
    done = threading.Event()

    def work() -> None:
        try:
            box["value"] = call()
        except Exception as err:  # handed to the caller's thread below
            box["error"] = err
        finally:
            done.set()

    threading.Thread(target=work, name="github-request", daemon=True).start()
    if not done.wait(seconds):
        raise OverdueError
    if "error" in box:
        raise box["error"]
    return box["value"]


def lenient_json(output: str) -> Any:
    """An error answer's body, for its message: JSON when it is, else the text."""
    try:
        return json.loads(output)
    except ValueError:
        return output


def message_of(data: Any) -> str:
    if isinstance(data, dict):
        return str(data.get("message", ""))[:300]
    return str(data or "")[:300]


def rate_limited(headers: Mapping[str, str], lowered: str) -> bool:
    return (
        "retry-after" in headers
        or headers.get("x-ratelimit-remaining") == "0"
        or lowered.startswith("api rate limit exceeded")
        or any(text in lowered for text in SECONDARY_TEXT)
    )


def retry_after(headers: Mapping[str, str], wall: Callable[[], float]) -> float | None:
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - wall())


def transport_retry(retries: int) -> Any:
    """urllib3's retry of refused or reset connections only, without sleeping (None: no retry);
    statuses, timeouts and rate limits are retried above, where the waits are bounded."""
    if retries <= 0:
        return None
    from urllib3.util.retry import Retry

    return Retry(total=retries, connect=retries, read=0, status=0, other=0, redirect=5, backoff_factor=0,
                 raise_on_status=False, respect_retry_after_header=False)


def chain(err: BaseException) -> list[BaseException]:
    """The error and what caused it, through the requests/urllib3 wrappers (reason, args)."""
    seen: list[BaseException] = []
    current: BaseException | None = err
    while current is not None and all(current is not s for s in seen) and len(seen) < 12:
        seen.append(current)
        reason = getattr(current, "reason", None)
        nested = [a for a in getattr(current, "args", ()) if isinstance(a, BaseException)]
        current = current.__cause__ or (reason if isinstance(reason, BaseException) else None) or (
            nested[0] if nested else None) or current.__context__
    return seen


def timed_out(err: BaseException) -> bool:
    """A timeout, also when urllib3 reports it after its own retries as a ConnectionError."""
    return any(isinstance(e, TimeoutError) or "timeout" in type(e).__name__.lower() for e in chain(err))


def os_reason(err: BaseException) -> str:
    """The operating system's words for a network failure ("Connection refused"), else the
    innermost error's text."""
    causes = chain(err)
    found = next((e.strerror for e in causes if isinstance(e, OSError) and e.strerror), "")
    text = found or str(causes[-1]) or type(causes[-1]).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def refused(err: Exception) -> bool:
    text = repr(err)
    return any(t in text for t in ("NewConnectionError", "Connection refused", "NameResolutionError",
                                   "Failed to resolve", "Network is unreachable"))
