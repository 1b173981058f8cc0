"""A fake GitHub REST API: real HTTP on 127.0.0.1, for PyGithub (``base_url=server.url``).

Use it as a fixture or a context manager::

    def test_x(fake_github):                      # fixture (import it into your conftest.py:
        fake_github.route("GET", r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)", handler)
        ...                                       #   from tests.fakegithub.server import fake_github)

    with FakeGitHub() as server: ...              # context manager; server.url is the base URL

## Route API (what tests/fakegithub/pulls.py and other modules build on)

``server.route(method, pattern, handler, name=None) -> Route`` registers a handler for requests
whose path (without the query string) fully matches the regex ``pattern``; named groups become
``request.params``. Later routes are tried first, so a test can override a default route. Without
``handler`` it returns a decorator. A handler gets a ``Request`` and returns
``(status, headers, body)``: ``body`` may be ``dict``/``list`` (sent as JSON), ``str``, ``bytes``
or ``None``. Helpers build common answers: ``json_response(data, status=200)``,
``error_response(status, message, errors=None)`` (GitHub's error body),
``paginate(request, items, per_page=30)`` (slices ``items`` by ``?page=&per_page=`` and adds the
``Link`` header with ``first/prev/next/last`` as GitHub does).

``Request`` carries ``method``, ``path``, ``query`` (last value per name), ``query_all`` (every
value), ``headers`` (lower-case names), ``body`` (bytes), ``json`` (the parsed body or ``None``),
``params`` (the route's named groups), ``route`` and ``server`` (for ``server.url``).

## Recording, faults, rate limits, validation

* ``server.requests``: every request as a ``Recorded`` (method, path, query, headers, json,
  status, route name, operation id). ``server.count(method=None, path=None)`` counts them
  (``path`` is a regex searched in the path).
* Faults: ``server.inject(route_or_name, Fault..., ...)`` queues canned faults for one route (a
  ``Route``, its ``name``, or ``None`` for "whatever the next request is"); each matching request
  takes the next fault. ``Fault.status(code, message, headers)``, ``Fault.rate_limited(retry_after)``
  (403 secondary limit with Retry-After), ``Fault.primary_rate_limit(reset)`` (403 with
  ``x-ratelimit-remaining: 0``), ``Fault.too_many(retry_after)`` (429), ``Fault.server_error(502)``,
  ``Fault.malformed_json()``, ``Fault.disconnect()`` (closes the connection without an answer),
  ``Fault.slow(seconds)`` (delays, then answers normally; combine with ``then=Fault...``),
  ``Fault.html()`` (200 with a proxy's HTML page), ``Fault.empty()`` (200 with no body),
  ``Fault.truncated()`` (the real answer cut in half: the handler ran), ``Fault.trickle(interval)``
  (the real answer, one byte every ``interval`` seconds). ``server.latency`` delays every answer.
* Every answer carries ``x-ratelimit-limit/remaining/used/reset/resource`` from
  ``server.rate_limit``; when ``remaining`` reaches 0 every request gets GitHub's primary
  rate-limit 403 until ``reset`` moves on (tests set it directly).
* Validation: each request is matched to an operation of GitHub's official description
  (``tests/fakegithub/openapi.py``: the octokit OpenAPI when unpacked, else the shared fragments)
  and its query and JSON body are checked. A request that does not validate gets GitHub's 422
  and is recorded in ``server.violations``; the ``fake_github`` fixture asserts there are none at
  teardown, so a bad request fails its test loudly. A handler that raises is recorded there too.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.fakegithub.openapi import Validator, load_validator

Body = dict[str, Any] | list[Any] | str | bytes | None
Response = tuple[int, Mapping[str, str], Body]
Handler = Callable[["Request"], Response]
DOCS = "https://docs.github.com/rest"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    query_all: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    json: Any
    params: dict[str, str] = field(default_factory=dict)
    route: Route | None = None
    server: FakeGitHub | None = None


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    json: Any
    status: int
    route: str
    operation: str


@dataclass(frozen=True)
class Fault:
    """One canned misbehaviour; ``code`` 0 means "answer normally" (after ``delay``)."""

    code: int = 0
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Body = None
    raw: bytes | None = None  # sent verbatim as the body (malformed answers)
    close: bool = False
    delay: float = 0.0
    then: Fault | None = None  # what happens after the delay
    truncate: bool = False  # send the first half of the real answer
    trickle: float = 0.0  # send the real answer one byte every ``trickle`` seconds

    @classmethod
    def status(cls, code: int, message: str = "", headers: Mapping[str, str] | None = None) -> Fault:
        return cls(code, dict(headers or {}), error_body(message or _reason(code)))

    @classmethod
    def rate_limited(cls, retry_after: float = 1) -> Fault:
        message = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
        return cls.status(403, message, {"retry-after": _seconds(retry_after)})

    @classmethod
    def primary_rate_limit(cls, reset: float) -> Fault:
        headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(reset))}
        return cls.status(403, "API rate limit exceeded for 127.0.0.1.", headers)

    @classmethod
    def too_many(cls, retry_after: float = 1) -> Fault:
        return cls.status(429, "Too Many Requests", {"retry-after": _seconds(retry_after)})

    @classmethod
    def server_error(cls, code: int = 500) -> Fault:
        return cls.status(code, _reason(code))

    @classmethod
    def malformed_json(cls, code: int = 200) -> Fault:
        return cls(code, {"content-type": "application/json; charset=utf-8"}, raw=b'{"type": "file", "content": ')

    @classmethod
    def html(cls) -> Fault:
        page = b"<html><head><title>502 Bad Gateway</title></head><body>proxy error</body></html>"
        return cls(200, {"content-type": "text/html"}, raw=page)

    @classmethod
    def empty(cls) -> Fault:
        return cls(200, {}, raw=b"")

    @classmethod
    def truncated(cls) -> Fault:
        return cls(truncate=True)

    @classmethod
    def trickling(cls, interval: float = 1.0) -> Fault:
        return cls(trickle=interval)

    @classmethod
    def disconnect(cls) -> Fault:
        return cls(close=True)

    @classmethod
    def slow(cls, seconds: float, then: Fault | None = None) -> Fault:
        return cls(delay=seconds, then=then)


def _seconds(value: float) -> str:
    return str(math.ceil(value)) if value >= 1 or value == 0 else str(value)


def _reason(code: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return "Error"


def error_body(message: str, errors: Sequence[Any] | None = None, status: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message, "documentation_url": DOCS}
    if errors:
        body["errors"] = list(errors)
    if status:
        body["status"] = str(status)
    return body


def json_response(data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return status, dict(headers or {}), data


def error_response(status: int, message: str, errors: Sequence[Any] | None = None) -> Response:
    return status, {}, error_body(message, errors, status)


@dataclass
class RateLimit:
    limit: int = 5000
    remaining: int = 5000
    reset: int = field(default_factory=lambda: int(time.time()) + 3600)
    resource: str = "core"

    def headers(self) -> dict[str, str]:
        return {
            "x-ratelimit-limit": str(self.limit),
            "x-ratelimit-remaining": str(max(self.remaining, 0)),
            "x-ratelimit-used": str(self.limit - max(self.remaining, 0)),
            "x-ratelimit-reset": str(self.reset),
            "x-ratelimit-resource": self.resource,
        }


class Route:
    def __init__(self, method: str, pattern: str, handler: Handler, name: str) -> None:
        self.method = method.upper()
        self.pattern = pattern
        self.regex = re.compile(pattern)
        self.handler = handler
        self.name = name
        self.faults: deque[Fault] = deque()

    def __repr__(self) -> str:
        return f"Route({self.method} {self.pattern!r}, name={self.name!r})"


class FakeGitHub:
    """See the module docstring. ``validate=False`` turns schema checks off (not for PyGithub tests)."""

    def __init__(self, *, validate: bool = True, validator: Validator | None = None) -> None:
        self.routes: list[Route] = []
        self.requests: list[Recorded] = []
        self.violations: list[str] = []
        self.rate_limit = RateLimit()
        self.latency = 0.0  # seconds every answer waits (a slow GitHub)
        self.validator = validator if validator is not None else (load_validator() if validate else None)
        self._any_faults: deque[Fault] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---

    def start(self) -> FakeGitHub:
        self._httpd = _Server(("127.0.0.1", 0), _make_handler(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-github", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        with self._lock:
            for conn in list(self._connections):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._httpd is not None, "the server is not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return int(self._httpd.server_address[1])

    # --- routes and faults ---

    def route(self, method: str, pattern: str, handler: Handler | None = None,
              name: str | None = None) -> Any:
        def register(func: Handler) -> Route:
            new = Route(method, pattern, func, name or f"{method.upper()} {pattern}")
            with self._lock:
                self.routes.insert(0, new)
            return new

        return register(handler) if handler is not None else register

    def inject(self, target: Route | str | None, *faults: Fault) -> None:
        with self._lock:
            if target is None:
                self._any_faults.extend(faults)
                return
            route = target if isinstance(target, Route) else self._named(target)
            route.faults.extend(faults)

    def _named(self, name: str) -> Route:
        for route in self.routes:
            if route.name == name or route.pattern == name:
                return route
        raise KeyError(f"no route named {name!r}")

    # --- inspection ---

    def count(self, method: str | None = None, path: str | None = None) -> int:
        with self._lock:
            return sum(1 for r in self.requests if (method is None or r.method == method.upper())
                       and (path is None or re.search(path, r.path)))

    def assert_no_violations(self) -> None:
        with self._lock:
            found = list(self.violations)
        assert not found, "requests to the fake GitHub broke GitHub's API description:\n" + "\n".join(found)

    # --- answering (called on server threads) ---

    def _dispatch(self, request: Request) -> tuple[Fault | None, Response, str]:
        with self._lock:
            route, params = self._match(request)
            fault = (route.faults.popleft() if route is not None and route.faults else None) or (
                self._any_faults.popleft() if self._any_faults else None)
            limited = self.rate_limit.remaining <= 0 and self.rate_limit.reset > time.time()
            self.rate_limit.remaining -= 1
        request.params, request.route = params, route
        operation = ""
        if self.validator is not None:
            op = self.validator.operation_for(request.method, request.path)
            operation = op.operation_id if op else ""
            problems = self.validator.check(request.method, request.path, request.query_all, request.body)
            if problems:
                self._violation(f"{request.method} {request.path}: " + "; ".join(problems))
                return fault, error_response(422, "Invalid request.\n\n" + "\n".join(problems)), operation
        if limited:
            return None, error_response(403, "API rate limit exceeded for 127.0.0.1."), operation
        if route is None:
            return fault, error_response(404, "Not Found"), operation
        try:
            return fault, route.handler(request), operation
        except Exception as err:  # a crashing handler is a test bug: say so loudly at teardown
            self._violation(f"handler {route.name} raised {type(err).__name__}: {err}")
            return fault, error_response(500, f"fake handler crashed: {err}"), operation

    def _match(self, request: Request) -> tuple[Route | None, dict[str, str]]:
        for route in self.routes:
            if route.method == request.method:
                match = route.regex.fullmatch(request.path)
                if match:
                    return route, {k: v for k, v in match.groupdict().items() if v is not None}
        return None, {}

    def _violation(self, text: str) -> None:
        with self._lock:
            self.violations.append(text)

    def _record(self, request: Request, status: int, operation: str) -> None:
        with self._lock:
            self.requests.append(Recorded(request.method, request.path, dict(request.query), dict(request.headers),
                                          request.json, status, request.route.name if request.route else "",
                                          operation))

    def wait(self, seconds: float) -> bool:
        """Sleep on a server thread; returns early (True) when the server stops."""
        return self._stopping.wait(seconds)


def paginate(request: Request, items: Sequence[Any], per_page: int = 30) -> Response:
    """The page of ``items`` that ``?page=&per_page=`` asks for, with GitHub's Link header."""
    size = min(max(_int(request.query.get("per_page"), per_page), 1), 100)
    page = max(_int(request.query.get("page"), 1), 1)
    last = max(math.ceil(len(items) / size), 1)
    chunk = list(items[(page - 1) * size : page * size])
    base = (request.server.url if request.server else "") + request.path
    links = []
    for rel, number in (("prev", page - 1), ("next", page + 1), ("last", last), ("first", 1)):
        if (rel in ("prev", "first") and page > 1) or (rel in ("next", "last") and page < last):
            query = {**request.query, "per_page": str(size), "page": str(number)}
            links.append(f'<{base}?{urlencode(query)}>; rel="{rel}"')
    return 200, ({"link": ", ".join(links)} if links else {}), chunk


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that went away mid-answer is expected in fault tests


def _make_handler(server: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 10  # idle keep-alive connections end on their own

        def setup(self) -> None:
            super().setup()
            with server._lock:
                server._connections.add(self.connection)

        def finish(self) -> None:
            with server._lock:
                server._connections.discard(self.connection)
            with contextlib.suppress(OSError):
                super().finish()

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self._serve()

        do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = do_GET  # noqa: N815 - http.server's names

        def _serve(self) -> None:
            request = self._read_request()
            fault, response, operation = server._dispatch(request)
            if server.latency and server.wait(server.latency):
                return
            while fault is not None and fault.delay:
                if server.wait(fault.delay):
                    return
                fault = fault.then
            if fault is not None and fault.close:
                server._record(request, 0, operation)
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            status, headers, body = response if fault is None or not fault.code else (
                fault.code, fault.headers, fault.raw if fault.raw is not None else fault.body)
            server._record(request, status, operation)
            if fault is not None and fault.truncate:
                whole = _encode(body)
                body = whole[: len(whole) // 2]
            self._answer(status, headers, body, fault.trickle if fault is not None else 0.0)

        def _read_request(self) -> Request:
            parts = urlsplit(self.path)
            query_all = parse_qs(parts.query, keep_blank_values=True)
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            try:
                parsed = json.loads(body) if body.strip() else None
            except ValueError:
                parsed = None
            return Request(self.command, parts.path, {k: v[-1] for k, v in query_all.items()}, query_all,
                           {k.lower(): v for k, v in self.headers.items()}, body, parsed, server=server)

        def _answer(self, status: int, headers: Mapping[str, str], body: Body, trickle: float = 0.0) -> None:
            out = {"content-type": "application/json; charset=utf-8", "x-github-api-version-selected": "2022-11-28",
                   "x-github-request-id": f"FAKE:{len(server.requests)}", **server.rate_limit.headers()}
            out.update({k.lower(): v for k, v in headers.items()})
            data = _encode(body)
            if isinstance(body, str) and "content-type" not in {k.lower() for k in headers}:
                out["content-type"] = "text/plain; charset=utf-8"
            try:
                self.send_response(status)
                for name, value in out.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self._write_body(data, trickle)
            except OSError:
                self.close_connection = True  # the client gave up (a timeout test)

        def _write_body(self, data: bytes, trickle: float) -> None:
            if not trickle:
                self.wfile.write(data)
                return
            for i in range(len(data)):
                self.wfile.write(data[i : i + 1])
                self.wfile.flush()
                if server.wait(trickle):
                    self.close_connection = True
                    return

    return _Handler


def _encode(body: Body) -> bytes:
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    return b"" if body is None else json.dumps(body).encode()


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    """A started fake GitHub; fails the test at teardown if any request broke the API description."""
    with FakeGitHub() as server:
        yield server
        server.assert_no_violations()
