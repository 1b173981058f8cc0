"""A careful GitHub client on top of PyGithub's requester.

PyGithub does the HTTP, authentication and GHES base URLs; the policy is ours, because an action
that posts to pull requests must be a good API citizen and must never post twice:

- writes are paced (at least ``min_write_interval`` seconds apart) and serialised;
- rate limits are honoured: ``Retry-After`` first, then ``x-ratelimit-reset`` when the budget is
  spent, else an exponential wait; every wait comes out of one bounded budget, and a wait that does
  not fit gives up instead (the findings still reach the log, annotations and job summary);
- reads are retried on 5xx and connection errors; a non-idempotent write (POST, or a PATCH that
  appends) is never retried blindly: it raises ``WriteUncertainError`` and the caller re-lists to see
  whether it landed (``write_verified``);
- a 403 "Resource not accessible by integration" means the token cannot write: ``ReadOnlyTokenError``;
- once the network is down, the token is rejected, or the wait budget is spent, every later call
  fails at once without a request (so a dead GitHub costs seconds, not minutes);
- an answer is read strictly: a 2xx whose body is not JSON (a proxy's HTML page, an empty or
  truncated body) is an error, never an empty list, so a re-run cannot mistake it for "nothing there";
- one wall-clock ``Deadline`` bounds all of it: each request runs on a worker thread that is
  abandoned when the deadline passes (a server trickling one byte a second cannot hold the step),
  and waits that would end after it are not started;
- ``identity()`` says whose comments are ours: the login ``GET /user`` reports, or, for an app
  installation token (``GITHUB_TOKEN``), which may not call ``/user``, the bot GraphQL's
  ``viewer`` names;
- error messages never contain the token.

Clock and sleep are injectable so tests run the waits without waiting. The errors, the deadline and
the reading of GitHub's answers are in ``linter.github.wire``.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import requests
from github import Auth, Github, GithubException

from linter import __version__
from linter.github.wire import (
    READ_ONLY_TEXT,
    Deadline,
    GitHubError,
    OverdueError,
    ReadOnlyTokenError,
    RetryableError,
    WriteUncertainError,
    lenient_json,
    message_of,
    os_reason,
    rate_limited,
    refused,
    retry_after,
    timed_out,
    transport_retry,
    within,
)

__all__ = ["TIME", "Clock", "Deadline", "GitHubClient", "GitHubError", "Identity", "Pacing", "ReadOnlyTokenError",
           "RequestRecord", "WriteUncertainError"]
T = TypeVar("T")


@dataclass
class Clock:
    """The clocks and sleep a client uses unless given others (tests replace ``TIME``)."""

    monotonic: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep


TIME = Clock()
_NEXT_LINK = re.compile(r'<([^>]+)>;\s*rel="next"')
_VIEWER = "query { viewer { login } }"


@dataclass(frozen=True)
class Pacing:
    min_write_interval: float = 1.0  # GitHub: at least one second between mutating requests
    max_total_wait: float = 90.0  # all rate-limit and retry waits of one run together
    max_single_wait: float = 60.0  # a Retry-After longer than this: give up instead of waiting
    attempts: int = 3  # tries per request, for reads, idempotent writes and rate-limited writes
    timeout: int = 15
    backoff: float = 2.0  # the first wait after a 5xx, a dropped connection or a timeout; doubles
    connect_retries: int = 0  # immediate transport retries of a refused or reset connection


@dataclass(frozen=True)
class Identity:
    """Who the token writes as. ``login`` is what ``GET /user`` reports for a user's token, or, for
    an app installation token (``GITHUB_TOKEN`` or an app's), which may not call ``/user``, the bot
    login GraphQL's ``viewer`` reports (``github-actions[bot]``); ``bot`` says which of the two.
    ``login`` "" with ``bot``: the viewer was not available either, and any bot account counts."""

    login: str = ""
    bot: bool = False

    def owns(self, user: Any) -> bool:
        """Whether a comment's ``user`` object is this identity."""
        if not isinstance(user, dict):
            return False
        login = str(user.get("login") or "")
        if not self.bot:
            return bool(self.login) and login.lower() == self.login.lower() and user.get("type") != "Bot"
        if user.get("type") != "Bot" or not login.endswith("[bot]"):
            return False
        return not self.login or _bot_name(login) == _bot_name(self.login)


def _bot_name(login: str) -> str:
    return login.lower().removesuffix("[bot]")


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str
    status: int  # 0: no response (connection error)


@dataclass
class _State:
    last_write: float = -1e18
    waited: float = 0.0
    dead: str = ""
    records: list[RequestRecord] = field(default_factory=list)


class GitHubClient:
    def __init__(
        self,
        token: str,
        api_url: str,
        graphql_url: str = "",
        *,
        pacing: Pacing | None = None,
        clock: Callable[[], float] | None = None,
        wall_clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
        log: Callable[[str], None] | None = None,
        deadline: Deadline | None = None,
    ) -> None:
        self.pacing = pacing or Pacing()
        self.deadline = deadline or Deadline()
        self._identity: Identity | None = None
        self._token = token
        # Looked up at construction (not as default values) so tests can swap the module's TIME.
        self._clock = clock or TIME.monotonic
        self._wall = wall_clock or TIME.wall
        self._sleep = sleep or TIME.sleep
        self._log = log or (lambda _msg: None)
        self._graphql_url = graphql_url
        self._state = _State()
        # PyGithub's own pacing and urllib3 retries are off: both are done here, where they can be
        # bounded, observed and tested. lazy=True: no GETs just to build objects.
        self._gh = Github(
            auth=Auth.Token(token) if token else None,
            base_url=api_url.rstrip("/"),
            timeout=self.pacing.timeout,
            user_agent=f"krakend-plugin-lint/{__version__}",
            per_page=100,
            retry=transport_retry(self.pacing.connect_retries),
            seconds_between_requests=None,
            seconds_between_writes=None,
            lazy=True,
        )

    # --- bookkeeping -----------------------------------------------------------------------------

    @property
    def records(self) -> tuple[RequestRecord, ...]:
        return tuple(self._state.records)

    @property
    def waited(self) -> float:
        return self._state.waited

    @property
    def dead(self) -> str:
        """Why the client stopped making requests ("" while it still works)."""
        return self._state.dead

    def close(self) -> None:
        self._gh.close()

    def redact(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text

    # --- requests ----------------------------------------------------------------------------------

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._read("GET", path, params)[1]

    def paginate(self, path: str, params: Mapping[str, Any] | None = None, max_pages: int = 50) -> Iterator[Any]:
        """Items of a list endpoint, following ``Link: rel="next"`` (100 per page)."""
        query: dict[str, Any] = {"per_page": 100, **(params or {})}
        url: str | None = path
        for _ in range(max_pages):
            if url is None:
                return
            headers, data = self._read("GET", url, query)
            if not isinstance(data, list):
                raise GitHubError("unreadable", f"GET {self._route(url)}: the answer is not a list")
            yield from data
            match = _NEXT_LINK.search(headers.get("link", ""))
            url, query = (match.group(1), {}) if match else (None, {})

    def write(self, method: str, path: str, body: Any = None, *, idempotent: bool = False) -> Any:
        """POST/PATCH/PUT/DELETE once (retrying only rate limits, which GitHub never applied).

        5xx and dropped connections are retried only when ``idempotent``; otherwise they raise
        ``WriteUncertainError`` so the caller can look before writing again.
        """
        failures = 0
        while True:
            self._pace_write()
            try:
                return self._send(method, path, None, body)[1]
            except RetryableError as retry:
                failures += 1
                if not retry.rate_limited and not idempotent:
                    text = self._fail_text(method, path, retry.reason)
                    raise WriteUncertainError(retry.kind or "server", text, retry.status, retry.data) from None
                self._retry_or_give_up(method, path, retry, failures)

    def write_verified(self, method: str, path: str, body: Any, verify: Callable[[], T | None]) -> T | Any:
        """A non-idempotent write that is safe to retry: after an uncertain failure ``verify()``
        re-lists and returns what landed; only if nothing did is the write sent once more."""
        for attempt in range(2):
            try:
                return self.write(method, path, body)
            except WriteUncertainError:
                self._log(f"{method} {self._route(path)} failed mid-way; checking whether it landed")
                found = verify()
                if found is not None:
                    return found
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    def identity(self) -> Identity:
        """Whose comments are ours (asked once per client)."""
        if self._identity is None:
            self._identity = self._whoami()
        return self._identity

    def _whoami(self) -> Identity:
        try:
            user = self.get("/user")
        except ReadOnlyTokenError:
            # 403 "Resource not accessible by integration": an installation token, whose comments
            # GitHub attributes to the app's bot account; GraphQL's viewer names it.
            return self._bot_identity()
        login = user.get("login") if isinstance(user, dict) else None
        if not isinstance(login, str) or not login:
            raise GitHubError("unreadable", "GET /user: the answer names no login")
        return Identity(login, bot=user.get("type") == "Bot")

    def _bot_identity(self) -> Identity:
        try:
            viewer = self.graphql(_VIEWER, {}).get("viewer")
        except ReadOnlyTokenError:
            viewer = None
        except GitHubError as err:
            if err.kind != "graphql":
                raise
            viewer = None
        login = viewer.get("login") if isinstance(viewer, dict) else None
        if not isinstance(login, str) or not login:
            self._log("cannot tell which bot this token writes as; treating every bot account's markers as ours")
            return Identity("", bot=True)
        return Identity(login if login.endswith("[bot]") else f"{login}[bot]", bot=True)

    def graphql(self, query: str, variables: Mapping[str, Any], *, mutation: bool = False) -> dict[str, Any]:
        body = {"query": query, "variables": dict(variables)}
        url = self._graphql_url or self._gh.requester.graphql_url
        data = self.write("POST", url, body, idempotent=True) if mutation else self._read("POST", url, None, body)[1]
        if not isinstance(data, dict):
            raise GitHubError("graphql", "GraphQL answered with something that is not an object")
        errors = data.get("errors") or []
        if errors:
            first = errors[0] if isinstance(errors[0], dict) else {}
            text = self.redact(str(first.get("message", "GraphQL error")))[:300]
            if first.get("type") == "FORBIDDEN" or any(t in text.lower() for t in READ_ONLY_TEXT):
                raise ReadOnlyTokenError("read-only", f"GraphQL: {text}", 403)
            raise GitHubError("graphql", f"GraphQL: {text}")
        result = data.get("data")
        return result if isinstance(result, dict) else {}

    # --- internals ---------------------------------------------------------------------------------

    def _read(self, method: str, path: str, params: Mapping[str, Any] | None,
              body: Any = None) -> tuple[dict[str, Any], Any]:
        failures = 0
        while True:
            try:
                return self._send(method, path, params, body)
            except RetryableError as retry:
                failures += 1
                self._retry_or_give_up(method, path, retry, failures)

    def _retry_or_give_up(self, method: str, path: str, retry: RetryableError, failures: int) -> None:
        if failures >= self.pacing.attempts:
            raise self._give_up(method, path, retry) from None
        # Rate limits say how long; other failures back off exponentially (2 s, 4 s, ...).
        self._wait(retry.wait if retry.rate_limited else retry.wait * 2 ** (failures - 1), retry)

    def _send(self, method: str, path: str, params: Mapping[str, Any] | None, body: Any) -> tuple[dict[str, Any], Any]:
        if self._state.dead:
            raise GitHubError("dead", f"not calling GitHub any more: {self._state.dead}")
        route = self._route(path)
        remaining = self.deadline.remaining()
        if remaining <= 0:
            raise self._overdue()
        try:
            status, raw_headers, output = within(remaining, lambda: self._gh.requester.requestJson(
                method, path, dict(params) if params else None, None, body))
        except OverdueError:
            self._record(method, route, 0)
            raise self._overdue() from None
        except GithubException as err:  # PyGithub raises for a few answers itself (redirect loops)
            self._record(method, route, err.status)
            raise self._classify(method, route, err.status, err.headers or {}, err.data) from None
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as err:
            self._record(method, route, 0)
            raise self._network(method, route, err) from None
        self._record(method, route, status)
        headers = {str(k).lower(): str(v) for k, v in (raw_headers or {}).items()}
        if status >= 400:
            raise self._classify(method, route, status, headers, lenient_json(output))
        return headers, self._strict_json(method, status, headers, output)

    def _strict_json(self, method: str, status: int, headers: Mapping[str, str], output: str) -> Any:
        """The answer's JSON; an answer that is not JSON is a (retryable) failure, never "nothing"."""
        if status == 204 or (method == "DELETE" and not output.strip()):
            return None
        try:
            return json.loads(output)
        except ValueError as err:
            what = "an empty body" if not output.strip() else (
                "truncated JSON" if output.lstrip()[:1] in "[{" else
                f"a body that is not JSON ({headers.get('content-type', 'no content type')[:60]})")
            raise RetryableError(status, False, self.pacing.backoff, f"{status} with {what}", kind="unreadable",
                                  cause="malformed", detail=str(err)) from None

    def _overdue(self) -> GitHubError:
        self._state.dead = self.deadline.text()
        return GitHubError("deadline", self._state.dead)

    def _record(self, method: str, route: str, status: int) -> None:
        self._state.records.append(RequestRecord(method, route, status))
        if method != "GET" and not (method == "POST" and route.endswith("/graphql") and status == 200):
            self._state.last_write = self._clock()

    def _classify(self, method: str, route: str, status: int, raw_headers: Mapping[str, Any], data: Any
                  ) -> Exception:
        headers = {str(k).lower(): str(v) for k, v in raw_headers.items()}
        message = self.redact(message_of(data))
        lowered = message.lower()
        if status == 401:
            self._state.dead = "GitHub rejected the token (401 Bad credentials)"
            return GitHubError("unauthorized", self._state.dead, status, data)
        if status in (403, 429) and (rate_limited(headers, lowered) or status == 429):
            return RetryableError(status, True, self._rate_wait(headers), f"rate limited ({status})",
                                   kind="rate-limited", data=data)
        if status == 403 and any(text in lowered for text in READ_ONLY_TEXT):
            return ReadOnlyTokenError("read-only", f"{method} {route}: 403 {message}", status, data)
        if status == 404:
            return GitHubError("not-found", f"{method} {route}: 404 {message}", status, data)
        if status == 422:
            return GitHubError("validation", f"{method} {route}: 422 {message}", status, data)
        if status >= 500:
            return RetryableError(status, False, retry_after(headers, self._wall) or self.pacing.backoff,
                                   f"server error {status}", data=data)
        return GitHubError("http", f"{method} {route}: {status} {message}", status, data)

    def _network(self, method: str, route: str, err: Exception) -> Exception:
        text = type(err).__name__
        timeout = timed_out(err)
        if isinstance(err, requests.exceptions.ConnectTimeout) or refused(err):
            # Nothing was sent: no write can have landed; the network (or GitHub) is unreachable.
            self._state.dead = f"GitHub is unreachable ({text})"
            return GitHubError("unavailable", self._state.dead, cause="timeout" if timeout else "refused",
                               detail=os_reason(err))
        return RetryableError(0, False, self.pacing.backoff, f"connection failed ({text})",
                               cause="timeout" if timeout else "dropped", detail=os_reason(err))

    def _rate_wait(self, headers: Mapping[str, str]) -> float:
        after = retry_after(headers, self._wall)
        if after is not None:
            return after
        if headers.get("x-ratelimit-remaining") == "0" and headers.get("x-ratelimit-reset", "").isdigit():
            return max(0.0, float(headers["x-ratelimit-reset"]) - self._wall()) + 1.0
        # A secondary limit without a hint: GitHub asks for at least a minute.
        return 60.0

    def _wait(self, seconds: float, retry: RetryableError) -> None:
        seconds, reason = max(0.0, seconds), retry.reason
        budget = self.pacing.max_total_wait - self._state.waited
        if seconds > self.pacing.max_single_wait or seconds > budget:
            self._state.dead = f"{reason}: GitHub asked to wait {seconds:.0f}s, more than the wait budget left"
            raise GitHubError("rate-limited", self._state.dead, retry.status, retry.data, cause="wait",
                              detail=retry.detail, wait=seconds)
        if seconds >= self.deadline.remaining():
            self._state.dead = f"{reason}: waiting {seconds:.0f}s more would pass the GitHub deadline"
            raise GitHubError("deadline", self._state.dead)
        self._log(f"{reason}; waiting {seconds:.1f}s")
        self._state.waited += seconds
        self._sleep(seconds)

    def _pace_write(self) -> None:
        gap = self._state.last_write + self.pacing.min_write_interval - self._clock()
        if gap > 0:
            if gap >= self.deadline.remaining():
                raise self._overdue()
            self._sleep(gap)

    def _give_up(self, method: str, path: str, retry: RetryableError) -> GitHubError:
        self._state.dead = f"GitHub keeps failing ({retry.reason})"
        kind = retry.kind or ("unavailable" if retry.status == 0 else "server")
        return GitHubError(kind, self._fail_text(method, path, retry.reason), retry.status, retry.data,
                           cause=retry.cause, detail=retry.detail)

    def _fail_text(self, method: str, path: str, reason: str) -> str:
        return f"{method} {self._route(path)}: {reason}"

    def _route(self, path: str) -> str:
        """The path without scheme, host or query (for logs and request counts)."""
        path = re.sub(r"^[a-z]+://[^/]+", "", path)
        return self.redact(path.split("?", 1)[0])


