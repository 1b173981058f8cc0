"""Inline directives and config-file ignores: suppressed findings are kept and counted."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions

MAIN = "package main\n\nfunc main() {}\n"
FRAMEWORK_GOMOD = """\
module example.com/p

go 1.22

require github.com/luraproject/lura/v2 v2.7.0{comment}
"""


def _kp104(findings: list) -> list:
    return [f for f in findings if f.rule == "KP104"]


def test_gomod_directive_on_the_line_suppresses(tmp_path: Path) -> None:
    gomod = FRAMEWORK_GOMOD.format(comment=" // krakend-lint: ignore[KP104] we pin lura on purpose")
    found = _kp104(lint_files(tmp_path, {"go.mod": gomod, "main.go": MAIN}))
    assert [f.suppressed_by for f in found] == ["inline"]


def test_gomod_directive_on_the_line_above_suppresses(tmp_path: Path) -> None:
    gomod = FRAMEWORK_GOMOD.format(comment="").replace(
        "require github", "// krakend-lint: ignore[KP104] reason\nrequire github")
    found = _kp104(lint_files(tmp_path, {"go.mod": gomod, "main.go": MAIN}))
    assert [f.suppressed_by for f in found] == ["inline"]


def test_directive_for_another_rule_does_not_suppress(tmp_path: Path) -> None:
    gomod = FRAMEWORK_GOMOD.format(comment=" // krakend-lint: ignore[KP101] other rule")
    found = _kp104(lint_files(tmp_path, {"go.mod": gomod, "main.go": MAIN}))
    assert [f.suppressed_by for f in found] == [""]


def test_directive_text_inside_a_string_is_not_a_comment(tmp_path: Path) -> None:
    source = 'package main\n\nvar note = "// krakend-lint: ignore[KP402] not a comment"\n\nfunc main() {}\n'
    findings = lint_files(tmp_path, {"go.mod": "module example.com/p\n\ngo 1.22\n", "main.go": source})
    assert [p[0] for p in positions(findings, "KP402")] == ["KP402"]


def test_dockerfile_comment_covers_the_next_instruction(tmp_path: Path) -> None:
    dockerfile = (
        "FROM krakend/builder:2.7.0 AS builder\n"
        "# krakend-lint: ignore[KP604] we ship a trimmed KrakenD too\n"
        "RUN go build \\\n    -trimpath -buildmode=plugin -o p.so .\n"
        "FROM krakend:2.7.0\n"
        "COPY --from=builder /go/p.so /opt/krakend/plugins/\n"
    )
    findings = lint_files(tmp_path, {"Dockerfile": dockerfile})
    kp604 = [f for f in findings if f.rule == "KP604"]
    assert kp604 and all(f.suppressed_by == "inline" for f in kp604)


def test_config_ignore_by_path_and_line(tmp_path: Path) -> None:
    from linter.settings import RuleSettings
    from linter.suppression import ConfigIgnore

    gomod = FRAMEWORK_GOMOD.format(comment="")
    rules = {"KP104": RuleSettings(ignore=(ConfigIgnore.parse("go.mod:5"),))}
    found = _kp104(lint_files(tmp_path, {"go.mod": gomod, "main.go": MAIN}, rules=rules))
    assert [f.suppressed_by for f in found] == ["config"]
    rules = {"KP104": RuleSettings(ignore=(ConfigIgnore.parse("go.mod:4"),))}
    found = _kp104(lint_files(tmp_path, {}, rules=rules))
    assert [f.suppressed_by for f in found] == [""]
