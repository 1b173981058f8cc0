"""One finding per root cause: the Go mismatch on a built plugin, and a misspelt registerer."""

from __future__ import annotations

from pathlib import Path

from linter.model import Location, RuleMeta, Severity
from linter.rootcause import merge_root_causes
from tests.helpers import lint_files, positions


def _meta(rule: str, severity: Severity = Severity.ERROR) -> RuleMeta:
    return RuleMeta(rule, rule.lower(), "", severity)


def test_go_mismatch_seen_by_three_rules_is_one_error() -> None:
    so = Location("out/p.so")
    found = [_meta("KP205").finding(so, "a"), _meta("KP802").finding(so, "b"), _meta("KP801").finding(so, "c"),
             _meta("KP801").finding(Location("go.mod", 7, 2), "module")]
    merged = merge_root_causes(found)
    assert [(f.rule, f.location.path, f.location.line) for f in merged] == [("KP802", "out/p.so", 0),
                                                                         ("KP801", "go.mod", 7)]


def test_module_hash_findings_alone_stay() -> None:
    so = Location("out/p.so")
    found = [_meta("KP801").finding(so, "c")]
    assert merge_root_causes(found) == found


def test_misspelt_registerer_is_one_error_with_related_locations() -> None:
    typo = _meta("KP406", Severity.WARNING).finding(Location("plugin.go", 12, 5), "typo", plugin=".")
    empty = _meta("KP402").finding(Location("plugin.go", 2, 9), "none", plugin=".")
    config = _meta("KP508").finding(Location("krakend.json", 11, 9), "unregistered")
    merged = merge_root_causes([typo, empty, config])
    assert [(f.rule, f.location.line, f.severity) for f in merged] == [("KP406", 12, Severity.ERROR)]
    assert merged[0].related == (Location("plugin.go", 2, 9), Location("krakend.json", 11, 9))


def test_another_plugins_missing_registerer_is_not_folded() -> None:
    typo = _meta("KP406").finding(Location("a/plugin.go", 12, 5), "typo", plugin="a")
    empty = _meta("KP402").finding(Location("b/plugin.go", 2, 9), "none", plugin="b")
    config = _meta("KP508").finding(Location("krakend.json", 11, 9), "unregistered")
    assert [f.rule for f in merge_root_causes([typo, empty, config])] == ["KP406", "KP402", "KP508"]


def test_the_engine_reports_a_misspelt_registerer_once(tmp_path: Path) -> None:
    source = ('// Package main is a plugin.\npackage main\n\nimport (\n\t"context"\n\t"net/http"\n)\n\n'
              'type registerer string\n\nvar HandlerRegister = registerer("greeter")\n\n'
              'func (r registerer) RegisterHandlers(f func(string, func(context.Context, map[string]interface{}, '
              'http.Handler) (http.Handler, error))) {\n\tf(string(r), nil)\n}\n')
    config = ('{"version": 3, "plugin": {"pattern": ".so", "folder": "/opt/krakend/plugins/"},\n'
              ' "extra_config": {"plugin/http-server": {"name": ["greeter"]}}}\n')
    findings = lint_files(tmp_path, {"go.mod": "module example.com/p\n\ngo 1.22\n", "plugin.go": source,
                                     "krakend.json": config}, krakend_version="2.7.0")
    assert positions(findings, "KP4") + positions(findings, "KP5") == [("KP406", "plugin.go", 11, 5)]
    typo = next(f for f in findings if f.rule == "KP406")
    assert typo.severity == Severity.ERROR
    assert [(loc.path, loc.line, loc.column) for loc in typo.related] == [("plugin.go", 2, 9), ("krakend.json", 2, 51)]
    assert typo.fix is not None and typo.fix.replacement.startswith("var HandlerRegisterer =")
