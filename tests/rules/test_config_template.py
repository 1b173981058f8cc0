from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions

TEMPLATE = """\
{
  "version": 3,
  "endpoints": [
    {{ include "endpoints.tmpl" }}
  ]
}
"""


def test_template_is_reported_where_its_first_action_is(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {"krakend.json": TEMPLATE})
    assert [p[:3] for p in positions(findings, "KP906")] == [("KP906", "krakend.json", 4)]
    assert positions(findings, "KP901") == []


def test_plain_json_is_not_a_template(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {"krakend.json": '{"version": 3}\n'})
    assert positions(findings, "KP906") == []
