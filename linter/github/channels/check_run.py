"""A check run named ``krakend-plugin-lint`` on the PR head commit, with one annotation per finding.

Created completed with the first 50 annotations, then PATCHed in batches of 50 (each PATCH appends).
The conclusion follows fail-on. ``external_id`` is a digest of everything the check run shows.
Before creating one, the check runs of this name on the head SHA are listed: a complete one with
the same content means nothing is written; one with the same content but fewer annotations (the
answer to its POST was cut off, or its run stopped half-way) is finished instead of created again,
so a re-run never leaves a second copy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from linter.formats.base import target_text
from linter.github.channels.common import (
    CHECK_NAME,
    CHECK_TEXT_LIMIT,
    SAFETY,
    SourceLines,
    by_importance,
    clip,
    count_line,
    description,
    digest,
    fit,
    rule_map,
    view,
)
from linter.github.channels.state import Need, RunState
from linter.github.client import GitHubClient, GitHubError, WriteUncertainError
from linter.github.context import GitHubContext
from linter.github.diff import PullDiff
from linter.github.markdown import render
from linter.model import Finding, Report, RuleDoc, Severity

BATCH = 50  # GitHub: at most 50 annotations per request
MAX_ANNOTATIONS = 1_000  # 20 requests; beyond that the summary counts what was left out
LEVEL = {Severity.ERROR: "failure", Severity.WARNING: "warning", Severity.NOTICE: "notice"}


@dataclass(frozen=True)
class CheckRunResult:
    check_run_id: int
    annotations: int
    reused: bool  # an identical check run already existed: nothing was written


def conclusion(verdict: str) -> str:
    return "failure" if verdict == "fail" else "success"


def annotation(finding: Finding, source_lines: SourceLines | None) -> dict[str, Any]:
    loc = finding.location
    start = max(loc.line, 1)
    item: dict[str, Any] = {
        "path": loc.path,
        "start_line": start,
        "end_line": max(loc.end_line, start),
        "annotation_level": LEVEL[finding.severity],
        "title": clip(f"{finding.rule} {finding.name}", 255),
        "message": clip(finding.message + (f"\n\nHow to fix: {finding.hint}" if finding.hint else ""), 60_000),
    }
    if loc.line > 0 and loc.end_line == loc.line and loc.column > 0:
        item["start_column"] = loc.column
        item["end_column"] = max(loc.end_column, loc.column)
    excerpt = source_lines(loc.path, loc.line) if source_lines and loc.line > 0 else ""
    if excerpt:
        item["raw_details"] = clip(excerpt, 60_000)
    return item


def build(report: Report, rules: Sequence[RuleDoc], verdict: str, fail_on: Severity | None,
          diff: PullDiff | None, source_lines: SourceLines | None) -> dict[str, Any]:
    """The check run's fields, annotations included (not yet split into batches)."""
    ordered = by_importance(report.active, diff)
    annotations = [annotation(f, source_lines) for f in ordered[:MAX_ANNOTATIONS]]
    values = {
        "verdict": verdict,
        "fail_on": fail_on.label if fail_on else "never",
        "counts": count_line(report),
        "target": target_text(report),
        "annotations_dropped": max(0, len(ordered) - MAX_ANNOTATIONS),
        "annotation_cap": MAX_ANNOTATIONS,
    }
    limit = CHECK_TEXT_LIMIT - SAFETY
    summary = fit(lambda n: render("check_run_summary.md.j2", rows=[view(f) for f in ordered[:n]],
                                   more=len(ordered) - n, **values), len(ordered), limit)
    text = _rules_text(ordered, rule_map(rules), limit)
    c = values["counts"]
    title = f"{c['errors']} errors, {c['warnings']} warnings, {c['notices']} notices"  # type: ignore[index]
    return {"conclusion": conclusion(verdict), "title": title, "summary": summary, "text": text,
            "annotations": annotations}


def _rules_text(ordered: Sequence[Finding], rules: Mapping[str, RuleDoc], limit: int) -> str:
    """The documentation of each rule that fired, most important first."""
    fired = [rid for rid in dict.fromkeys(f.rule for f in ordered) if rid in rules]
    docs = [{"id": rid, "name": rules[rid].meta.name, "description": description(rules, rid),
             "url": rules[rid].meta.help_url} for rid in fired]
    return fit(lambda n: render("check_run_text.md.j2", rules=docs[:n]), len(docs), limit)


def publish(client: GitHubClient, ctx: GitHubContext, fields: Mapping[str, Any],
            log: Callable[[str], None]) -> CheckRunResult:
    """Create (or find, or finish) the check run and append the annotations in batches."""
    annotations: list[dict[str, Any]] = list(fields["annotations"])
    external_id = "krakend-plugin-lint:" + digest(ctx.head_sha, fields["conclusion"], fields["summary"],
                                                  fields["text"], annotations)
    base = f"/repos/{ctx.repository}"
    output = {"title": fields["title"], "summary": fields["summary"], "text": fields["text"]}
    same = [run for run in _list(client, base, ctx.head_sha) if run.get("external_id") == external_id]
    done = next((run for run in same if run.get("status") == "completed"
                 and _annotation_count(run) >= len(annotations)), None)
    if done is not None:
        return CheckRunResult(int(done["id"]), len(annotations), reused=True)
    if same:
        run_id, sent = int(same[0]["id"]), min(_annotation_count(same[0]), len(annotations))
        log(f"check run {run_id} has {sent} of {len(annotations)} annotations; adding the rest")
    else:
        run_id, sent = _create(client, base, ctx, fields, output, external_id, annotations)
    while sent < len(annotations):
        batch = annotations[sent : sent + BATCH]
        _append(client, f"{base}/check-runs/{run_id}", output, batch, sent, log)
        sent += len(batch)
    return CheckRunResult(run_id, sent, reused=False)


def _create(client: GitHubClient, base: str, ctx: GitHubContext, fields: Mapping[str, Any],
            output: Mapping[str, Any], external_id: str, annotations: list[dict[str, Any]]) -> tuple[int, int]:
    """POST the check run with the first batch; (its id, annotations it holds)."""
    body = {
        "name": CHECK_NAME,
        "head_sha": ctx.head_sha,
        "status": "completed",
        "conclusion": fields["conclusion"],
        "external_id": external_id,
        "output": {**output, "annotations": annotations[:BATCH]},
    }
    if ctx.run_url:
        body["details_url"] = ctx.run_url
    created = client.write_verified(
        "POST", f"{base}/check-runs", body,
        lambda: _find_any(client, base, ctx.head_sha, external_id),
    )
    if not isinstance(created, dict) or not isinstance(created.get("id"), int):
        raise GitHubError("unreadable", "POST check-runs: the answer names no check run id")
    held = _annotation_count(created) if isinstance(created.get("output"), dict) else 0
    return created["id"], min(max(held, min(BATCH, len(annotations))), len(annotations))


def _append(client: GitHubClient, url: str, output: Mapping[str, Any], batch: list[dict[str, Any]],
            already: int, log: Callable[[str], None]) -> None:
    body = {"output": {"title": output["title"], "summary": output["summary"], "annotations": batch}}
    try:
        client.write("PATCH", url, body)
    except WriteUncertainError:
        # Appending is not idempotent: count what the check run holds before sending again.
        count = _annotation_count(client.get(url))
        if count >= already + len(batch):
            return
        log(f"annotation batch at {already} did not land (the check run has {count}); sending it again")
        client.write("PATCH", url, body)


def _annotation_count(run: Any) -> int:
    output = run.get("output") if isinstance(run, dict) else None
    return int(output.get("annotations_count") or 0) if isinstance(output, dict) else 0


def _list(client: GitHubClient, base: str, sha: str) -> list[dict[str, Any]]:
    data = client.get(f"{base}/commits/{sha}/check-runs", {"check_name": CHECK_NAME, "filter": "all",
                                                          "per_page": 100})
    runs = data.get("check_runs") if isinstance(data, dict) else None
    if not isinstance(runs, list):
        raise GitHubError("unreadable", "GET check-runs: the answer has no list of check runs")
    return [r for r in runs if isinstance(r, dict) and isinstance(r.get("id"), int)]


def _find_any(client: GitHubClient, base: str, sha: str, external_id: str) -> dict[str, Any] | None:
    for run in _list(client, base, sha):
        if run.get("external_id") == external_id:
            return run
    return None


class CheckRun:
    name = "gh-check-run"
    needs: frozenset[Need] = frozenset({"token"})
    scope = "checks"

    def run(self, state: RunState) -> None:
        fields = build(state.report, state.rules, state.verdict, state.options.fail_on, state.diff, state.source_lines)
        result = publish(state.api, state.context, fields, state.log)
        state.log(f"check run {result.check_run_id}: "
                  + ("unchanged" if result.reused else f"{result.annotations} annotations"))
