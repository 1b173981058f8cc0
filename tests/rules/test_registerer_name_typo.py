from __future__ import annotations

from pathlib import Path

import pytest

from linter.krakend.contracts.names import levenshtein
from linter.model import Finding
from linter.rules import registerer_name_typo
from tests.helpers import lint_files, positions

GOMOD = "module example.com/plug\n\ngo 1.22\n"
HEAD = """package main

type registerer string

type factory = func(map[string]interface{}) func(interface{}) (interface{}, error)

func (r registerer) RegisterModifiers(f func(string, factory, bool, bool)) {
    f(string(r), nil, true, false)
}
"""  # 9 lines; the declaration under test is on line 10


def lint(tmp_path: Path, declaration: str) -> list[Finding]:
    return lint_files(tmp_path, {"go.mod": GOMOD, "plugin.go": HEAD + declaration})


def test_misspelt_symbol_is_reported_with_a_rename(tmp_path: Path) -> None:
    findings = lint(tmp_path, 'var ModifierRegister = registerer("m")\n')
    assert positions(findings, "KP406") == [("KP406", "plugin.go", 10, 5)]
    finding = next(f for f in findings if f.rule == "KP406")
    assert "plugin: symbol ModifierRegisterer not found in plugin example.com/plug" in finding.message
    assert finding.fix is not None and finding.fix.replacement == 'var ModifierRegisterer = registerer("m")'


def test_case_variant_is_reported(tmp_path: Path) -> None:
    findings = lint(tmp_path, 'var modifierRegisterer = registerer("m")\n')
    assert positions(findings, "KP406") == [("KP406", "plugin.go", 10, 5)]


def test_generic_old_name_is_matched_by_its_method(tmp_path: Path) -> None:
    findings = lint(tmp_path, 'var Registerer = registerer("m")\n')
    assert positions(findings, "KP406") == [("KP406", "plugin.go", 10, 5)]
    assert "misspelt ModifierRegisterer" in next(f for f in findings if f.rule == "KP406").message


def test_exact_name_and_unrelated_names_pass(tmp_path: Path) -> None:
    findings = lint(tmp_path, 'var ModifierRegisterer = registerer("m")\nvar Plugin = 3\nvar Version = "1"\n')
    assert positions(findings, "KP406") == []


def test_only_names_that_could_be_a_typo_are_compared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A 4 MB file of `var` declarations spent a minute in the edit distance (issue 16): names of
    # another length, or with too many letters that no registerer symbol has, are never compared.
    compared: list[tuple[str, str]] = []

    def counting(a: str, b: str) -> int:
        compared.append((a, b))
        return levenshtein(a, b)

    monkeypatch.setattr(registerer_name_typo, "levenshtein", counting)
    names = [f"value{i:011d}" for i in range(200)] + [f"v{i}" for i in range(200)] + ["x" * 5000]
    typos = ["ModifierRegister", "HandlerRegistrer", "ClientRegisterers", "MiddlewareRegistere"]
    declarations = "".join(f"var {name} = {i}\n" for i, name in enumerate(names + typos))
    findings = lint(tmp_path, declarations)
    first = 10 + len(names)
    assert positions(findings, "KP406") == [("KP406", "plugin.go", first + i, 5) for i in range(len(typos))]
    assert {a for a, _ in compared} <= {t.lower() for t in typos}
