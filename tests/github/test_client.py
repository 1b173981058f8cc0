"""The client's policy against the fake GitHub: pacing, rate limits, bounded waits, no blind
retries of writes, read-only detection, a dead network, and no token in any message."""

from __future__ import annotations

import socket

import pytest

from linter.github.client import (
    Deadline,
    GitHubClient,
    GitHubError,
    Identity,
    Pacing,
    ReadOnlyTokenError,
    WriteUncertainError,
)
from tests.fakegithub.pulls import PullState, refuse_once, serve_pull
from tests.fakegithub.server import FakeGitHub, Fault
from tests.github.support import TOKEN, FakeClock, sample_files

COMMENTS = "/repos/Codertocat/Hello-World/issues/2/comments"


def client_for(server: FakeGitHub, clock: FakeClock, **pacing: float) -> GitHubClient:
    return GitHubClient(TOKEN, server.url, server.url + "/graphql", pacing=Pacing(**pacing),  # type: ignore[arg-type]
                        clock=clock.monotonic, wall_clock=clock.wall, sleep=clock.sleep)


@pytest.fixture
def pull(fake_github: FakeGitHub) -> PullState:
    return serve_pull(fake_github, PullState(files=sample_files()))


def test_writes_are_at_least_one_second_apart(fake_github: FakeGitHub, pull: PullState) -> None:
    clock = FakeClock()
    client = client_for(fake_github, clock)
    for n in range(3):
        client.write("POST", COMMENTS, {"body": f"comment {n}"})
    client.close()
    assert clock.sleeps == [1.0, 1.0]  # the clock stands still between requests: each write waits 1 s
    assert len(pull.issue_comments) == 3


def test_pagination_follows_link_headers(fake_github: FakeGitHub, pull: PullState) -> None:
    pull.files = [dict(pull.files[0], filename=f"f{n}.go") for n in range(250)]
    client = client_for(fake_github, FakeClock())
    names = [f["filename"] for f in client.paginate("/repos/Codertocat/Hello-World/pulls/2/files")]
    client.close()
    assert len(names) == 250
    assert fake_github.count("GET", r"/files$") == 3


def test_retry_after_is_honoured_and_the_write_is_not_doubled(fake_github: FakeGitHub, pull: PullState) -> None:
    refuse_once(fake_github, "issues.create-comment", retry_after=7)
    clock = FakeClock()
    client = client_for(fake_github, clock)
    client.write("POST", COMMENTS, {"body": "once"})
    client.close()
    assert 7.0 in clock.sleeps
    assert [c["body"] for c in pull.issue_comments] == ["once"]


def test_primary_rate_limit_waits_until_reset(fake_github: FakeGitHub, pull: PullState) -> None:
    clock = FakeClock()
    fake_github.inject("pulls.files", Fault.primary_rate_limit(reset=clock.wall() + 20))
    client = client_for(fake_github, clock)
    assert len(list(client.paginate("/repos/Codertocat/Hello-World/pulls/2/files"))) == 3
    client.close()
    assert clock.sleeps == [21.0]


def test_a_wait_beyond_the_budget_gives_up_at_once(fake_github: FakeGitHub, pull: PullState) -> None:
    refuse_once(fake_github, "issues.create-comment", retry_after=3600)
    clock = FakeClock()
    client = client_for(fake_github, clock)
    with pytest.raises(GitHubError) as raised:
        client.write("POST", COMMENTS, {"body": "x"})
    assert raised.value.kind == "rate-limited"
    assert clock.sleeps == []
    before = len(fake_github.requests)
    with pytest.raises(GitHubError, match="not calling GitHub"):
        client.get("/repos/Codertocat/Hello-World/pulls/2/files")
    assert len(fake_github.requests) == before  # stopped: no more hammering
    client.close()


def test_total_wait_is_bounded_across_calls(fake_github: FakeGitHub, pull: PullState) -> None:
    refuse_once(fake_github, "pulls.files", retry_after=40, times=10)
    clock = FakeClock()
    client = client_for(fake_github, clock, max_total_wait=60.0)
    with pytest.raises(GitHubError):
        list(client.paginate("/repos/Codertocat/Hello-World/pulls/2/files"))
    client.close()
    assert sum(clock.sleeps) <= 60.0


def test_reads_are_retried_on_server_errors(fake_github: FakeGitHub, pull: PullState) -> None:
    fake_github.inject("pulls.files", Fault.server_error(502), Fault.server_error(503))
    clock = FakeClock()
    client = client_for(fake_github, clock)
    assert len(list(client.paginate("/repos/Codertocat/Hello-World/pulls/2/files"))) == 3
    client.close()
    assert clock.sleeps == [2.0, 4.0]


def test_a_failed_post_is_never_retried_blindly(fake_github: FakeGitHub, pull: PullState) -> None:
    fake_github.inject("issues.create-comment", Fault.server_error(500))  # applied, then answered 500
    client = client_for(fake_github, FakeClock())
    with pytest.raises(WriteUncertainError):
        client.write("POST", COMMENTS, {"body": "maybe"})
    assert fake_github.count("POST") == 1
    fake_github.inject("issues.create-comment", Fault.server_error(500))
    result = client.write_verified(
        "POST", COMMENTS, {"body": "verified"},
        lambda: next((c for c in client.paginate(COMMENTS) if c["body"] == "verified"), None),
    )
    client.close()
    assert result["body"] == "verified"
    assert [c["body"] for c in pull.issue_comments] == ["maybe", "verified"]
    assert fake_github.count("POST") == 2


def test_read_only_token_is_recognised(fake_github: FakeGitHub, pull: PullState) -> None:
    pull.read_only = True
    client = client_for(fake_github, FakeClock())
    with pytest.raises(ReadOnlyTokenError) as raised:
        client.write("POST", COMMENTS, {"body": "x"})
    client.close()
    assert "Resource not accessible by integration" in str(raised.value)


def test_bad_token_stops_the_client_and_never_shows_the_token(fake_github: FakeGitHub, pull: PullState) -> None:
    fake_github.inject(None, Fault.status(401, f"Bad credentials for {TOKEN}"))
    client = client_for(fake_github, FakeClock())
    with pytest.raises(GitHubError) as raised:
        client.get(COMMENTS)
    assert raised.value.kind == "unauthorized"
    assert TOKEN not in str(raised.value) and TOKEN not in client.dead
    with pytest.raises(GitHubError):
        client.get(COMMENTS)
    assert len(fake_github.requests) == 1
    client.close()


def test_network_down_fails_fast(fake_github: FakeGitHub) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    clock = FakeClock()
    client = GitHubClient(TOKEN, f"http://127.0.0.1:{port}", clock=clock.monotonic, wall_clock=clock.wall,
                          sleep=clock.sleep)
    with pytest.raises(GitHubError) as raised:
        client.get(COMMENTS)
    assert raised.value.kind == "unavailable"
    with pytest.raises(GitHubError, match="not calling"):
        client.write("POST", COMMENTS, {"body": "x"})
    assert clock.sleeps == []
    client.close()


def test_graphql_errors_are_typed(fake_github: FakeGitHub, pull: PullState) -> None:
    pull.read_only = True
    client = client_for(fake_github, FakeClock())
    with pytest.raises(ReadOnlyTokenError):
        client.graphql("mutation { resolveReviewThread(input: {threadId: $t}) { thread { id } } }",
                       {"thread": "x"}, mutation=True)
    with pytest.raises(GitHubError, match="only review threads"):
        client.graphql("query { rateLimit { remaining } }", {})
    client.close()


# --- answers that are not JSON, identity, the deadline -------------------------------------------------


@pytest.mark.parametrize("fault", [Fault.html, Fault.empty, Fault.truncated])
def test_a_200_that_is_not_json_is_an_error_never_an_empty_page(
        fake_github: FakeGitHub, pull: PullState, fault: object) -> None:
    pull.issue_comments.append({"id": 1, "body": "x", "user": {"login": "a", "id": 1, "type": "User"}})
    fake_github.inject("issues.list-comments", *[fault() for _ in range(3)])  # type: ignore[operator]
    client = client_for(fake_github, FakeClock())
    with pytest.raises(GitHubError) as caught:
        list(client.paginate(COMMENTS))
    client.close()
    assert caught.value.kind == "unreadable" and fake_github.count("GET", COMMENTS) == 3


def test_an_unreadable_answer_to_a_post_is_uncertain_not_a_crash(fake_github: FakeGitHub, pull: PullState) -> None:
    fake_github.inject("issues.create-comment", Fault.truncated())
    client = client_for(fake_github, FakeClock())
    with pytest.raises(WriteUncertainError) as caught:
        client.write("POST", COMMENTS, {"body": "once"})
    client.close()
    assert caught.value.kind == "unreadable" and len(pull.issue_comments) == 1


def test_identity_of_an_installation_token_and_of_a_personal_token(fake_github: FakeGitHub, pull: PullState) -> None:
    client = client_for(fake_github, FakeClock())
    assert client.identity() == Identity("github-actions[bot]", bot=True) == client.identity()
    pull.token_user = {"login": "maintainer", "id": 9, "type": "User"}
    other = client_for(fake_github, FakeClock())
    assert other.identity() == Identity("maintainer")
    client.close()
    other.close()
    assert fake_github.count("GET", r"^/user$") == 2  # asked once per client
    assert fake_github.count("POST", r"/graphql$") == 1  # the installation token's bot, from the viewer


def test_an_unreadable_identity_is_an_error(fake_github: FakeGitHub, pull: PullState) -> None:
    fake_github.inject("users.get-authenticated", *[Fault.html() for _ in range(3)])
    client = client_for(fake_github, FakeClock())
    with pytest.raises(GitHubError):
        client.identity()
    client.close()


def test_the_deadline_abandons_a_request_and_stops_the_client(fake_github: FakeGitHub, pull: PullState) -> None:
    fake_github.inject("issues.list-comments", Fault.trickling(0.5))
    client = GitHubClient(TOKEN, fake_github.url, deadline=Deadline(0.5))
    with pytest.raises(GitHubError) as caught:
        list(client.paginate(COMMENTS))
    with pytest.raises(GitHubError) as later:
        client.get("/repos/Codertocat/Hello-World/pulls/2/files")
    client.close()
    assert caught.value.kind == "deadline" and later.value.kind == "dead"
    assert "github-timeout" in str(caught.value) and fake_github.count("GET", r"/files$") == 0
