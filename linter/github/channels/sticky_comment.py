"""One summary comment on the pull request, found again by a hidden marker and edited in place.

Editing instead of posting anew means one notification at most, not one per push. The body is
budgeted under GitHub's 65,536-character limit: counts, the verdict, the most important findings,
and "and N more". A digest of the content (without the run link) decides whether an edit is
needed at all, so a re-run with the same findings writes nothing. With no findings and no earlier
comment, nothing is posted (an empty "all good" comment on every clean PR is noise).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from linter.formats.base import target_text
from linter.github.channels.common import COMMENT_LIMIT, SAFETY, by_importance, count_line, digest, fit, fit_count, view
from linter.github.channels.state import Need, RunState
from linter.github.client import GitHubClient, GitHubError, Identity
from linter.github.context import GitHubContext
from linter.github.diff import PullDiff
from linter.github.markdown import first_line, marker, marker_pattern, render, trailing_marker
from linter.model import Report, Severity

MARKER = marker("summary")
_DIGEST = marker_pattern("digest")
SHOWN = 50  # findings listed at most; the rest are counted
FIX_COMMAND = "krakend-plugin-lint fix"  # applies every fix of the report locally (README, `fix`)


@dataclass(frozen=True)
class StickyResult:
    comment_id: int
    action: str  # "created", "updated", "unchanged", "skipped"
    removed: int = 0  # duplicates of ours deleted (left by runs that overlapped)


def render_body(report: Report, verdict: str, fail_on: Severity | None, notes: Sequence[str], run_url: str,
                diff: PullDiff | None = None) -> tuple[str, str]:
    """(body, digest of its content). The digest ignores the run link, which changes every run."""
    ordered = by_importance(report.active, diff)
    values = {
        "marker": MARKER,
        "verdict": verdict,
        "fail_on": fail_on.label if fail_on else "never",
        "counts": count_line(report),
        "target": target_text(report),
        "notes": list(notes),
        "fixable": sum(1 for f in report.active if f.fix is not None),
        "fix_command": FIX_COMMAND,
    }
    shown = min(SHOWN, len(ordered))

    def attempt(n: int, url: str, stamp: str) -> str:
        return render("sticky_comment.md.j2", rows=[view(f) for f in ordered[:n]], more=len(ordered) - n,
                      run_url=url, digest=stamp, **values)

    probe = marker("digest", "0" * 20)
    limit = COMMENT_LIMIT - SAFETY
    stable, count = fit_count(lambda n: attempt(n, "", probe), shown, limit)
    content_digest = digest(stable)
    stamp = marker("digest", content_digest)
    body = fit(lambda n: attempt(n, run_url, stamp), count, limit)
    return body, content_digest


def find_all(client: GitHubClient, ctx: GitHubContext, identity: Identity) -> list[dict[str, Any]]:
    """Our summary comments, oldest first: written by ``identity``, the marker as the first line. A
    user who copies the marker cannot get their comment edited or deleted, or ours suppressed."""
    return [c for c in client.paginate(f"/repos/{ctx.repository}/issues/{ctx.pr_number}/comments")
            if isinstance(c, dict) and isinstance(c.get("id"), int) and identity.owns(c.get("user"))
            and first_line(str(c.get("body") or "")) == MARKER]


def find(client: GitHubClient, ctx: GitHubContext, identity: Identity) -> dict[str, Any] | None:
    found = find_all(client, ctx, identity)
    return found[0] if found else None


def publish(client: GitHubClient, ctx: GitHubContext, body: str, content_digest: str,
            has_findings: bool) -> StickyResult:
    identity = client.identity()
    ours = find_all(client, ctx, identity)
    if not ours:
        if not has_findings:
            return StickyResult(0, "skipped")
        url = f"/repos/{ctx.repository}/issues/{ctx.pr_number}/comments"
        created = client.write_verified("POST", url, {"body": body}, lambda: find(client, ctx, identity))
        return StickyResult(int(created["id"]), "created")
    existing, extra = ours[0], ours[1:]
    removed = _remove(client, ctx, extra)
    if trailing_marker(str(existing.get("body") or ""), _DIGEST) == content_digest:
        return StickyResult(int(existing["id"]), "unchanged", removed)
    url = f"/repos/{ctx.repository}/issues/comments/{existing['id']}"
    client.write("PATCH", url, {"body": body}, idempotent=True)
    return StickyResult(int(existing["id"]), "updated", removed)


def _remove(client: GitHubClient, ctx: GitHubContext, extra: Sequence[dict[str, Any]]) -> int:
    """Delete our own duplicate summary comments (two runs that overlapped each posted one)."""
    removed = 0
    for comment in extra:
        try:
            client.write("DELETE", f"/repos/{ctx.repository}/issues/comments/{comment['id']}", idempotent=True)
        except GitHubError as err:
            if err.kind != "not-found":  # already gone is what we wanted
                raise
        removed += 1
    return removed


class StickyComment:
    name = "gh-sticky-comment"
    needs: frozenset[Need] = frozenset({"token", "pull_request"})
    scope = "pull-requests"

    def run(self, state: RunState) -> None:
        body, content = render_body(state.report, state.verdict, state.options.fail_on, state.notes,
                                    state.context.run_url, state.diff)
        sticky = publish(state.api, state.context, body, content, bool(state.report.active))
        state.log(f"summary comment: {sticky.action}"
                  + (f", {sticky.removed} duplicate(s) of ours deleted" if sticky.removed else ""))
