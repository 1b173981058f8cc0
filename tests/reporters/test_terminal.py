from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

import pytest

from linter.formats import FORMATS
from linter.formats.base import RenderContext
from linter.formats.terminal import EXCERPT_CAP, render
from linter.model import Fact, Finding, Location, PluginSummary, Report, Severity
from tests.hostile_log import executed_commands
from tests.reporters.conftest import KP201, KP601, RULES

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _ctx(lines: dict[tuple[str, int], str] | None = None) -> RenderContext:
    table = lines or {}
    return RenderContext(rules=RULES, source_lines=lambda path, line: table.get((path, line), ""))


def test_golden_without_colour(report: Report, ctx: RenderContext, golden: Callable[[str, str], None]) -> None:
    golden("terminal.txt", render(report, ctx))


def test_golden_with_colour(report: Report, ctx: RenderContext, golden: Callable[[str, str], None]) -> None:
    golden("terminal-color.txt", render(report, dataclasses.replace(ctx, color=True)))


def test_without_colour_has_no_escape_sequences(report: Report, ctx: RenderContext) -> None:
    assert "\x1b" not in render(report, ctx)


def test_colour_marks_each_severity(report: Report, ctx: RenderContext) -> None:
    out = render(report, dataclasses.replace(ctx, color=True))
    assert "\x1b[31merror KP201\x1b[0m" in out  # error: red
    assert "\x1b[33mwarning KP601\x1b[0m" in out  # warning: yellow
    assert "\x1b[36mnotice KP501\x1b[0m" in out  # notice: cyan
    assert "\x1b[2m    hint: drop -trimpath\x1b[0m" in out  # hints dim
    assert ANSI.sub("", out) == render(report, ctx)


def test_findings_are_grouped_per_plugin_then_repository(report: Report, ctx: RenderContext) -> None:
    lines = render(report, ctx).splitlines()
    headers = [line for line in lines if line and not line.startswith(" ") and " KP" not in line]
    assert headers[:3] == [
        "plugin plugins/auth (github.com/acme/auth)",
        "plugin plugins/rate limiter (github.com/acme/rate-limiter)",
        "repository",
    ]
    assert lines.index("repository") < lines.index(
        "config/krakend.json: notice KP501 config-plugin-folder the gateway config has no plugin.folder, "
        "so KrakenD loads no plugins"
    )


def test_suppressed_findings_are_counted_not_listed(report: Report, ctx: RenderContext) -> None:
    out = render(report, ctx)
    assert "KP402" not in out
    assert "go.work" not in out
    assert out.splitlines()[-1] == (
        "3 errors, 1 warning, 2 notices (2 suppressed) in 2 plugins (KrakenD 2.7.0 from plugins/auth/Dockerfile:6)"
    )


def test_summary_counts_wording() -> None:
    findings = (
        KP201.finding(Location("a/Dockerfile", 1), "m1"),
        KP201.finding(Location("a/Dockerfile", 2), "m2"),
        KP201.finding(Location("a/Dockerfile", 3), "m3"),
        KP601.finding(Location("a/Dockerfile", 4), "m4"),
        dataclasses.replace(KP601.finding(Location("a/Dockerfile", 5), "m5"), suppressed_by="inline"),
        dataclasses.replace(KP601.finding(Location("a/Dockerfile", 6), "m6"), suppressed_by="config"),
    )
    plugins = (PluginSummary("a", "m/a", ()), PluginSummary("b", "m/b", ()))
    out = render(Report(findings, plugins), _ctx())
    assert out.splitlines()[-1] == "3 errors, 1 warning, 0 notices (2 suppressed) in 2 plugins"


def test_clean_report_names_the_target() -> None:
    report = Report((), (PluginSummary(".", "m", ("http-server",)),), (Fact("version", "2.7.0", "Dockerfile:9"),))
    assert render(report, _ctx()) == "no problems found in 1 plugin (KrakenD 2.7.0 from Dockerfile:9)\n"


def test_fail_on_adds_how_many_findings_reach_it(report: Report, ctx: RenderContext) -> None:
    last = render(report, dataclasses.replace(ctx, fail_on=Severity.WARNING)).splitlines()[-1]
    assert last.endswith("; 4 at or above fail-on warning")
    last = render(report, dataclasses.replace(ctx, fail_on=Severity.ERROR)).splitlines()[-1]
    assert "fail-on" not in last  # the error count already says it
    last = render(Report(()), dataclasses.replace(ctx, fail_on=Severity.NOTICE)).splitlines()[-1]
    assert last == "no problems found in 0 plugins"


def test_caret_spans_the_location_under_tabs_and_unicode(report: Report, ctx: RenderContext) -> None:
    lines = render(report, ctx).splitlines()
    at = lines.index("    4 | \tgithub.com/ünïcode/lib v1.2.3 // 日本語")
    caret_line = lines[at + 1]
    assert caret_line == "      | \t" + " " * 23 + "^" * 6
    source = lines[at][len("    4 | ") :]
    start = caret_line.index("^") - len("      | ")
    assert source[start : start + 6] == "v1.2.3"


def test_whole_line_location_shows_the_line_without_caret(report: Report, ctx: RenderContext) -> None:
    lines = render(report, ctx).splitlines()
    at = lines.index("    4 | RUN go build -buildmode=plugin \\")
    assert "^" not in lines[at + 1]


def test_long_lines_are_cut_around_the_column() -> None:
    text = "x" * 500 + "TARGET" + "y" * 500
    finding = KP201.finding(Location("f", 3, 501, 3, 506), "m")
    out = render(Report((finding,)), _ctx({("f", 3): text})).splitlines()
    excerpt, caret = out[2], out[3]
    shown = excerpt[len("    3 | ") :]
    assert len(shown) <= EXCERPT_CAP + 2  # two ellipses
    assert shown.startswith("…") and shown.endswith("…")
    start = caret.index("^") - len("      | ")
    assert shown[start : start + 6] == "TARGET"
    assert caret.count("^") == 6


def test_short_column_in_long_line_keeps_the_start() -> None:
    text = "FROM " + "z" * 400
    out = render(Report((KP201.finding(Location("f", 1, 1, 1, 4), "m"),)), _ctx({("f", 1): text})).splitlines()
    assert out[2] == "    1 | " + text[:EXCERPT_CAP] + "…"
    assert out[3] == "      | ^^^^"


def test_unknown_source_line_shows_no_excerpt() -> None:
    out = render(Report((KP201.finding(Location("f", 7, 2, 7, 3), "m", hint="h"),)), _ctx()).splitlines()
    assert out[:3] == ["repository", "f:7:2: error KP201 builder-go-version m", "    hint: h"]
    assert out[3] == ""


def test_control_characters_from_files_never_reach_the_terminal() -> None:
    finding = KP201.finding(Location("evil\x1b[2J", 1, 1), "found \x1b]0;title\x07", hint="a\x1b[31m")
    out = render(Report((finding,)), _ctx({("evil\x1b[2J", 1): "RUN \x1b[8m hidden"}))
    assert "\x1b" not in out and "\x07" not in out


@pytest.mark.parametrize("color", [False, True])
def test_no_line_of_the_report_is_a_workflow_command(color: bool) -> None:
    """A CI log executes lines starting with "::" and any "##[": paths, plugin roots, messages,
    hint continuation lines and excerpts from the repository must not produce one."""
    finding = KP201.finding(
        Location("::error file=x::PWNED.go", 1, 1), "name \"evil\n::error::PWNED\" and 100% ##[group]x",
        hint="rename it\n::add-mask::PWNED\n  ##[error]PWNED\n\u2028::notice::PWNED\r::warning::PWNED",
        plugin="::stop-commands::PWNED")
    lines = {("::error file=x::PWNED.go", 1): "::set-output name=a::PWNED ##[endgroup]"}
    out = render(Report((finding,), (PluginSummary("::stop-commands::PWNED", "m", ()),)),
                 dataclasses.replace(_ctx(lines), color=color))
    assert executed_commands(out) == []
    assert out.replace("\u200b", "").count("PWNED") == 8  # shown, as text


def test_plugin_roots_missing_from_the_plugin_list_still_get_a_group() -> None:
    findings = (
        KP201.finding(Location("z/Dockerfile", 1), "m", plugin="z"),
        KP201.finding(Location("b/Dockerfile", 1), "m", plugin="b"),
        KP201.finding(Location("a/Dockerfile", 1), "m", plugin="a"),
    )
    out = render(Report(findings, (PluginSummary("z", "", ()),)), _ctx()).splitlines()
    assert [line for line in out if line.startswith("plugin ")] == ["plugin z", "plugin a", "plugin b"]


def test_registry_names_are_the_contract() -> None:
    assert {"terminal", "json", "sarif", "rdjson"} <= set(FORMATS)
    assert FORMATS["terminal"] is render


def test_a_column_far_past_the_shown_excerpt_gets_no_caret_padding() -> None:
    finding = Finding("KP508", "name-not-registered", Severity.ERROR, Location("krakend.json", 1, 80_000), "m")
    ctx = RenderContext(color=False, fail_on=Severity.ERROR, source_lines=lambda path, line: "x" * 300)
    out = render(Report((finding,)), ctx)
    assert max(len(line) for line in out.splitlines()) < 400


def test_the_severity_is_a_word_without_colour_and_related_places_are_listed() -> None:
    finding = KP201.finding(Location("f", 7, 2), "m", related=(Location("g", 3), Location("h.so")))
    out = render(Report((finding,)), _ctx()).splitlines()
    assert out[1:3] == ["f:7:2: error KP201 builder-go-version m", "    see also: g:3, h.so"]
