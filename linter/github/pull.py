"""The pull request a run reports on: its number (looked up for ``workflow_run`` from forks) and
the lines it changed (files API patches, then ``git diff`` from the merge base for the rest)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from linter.github.client import GitHubClient, GitHubError
from linter.github.context import GitHubContext
from linter.github.diff import FILES_API_LIMIT, PullDiff, from_files_api, git_diff, merge


def load_pull(client: GitHubClient, ctx: GitHubContext, log: Callable[[str], None]
              ) -> tuple[GitHubContext, PullDiff | None]:
    """The PR's changed lines (and the context, with the PR number found for workflow_run)."""
    if not ctx.has_pr and ctx.pr_lookup_head:
        ctx = _lookup_pr(client, ctx, log)
    if not ctx.has_pr:
        return ctx, None
    try:
        entries = list(client.paginate(f"/repos/{ctx.repository}/pulls/{ctx.pr_number}/files", max_pages=30))
    except GitHubError as err:
        log(f"cannot read the pull request's files: {err}")
        return ctx, None
    files, missing = from_files_api(entries)
    complete = len(entries) < FILES_API_LIMIT
    problems: list[str] = []
    if missing or not complete:
        merge_base = _merge_base(client, ctx, log)
        git_files, problem = git_diff(Path(ctx.workspace or "."), ctx.base_sha, ctx.head_sha,
                                      merge_base=merge_base, remaining=client.deadline.remaining)
        if problem:
            problems.append(problem)
            log(f"{len(missing)} changed files have no patch from GitHub and {problem}")
        files = merge(files, git_files, missing, complete)
    return ctx, PullDiff(files, tuple(problems))


def _merge_base(client: GitHubClient, ctx: GitHubContext, log: Callable[[str], None]) -> str:
    """The PR's merge base from the compare API: a shallow checkout cannot compute it itself."""
    if not (ctx.base_sha and ctx.head_sha):
        return ""
    try:
        data = client.get(f"/repos/{ctx.repository}/compare/{ctx.base_sha}...{ctx.head_sha}", {"per_page": 1})
    except GitHubError as err:
        log(f"cannot compare the pull request with its base: {err}")
        return ""
    sha = ((data or {}).get("merge_base_commit") or {}).get("sha") if isinstance(data, dict) else ""
    return sha if isinstance(sha, str) else ""


def _lookup_pr(client: GitHubClient, ctx: GitHubContext, log: Callable[[str], None]) -> GitHubContext:
    """workflow_run from a fork carries no PR number: find the open PR by its head label and SHA."""
    try:
        pulls = client.get(f"/repos/{ctx.repository}/pulls", {"head": ctx.pr_lookup_head, "state": "open"})
    except GitHubError as err:
        log(f"cannot find the pull request for {ctx.pr_lookup_head}: {err}")
        return ctx
    for pr in pulls if isinstance(pulls, list) else []:
        head = pr.get("head") or {}
        if head.get("sha") == ctx.head_sha:
            base = pr.get("base") or {}
            return replace(ctx, pr_number=int(pr["number"]), base_sha=str(base.get("sha") or ""),
                           base_ref=str(base.get("ref") or ""))
    log(f"no open pull request has head {ctx.pr_lookup_head} at {ctx.head_sha[:12]}")
    return ctx
