"""The GitHub reference source against the fake GitHub: answers, faults, and bounded waiting.

Release files are read through the seam the wiring builds (``linter.resolver.GitHubFetch`` over
``linter.github``'s client) and turned into notices by ``linter.krakend.sources``."""

from __future__ import annotations

import email.utils
import socket
import time
from pathlib import Path

import pytest

from linter.formats.reference import render_pull, render_reference
from linter.github.contents import GitHubConfig
from linter.krakend.cache import Cache
from linter.krakend.cache_report import pull_references, show_reference
from linter.krakend.resolution import ReferenceRequest, resolve_reference
from linter.krakend.sources import FetchResult, fetch_release_files
from linter.resolver import GitHubFetch
from tests.fakegithub.contents import KrakenDContents, serve_contents
from tests.fakegithub.server import FakeGitHub, Fault, Route

GOMOD = "module github.com/krakendio/krakend-ce/v2\n\ngo 1.22\n\nrequire github.com/luraproject/lura/v2 v2.7.0\n"
GOSUM = "github.com/luraproject/lura/v2 v2.7.0 h1:aaa=\ngithub.com/luraproject/lura/v2 v2.7.0/go.mod h1:bbb=\n"
NEWER_GOMOD = "module github.com/krakend/krakend-ce/v2\n\ngo 1.25.3\n\nrequire github.com/luraproject/lura/v2 v2.15.0\n"
SYNTHETIC = {
    "v2.7.0": {"go.mod": GOMOD, "go.sum": GOSUM},
    "v2.14.0": {"go.mod": NEWER_GOMOD, "go.sum": "", "Makefile": "VERSION := 2.14.0\nGOLANG_VERSION := 1.26.1\n"},
}
NOW = 1_700_000_000.0


class Sleeper:
    """Records waits instead of sleeping, so fault tests take no time."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def contents(fake_github: FakeGitHub, tmp_path: Path) -> Route:
    """The contents route over synthetic tags only (no shared/ needed)."""
    return serve_contents(fake_github, KrakenDContents(tmp_path / "none", extra=SYNTHETIC))


def config(server: FakeGitHub, **changes: object) -> GitHubConfig:
    return GitHubConfig(**{"base_url": server.url, "timeout": 1, **changes})  # type: ignore[arg-type]


def fetcher(server: FakeGitHub, sleeper: Sleeper | None = None, **changes: object) -> GitHubFetch:
    return GitHubFetch(config(server, **changes), sleep=sleeper or Sleeper(), now=lambda: NOW)


def fetch(server: FakeGitHub, sleeper: Sleeper | None = None, version: str = "2.7.0",
          **changes: object) -> FetchResult:
    with fetcher(server, sleeper, **changes) as read:
        return fetch_release_files(version, read)


def test_good_tag_returns_go_mod_go_sum_and_makefile(fake_github: FakeGitHub, contents: Route) -> None:
    result = fetch(fake_github)
    assert result.ok and result.notices == ()
    assert result.files["go.mod"] == GOMOD and result.files["go.sum"] == GOSUM
    assert "GOLANG_VERSION := 1.22.5" in result.files["Makefile"]
    assert (fake_github.count(), fake_github.count("GET", r"/contents/")) == (3, 3)
    assert {r.query["ref"] for r in fake_github.requests} == {"v2.7.0"}
    assert {r.operation for r in fake_github.requests} == {"repos/get-content"} or fake_github.validator is None


def test_real_tag_files_come_back_byte_for_byte(fake_github: FakeGitHub, shared_krakend: Path) -> None:
    serve_contents(fake_github)
    result = fetch(fake_github, version="2.13.8")
    assert result.ok
    assert result.files["go.sum"] == (shared_krakend / "v2.13.8" / "go.sum").read_text(encoding="utf-8")


def test_token_is_sent(fake_github: FakeGitHub, contents: Route) -> None:
    assert fetch(fake_github, token="s3cret").ok
    assert fake_github.requests[0].headers["authorization"] == "token s3cret"


def test_unknown_tag_is_a_not_found_notice_after_one_request(fake_github: FakeGitHub, contents: Route) -> None:
    result = fetch(fake_github, version="2.7.9")
    assert not result.ok
    assert [(n.kind, n.source) for n in result.notices] == [("not-found", "github")]
    assert "no such tag" in result.notices[0].message
    assert fake_github.count() == 1


def test_retry_after_is_waited_then_succeeds(fake_github: FakeGitHub, contents: Route) -> None:
    fake_github.inject(contents, Fault.rate_limited(retry_after=2))
    sleeper = Sleeper()
    result = fetch(fake_github, sleeper)
    assert result.ok
    assert sleeper.waits == [2.0]
    assert [r.status for r in fake_github.requests][:2] == [403, 200]


def test_429_with_retry_after_is_waited(fake_github: FakeGitHub, contents: Route) -> None:
    fake_github.inject(contents, Fault.too_many(retry_after=3))
    sleeper = Sleeper()
    assert fetch(fake_github, sleeper).ok
    assert sleeper.waits == [3.0]


def test_a_long_retry_after_is_reported_not_waited(fake_github: FakeGitHub, contents: Route) -> None:
    fake_github.inject(contents, Fault.rate_limited(retry_after=3600))
    sleeper = Sleeper()
    result = fetch(fake_github, sleeper)
    assert not result.ok and sleeper.waits == []
    assert result.notices[0].kind == "rate-limited"
    assert "not waiting 3600 s" in result.notices[0].message
    assert "GITHUB_TOKEN" in result.notices[0].hint


def test_primary_rate_limit_waits_until_reset(fake_github: FakeGitHub, contents: Route) -> None:
    fake_github.inject(contents, Fault.primary_rate_limit(reset=NOW + 4))
    sleeper = Sleeper()
    assert fetch(fake_github, sleeper).ok
    assert sleeper.waits == [5.0]  # until reset, plus a second of slack


def test_exhausted_server_rate_limit_is_reported(fake_github: FakeGitHub, contents: Route) -> None:
    fake_github.rate_limit.remaining = 0
    fake_github.rate_limit.reset = int(time.time()) + 3600
    with GitHubFetch(config(fake_github), sleep=Sleeper()) as read:
        result = fetch_release_files("2.7.0", read)
    assert [n.kind for n in result.notices] == ["rate-limited"]
    assert fake_github.count() == 1


def test_total_wait_budget_bounds_repeated_rate_limits(fake_github: FakeGitHub, contents: Route) -> None:
    fake_github.inject(contents, *[Fault.rate_limited(retry_after=15)] * 5)
    sleeper = Sleeper()
    result = fetch(fake_github, sleeper, attempts=5, max_wait=20, total_wait=20)
    assert not result.ok
    assert sleeper.waits == [15.0]


def test_server_errors_are_retried_with_backoff(fake_github: FakeGitHub, contents: Route) -> None:
    fake_github.inject(contents, Fault.server_error(500), Fault.server_error(502))
    sleeper = Sleeper()
    result = fetch(fake_github, sleeper)
    assert result.ok
    assert sleeper.waits == [1.0, 2.0]


def test_persistent_server_errors_give_a_notice(fake_github: FakeGitHub, contents: Route) -> None:
    fake_github.inject(contents, *[Fault.server_error(503)] * 3)
    result = fetch(fake_github)
    assert [n.kind for n in result.notices] == ["server-error"]
    assert "HTTP 503" in result.notices[0].message
    assert fake_github.count() == 3


def test_timeout_is_bounded_and_reported(fake_github: FakeGitHub, contents: Route) -> None:
    fake_github.inject(contents, Fault.slow(5))
    started = time.monotonic()
    result = fetch(fake_github, attempts=1)
    assert time.monotonic() - started < 3
    assert [n.kind for n in result.notices] == ["timeout"]


def test_timeout_then_answer_succeeds(fake_github: FakeGitHub, contents: Route) -> None:
    fake_github.inject(contents, Fault.slow(5))
    started = time.monotonic()
    assert fetch(fake_github, attempts=2).ok
    assert time.monotonic() - started < 3


def test_malformed_json_once_is_retried(fake_github: FakeGitHub, contents: Route) -> None:
    fake_github.inject(contents, Fault.malformed_json())
    assert fetch(fake_github).ok


def test_malformed_json_always_gives_a_notice(fake_github: FakeGitHub, contents: Route) -> None:
    fake_github.inject(contents, *[Fault.malformed_json()] * 3)
    result = fetch(fake_github)
    assert [n.kind for n in result.notices] == ["malformed"]


def test_an_answer_that_is_not_a_file_is_malformed(fake_github: FakeGitHub, contents: Route) -> None:
    fake_github.route("GET", r"/repos/krakend/krakend-ce/contents/go\.mod", lambda request: (200, {}, {"x": 1}))
    result = fetch(fake_github, attempts=1)
    assert [n.kind for n in result.notices] == ["malformed"]


def test_dropped_connection_is_retried(fake_github: FakeGitHub, contents: Route) -> None:
    fake_github.inject(contents, Fault.disconnect())
    sleeper = Sleeper()
    assert fetch(fake_github, sleeper).ok
    assert sleeper.waits == [1.0]


def test_connection_refused_on_a_closed_port_fails_fast() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sleeper = Sleeper()
    started = time.monotonic()
    with GitHubFetch(GitHubConfig(base_url=f"http://127.0.0.1:{port}", timeout=1), sleep=sleeper) as read:
        result = fetch_release_files("2.7.0", read)
    assert time.monotonic() - started < 2
    assert [n.kind for n in result.notices] == ["connection"]
    assert "Connection refused" in result.notices[0].message
    assert sleeper.waits == []


def test_missing_makefile_is_a_notice_not_a_failure(fake_github: FakeGitHub, tmp_path: Path) -> None:
    serve_contents(fake_github, KrakenDContents(tmp_path, extra={"v2.7.0": SYNTHETIC["v2.7.0"]}, makefiles=False))
    result = fetch(fake_github)
    assert result.ok
    assert [n.kind for n in result.notices] == ["not-found"]


def test_resolver_fetches_then_reads_the_cache(fake_github: FakeGitHub, contents: Route, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    request = ReferenceRequest(krakend_version="2.7.0", embedded=False)
    first = resolve_reference(request, cache, fetcher(fake_github))
    assert first.source == "github" and first.notices == ()
    assert first.reference is not None and first.reference.go_version == "1.22.5"
    second = resolve_reference(request, cache, fetcher(fake_github))
    assert second.source == "cache"
    assert second.reference is not None and second.reference.modules == first.reference.modules
    assert fake_github.count() == 3


def test_resolver_falls_through_when_github_fails(fake_github: FakeGitHub, contents: Route, tmp_path: Path) -> None:
    fake_github.inject(contents, *[Fault.server_error(500)] * 3)
    request = ReferenceRequest(krakend_version="2.7.0", embedded=False)
    resolved = resolve_reference(request, Cache(tmp_path), fetcher(fake_github))
    assert resolved.reference is None
    assert [n.kind for n in resolved.notices] == ["server-error", "unavailable"]


def test_a_release_newer_than_the_table_takes_go_from_its_makefile(
    fake_github: FakeGitHub, contents: Route, tmp_path: Path
) -> None:
    request = ReferenceRequest(krakend_version="2.14.0")
    resolved = resolve_reference(request, Cache(tmp_path), fetcher(fake_github))
    assert resolved.reference is not None and resolved.reference.go_version == "1.26.1"
    assert resolved.release is not None and not resolved.release.in_table
    assert resolved.release.go_version == "1.26.1" and resolved.release.lura_version == "v2.15.0"
    assert [(n.source, n.kind) for n in resolved.notices] == [("embedded", "not-embedded"), ("table", "table-older")]
    assert "newer than the references embedded" in resolved.notices[0].message
    assert ("go_version", "1.26.1", "Makefile at krakend/krakend-ce@v2.14.0") in [
        (f.name, f.value, f.source) for f in resolved.facts]


def test_a_one_x_release_is_fetched_and_the_notice_says_it_has_no_embedded_list(
    fake_github: FakeGitHub, tmp_path: Path
) -> None:
    old = {"go.mod": "module github.com/devopsfaith/krakend-ce\n\ngo 1.16\n", "go.sum": ""}
    serve_contents(fake_github, KrakenDContents(tmp_path / "none", extra={"v1.4.1": old}, makefiles=False))
    resolved = resolve_reference(ReferenceRequest(krakend_version="1.4.1"), Cache(tmp_path), fetcher(fake_github))
    assert resolved.source == "github"
    notice = next(n for n in resolved.notices if n.source == "embedded")
    assert "1.4.1 has no embedded module list" in notice.message and notice.hint == ""


def test_pull_fills_the_cache_once(fake_github: FakeGitHub, contents: Route, tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    report = pull_references(["2.7.0", "v2.14.0"], cache, fetcher(fake_github), use_embedded=False)
    assert report.ok and [r.status for r in report.results] == ["fetched", "fetched"]
    again = pull_references(["2.7.0"], cache, fetcher(fake_github), use_embedded=False)
    assert [r.status for r in again.results] == ["cached"]
    forced = pull_references(["2.7.0"], cache, fetcher(fake_github), force=True)
    assert [r.status for r in forced.results] == ["fetched"]
    failed = pull_references(["2.7.9"], cache, fetcher(fake_github))
    assert not failed.ok and failed.as_dict()["results"][0]["notices"][0]["kind"] == "not-found"
    assert "2.7.9: failed" in render_pull(failed)


def test_pull_skips_releases_whose_references_are_embedded(fake_github: FakeGitHub, contents: Route,
                                                           tmp_path: Path) -> None:
    report = pull_references(["2.7.0", "2.14.0"], Cache(tmp_path), fetcher(fake_github))
    assert [(r.version, r.status) for r in report.results] == [("2.7.0", "embedded"), ("2.14.0", "fetched")]
    assert {r.query["ref"] for r in fake_github.requests} == {"v2.14.0"}
    assert "2.7.0: embedded" in render_pull(report)


def test_pull_resolves_floating_versions(fake_github: FakeGitHub, tmp_path: Path) -> None:
    serve_contents(fake_github, KrakenDContents(tmp_path / "none", extra={"v2.7.2": SYNTHETIC["v2.7.0"]}))
    report = pull_references(["2.7"], Cache(tmp_path), fetcher(fake_github), use_embedded=False)
    assert [(r.version, r.status) for r in report.results] == [("2.7.2", "fetched")]


def test_show_reports_where_each_fact_came_from(fake_github: FakeGitHub, contents: Route, tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    shown = show_reference(ReferenceRequest(krakend_version="2.7.0", embedded=False), cache, fetcher(fake_github))
    data = shown.as_dict()
    assert (data["available"], data["source"], data["go_version"]) == (True, "github", "1.22.5")
    facts = {f["name"]: f for f in data["facts"]}
    assert facts["go_version"]["source"] == "release table"
    assert facts["builder_alpine"]["value"] == "krakend/builder:2.7.0 = golang:1.22.5-alpine3.19"
    text = render_reference(shown)
    assert text.startswith("KrakenD 2.7.0: reference from github (krakend/krakend-ce@v2.7.0)")
    offline = show_reference(ReferenceRequest(krakend_version="2.9.0", offline=True, embedded=False), cache).as_dict()
    assert not offline["available"] and offline["notices"][-1]["kind"] == "unavailable"


def test_retry_after_as_an_http_date_is_waited(fake_github: FakeGitHub, contents: Route) -> None:
    when = email.utils.formatdate(NOW + 3, usegmt=True)
    fake_github.inject(contents, Fault.status(403, "You have exceeded a secondary rate limit.", {"retry-after": when}))
    sleeper = Sleeper()
    assert fetch(fake_github, sleeper).ok
    assert sleeper.waits == [3.0]


def test_a_secondary_limit_without_retry_after_asks_a_minute_and_is_reported(
    fake_github: FakeGitHub, contents: Route
) -> None:
    fake_github.inject(contents, Fault.status(403, "You have exceeded a secondary rate limit. Please wait."))
    sleeper = Sleeper()
    result = fetch(fake_github, sleeper)
    assert not result.ok and sleeper.waits == []
    assert [n.kind for n in result.notices] == ["rate-limited"]
    assert "not waiting 60 s (at most 20 s)" in result.notices[0].message


def test_a_403_that_is_no_rate_limit_is_an_http_error(fake_github: FakeGitHub, contents: Route) -> None:
    fake_github.inject(contents, Fault.status(403, "Forbidden by policy"))
    result = fetch(fake_github)
    assert [(n.kind, n.message) for n in result.notices] == [
        ("http-error", "krakend/krakend-ce@v2.7.0/go.mod: GitHub answered HTTP 403 (Forbidden by policy)")]
    assert fake_github.count() == 1


def test_the_deadline_bounds_a_slow_answer(fake_github: FakeGitHub, contents: Route) -> None:
    fake_github.inject(contents, Fault.slow(5))
    started = time.monotonic()
    result = fetch(fake_github, timeout=10, deadline=0.5)
    assert time.monotonic() - started < 3
    assert [n.kind for n in result.notices] == ["timeout"]
    assert "deadline" in result.notices[0].message


def test_one_fetch_shares_its_wait_budget_across_files(fake_github: FakeGitHub, contents: Route) -> None:
    fake_github.inject(contents, Fault.rate_limited(retry_after=15), Fault(), Fault.rate_limited(retry_after=15))
    sleeper = Sleeper()
    result = fetch(fake_github, sleeper, total_wait=20)
    assert sleeper.waits == [15.0]
    assert "go.sum" in result.notices[0].message and result.notices[0].kind == "rate-limited"
