"""A pull request on the fake GitHub: files, reviews, review comments, issue comments, check runs
and the GraphQL review-thread operations, with GitHub's rules where breaking them costs a run.

``serve_pull(server, PullState(...))`` registers the routes (named ``pulls.*``) and returns the
state, which tests inspect and change (``push``, ``reply``, ``read_only``). What behaves like
GitHub because our reporters depend on it:

- a review comment must be on a path the PR changed, on a RIGHT line inside one of that file's
  hunks, with ``start_line`` before ``line`` in the same hunk; otherwise the *whole* review is
  refused with 422 and GitHub's message (nothing is created);
- comment bodies over 65,536 characters and check-run summaries over 65,535 are refused (422);
- at most 50 annotations per check-run request; PATCH appends annotations;
- a read-only token (``state.read_only``) gets 403 "Resource not accessible by integration" on
  every write (GraphQL mutations answer 200 with a FORBIDDEN error, as GitHub does);
- ``GET /user`` answers the token's user when ``state.token_user`` is set (a personal token) and
  403 "Resource not accessible by integration" otherwise (``GITHUB_TOKEN``, an app's token), and
  what the token writes is attributed to ``state.author``;
- lists paginate with Link headers (files: at most 3,000 entries in total).

The fake server answers an injected fault *after* running the handler (a 500 that "actually
succeeded"). A rate limit must not apply the request, so ``refuse_once`` puts a route in front
that answers 403/429 with Retry-After before the handler ever runs.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.fakegithub.server import FakeGitHub, Request, Response, Route, error_response, json_response, paginate

OWNER_REPO = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"
BOT = {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"}
HUMAN = {"login": "octocat", "id": 583231, "type": "User"}
READ_ONLY = "Resource not accessible by integration"
COMMENT_LIMIT = 65_536
CHECK_TEXT_LIMIT = 65_535
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def patch_for(lines: Iterable[int], total: int, context: int = 3) -> str:
    """A unified-diff ``patch`` in which ``lines`` (1-based, new file) are added lines.

    The new file has ``total`` lines; each run of added lines gets ``context`` lines around it,
    and close runs merge into one hunk as git does.
    """
    added = sorted(set(lines))
    hunks: list[list[int]] = []
    for n in added:
        if hunks and n - hunks[-1][-1] <= 2 * context + 1:
            hunks[-1].append(n)
        else:
            hunks.append([n])
    out = []
    for group in hunks:
        start, end = max(1, group[0] - context), min(total, group[-1] + context)
        new_lines = end - start + 1
        old_lines = new_lines - len(group)
        out.append(f"@@ -{start},{old_lines} +{start},{new_lines} @@")
        for n in range(start, end + 1):
            out.append(f"+line {n}" if n in group else f" line {n}")
    return "\n".join(out)


def file_entry(path: str, patch: str | None, status: str = "modified", changes: int = 1) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "sha": "0" * 40,
        "filename": path,
        "status": status,
        "additions": changes,
        "deletions": 0,
        "changes": changes,
        "blob_url": f"https://github.com/o/r/blob/x/{path}",
        "raw_url": f"https://github.com/o/r/raw/x/{path}",
        "contents_url": f"https://api.github.com/repos/o/r/contents/{path}",
    }
    if patch is not None:
        entry["patch"] = patch
    return entry


def right_lines(patch: str) -> list[tuple[int, int]]:
    """(first, last) RIGHT-side line range of every hunk in ``patch``."""
    ranges = []
    for header in (m for m in map(_HUNK.match, patch.split("\n")) if m):
        start, count = int(header.group(1)), int(header.group(2) if header.group(2) is not None else 1)
        ranges.append((start, start + count - 1))
    return ranges


@dataclass
class Thread:
    node_id: str
    comment_ids: list[int]
    resolved: bool = False


@dataclass
class PullState:
    owner: str = "Codertocat"
    repo: str = "Hello-World"
    number: int = 2
    head_sha: str = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
    base_sha: str = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e"
    head_label: str = "Codertocat:changes"
    merge_base: str = ""  # what the compare API answers as merge_base_commit (default: base_sha)
    files: list[dict[str, Any]] = field(default_factory=list)
    review_comments: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    issue_comments: list[dict[str, Any]] = field(default_factory=list)
    check_runs: list[dict[str, Any]] = field(default_factory=list)
    threads: list[Thread] = field(default_factory=list)
    read_only: bool = False
    # GitHub knows the hunks of files it sends no patch for (too large): review comments there are
    # checked against these, which the files API does not show.
    hidden_patches: dict[str, str] = field(default_factory=dict)
    author: Mapping[str, Any] = field(default_factory=lambda: dict(BOT))
    token_user: Mapping[str, Any] | None = None  # what GET /user answers (None: an installation token)
    _ids: Any = field(default_factory=lambda: itertools.count(1000))

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.repo}"

    def next_id(self) -> int:
        return int(next(self._ids))

    # --- what tests do between runs ---

    def push(self, head_sha: str, files: list[dict[str, Any]], outdated: Iterable[int] = ()) -> None:
        """A new commit on the PR: new files/patches; comments in ``outdated`` lose their line."""
        self.head_sha = head_sha
        self.files = files
        gone = set(outdated)
        for comment in self.review_comments:
            if comment["id"] in gone:
                comment["line"] = None
                comment["start_line"] = None

    def reply(self, comment_id: int, body: str, user: Mapping[str, Any] = HUMAN) -> dict[str, Any]:
        parent = next(c for c in self.review_comments if c["id"] == comment_id)
        reply = self._review_comment({"path": parent["path"], "body": body, "line": parent["line"]},
                                     parent["pull_request_review_id"], user, in_reply_to=comment_id)
        for thread in self.threads:
            if comment_id in thread.comment_ids:
                thread.comment_ids.append(reply["id"])
        return reply

    def ours(self, comments: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Comments the action wrote: by the token's account, with our marker."""
        login = self.author["login"]
        return [c for c in comments if "krakend-plugin-lint:" in c["body"] and c["user"]["login"] == login]

    def drive_by(self, kind: str, body: str, user: Mapping[str, Any] = HUMAN, **fields: Any) -> dict[str, Any]:
        """A comment someone else wrote (``kind``: "review" on a PR line, or "issue")."""
        if kind == "issue":
            cid = self.next_id()
            comment = {"id": cid, "node_id": f"IC_{cid}", "body": body, "user": self._user(user),
                       "html_url": "", "url": "", "author_association": "NONE"}
            self.issue_comments.append(comment)
            return comment
        data = {"path": fields.get("path", self.files[0]["filename"]), "body": body, "line": fields.get("line", 1)}
        comment = self._review_comment(data, 0, user)
        self.threads.append(Thread(f"PRRT_{comment['id']}", [comment["id"]]))
        return comment

    # --- object shapes ---

    def _user(self, user: Mapping[str, Any] | None = None) -> dict[str, Any]:
        who = dict(user or self.author)
        return {**who, "node_id": f"U_{who['id']}", "avatar_url": "", "url": "", "html_url": ""}

    def _review_comment(self, data: Mapping[str, Any], review_id: int, user: Mapping[str, Any] | None,
                        in_reply_to: int | None = None) -> dict[str, Any]:
        cid = self.next_id()
        comment = {
            "id": cid,
            "node_id": f"PRRC_{cid}",
            "pull_request_review_id": review_id,
            "path": data["path"],
            "body": data["body"],
            "line": data.get("line"),
            "original_line": data.get("line"),
            "start_line": data.get("start_line"),
            "side": data.get("side", "RIGHT"),
            "commit_id": self.head_sha,
            "original_commit_id": self.head_sha,
            "diff_hunk": "@@",
            "user": self._user(user),
            "author_association": "NONE",
            "html_url": f"https://github.com/{self.full_name}/pull/{self.number}#discussion_r{cid}",
            "url": f"https://api.github.com/repos/{self.full_name}/pulls/comments/{cid}",
        }
        if in_reply_to is not None:
            comment["in_reply_to_id"] = in_reply_to
        self.review_comments.append(comment)
        return comment


def serve_pull(server: FakeGitHub, state: PullState | None = None) -> PullState:
    pull = state or PullState()
    handlers = _Handlers(pull)
    pr = OWNER_REPO + r"/pulls/(?P<number>\d+)"
    for method, pattern, handler, name in (
        ("GET", OWNER_REPO + r"/pulls", handlers.list_pulls, "pulls.list"),
        ("GET", pr + r"/files", handlers.list_files, "pulls.files"),
        ("GET", pr + r"/comments", handlers.list_review_comments, "pulls.review-comments"),
        ("GET", pr + r"/reviews", handlers.list_reviews, "pulls.reviews"),
        ("POST", pr + r"/reviews", handlers.create_review, "pulls.create-review"),
        ("DELETE", OWNER_REPO + r"/pulls/comments/(?P<id>\d+)", handlers.delete_review_comment,
         "pulls.delete-review-comment"),
        ("GET", OWNER_REPO + r"/issues/(?P<number>\d+)/comments", handlers.list_issue_comments,
         "issues.list-comments"),
        ("POST", OWNER_REPO + r"/issues/(?P<number>\d+)/comments", handlers.create_issue_comment,
         "issues.create-comment"),
        ("PATCH", OWNER_REPO + r"/issues/comments/(?P<id>\d+)", handlers.update_issue_comment,
         "issues.update-comment"),
        ("DELETE", OWNER_REPO + r"/issues/comments/(?P<id>\d+)", handlers.delete_issue_comment,
         "issues.delete-comment"),
        ("GET", r"/user", handlers.authenticated_user, "users.get-authenticated"),
        ("POST", OWNER_REPO + r"/check-runs", handlers.create_check_run, "checks.create"),
        ("PATCH", OWNER_REPO + r"/check-runs/(?P<id>\d+)", handlers.update_check_run, "checks.update"),
        ("GET", OWNER_REPO + r"/check-runs/(?P<id>\d+)", handlers.get_check_run, "checks.get"),
        ("GET", OWNER_REPO + r"/commits/(?P<ref>[^/]+)/check-runs", handlers.list_check_runs,
         "checks.list-for-ref"),
        ("GET", OWNER_REPO + r"/compare/(?P<basehead>[^/]+)", handlers.compare, "repos.compare"),
        ("POST", r"/graphql|/api/graphql", handlers.graphql, "graphql"),
    ):
        server.route(method, pattern, handler, name=name)
    return pull


def refuse_once(server: FakeGitHub, route_name: str, *, status: int = 403, retry_after: int = 1,
                times: int = 1) -> Route:
    """Answer the next ``times`` requests of a route with a secondary rate limit, *without*
    running its handler (GitHub does not apply a rate-limited request); then pass through."""
    target = next(r for r in server.routes if r.name == route_name)
    left = [times]

    def handler(request: Request) -> Response:
        if left[0] > 0:
            left[0] -= 1
            message = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
            return status, {"retry-after": str(retry_after)}, {"message": message,
                                                                  "documentation_url": "https://docs.github.com"}
        return target.handler(request)

    route: Route = server.route(target.method, target.pattern, handler, name=f"{route_name}.refuse")
    return route


def hold_until_all_listed(server: FakeGitHub, route_name: str, parties: int = 2) -> None:
    """The first ``parties`` requests of a route wait for each other, so that overlapping runs all
    read the state before any of them writes (the race that leaves duplicates)."""
    target = next(r for r in server.routes if r.name == route_name)
    barrier = threading.Barrier(parties, timeout=10)
    calls = itertools.count()

    def handler(request: Request) -> Response:
        if next(calls) < parties:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
        return target.handler(request)

    server.route(target.method, target.pattern, handler, name=route_name)


class _Handlers:
    def __init__(self, state: PullState) -> None:
        self.s = state

    def _ours(self, request: Request) -> bool:
        return f"{request.params.get('owner')}/{request.params.get('repo')}" == self.s.full_name

    def _pr(self, request: Request) -> bool:
        return self._ours(request) and int(request.params.get("number", 0)) == self.s.number

    def _write_denied(self) -> Response | None:
        return error_response(403, READ_ONLY) if self.s.read_only else None

    # --- pulls ---

    def list_pulls(self, request: Request) -> Response:
        if not self._ours(request):
            return error_response(404, "Not Found")
        head = request.query.get("head")
        if head and head != self.s.head_label:
            return paginate(request, [])
        pr = {"number": self.s.number, "state": "open",
              "head": {"sha": self.s.head_sha, "ref": self.s.head_label.split(":")[-1]},
              "base": {"sha": self.s.base_sha, "ref": "master"}}
        return paginate(request, [pr])

    def list_files(self, request: Request) -> Response:
        if not self._pr(request):
            return error_response(404, "Not Found")
        return paginate(request, self.s.files[:3000])

    def list_review_comments(self, request: Request) -> Response:
        if not self._pr(request):
            return error_response(404, "Not Found")
        return paginate(request, self.s.review_comments)

    def list_reviews(self, request: Request) -> Response:
        if not self._pr(request):
            return error_response(404, "Not Found")
        return paginate(request, self.s.reviews)

    def create_review(self, request: Request) -> Response:
        if not self._pr(request):
            return error_response(404, "Not Found")
        denied = self._write_denied()
        if denied:
            return denied
        data = request.json or {}
        problems = self._review_problems(data)
        if problems:
            return error_response(422, "Unprocessable Entity", problems)
        rid = self.s.next_id()
        review = {"id": rid, "node_id": f"PRR_{rid}", "user": self.s._user(), "body": data.get("body", ""),
                  "state": "COMMENTED" if data.get("event") == "COMMENT" else "PENDING",
                  "commit_id": data.get("commit_id") or self.s.head_sha,
                  "html_url": f"https://github.com/{self.s.full_name}/pull/{self.s.number}#pullrequestreview-{rid}",
                  "pull_request_url": "", "author_association": "NONE", "_links": {}}
        self.s.reviews.append(review)
        for item in data.get("comments") or []:
            comment = self.s._review_comment(item, rid, None)
            self.s.threads.append(Thread(f"PRRT_{comment['id']}", [comment["id"]]))
        return json_response(review)

    def _review_problems(self, data: Mapping[str, Any]) -> list[str]:
        if len(str(data.get("body") or "")) > COMMENT_LIMIT:
            return ["Body is too long (maximum is 65536 characters)"]
        files = {f["filename"]: f for f in self.s.files}
        for item in data.get("comments") or []:
            problem = self._comment_problem(item, files)
            if problem:
                return [problem]
        return []

    def _comment_problem(self, item: Mapping[str, Any], files: Mapping[str, Any]) -> str:
        if len(str(item.get("body") or "")) > COMMENT_LIMIT:
            return "Body is too long (maximum is 65536 characters)"
        entry = files.get(item.get("path"))
        if entry is None:
            return "Path could not be resolved"
        line, start = item.get("line"), item.get("start_line")
        if item.get("side", "RIGHT") != "RIGHT" or not isinstance(line, int):
            return "Pull request review thread line must be part of the diff"
        hunks = right_lines(entry.get("patch") or self.s.hidden_patches.get(entry["filename"], ""))
        hunk = next((h for h in hunks if h[0] <= line <= h[1]), None)
        if hunk is None:
            return "Pull request review thread line must be part of the diff"
        if start is not None:
            if start >= line:
                return "Pull request review thread start line must precede the end line."
            if not hunk[0] <= start <= hunk[1]:
                return "Pull request review thread start line must be part of the same hunk as the line."
        return ""

    def delete_review_comment(self, request: Request) -> Response:
        denied = self._write_denied()
        if denied:
            return denied
        cid = int(request.params["id"])
        before = len(self.s.review_comments)
        self.s.review_comments = [c for c in self.s.review_comments if c["id"] != cid]
        if len(self.s.review_comments) == before:
            return error_response(404, "Not Found")
        for thread in self.s.threads:
            if cid in thread.comment_ids:
                thread.comment_ids.remove(cid)
        self.s.threads = [t for t in self.s.threads if t.comment_ids]
        return 204, {}, None

    def compare(self, request: Request) -> Response:
        if not self._ours(request):
            return error_response(404, "Not Found")
        base, _, head = request.params["basehead"].partition("...")
        merge_base = self.s.merge_base or self.s.base_sha
        return json_response({"status": "ahead", "ahead_by": 1, "behind_by": 0, "total_commits": 1,
                              "base_commit": {"sha": base}, "merge_base_commit": {"sha": merge_base},
                              "commits": [{"sha": head}], "files": []})

    # --- issue comments ---

    def list_issue_comments(self, request: Request) -> Response:
        if not self._pr(request):
            return error_response(404, "Not Found")
        return paginate(request, self.s.issue_comments)

    def create_issue_comment(self, request: Request) -> Response:
        if not self._pr(request):
            return error_response(404, "Not Found")
        denied = self._write_denied()
        if denied:
            return denied
        body = str((request.json or {}).get("body", ""))
        if len(body) > COMMENT_LIMIT:
            return error_response(422, "Validation Failed", [{"resource": "IssueComment", "code": "custom",
                                                              "field": "body", "message": "body is too long"}])
        cid = self.s.next_id()
        comment = {"id": cid, "node_id": f"IC_{cid}", "body": body, "user": self.s._user(),
                   "html_url": f"https://github.com/{self.s.full_name}/pull/{self.s.number}#issuecomment-{cid}",
                   "url": f"https://api.github.com/repos/{self.s.full_name}/issues/comments/{cid}",
                   "author_association": "NONE"}
        self.s.issue_comments.append(comment)
        return json_response(comment, 201)

    def update_issue_comment(self, request: Request) -> Response:
        denied = self._write_denied()
        if denied:
            return denied
        cid = int(request.params["id"])
        comment = next((c for c in self.s.issue_comments if c["id"] == cid), None)
        if comment is None:
            return error_response(404, "Not Found")
        body = str((request.json or {}).get("body", ""))
        if len(body) > COMMENT_LIMIT:
            return error_response(422, "Validation Failed")
        comment["body"] = body
        return json_response(comment)

    def delete_issue_comment(self, request: Request) -> Response:
        denied = self._write_denied()
        if denied:
            return denied
        cid = int(request.params["id"])
        before = len(self.s.issue_comments)
        self.s.issue_comments = [c for c in self.s.issue_comments if c["id"] != cid]
        if len(self.s.issue_comments) == before:
            return error_response(404, "Not Found")
        return 204, {}, None

    def authenticated_user(self, request: Request) -> Response:
        if self.s.token_user is None:
            return error_response(403, READ_ONLY)
        return json_response(self.s._user(self.s.token_user))

    # --- check runs ---

    def create_check_run(self, request: Request) -> Response:
        if not self._ours(request):
            return error_response(404, "Not Found")
        denied = self._write_denied()
        if denied:
            return denied
        data = dict(request.json or {})
        problem = self._output_problem(data.get("output"))
        if problem:
            return error_response(422, problem)
        rid = self.s.next_id()
        output = dict(data.get("output") or {})
        annotations = list(output.pop("annotations", []) or [])
        run = {"id": rid, "node_id": f"CR_{rid}", "name": data["name"], "head_sha": data["head_sha"],
               "external_id": data.get("external_id", ""), "status": data.get("status", "queued"),
               "conclusion": data.get("conclusion"), "details_url": data.get("details_url"),
               "output": {**output, "annotations_count": len(annotations)}, "annotations": annotations,
               "app": {"slug": "github-actions"}}
        self.s.check_runs.append(run)
        return json_response(self._public(run), 201)

    def update_check_run(self, request: Request) -> Response:
        denied = self._write_denied()
        if denied:
            return denied
        run = next((r for r in self.s.check_runs if r["id"] == int(request.params["id"])), None)
        if run is None:
            return error_response(404, "Not Found")
        data = dict(request.json or {})
        problem = self._output_problem(data.get("output"))
        if problem:
            return error_response(422, problem)
        output = dict(data.get("output") or {})
        run["annotations"].extend(output.pop("annotations", []) or [])
        run["output"].update(output)
        run["output"]["annotations_count"] = len(run["annotations"])
        for key in ("status", "conclusion", "external_id", "name"):
            if key in data:
                run[key] = data[key]
        return json_response(self._public(run))

    def get_check_run(self, request: Request) -> Response:
        run = next((r for r in self.s.check_runs if r["id"] == int(request.params["id"])), None)
        return json_response(self._public(run)) if run else error_response(404, "Not Found")

    def list_check_runs(self, request: Request) -> Response:
        name = request.query.get("check_name")
        runs = [self._public(r) for r in self.s.check_runs
                if r["head_sha"] == request.params["ref"] and (name is None or r["name"] == name)]
        runs.reverse()  # newest first
        return json_response({"total_count": len(runs), "check_runs": runs})

    @staticmethod
    def _output_problem(output: Any) -> str:
        if not isinstance(output, dict):
            return ""
        if len(output.get("annotations") or []) > 50:
            return "Only 50 annotations are allowed per request"
        for key in ("summary", "text"):
            if len(str(output.get(key) or "")) > CHECK_TEXT_LIMIT:
                return f"Only 65535 characters are allowed in {key}"
        return ""

    @staticmethod
    def _public(run: Mapping[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in run.items() if k != "annotations"}

    # --- GraphQL ---

    def graphql(self, request: Request) -> Response:
        data = request.json or {}
        query = str(data.get("query") or "")
        variables = data.get("variables") or {}
        if not isinstance(variables, dict):
            return json_response({"errors": [{"message": "variables must be an object"}]})
        if "viewer" in query:  # an installation token's viewer is its app's bot
            return json_response({"data": {"viewer": {"login": self.s.author["login"]}}})
        if "resolveReviewThread" in query:
            return self._resolve(variables)
        if "reviewThreads" in query:
            return self._threads(variables)
        return json_response({"errors": [{"message": "the fake GraphQL knows only review threads and the viewer"}]})

    def _threads(self, variables: Mapping[str, Any]) -> Response:
        expected = {"owner": self.s.owner, "name": self.s.repo, "number": self.s.number}
        if any(variables.get(k) != v for k, v in expected.items()):
            return json_response({"data": {"repository": None},
                                  "errors": [{"type": "NOT_FOUND", "message": "Could not resolve"}]})
        page = int(variables.get("cursor") or 0)
        chunk = self.s.threads[page * 100 : page * 100 + 100]
        nodes = [{"id": t.node_id, "isResolved": t.resolved,
                  "comments": {"nodes": [{"databaseId": t.comment_ids[0]}]}} for t in chunk]
        has_next = (page + 1) * 100 < len(self.s.threads)
        info = {"hasNextPage": has_next, "endCursor": str(page + 1) if has_next else None}
        pr = {"reviewThreads": {"pageInfo": info, "nodes": nodes}}
        return json_response({"data": {"repository": {"pullRequest": pr}}})

    def _resolve(self, variables: Mapping[str, Any]) -> Response:
        if self.s.read_only:
            return json_response({"data": {"resolveReviewThread": None},
                                  "errors": [{"type": "FORBIDDEN", "message": READ_ONLY}]})
        thread = next((t for t in self.s.threads if t.node_id == variables.get("thread")), None)
        if thread is None:
            return json_response({"errors": [{"type": "NOT_FOUND", "message": "Could not resolve to a node"}]})
        thread.resolved = True
        return json_response({"data": {"resolveReviewThread": {"thread": {"id": thread.node_id,
                                                                          "isResolved": True}}}})
