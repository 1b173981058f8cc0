from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import linter.formats
from linter.formats import FORMATS
from linter.formats.base import RenderContext
from linter.formats.json_report import SCHEMA_VERSION, render
from linter.model import Fix, Location, Report
from tests.reporters.conftest import KP201

SCHEMA_PATH = Path(linter.formats.__file__).parent / "schema" / "report.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _load(report: Report, ctx: RenderContext) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render(report, ctx))
    return data


def test_golden(report: Report, ctx: RenderContext, golden: Callable[[str, str], None]) -> None:
    golden("report.json", render(report, ctx))


def test_output_matches_the_documented_schema(
    report: Report, ctx: RenderContext, validator: jsonschema.Draft202012Validator
) -> None:
    validator.validate(_load(report, ctx))
    validator.validate(_load(Report(()), ctx))


def test_schema_rejects_what_it_does_not_document(
    report: Report, ctx: RenderContext, validator: jsonschema.Draft202012Validator
) -> None:
    data = _load(report, ctx)
    data["findings"][0]["severity"] = "info"
    assert not validator.is_valid(data)
    data = _load(report, ctx)
    data["findings"][0]["extra"] = 1
    assert not validator.is_valid(data)


def test_top_level_and_finding_keys_come_in_a_fixed_order(report: Report, ctx: RenderContext) -> None:
    data = _load(report, ctx)
    assert list(data) == ["schema_version", "tool_version", "krakend", "plugins", "findings", "summary"]
    assert list(data["findings"][0]) == [
        "rule", "name", "severity", "path", "line", "column", "end_line", "end_column",
        "message", "hint", "fix", "plugin", "fingerprint", "related", "suppressed",
    ]  # fmt: skip
    assert render(report, ctx) == render(report, ctx)


def test_content(report: Report, ctx: RenderContext) -> None:
    data = _load(report, ctx)
    assert data["schema_version"] == SCHEMA_VERSION == 1
    assert data["krakend"]["version"] == "2.7.0"
    assert data["summary"] == {"errors": 3, "warnings": 1, "notices": 2, "suppressed": 2, "plugins": 2}
    by_rule = {(f["rule"], f["suppressed"]): f for f in data["findings"]}
    assert by_rule[("KP601", None)]["fix"] == {
        "line": 4,
        "end_line": 5,
        "replacement": "RUN go build -buildmode=plugin -o /out/auth.so .",
    }
    assert by_rule[("KP402", "inline")]["severity"] == "error"
    assert by_rule[("KP903", "config")]["line"] == 0
    assert by_rule[("KP201", None)]["related"][0] == {
        "path": "plugins/auth/go.mod",
        "line": 3,
        "column": 1,
        "end_line": 3,
        "end_column": 7,
    }
    assert by_rule[("KP501", None)]["fix"] is None


def test_unicode_is_written_as_is(report: Report, ctx: RenderContext) -> None:
    out = render(report, ctx)
    assert "ünïcode" in out and "日本語" in out


def test_one_line_fix_end_line_equals_line(ctx: RenderContext) -> None:
    finding = KP201.finding(Location("Dockerfile", 2), "m", fix=Fix(2, "FROM x"))
    assert _load(Report((finding,)), ctx)["findings"][0]["fix"] == {"line": 2, "end_line": 2, "replacement": "FROM x"}


def test_a_fix_without_a_line_is_dropped_in_every_machine_format(ctx: RenderContext) -> None:
    report = Report((KP201.finding(Location("Dockerfile"), "m", fix=Fix(0, "FROM x")),))
    assert _load(report, ctx)["findings"][0]["fix"] is None
    assert "fixes" not in json.loads(FORMATS["sarif"](report, ctx))["runs"][0]["results"][0]
    assert "suggestions" not in json.loads(FORMATS["rdjson"](report, ctx))["diagnostics"][0]
