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

from linter.github.client import GitHubClient
from linter.github.context import GitHubContext
from linter.github.diff import PullDiff
from linter.github.markdown import marker, marker_pattern, render
from linter.model import Report, Severity
from linter.reporters.base import target_text
from linter.reporters.gh_common import COMMENT_LIMIT, SAFETY, by_importance, count_line, digest, fit, fit_count, view

MARKER = marker("summary")
_DIGEST = marker_pattern("digest")
SHOWN = 50  # findings listed at most; the rest are counted
TRUSTED_ASSOCIATIONS = ("OWNER", "MEMBER", "COLLABORATOR")


@dataclass(frozen=True)
class StickyResult:
    comment_id: int
    action: str  # "created", "updated", "unchanged", "skipped"


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


def find(client: GitHubClient, ctx: GitHubContext) -> dict[str, Any] | None:
    """Our earlier summary comment: the first that starts with the marker and was written by a bot
    (GITHUB_TOKEN, an app) or by someone with write access (a maintainer's token). A drive-by user
    who copies the marker cannot get their comment overwritten or ours suppressed."""
    for comment in client.paginate(f"/repos/{ctx.repository}/issues/{ctx.pr_number}/comments"):
        if isinstance(comment, dict) and str(comment.get("body") or "").startswith(MARKER) and _trusted(comment):
            return comment
    return None


def _trusted(comment: dict[str, Any]) -> bool:
    user = comment.get("user") or {}
    return user.get("type") == "Bot" or comment.get("author_association") in TRUSTED_ASSOCIATIONS


def publish(client: GitHubClient, ctx: GitHubContext, body: str, content_digest: str,
            has_findings: bool) -> StickyResult:
    existing = find(client, ctx)
    if existing is None:
        if not has_findings:
            return StickyResult(0, "skipped")
        url = f"/repos/{ctx.repository}/issues/{ctx.pr_number}/comments"
        created = client.write_verified("POST", url, {"body": body}, lambda: find(client, ctx))
        return StickyResult(int(created["id"]), "created")
    found = _DIGEST.search(str(existing.get("body") or ""))
    if found and found.group(1) == content_digest:
        return StickyResult(int(existing["id"]), "unchanged")
    url = f"/repos/{ctx.repository}/issues/comments/{existing['id']}"
    client.write("PATCH", url, {"body": body}, idempotent=True)
    return StickyResult(int(existing["id"]), "updated")
