from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest

from linter.formats.base import RenderContext
from linter.formats.rdjson import render
from linter.model import Location, Report
from tests.reporters.conftest import KP201, SCHEMA_DIR

# Fields of reviewdog's rdf proto (reviewdog.proto); reviewdog's decoder rejects any other key.
PROTO_FIELDS = {
    "DiagnosticResult": {"diagnostics", "source", "severity"},
    "Diagnostic": {"message", "location", "severity", "source", "code", "suggestions", "original_output"},
    "Location": {"path", "range"},
    "Range": {"start", "end"},
    "Position": {"line", "column"},
    "Suggestion": {"range", "text"},
    "Source": {"name", "url"},
    "Code": {"value", "url"},
}
PROTO_SEVERITIES = {"UNKNOWN_SEVERITY", "ERROR", "WARNING", "INFO"}


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads((SCHEMA_DIR / "rdformat.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


@pytest.fixture
def rdjson(report: Report, ctx: RenderContext) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render(report, ctx))
    return data


def _diagnostics(rdjson: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["code"]["value"]: d for d in rdjson["diagnostics"]}


def test_golden(report: Report, ctx: RenderContext, golden: Callable[[str, str], None]) -> None:
    golden("report.rdjson", render(report, ctx))


def test_validates_against_the_rdformat_schema(
    rdjson: dict[str, Any], ctx: RenderContext, validator: jsonschema.Draft7Validator
) -> None:
    validator.validate(rdjson)
    validator.validate(json.loads(render(Report(()), ctx)))


def test_the_schema_check_is_live(rdjson: dict[str, Any], validator: jsonschema.Draft7Validator) -> None:
    rdjson["diagnostics"][0]["severity"] = "NOTICE"
    assert not validator.is_valid(rdjson)


def test_only_proto_fields_are_used(rdjson: dict[str, Any]) -> None:
    def check_keys(obj: dict[str, Any], message: str) -> None:
        assert set(obj) <= PROTO_FIELDS[message], (message, set(obj) - PROTO_FIELDS[message])

    def check_range(rng: dict[str, Any]) -> None:
        check_keys(rng, "Range")
        for position in rng.values():
            check_keys(position, "Position")
            assert all(isinstance(v, int) and v >= 1 for v in position.values())

    check_keys(rdjson, "DiagnosticResult")
    check_keys(rdjson["source"], "Source")
    assert rdjson["severity"] in PROTO_SEVERITIES
    for diagnostic in rdjson["diagnostics"]:
        check_keys(diagnostic, "Diagnostic")
        assert diagnostic["severity"] in PROTO_SEVERITIES
        check_keys(diagnostic["code"], "Code")
        check_keys(diagnostic["location"], "Location")
        if "range" in diagnostic["location"]:
            check_range(diagnostic["location"]["range"])
        for suggestion in diagnostic.get("suggestions", []):
            check_keys(suggestion, "Suggestion")
            check_range(suggestion["range"])


def test_suppressed_findings_are_left_out(rdjson: dict[str, Any]) -> None:
    codes = [d["code"]["value"] for d in rdjson["diagnostics"]]
    assert codes == ["KP201", "KP101", "KP601", "KP502", "KP501", "KP903"]
    assert rdjson["severity"] == "ERROR"
    assert rdjson["source"]["name"] == "krakend-plugin-lint"


def test_columns_are_utf8_bytes_and_end_is_exclusive(rdjson: dict[str, Any]) -> None:
    # "\tgithub.com/ünïcode/lib v1.2.3": v1.2.3 is characters 25..30, bytes 27..32 (ü and ï are 2 bytes).
    rng = _diagnostics(rdjson)["KP101"]["location"]["range"]
    assert rng == {"start": {"line": 4, "column": 27}, "end": {"line": 4, "column": 33}}
    rng = _diagnostics(rdjson)["KP201"]["location"]["range"]
    assert rng == {"start": {"line": 1, "column": 6}, "end": {"line": 1, "column": 30}}
    location = _diagnostics(rdjson)["KP101"]["location"]
    assert location["path"] == "plugins/rate limiter/go.mod"


def test_whole_line_and_whole_file_locations(rdjson: dict[str, Any]) -> None:
    diagnostics = _diagnostics(rdjson)
    assert diagnostics["KP601"]["location"]["range"] == {"start": {"line": 4}, "end": {"line": 4}}
    assert diagnostics["KP501"]["location"] == {"path": "config/krakend.json"}


def test_fixes_become_linewise_suggestions(rdjson: dict[str, Any]) -> None:
    diagnostics = _diagnostics(rdjson)
    assert diagnostics["KP601"]["suggestions"] == [
        {
            "range": {"start": {"line": 4}, "end": {"line": 5}},
            "text": "RUN go build -buildmode=plugin -o /out/auth.so .",
        }
    ]
    assert "suggestions" not in diagnostics["KP502"]


def test_message_code_and_original_output(rdjson: dict[str, Any]) -> None:
    diagnostic = _diagnostics(rdjson)["KP201"]
    assert diagnostic["message"].endswith("\nhint: build with the KrakenD builder image of the same version")
    assert diagnostic["code"]["url"].endswith("#kp201-builder-go-version")
    assert diagnostic["original_output"].startswith("plugins/auth/Dockerfile:1:6: KP201 builder-go-version ")
    assert diagnostic["severity"] == "ERROR"
    assert _diagnostics(rdjson)["KP501"]["severity"] == "INFO"


def test_unknown_source_text_counts_one_byte_per_character(ctx: RenderContext) -> None:
    finding = KP201.finding(Location("nowhere/Dockerfile", 3, 4, 5, 0), "m")
    (diagnostic,) = json.loads(render(Report((finding,)), ctx))["diagnostics"]
    # No end column: the range runs to the start of the line after end_line.
    assert diagnostic["location"]["range"] == {"start": {"line": 3, "column": 4}, "end": {"line": 6, "column": 1}}


def test_empty_report(ctx: RenderContext) -> None:
    data = json.loads(render(Report(()), ctx))
    assert data["diagnostics"] == [] and data["severity"] == "INFO"
