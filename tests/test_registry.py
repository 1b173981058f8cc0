"""The conventions as tests: every rule has its docs, its test module and its README row."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from linter.rules import Rule, all_rules

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
SECTIONS = ("## Why", "## Fails", "## Passes", "## How to fix")
BEGIN, END = "<!-- rule-index:begin -->", "<!-- rule-index:end -->"
FAMILIES = {"KP1": "same import versions", "KP2": "same Go version", "KP3": "same platform and libc",
            "KP4": "right interface", "KP5": "registered in the config", "KP6": "compiled the right way",
            "KP8": "exact load verdict", "KP9": "the linter's own problems"}


def rule_index() -> str:
    rows = ["| ID | name | default | what it checks |", "|---|---|---|---|"]
    for rule in all_rules():
        meta = rule.meta
        rows.append(f"| <a id=\"{meta.id.lower()}-{meta.name}\"></a>{meta.id} | `{meta.name}` | "
                    f"{meta.default_severity.label} | {meta.summary} |")
    return "\n".join(rows)


def test_rules_are_found() -> None:
    assert len(all_rules()) >= 3


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.meta.id)
def test_rule_metadata_follows_conventions(rule: Rule) -> None:
    meta = rule.meta
    assert re.fullmatch(r"KP[1-9]\d\d", meta.id), meta.id
    assert meta.id[:3] in FAMILIES
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", meta.name), meta.name
    assert rule.module == meta.name.replace("-", "_"), "module name must be the rule name in snake_case"
    assert meta.summary and not meta.summary.endswith(".")


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.meta.id)
def test_rule_docstring_has_every_section(rule: Rule) -> None:
    missing = [section for section in SECTIONS if section not in rule.doc]
    assert not missing, f"{rule.meta.id} docstring lacks {missing}"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.meta.id)
def test_rule_has_its_test_module(rule: Rule) -> None:
    assert (REPO / "tests" / "rules" / f"test_{rule.module}.py").is_file()


def test_rule_ids_and_names_are_unique() -> None:
    ids = [r.meta.id for r in all_rules()]
    names = [r.meta.name for r in all_rules()]
    assert len(ids) == len(set(ids))
    assert len(names) == len(set(names))


def test_readme_rule_index_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert BEGIN in text and END in text, "README lacks the rule index markers"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    fresh = f"{head}{BEGIN}\n{rule_index()}\n{END}{tail}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        README.write_text(fresh, encoding="utf-8")
    assert text == fresh, "README rule index is stale: run pytest --update-golden and review the diff"
