"""gh-pr-review comment bodies from real rule findings (the channel end to end is in tests/github)."""

from __future__ import annotations

from collections.abc import Callable

from linter.github.channels.pr_review import Planned, comment_body, fix_span
from linter.rules import rule_docs
from tests.rules.test_shared_module_version import CP_BLOCK_FIXED, CP_UNREQUIRED, lint


def test_a_missing_requirement_is_one_multi_line_suggestion_over_the_require_block(
        golden: Callable[[str, str], None]) -> None:
    finding = lint(CP_UNREQUIRED, mode="check-plugin")[0]
    span = fix_span(finding)
    assert (span.path, span.line, span.end_line) == ("go.mod", 7, 11)  # `require (` to `)`
    item = Planned(finding, "kp101-x-sys", span.line, span.end_line, from_git=True)
    body = comment_body(item, {doc.meta.id: doc for doc in rule_docs()}, None)
    assert f"```suggestion\n{CP_BLOCK_FIXED}\n```" in body
    golden("gh_pr_review/require-block-suggestion.md", body)
