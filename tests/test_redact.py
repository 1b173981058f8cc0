"""Only the offending line, capped, with secrets masked, may reach a pull request."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.redact import MAX_EXCERPT, excerpt, mask_secrets
from tests.helpers import lint_tree, write_tree


@pytest.mark.parametrize(("line", "secret"), [
    ('  "password": "hunter2-very-secret",', "hunter2-very-secret"),
    ('  "client_secret": "s3cr3tvalue"', "s3cr3tvalue"),
    ("    api_key: abcdef123456", "abcdef123456"),
    ("ENV GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
    ("RUN curl -H 'Authorization: Bearer abc.def.ghijklmnop' https://x", "abc.def.ghijklmnop"),
    ("GOPROXY=https://user:p4ssw0rd@proxy.example.com", "p4ssw0rd"),
    ("aws AKIAABCDEFGHIJKLMNOP here", "AKIAABCDEFGHIJKLMNOP"),
])
def test_secret_looking_values_are_masked(line: str, secret: str) -> None:
    masked = mask_secrets(line)
    assert secret not in masked and "****" in masked


def test_ordinary_lines_are_left_alone() -> None:
    line = '      "name": ["header-stamp"], "pattern": ".so"'
    assert mask_secrets(line) == line


def test_excerpts_are_capped() -> None:
    assert len(excerpt("x" * 10_000)) == MAX_EXCERPT


def test_a_finding_on_a_line_with_a_secret_shows_it_masked(tmp_path: Path) -> None:
    write_tree(tmp_path, {"krakend.json": '{"version": 2, "password": "topsecret"}\n'})
    run = lint_tree(tmp_path, krakend_version="2.7.0")
    finding = next(f for f in run.report.findings if f.rule == "KP501")
    shown = run.loaded.source_line(finding.location.path, finding.location.line)
    assert "topsecret" not in shown and "****" in shown
