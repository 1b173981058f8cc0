"""One pull-request review per run, with inline comments only where GitHub accepts them.

- Which findings: active, at or above comment-on, kept by the filter mode (see ``github.diff``),
  most severe first, at most ``max_comments`` inline comments alive at once.
- Where: only on RIGHT-side lines inside one of the PR's hunks (``comment_range``); GitHub rejects
  the whole review (422) for a single bad line, so nothing else is ever sent. Findings in the
  changed files that cannot be anchored are listed in the review body instead.
- Re-runs: each comment ends with ``<!-- krakend-plugin-lint:fp=KEY -->``. A comment is ours only
  when the token's identity wrote it and that marker is its last line (user text we quote has its
  markers broken, see ``markdown.unmark``); nobody else's comment is ever counted, edited or
  deleted. A finding that already has a live comment is not commented again. A comment whose
  finding is gone, or a second live comment for one finding (two runs that overlapped), is deleted
  when nobody replied, and its thread resolved (GraphQL) when someone did, so the conversation stays.
- The review is created with ``event: COMMENT`` on the analysed head SHA; a 5xx on that POST is
  never retried blindly: the comments are re-listed first and only comments that were not there
  before count as landed, so a retry cannot post twice and an outdated comment with the same key
  cannot pass for a new one. An outdated comment whose finding is still there is removed only once
  its new comment has landed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from linter.formats.markdown import has_marker_like
from linter.github.channels.common import (
    COMMENT_LIMIT,
    SAFETY,
    SourceLines,
    at_or_above,
    by_importance,
    comment_keys,
    description,
    fit,
    rule_map,
    view,
)
from linter.github.channels.options import ChannelOptions
from linter.github.channels.state import Need, RunState
from linter.github.client import GitHubClient, GitHubError, Identity
from linter.github.context import GitHubContext
from linter.github.diff import PullDiff, comment_range, should_report
from linter.github.markdown import marker, marker_pattern, render, trailing_marker
from linter.model import Finding, Location, Report, RuleDoc

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
    stale: tuple[Existing, ...]  # ours, not live for a current finding (gone, outdated, or a duplicate)
    kept: int
    current: frozenset[str] = frozenset()  # the keys of every active finding
    live: frozenset[str] = frozenset()  # the keys that keep a live comment of ours


def existing_comments(client: GitHubClient, ctx: GitHubContext, identity: Identity) -> list[Existing]:
    """Our top-level review comments on the PR (written by ``identity``, our marker as the last
    line), with how many replies each got."""
    comments = [c for c in client.paginate(f"/repos/{ctx.repository}/pulls/{ctx.pr_number}/comments")
                if isinstance(c, dict)]
    replies: dict[int, int] = {}
    for c in comments:
        parent = c.get("in_reply_to_id")
        if isinstance(parent, int):
            replies[parent] = replies.get(parent, 0) + 1
    ours = []
    for c in comments:
        key = trailing_marker(str(c.get("body") or ""), FP)
        if key and c.get("in_reply_to_id") is None and identity.owns(c.get("user")) and isinstance(c.get("id"), int):
            ours.append(Existing(c["id"], key, c.get("line") is not None, replies.get(c["id"], 0)))
    return ours


def _keepers(existing: Sequence[Existing], current: set[str]) -> dict[str, Existing]:
    """One live comment per current finding: one that has replies if any, else the oldest."""
    keep: dict[str, Existing] = {}
    for e in sorted(existing, key=lambda e: (e.replies == 0, e.id)):
        if e.live and e.key in current and e.key not in keep:
            keep[e.key] = e
    return keep


def plan(report: Report, opts: ChannelOptions, diff: PullDiff, existing: Sequence[Existing]) -> Plan:
    active = list(report.active)
    keys = comment_keys(active)
    key_of = {id(f): keys[i] for i, f in enumerate(active)}
    current = set(keys.values())
    keepers = _keepers(existing, current)
    live = set(keepers)
    stale = tuple(e for e in existing if keepers.get(e.key) is not e)
    wanted = by_importance(at_or_above(active, opts.comment_on), diff)
    budget = max(0, opts.max_comments - len(live))
    inline: list[Planned] = []
    body: list[Finding] = []
    for finding in wanted:
        key = key_of[id(finding)]
        if key in live:
            continue
        file = diff.get(finding.location.path)
        anchor = comment_range(file, fix_span(finding)) if file else None
        if anchor is None or len(inline) >= budget or not should_report(diff, finding.location, opts.filter_mode):
            body.append(finding)
            continue
        inline.append(Planned(finding, key, anchor[0], anchor[1], file is not None and file.source == "git"))
    kept = sum(1 for f in wanted if key_of[id(f)] in live)
    return Plan(tuple(inline), tuple(body), len(active) - len(wanted), stale, kept, frozenset(current), frozenset(live))


def fix_span(finding: Finding) -> Location:
    """Where the comment goes: the finding's lines, widened to its fix's when the fix replaces
    several lines around it (a go.mod ``require`` block), so the suggestion can cover them all."""
    loc, fix = finding.location, finding.fix
    if fix is None or fix.last_line == fix.line or not fix.line <= loc.line <= fix.last_line:
        return loc
    if loc.end_line > fix.last_line:
        return loc
    return Location(loc.path, fix.line, 0, fix.last_line, 0)


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
    if has_marker_like(fix.replacement):
        return None  # the code would have to change to break the marker: no suggestion rather than a wrong one
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


def publish(client: GitHubClient, ctx: GitHubContext, report: Report, rules: Sequence[RuleDoc], opts: ChannelOptions,
            diff: PullDiff, source_lines: SourceLines | None, log: Callable[[str], None]) -> ReviewResult:
    identity = client.identity()
    existing = existing_comments(client, ctx, identity)
    the_plan = plan(report, opts, diff, existing)
    result = ReviewResult(kept=the_plan.kept, body_only=len(the_plan.body))
    landed: set[str] = set()
    if the_plan.inline:
        known = frozenset(e.id for e in existing)
        landed = _post_review(client, ctx, the_plan, rule_map(rules), source_lines, result, log, identity, known)
    _clean_up(client, ctx, _removable(the_plan, landed), result, log)
    return result


def _removable(the_plan: Plan, landed: set[str]) -> list[Existing]:
    """Stale comments that may go: the finding is gone, a live comment of ours already covers the
    finding (a duplicate), or the finding's new comment landed. An outdated comment whose finding is
    still there and got no new comment stays: removing it would leave the finding without any."""
    return [e for e in the_plan.stale
            if e.key not in the_plan.current or e.key in the_plan.live or e.key in landed]


def _post_review(client: GitHubClient, ctx: GitHubContext, the_plan: Plan, rules: Mapping[str, RuleDoc],
                 source_lines: SourceLines | None, result: ReviewResult, log: Callable[[str], None],
                 identity: Identity, known: frozenset[int]) -> set[str]:
    """Post the review; the keys of the comments that landed."""
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
            review = client.write_verified("POST", url, body, partial(_landed, client, ctx, pending, identity, known))
        except GitHubError as err:
            if err.kind != "validation" or attempt == 1 or not any(i.from_git for i in items):
                raise
            # GitHub's hunks differ from our git diff somewhere: keep only lines GitHub gave us.
            log("GitHub rejected a review comment position; posting only comments on lines from its own diff")
            items = [i for i in items if not i.from_git]
            if not items:
                return set()
            continue
        result.posted = len(items)
        result.review_id = int(review.get("id") or 0) if isinstance(review, dict) else 0
        return {item.key for item in items}
    return set()


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


def _landed(client: GitHubClient, ctx: GitHubContext, items: Sequence[Planned], identity: Identity,
            known: frozenset[int]) -> dict[str, Any] | None:
    """After an uncertain POST: did our comments arrive? (Then the review exists; don't post again.)
    Only comments that were not there before the POST count: an outdated comment of an earlier
    run carries the same key and proves nothing."""
    keys = {e.key for e in existing_comments(client, ctx, identity) if e.id not in known and e.live}
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
    log(f"review comments: {result.deleted} deleted, {result.resolved} threads resolved (fixed findings, duplicates)")


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


class PullRequestReview:
    name = "gh-pr-review"
    needs: frozenset[Need] = frozenset({"token", "pull_request", "diff"})
    scope = "pull-requests"

    def run(self, state: RunState) -> None:
        if state.diff is None:
            raise RuntimeError("the pull request review needs the pull request's changed lines")
        review = publish(state.api, state.context, state.report, state.rules, state.options, state.diff,
                         state.source_lines, state.log)
        state.log(f"PR review: {review.posted} new inline comments, {review.kept} already there, "
                  f"{review.body_only} in the review body")
