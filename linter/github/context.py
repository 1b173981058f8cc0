"""Where this run is: repository, the commit to report on, the pull request, the API endpoints.

Read from the environment the runner sets and the event payload at ``GITHUB_EVENT_PATH``. The
commit we review, annotate and attach the check run to is the PR *head* (``pull_request.head.sha``),
never ``GITHUB_SHA``, which for pull requests is a merge commit no one looks at. Nothing here
raises: a missing or broken payload leaves fields empty and says so in ``problems``.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_EVENT_BYTES = 32 * 1024 * 1024
MAX_EVENT_DEPTH = 64  # GitHub's payloads nest about 8 levels; json.loads recurses once per level
_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKETS = re.compile(r"[\[\]{}]")
PR_EVENTS = frozenset({"pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"})
DEPENDABOT = "dependabot[bot]"
_PR_REF = re.compile(r"^refs/pull/(\d+)/")
_SHA = re.compile(r"^[0-9a-f]{40}$")


@dataclass(frozen=True)
class GitHubContext:
    in_actions: bool = False
    event_name: str = ""
    repository: str = ""  # owner/name of the repository the workflow runs in
    head_sha: str = ""  # the commit findings are reported on
    pr_number: int = 0  # 0: no pull request (push, workflow_dispatch, or not found yet)
    base_sha: str = ""
    base_ref: str = ""
    head_ref: str = ""
    head_repo: str = ""  # owner/name the PR head lives in ("" if the fork was deleted)
    fork: bool = False
    actor: str = ""
    api_url: str = "https://api.github.com"
    graphql_url: str = "https://api.github.com/graphql"
    server_url: str = "https://github.com"
    workspace: str = ""
    run_id: str = ""
    run_attempt: str = ""
    runner_temp: str = ""
    step_summary: str = ""
    output_file: str = ""
    likely_read_only: bool = False  # the payload says writes will be refused (fork PR, Dependabot)
    read_only_reason: str = ""
    pr_lookup_head: str = ""  # workflow_run from a fork: "owner:branch" to find the PR by
    problems: tuple[str, ...] = ()

    @property
    def owner(self) -> str:
        return self.repository.partition("/")[0]

    @property
    def repo(self) -> str:
        return self.repository.partition("/")[2]

    @property
    def run_url(self) -> str:
        if not (self.repository and self.run_id):
            return ""
        return f"{self.server_url}/{self.repository}/actions/runs/{self.run_id}"

    @property
    def has_pr(self) -> bool:
        return self.pr_number > 0


def from_env(env: Mapping[str, str]) -> GitHubContext:
    """Build the context from runner variables and the event payload (if any)."""
    api_url = env.get("GITHUB_API_URL", "").rstrip("/") or "https://api.github.com"
    base: dict[str, Any] = {
        "in_actions": env.get("GITHUB_ACTIONS") == "true",
        "event_name": env.get("GITHUB_EVENT_NAME", ""),
        "repository": env.get("GITHUB_REPOSITORY", ""),
        "head_sha": env.get("GITHUB_SHA", ""),
        "actor": env.get("GITHUB_ACTOR", ""),
        "api_url": api_url,
        "graphql_url": env.get("GITHUB_GRAPHQL_URL", "").rstrip("/") or _graphql_from_api(api_url),
        "server_url": env.get("GITHUB_SERVER_URL", "").rstrip("/") or "https://github.com",
        "workspace": env.get("GITHUB_WORKSPACE", ""),
        "run_id": env.get("GITHUB_RUN_ID", ""),
        "run_attempt": env.get("GITHUB_RUN_ATTEMPT", ""),
        "runner_temp": env.get("RUNNER_TEMP", ""),
        "step_summary": env.get("GITHUB_STEP_SUMMARY", ""),
        "output_file": env.get("GITHUB_OUTPUT", ""),
    }
    payload, problem = _read_payload(env.get("GITHUB_EVENT_PATH", ""))
    problems = [problem] if problem else []
    fields = _event_fields(base["event_name"], payload, env)
    base.update(fields)
    if base["event_name"] in PR_EVENTS and not fields.get("pr_number"):
        number = _PR_REF.match(env.get("GITHUB_REF", ""))
        if number:
            base["pr_number"] = int(number.group(1))
            problems.append("the event payload has no pull_request; the head commit is unknown")
            base["head_sha"] = ""
    reason = _read_only_reason(base)
    base["likely_read_only"] = bool(reason)
    base["read_only_reason"] = reason
    base["problems"] = tuple(problems)
    return GitHubContext(**base)


def _graphql_from_api(api_url: str) -> str:
    # GHES serves REST at https://HOST/api/v3 and GraphQL at https://HOST/api/graphql.
    return api_url.removesuffix("/v3") + "/graphql" if api_url.endswith("/api/v3") else api_url + "/graphql"


def _read_payload(path: str) -> tuple[dict[str, Any], str]:
    """The payload, or {} and a problem naming the file. Never raises: without a payload only the
    pull-request channels lose their target; annotations, the job summary and outputs still run."""
    if not path:
        return {}, ""
    try:
        with Path(path).open("rb") as handle:
            raw = handle.read(MAX_EVENT_BYTES + 1)
    except (OSError, ValueError) as err:  # ValueError: a NUL byte in the path
        return {}, f"cannot read the event payload {path}: {getattr(err, 'strerror', None) or err}"
    if len(raw) > MAX_EVENT_BYTES:
        return {}, f"the event payload {path} is too large to read"
    text = raw.decode("utf-8", "replace")
    depth = json_depth(text)
    if depth > MAX_EVENT_DEPTH:
        return {}, f"the event payload {path} is nested {depth} levels deep (at most {MAX_EVENT_DEPTH} are read)"
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return {}, f"the event payload {path} is not valid JSON"
    if not isinstance(data, dict):
        return {}, f"the event payload {path} is not a JSON object"
    return data, ""


def json_depth(text: str) -> int:
    """How deeply ``[`` and ``{`` nest in JSON ``text``, counted outside strings in linear time
    (a bound for malformed text). ``json.loads`` recurses once per level, so this runs first."""
    brackets = _BRACKETS.findall(_STRINGS.sub("", text))
    levels = itertools.accumulate(1 if ch in "[{" else -1 for ch in brackets)
    return max(levels, default=0)


def _event_fields(event: str, payload: dict[str, Any], env: Mapping[str, str]) -> dict[str, Any]:
    if event in PR_EVENTS and isinstance(payload.get("pull_request"), dict):
        return _pr_fields(payload["pull_request"])
    if event == "push":
        return _push_fields(payload, env)
    if event == "workflow_run" and isinstance(payload.get("workflow_run"), dict):
        return _workflow_run_fields(payload["workflow_run"])
    if event in ("check_suite", "check_run"):
        suite = _obj(payload.get("check_suite") or _obj(payload.get("check_run")).get("check_suite"))
        prs = suite.get("pull_requests") or []
        fields: dict[str, Any] = {"head_sha": _sha(suite.get("head_sha")) or env.get("GITHUB_SHA", "")}
        if prs and isinstance(prs[0], dict):
            fields.update(_pr_fields(prs[0]), head_sha=fields["head_sha"])
        return fields
    if event == "merge_group":
        group = _obj(payload.get("merge_group"))
        return {"head_sha": _sha(group.get("head_sha")), "base_sha": _sha(group.get("base_sha"))}
    return {}


def _pr_fields(pr: dict[str, Any]) -> dict[str, Any]:
    head, base = _obj(pr.get("head")), _obj(pr.get("base"))
    head_repo, base_repo = _obj(head.get("repo")), _obj(base.get("repo"))
    number = pr.get("number")
    return {
        "pr_number": number if isinstance(number, int) and number > 0 else 0,
        "head_sha": _sha(head.get("sha")),
        "head_ref": str(head.get("ref") or ""),
        "base_sha": _sha(base.get("sha")),
        "base_ref": str(base.get("ref") or ""),
        "head_repo": str(head_repo.get("full_name") or ""),
        "fork": _is_fork(head, head_repo, base_repo),
    }


def _is_fork(head: dict[str, Any], head_repo: dict[str, Any], base_repo: dict[str, Any]) -> bool:
    if "repo" in head and head["repo"] is None:
        return True  # the fork was deleted; the token is read-only all the same
    for key in ("id", "full_name"):
        if head_repo.get(key) is not None and base_repo.get(key) is not None:
            return bool(head_repo[key] != base_repo[key])
    return False


def _push_fields(payload: dict[str, Any], env: Mapping[str, str]) -> dict[str, Any]:
    return {
        "head_sha": _sha(payload.get("after")) or env.get("GITHUB_SHA", ""),
        "base_sha": _sha(payload.get("before")).replace("0" * 40, ""),
        "head_ref": env.get("GITHUB_REF_NAME", ""),
    }


def _workflow_run_fields(run: dict[str, Any]) -> dict[str, Any]:
    head_sha = _sha(run.get("head_sha"))
    head_repo = _obj(run.get("head_repository"))
    fields: dict[str, Any] = {
        "head_sha": head_sha,
        "head_ref": str(run.get("head_branch") or ""),
        "head_repo": str(head_repo.get("full_name") or ""),
    }
    prs = [pr for pr in run.get("pull_requests") or [] if isinstance(pr, dict)]
    matching = [pr for pr in prs if _obj(pr.get("head")).get("sha") == head_sha] or prs
    if matching:
        pr_fields = _pr_fields(matching[0])
        pr_fields["head_sha"] = head_sha
        fields.update(pr_fields)
    elif run.get("event") in ("pull_request", "pull_request_target") and head_repo:
        # pull_requests is empty for PRs from forks: find the PR by its head label instead.
        owner = _obj(head_repo.get("owner")).get("login") or ""
        if owner and fields["head_ref"]:
            fields["pr_lookup_head"] = f"{owner}:{fields['head_ref']}"
            fields["fork"] = True
    return fields


def _read_only_reason(fields: dict[str, Any]) -> str:
    event = fields["event_name"]
    if event == "pull_request" and fields.get("fork"):
        return "pull requests from forks get a read-only token"
    if fields["actor"] == DEPENDABOT and event in ("pull_request", "push", "pull_request_review"):
        return "runs triggered by Dependabot get a read-only token"
    return ""


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _sha(value: Any) -> str:
    return value if isinstance(value, str) and _SHA.match(value) else ""
