from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions

PLUGIN = "package main\n\nfunc main() {}\n"


def test_malformed_gomod_line_is_reported_with_its_line(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {
        "go.mod": "module example.com/p\n\ngo 1.22\n\nrequire github.com/some/module\n",
        "main.go": PLUGIN,
    })
    assert [p[:3] for p in positions(findings, "KP901")] == [("KP901", "go.mod", 5)]


def test_gateway_config_that_is_not_json_is_reported(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {"krakend.json": '{"version": 3,\n  "endpoints": [\n}\n'})
    assert [p[:2] for p in positions(findings, "KP901")] == [("KP901", "krakend.json")]


def test_other_files_are_still_linted_after_a_parse_failure(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {
        "krakend.json": "{ not json",
        "go.mod": "module example.com/p\n\ngo 1.22\n",
        "main.go": "package notmain\n\nvar HandlerRegisterer = 1\n",
    })
    rules = {f.rule for f in findings}
    assert "KP901" in rules and any(rule.startswith("KP4") for rule in rules)


def test_valid_inputs_give_no_parse_findings(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {
        "go.mod": "module example.com/p\n\ngo 1.22\n",
        "main.go": PLUGIN,
        "krakend.json": '{"version": 3}\n',
    })
    assert positions(findings, "KP901") == []


def test_a_parser_bug_loses_only_that_file(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import linter.inputs.dockerfile

    def broken(data: bytes, path: str) -> object:
        raise IndexError("parser bug")

    monkeypatch.setattr(linter.inputs.dockerfile, "parse_dockerfile", broken)
    findings = lint_files(tmp_path, {
        "Dockerfile": "FROM scratch\n",
        "go.mod": "module example.com/p\n\ngo 1.22\n",
        "main.go": "package notmain\n\nvar HandlerRegisterer = 1\n",
    })
    assert [p[:3] for p in positions(findings, "KP901")] == [("KP901", "Dockerfile", 0)]
    assert positions(findings, "KP401")
