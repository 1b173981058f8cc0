"""One pull-request review per run, with inline comments only where GitHub accepts them.

- Which findings: active, at or above comment-on, kept by the filter mode (see ``github.diff``),
  most severe first, at most ``max_comments`` inline comments alive at once.
- Where: only on RIGHT-side lines inside one of the PR's hunks (``comment_range``); GitHub rejects
  the whole review (422) for a single bad line, so nothing else is ever sent. Findings in the
  changed files that cannot be anchored are listed in the review body instead.
- Re-runs: each comment ends with ``<!-- krakend-plugin-lint:fp=KEY -->``. A finding that already
  has a live comment is not commented again. A comment whose finding is gone is deleted when nobody
  replied, and its thread resolved (GraphQL) when someone did, so the conversation stays.
- The review is created with ``event: COMMENT`` on the analysed head SHA; a 5xx on that POST is
  never retried blindly: the comments are re-listed first, so a retry cannot post twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from linter.github.client import GitHubClient, GitHubError
from linter.github.context import GitHubContext
from linter.github.diff import PullDiff, comment_range, should_report
from linter.github.markdown import marker, marker_pattern, render
from linter.model import Finding, Report, RuleDoc
from linter.reporters.gh_common import (
    COMMENT_LIMIT,
    SAFETY,
    Options,
    SourceLines,
    at_or_above,
    by_importance,
    comment_keys,
    description,
    fit,
    rule_map,
    view,
)

FP = marker_pattern("fp")
REVIEW_MARKER = marker("review")
BODY_SHOWN = 100

_THREADS = """
query($owner: String!, $name: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes { id isResolved comments(first: 1) { nodes { databaseId } } }
      }
    }
  }
}
"""
_RESOLVE = """
mutation($thread: ID!) {
  resolveReviewThread(input: {threadId: $thread}) { thread { id isResolved } }
}
"""


@dataclass(frozen=True)
class Planned:
    finding: Finding
    key: str
    start: int
    line: int
    from_git: bool


@dataclass(frozen=True)
class Existing:
    id: int
    key: str
    live: bool  # still anchored to a line (GitHub sets line to null once the line changed)
    replies: int


@dataclass
class ReviewResult:
    posted: int = 0
    kept: int = 0  # findings that already had a live comment
    body_only: int = 0
    deleted: int = 0
    resolved: int = 0
    review_id: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Plan:
    inline: tuple[Planned, ...]
    body: tuple[Finding, ...]  # at or above comment-on but not inline: off the diff, filtered, over the cap
    elsewhere: int  # below comment-on (the summary, check run and annotations have them)
    stale: tuple[Existing, ...]
    kept: int


def existing_comments(client: GitHubClient, ctx: GitHubContext) -> list[Existing]:
    """Our top-level review comments on the PR, with how many replies each got."""
    comments = [c for c in client.paginate(f"/repos/{ctx.repository}/pulls/{ctx.pr_number}/comments")
                if isinstance(c, dict)]
    replies: dict[int, int] = {}
    for c in comments:
        parent = c.get("in_reply_to_id")
        if isinstance(parent, int):
            replies[parent] = replies.get(parent, 0) + 1
    ours = []
    for c in comments:
        found = FP.search(str(c.get("body") or ""))
        if found and c.get("in_reply_to_id") is None:
            ours.append(Existing(int(c["id"]), found.group(1), c.get("line") is not None, replies.get(int(c["id"]), 0)))
    return ours


def plan(report: Report, opts: Options, diff: PullDiff, existing: Sequence[Existing]) -> Plan:
    active = list(report.active)
    keys = comment_keys(active)
    key_of = {id(f): keys[i] for i, f in enumerate(active)}
    current = set(keys.values())
    live = {e.key for e in existing if e.live and e.key in current}
    stale = tuple(e for e in existing if e.key not in live)
    wanted = by_importance(at_or_above(active, opts.comment_on), diff)
    budget = max(0, opts.max_comments - len(live))
    inline: list[Planned] = []
    body: list[Finding] = []
    for finding in wanted:
        key = key_of[id(finding)]
        if key in live:
            continue
        file = diff.get(finding.location.path)
        anchor = comment_range(file, finding.location) if file else None
        if anchor is None or len(inline) >= budget or not should_report(diff, finding.location, opts.filter_mode):
            body.append(finding)
            continue
        inline.append(Planned(finding, key, anchor[0], anchor[1], file is not None and file.source == "git"))
    kept = sum(1 for f in wanted if key_of[id(f)] in live)
    return Plan(tuple(inline), tuple(body), len(active) - len(wanted), stale, kept)


def comment_body(item: Planned, rules: Mapping[str, RuleDoc], source_lines: SourceLines | None) -> str:
    finding = item.finding
    doc = rules.get(finding.rule)
    text = render(
        "review_comment.md.j2",
        f=view(finding),
        suggestion=_suggestion(item, source_lines),
        description=description(rules, finding.rule),
        url=doc.meta.help_url if doc else "",
        marker=marker("fp", item.key),
    )
    return text if len(text) <= COMMENT_LIMIT - SAFETY else text[: COMMENT_LIMIT - SAFETY]


def _suggestion(item: Planned, source_lines: SourceLines | None) -> str | None:
    """The fix as a suggestion, only when it replaces exactly the lines the comment covers."""
    fix = item.finding.fix
    if fix is None or fix.line != item.start or fix.last_line != item.line:
        return None
    if source_lines is not None and item.start == item.line:
        current = source_lines(item.finding.location.path, item.line)
        if current and current == fix.replacement:
            return None  # suggesting the line as it already is helps nobody
    return fix.replacement


def review_body(plan_: Plan, posted: int) -> str:
    def attempt(n: int) -> str:
        rows = [view(f) for f in plan_.body[:n]]
        return render("review_body.md.j2", marker=REVIEW_MARKER, posted=posted, rows=rows,
                      more=len(plan_.body) - n + plan_.elsewhere)

    return fit(attempt, min(len(plan_.body), BODY_SHOWN), COMMENT_LIMIT - SAFETY)


def publish(client: GitHubClient, ctx: GitHubContext, report: Report, rules: Sequence[RuleDoc], opts: Options,
            diff: PullDiff, source_lines: SourceLines | None, log: Callable[[str], None]) -> ReviewResult:
    existing = existing_comments(client, ctx)
    the_plan = plan(report, opts, diff, existing)
    result = ReviewResult(kept=the_plan.kept, body_only=len(the_plan.body))
    if the_plan.inline:
        _post_review(client, ctx, the_plan, rule_map(rules), source_lines, result, log)
    _clean_up(client, ctx, the_plan.stale, result, log)
    return result


def _post_review(client: GitHubClient, ctx: GitHubContext, the_plan: Plan, rules: Mapping[str, RuleDoc],
                 source_lines: SourceLines | None, result: ReviewResult, log: Callable[[str], None]) -> None:
    items = list(the_plan.inline)
    url = f"/repos/{ctx.repository}/pulls/{ctx.pr_number}/reviews"
    for attempt in range(2):
        pending = tuple(items)
        body = {
            "commit_id": ctx.head_sha,
            "body": review_body(the_plan, len(items)),
            "event": "COMMENT",
            "comments": [_comment(item, rules, source_lines) for item in items],
        }
        try:
            review = client.write_verified("POST", url, body, partial(_landed, client, ctx, pending))
        except GitHubError as err:
            if err.kind != "validation" or attempt == 1 or not any(i.from_git for i in items):
                raise
            # GitHub's hunks differ from our git diff somewhere: keep only lines GitHub gave us.
            log("GitHub rejected a review comment position; posting only comments on lines from its own diff")
            items = [i for i in items if not i.from_git]
            if not items:
                return
            continue
        result.posted = len(items)
        result.review_id = int(review.get("id") or 0) if isinstance(review, dict) else 0
        return


def _comment(item: Planned, rules: Mapping[str, RuleDoc], source_lines: SourceLines | None) -> dict[str, Any]:
    comment: dict[str, Any] = {
        "path": item.finding.location.path,
        "body": comment_body(item, rules, source_lines),
        "line": item.line,
        "side": "RIGHT",
    }
    if item.start < item.line:  # GitHub rejects start_line == line
        comment["start_line"] = item.start
        comment["start_side"] = "RIGHT"
    return comment


def _landed(client: GitHubClient, ctx: GitHubContext, items: Sequence[Planned]) -> dict[str, Any] | None:
    """After an uncertain POST: did our comments arrive? (Then the review exists; don't post again.)"""
    keys = {e.key for e in existing_comments(client, ctx)}
    return {"id": 0} if any(item.key in keys for item in items) else None


def _clean_up(client: GitHubClient, ctx: GitHubContext, stale: Sequence[Existing], result: ReviewResult,
              log: Callable[[str], None]) -> None:
    if not stale:
        return
    to_resolve = [e for e in stale if e.replies]
    for e in stale:
        if not e.replies:
            try:
                client.write("DELETE", f"/repos/{ctx.repository}/pulls/comments/{e.id}", idempotent=True)
                result.deleted += 1
            except GitHubError as err:
                if err.kind != "not-found":  # already gone is what we wanted
                    raise
    if to_resolve:
        threads = _threads(client, ctx)
        for e in to_resolve:
            thread = threads.get(e.id)
            if thread is None or thread[1]:
                continue  # no thread found, or already resolved
            client.graphql(_RESOLVE, {"thread": thread[0]}, mutation=True)
            result.resolved += 1
    log(f"review comments: {result.deleted} deleted, {result.resolved} threads resolved (findings fixed)")


def _threads(client: GitHubClient, ctx: GitHubContext) -> dict[int, tuple[str, bool]]:
    """First comment's database id -> (thread node id, is resolved)."""
    found: dict[int, tuple[str, bool]] = {}
    cursor: str | None = None
    for _ in range(20):
        data = client.graphql(_THREADS, {"owner": ctx.owner, "name": ctx.repo, "number": ctx.pr_number,
                                         "cursor": cursor})
        threads = (((data.get("repository") or {}).get("pullRequest") or {}).get("reviewThreads") or {})
        for node in threads.get("nodes") or []:
            first = ((node.get("comments") or {}).get("nodes") or [{}])[0]
            if isinstance(first.get("databaseId"), int):
                found[first["databaseId"]] = (str(node.get("id")), bool(node.get("isResolved")))
        page = threads.get("pageInfo") or {}
        if not page.get("hasNextPage"):
            break
        cursor = page.get("endCursor")
    return found
