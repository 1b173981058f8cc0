"""Only the offending line, capped, with secrets masked, may reach a pull request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter import redact
from linter.cli import main
from linter.commands import check as commands
from linter.engine import Run
from linter.formats.check_plugin import render_check_plugin
from linter.krakend.checkplugin import Diff
from linter.krakend.sources import Notice
from linter.model import Fact, Fix, Location, PluginSummary, Report
from linter.redact import MASK, MAX_EXCERPT, excerpt, mask_secrets, redact_finding, redact_report
from linter.rules.config_version import RULE
from tests.fakegithub.server import FakeGitHub, Fault
from tests.helpers import chdir, lint_tree, write_tree


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


# --- one redaction path for every output (issue 16) ---------------------------------------------

GHP = "ghp_" + "A1b2C3d4" * 5
PAT = "github_pat_" + "11ABCDEFG0" * 4
BEARER = "sk-live-0123456789abcdef"
PASSWORD = "Tr0ub4dor-and-3"
SECRETS = (GHP, PAT, BEARER, PASSWORD, "hunter2-secret-value")
SERVER_ERROR = (f"Bad credentials; the proxy saw Authorization: Bearer {BEARER}, token {PAT} "
                f"and password={PASSWORD}")
PLUGIN_GO = """\
    package main

    import (
        "context"
        "net/http"
    )

    var HandlerRegisterer = registerer("stamp")

    type registerer string

    func (r registerer) RegisterHandlers(f func(
        name string,
        handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
    )) {
        f(string(r), r.handler)
    }

    func (r registerer) handler(_ context.Context, _ map[string]interface{}, h http.Handler) (http.Handler, error) {
        return h, nil
    }

    func main() {}
    """
# One line: KP501 has a fix for it (built from the raw line), KP508 quotes the unknown plugin name.
CONFIG = ('{"version": 2, "password": "hunter2-secret-value", "plugin": {"pattern": ".so", "folder": "/p/"}, '
          f'"extra_config": {{"plugin/http-server": {{"name": ["{GHP}"], "{GHP}": {{}}}}}}}}\n')
TREE = {"go.mod": "module example.com/plug\n\ngo 1.22\n", "plugin.go": PLUGIN_GO, "krakend.json": CONFIG}


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def test_the_tree_really_puts_secrets_into_findings(tmp_path: Path) -> None:
    # Without redaction the secrets are in the engine's findings: the test below can fail.
    write_tree(tmp_path, TREE)
    report = lint_tree(tmp_path, krakend_version="2.7.0").report
    kp501 = next(f for f in report.findings if f.rule == "KP501")
    kp508 = next(f for f in report.findings if f.rule == "KP508")
    assert kp501.fix is not None and "hunter2-secret-value" in kp501.fix.replacement
    assert GHP in kp508.message


def test_no_secret_reaches_any_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, TREE)
    channels: list[Run] = []
    monkeypatch.setattr(commands, "_run_github_channels", lambda result, args: channels.append(result))
    monkeypatch.setenv("GITHUB_TOKEN", GHP)
    out = tmp_path / "out"
    with FakeGitHub() as server, chdir(tmp_path):
        # The reference fetch (a release newer than the embedded data) is refused with an error body
        # that quotes the request's credentials.
        server.inject(None, *[Fault.status(401, SERVER_ERROR)] * 6)
        monkeypatch.setenv("GITHUB_API_URL", server.url)
        main(["check", "--no-color", "--krakend-version", "2.14.0", "--cache-dir", str(tmp_path / "cache"),
              "--format", "terminal", "--output", f"check-plugin={out / 'r.check-plugin'}",
              "--output", f"json={out / 'r.json'}",
              "--output", f"sarif={out / 'r.sarif'}", "--output", f"rdjson={out / 'r.rdjson'}"])
        server.assert_no_violations()
    printed = capsys.readouterr()
    written = {path.name: path.read_text(encoding="utf-8") for path in out.iterdir()}
    report = json.loads(written["r.json"])
    rules = {f["rule"] for f in report["findings"]}
    assert {"KP501", "KP508", "KP904"} <= rules  # the secrets' carriers are all there, masked
    assert next(f for f in report["findings"] if f["rule"] == "KP501")["fix"] is None
    assert MASK in next(f["message"] for f in report["findings"] if f["rule"] == "KP904")
    for name, text in {**written, "stdout": printed.out, "stderr": printed.err,
                       "github channels": repr(channels[0].report)}.items():
        assert _leaks(text) == [], name


def test_a_fix_holding_a_secret_is_dropped_and_texts_are_masked() -> None:
    finding = RULE.finding(Location("krakend.json", 1, 13), f"quoted {GHP}", hint=f"password={PASSWORD}",
                           fix=Fix(1, f'{{"version": 3, "token": "{BEARER}"}}'))
    redacted = redact_finding(finding)
    assert redacted.fix is None and _leaks(redacted.message + redacted.hint + redacted.key) == []
    clean = RULE.finding(Location("krakend.json", 1, 13), "plain", fix=Fix(1, '{"version": 3}'))
    assert redact_finding(clean) is clean


def test_reference_notices_are_masked_where_they_are_made() -> None:
    notice = Notice("github", "unauthorized", SERVER_ERROR, hint=f"token {PAT}")
    assert _leaks(notice.message + notice.hint + json.dumps(notice.as_dict())) == []


def test_check_plugin_text_is_masked() -> None:
    text = render_check_plugin([Diff(f"example.com/{GHP}", "v1.0.0", "v1.1.0")], version="2.7.1").text
    assert GHP not in text and "have: v1.0.0" in text


@pytest.mark.parametrize(("line", "secret"), [
    ("Authorization: token s3cr3t-not-token-shaped", "s3cr3t-not-token-shaped"),
    ('  "password": "two words here"', "words here"),
    ("  'client_secret': 'a b c d'", "b c d"),
    ("FOO=password=hunter22", "hunter22"),
    ('{"x": "y", "api-key": "k3y-value", "z": 1}', "k3y-value"),
    ("x eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlLXZhbHVl y", "eyJzdWIiOiIxMjM0NSJ9"),
])
def test_more_secret_shapes_are_masked(line: str, secret: str) -> None:
    assert secret not in mask_secrets(line)


def test_a_long_line_is_masked_only_as_far_as_it_can_be_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    # A minified 90 KB krakend.json line was masked whole for each of its 8,000 findings (issue 16).
    seen: list[int] = []
    real = redact.mask_secrets
    monkeypatch.setattr(redact, "mask_secrets", lambda text: seen.append(len(text)) or real(text))
    line = f'{{"token": "{GHP}", ' + '"name": "x", ' * 7000 + "}"
    shown = excerpt(line)
    assert GHP not in shown and len(shown) == MAX_EXCERPT
    assert seen and max(seen) <= len(line) // 20


def test_a_secret_cut_by_the_display_length_is_masked_whole() -> None:
    line = "x" * (MAX_EXCERPT - 20) + f" {GHP} and more"
    assert "ghp_A1b2C3" not in excerpt(line)


def test_redaction_keeps_each_plugins_deployment() -> None:
    facts = (Fact("version", "2.7.0", "Dockerfile:6 runtime image krakend:2.7.0"),)
    plugin = PluginSummary("examples/a", "example.com/a", ("http-server",), ("examples/a/Dockerfile",), facts)
    assert redact_report(Report((), (plugin,))).plugins == (plugin,)
