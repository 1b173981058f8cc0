"""The fake GitHub itself: routes, recording, faults, pagination, schema validation, contents."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.fakegithub import openapi
from tests.fakegithub.contents import KrakenDContents, serve_contents
from tests.fakegithub.server import FakeGitHub, Fault, Request, Response, error_response, json_response, paginate


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


@pytest.fixture
def loose() -> Iterator[FakeGitHub]:
    """A server whose violations the test inspects itself (no teardown assertion)."""
    with FakeGitHub() as server:
        yield server


def test_routes_get_params_query_headers_and_json(fake_github: FakeGitHub, http: requests.Session) -> None:
    seen: list[Request] = []

    @fake_github.route("PATCH", r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/issues/comments/(?P<id>\d+)")
    def edit(request: Request) -> Response:
        seen.append(request)
        return json_response({"id": int(request.params["id"]), "body": request.json["body"]})

    answer = http.patch(f"{fake_github.url}/repos/o/r/issues/comments/7?x=1&x=2", json={"body": "hi"},
                        headers={"Authorization": "token t"})
    assert answer.status_code == 200 and answer.json() == {"id": 7, "body": "hi"}
    request = seen[0]
    assert request.params == {"owner": "o", "repo": "r", "id": "7"}
    assert (request.query, request.query_all) == ({"x": "2"}, {"x": ["1", "2"]})
    assert request.headers["authorization"] == "token t"
    assert fake_github.requests[0].route == edit.name
    assert fake_github.count("PATCH", r"/comments/") == 1 and fake_github.count("GET") == 0


def test_a_later_route_overrides_an_earlier_one(fake_github: FakeGitHub, http: requests.Session) -> None:
    fake_github.route("GET", r"/rate_limit", lambda r: json_response({"who": "first"}))
    fake_github.route("GET", r"/rate_limit", lambda r: json_response({"who": "second"}))
    assert http.get(f"{fake_github.url}/rate_limit").json() == {"who": "second"}


def test_unrouted_paths_are_github_404s(fake_github: FakeGitHub, http: requests.Session) -> None:
    answer = http.get(f"{fake_github.url}/repos/o/r/nothing-here")
    assert answer.status_code == 404
    assert answer.json()["message"] == "Not Found" and "documentation_url" in answer.json()
    assert fake_github.requests[0].status == 404


def test_rate_limit_headers_count_down(fake_github: FakeGitHub, http: requests.Session) -> None:
    fake_github.route("GET", r"/zen", lambda r: (200, {"content-type": "text/plain"}, "Keep it logically awesome."))
    first = http.get(f"{fake_github.url}/zen")
    second = http.get(f"{fake_github.url}/zen")
    assert first.text == "Keep it logically awesome."
    assert first.headers["x-ratelimit-limit"] == "5000"
    assert int(first.headers["x-ratelimit-remaining"]) - int(second.headers["x-ratelimit-remaining"]) == 1
    assert int(second.headers["x-ratelimit-reset"]) > 0 and second.headers["x-ratelimit-resource"] == "core"


def test_faults_are_taken_in_order_then_the_route_answers(fake_github: FakeGitHub, http: requests.Session) -> None:
    route = fake_github.route("GET", r"/zen", lambda r: json_response({"ok": True}), name="zen")
    fake_github.inject("zen", Fault.rate_limited(retry_after=7), Fault.server_error(502))
    fake_github.inject(None, Fault.too_many(retry_after=1))
    statuses = [http.get(f"{fake_github.url}/zen") for _ in range(4)]
    assert [a.status_code for a in statuses] == [403, 502, 429, 200]
    assert statuses[0].headers["retry-after"] == "7"
    assert "secondary rate limit" in statuses[0].json()["message"]
    assert not route.faults


def test_malformed_json_fault(fake_github: FakeGitHub, http: requests.Session) -> None:
    fake_github.route("GET", r"/zen", lambda r: json_response({"ok": True}), name="zen")
    fake_github.inject("zen", Fault.malformed_json())
    with pytest.raises(ValueError):
        http.get(f"{fake_github.url}/zen").json()


def test_disconnect_fault_closes_without_an_answer(fake_github: FakeGitHub, http: requests.Session) -> None:
    fake_github.route("GET", r"/zen", lambda r: json_response({"ok": True}), name="zen")
    fake_github.inject("zen", Fault.disconnect())
    with pytest.raises(requests.ConnectionError):
        http.get(f"{fake_github.url}/zen")
    assert http.get(f"{fake_github.url}/zen").status_code == 200


def test_slow_fault_delays_then_answers(fake_github: FakeGitHub, http: requests.Session) -> None:
    fake_github.route("GET", r"/zen", lambda r: json_response({"ok": True}), name="zen")
    fake_github.inject("zen", Fault.slow(0.05, then=Fault.server_error(503)))
    assert http.get(f"{fake_github.url}/zen").status_code == 503


def test_paginate_adds_link_headers(fake_github: FakeGitHub, http: requests.Session) -> None:
    items = [{"id": n} for n in range(1, 76)]
    fake_github.route("GET", r"/repos/o/r/issues/1/comments", lambda r: paginate(r, items))
    first = http.get(f"{fake_github.url}/repos/o/r/issues/1/comments", params={"per_page": "30"})
    assert [c["id"] for c in first.json()][:2] == [1, 2] and len(first.json()) == 30
    assert set(first.links) == {"next", "last"}
    assert first.links["last"]["url"].endswith("per_page=30&page=3")
    last = http.get(first.links["last"]["url"])
    assert [c["id"] for c in last.json()] == list(range(61, 76))
    assert set(last.links) == {"prev", "first"}


def test_pygithub_follows_the_pagination(fake_github: FakeGitHub) -> None:
    from github import Github

    items = [{"id": n, "body": f"c{n}", "user": {"login": "u"}} for n in range(1, 76)]
    fake_github.route("GET", r"/repos/o/r/issues/1/comments", lambda r: paginate(r, items))
    fake_github.route("GET", r"/repos/o/r/issues/1", lambda r: json_response({"number": 1}))
    client = Github(base_url=fake_github.url, per_page=30, lazy=True, seconds_between_requests=None, retry=None)
    try:
        comments = list(client.get_repo("o/r").get_issue(1).get_comments())
    finally:
        client.close()
    assert [c.id for c in comments] == list(range(1, 76))
    assert fake_github.count("GET", r"/comments$") == 3


def test_handler_crash_is_a_violation(loose: FakeGitHub, http: requests.Session) -> None:
    loose.route("GET", r"/zen", lambda r: 1 / 0)  # type: ignore[arg-type,return-value]
    assert http.get(f"{loose.url}/zen").status_code == 500
    assert "ZeroDivisionError" in loose.violations[0]
    with pytest.raises(AssertionError, match="broke GitHub's API description"):
        loose.assert_no_violations()


def _validators() -> list[object]:
    return [
        pytest.param("octokit", marks=pytest.mark.skipif(not openapi.OCTOKIT_SPEC.is_file(),
                     reason="octokit OpenAPI not unpacked (python -m tests.fakegithub.openapi --fetch)")),
        pytest.param("fragments", marks=pytest.mark.skipif(not openapi.fragments_dir().is_dir(),
                     reason="shared/github-api absent")),
    ]


@pytest.mark.parametrize("source", _validators())
def test_a_request_body_that_breaks_the_schema_is_a_422_and_a_violation(source: str, http: requests.Session) -> None:
    validator = openapi.load_validator(source)
    assert validator is not None
    with FakeGitHub(validator=validator) as server:
        server.route("POST", r"/repos/o/r/issues/1/comments", lambda r: json_response({"id": 1}, 201))
        good = http.post(f"{server.url}/repos/o/r/issues/1/comments", json={"body": "hello"})
        bad = http.post(f"{server.url}/repos/o/r/issues/1/comments", json={"bodyy": "typo"})
        wrong_type = http.post(f"{server.url}/repos/o/r/issues/1/comments", json={"body": 5})
    assert good.status_code == 201
    assert (bad.status_code, wrong_type.status_code) == (422, 422)
    assert len(server.violations) == 2
    assert "issues/create-comment" in server.violations[0] and "'body' is a required property" in server.violations[0]


@pytest.mark.parametrize("source", _validators())
def test_check_run_annotations_over_50_break_the_schema(source: str) -> None:
    validator = openapi.load_validator(source)
    assert validator is not None
    annotation = {"path": "go.mod", "start_line": 1, "end_line": 1, "annotation_level": "failure", "message": "m"}
    body = {"name": "lint", "head_sha": "a" * 40, "status": "completed", "conclusion": "failure",
            "output": {"title": "t", "summary": "s", "annotations": [annotation] * 51}}
    problems = validator.check("POST", "/repos/o/r/check-runs", {}, json.dumps(body).encode())
    assert any("is too long" in p for p in problems)
    body["output"]["annotations"] = [annotation] * 50  # type: ignore[index]
    assert validator.check("POST", "/repos/o/r/check-runs", {}, json.dumps(body).encode()) == []


@pytest.mark.skipif(not openapi.OCTOKIT_SPEC.is_file(), reason="octokit OpenAPI not unpacked")
def test_query_parameters_are_checked(loose: FakeGitHub, http: requests.Session) -> None:
    loose.route("GET", r"/repos/o/r/issues/1/comments", lambda r: paginate(r, []))
    assert http.get(f"{loose.url}/repos/o/r/issues/1/comments", params={"per_page": "ten"}).status_code == 422
    assert "per_page='ten' is not an integer" in loose.violations[0]


@pytest.mark.skipif(not openapi.OCTOKIT_SPEC.is_file(), reason="octokit OpenAPI not unpacked")
def test_nullable_fields_accept_null() -> None:
    validator = openapi.load_validator("octokit")
    assert validator is not None
    body = {"title": "t", "body": None}  # issues/update: body is nullable
    assert validator.check("PATCH", "/repos/o/r/issues/3", {}, json.dumps(body).encode()) == []


def test_fragments_match_their_operations() -> None:
    validator = openapi.load_validator("fragments")
    if validator is None:
        pytest.skip("shared/github-api absent")
    op = validator.operation_for("PATCH", "/repos/o/r/issues/comments/12")
    assert op is not None and op.operation_id == "issues/update-comment"
    assert validator.operation_for("GET", "/repos/o/r/contents/go.mod") is None  # not among the fragments


# --- contents ------------------------------------------------------------------------------------


@pytest.fixture
def tagged(fake_github: FakeGitHub, tmp_path: Path) -> FakeGitHub:
    root = tmp_path / "krakend"
    (root / "v2.7.0").mkdir(parents=True)
    (root / "v2.7.0" / "go.mod").write_text("module github.com/krakendio/krakend-ce/v2\n")
    (root / "v2.9.0").mkdir()
    (root / "v2.9.0" / "go.mod").write_text("module newest\n")
    serve_contents(fake_github, KrakenDContents(root))
    return fake_github


def get(server: FakeGitHub, http: requests.Session, path: str, **params: str) -> requests.Response:
    return http.get(f"{server.url}/repos/krakend/krakend-ce/contents/{path}", params=params)


def test_contents_file_answer(tagged: FakeGitHub, http: requests.Session) -> None:
    answer = get(tagged, http, "go.mod", ref="v2.7.0")
    data = answer.json()
    assert answer.status_code == 200
    assert (data["type"], data["encoding"], data["name"], data["path"]) == ("file", "base64", "go.mod", "go.mod")
    assert base64.b64decode(data["content"]) == b"module github.com/krakendio/krakend-ce/v2\n"
    assert data["size"] == 42
    assert data["sha"] == "b26bdd1ac9ddd4a08fb623dffd4181707966a7ee"  # `git hash-object` of the file


def test_contents_refs(tagged: FakeGitHub, http: requests.Session) -> None:
    default = base64.b64decode(get(tagged, http, "go.mod").json()["content"])
    assert default == b"module newest\n"
    assert get(tagged, http, "go.mod", ref="refs/tags/v2.7.0").status_code == 200
    missing_ref = get(tagged, http, "go.mod", ref="v2.7.9")
    assert (missing_ref.status_code, missing_ref.json()["message"]) == (404, "No commit found for the ref v2.7.9")
    assert get(tagged, http, "nope.txt", ref="v2.7.0").json()["message"] == "Not Found"
    other = http.get(f"{tagged.url}/repos/someone/else/contents/go.mod")
    assert other.status_code == 404


def test_contents_synthesises_the_makefile_and_serves_raw(tagged: FakeGitHub, http: requests.Session) -> None:
    raw = http.get(f"{tagged.url}/repos/krakend/krakend-ce/contents/Makefile", params={"ref": "v2.7.0"},
                   headers={"Accept": "application/vnd.github.raw+json"})
    assert "GOLANG_VERSION := 1.22.5\nALPINE_VERSION := 3.19" in raw.text


@pytest.mark.skipif(not openapi.OCTOKIT_SPEC.is_file(), reason="octokit OpenAPI not unpacked")
def test_contents_answer_matches_githubs_response_schema(tagged: FakeGitHub, http: requests.Session) -> None:
    import jsonschema

    document = json.loads(openapi.OCTOKIT_SPEC.read_text(encoding="utf-8"))
    schema = openapi._Resolver(document).resolve({"$ref": "#/components/schemas/content-file"})
    jsonschema.Draft4Validator(schema).validate(get(tagged, http, "go.mod", ref="v2.7.0").json())


def test_error_response_shape() -> None:
    status, headers, body = error_response(422, "Validation Failed", [{"code": "invalid"}])
    assert (status, dict(headers)) == (422, {})
    assert body == {"message": "Validation Failed", "documentation_url": "https://docs.github.com/rest",
                    "errors": [{"code": "invalid"}], "status": "422"}
