from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest

from linter.formats.base import RenderContext
from linter.formats.sarif import TEXT_CAP, render
from linter.model import Location, Report
from tests.reporters.conftest import KP201, RULES, SCHEMA_DIR


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads((SCHEMA_DIR / "sarif-2.1.0-rtm.5.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


@pytest.fixture
def sarif(report: Report, ctx: RenderContext) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render(report, ctx))
    return data


def _results(sarif: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Results keyed by rule ID and suppression, e.g. "KP903" and "KP903/external"."""
    keyed = {}
    for result in sarif["runs"][0]["results"]:
        kinds = [s["kind"] for s in result.get("suppressions", [])]
        keyed["/".join([result["ruleId"], *kinds])] = result
    return keyed


def test_golden(report: Report, ctx: RenderContext, golden: Callable[[str, str], None]) -> None:
    golden("report.sarif", render(report, ctx))


def test_validates_against_the_sarif_schema(
    sarif: dict[str, Any], ctx: RenderContext, validator: jsonschema.Draft4Validator
) -> None:
    validator.validate(sarif)
    validator.validate(json.loads(render(Report(()), ctx)))


def test_the_schema_check_is_live(sarif: dict[str, Any], validator: jsonschema.Draft4Validator) -> None:
    sarif["runs"][0]["results"][0]["level"] = "notice"  # SARIF says "note"
    assert not validator.is_valid(sarif)


def test_github_required_fields(sarif: dict[str, Any]) -> None:
    assert sarif["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert sarif["version"] == "2.1.0"
    (run,) = sarif["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "krakend-plugin-lint" and driver["version"] == "0.1.0"
    assert driver["informationUri"].startswith("https://")
    for rule in driver["rules"]:
        assert rule["id"] and rule["shortDescription"]["text"] and rule["help"]["text"]
        assert len(rule["shortDescription"]["text"]) <= TEXT_CAP
        assert len(rule["fullDescription"]["text"]) <= TEXT_CAP
        assert len(rule["name"]) <= 255
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}
    for result in run["results"]:
        assert result["message"]["text"]
        assert len(result["locations"]) == 1
        assert result["partialFingerprints"]["primaryLocationLineHash"]
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_rules_come_from_the_registry_sorted_plus_unknown_rules(sarif: dict[str, Any]) -> None:
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert ids == sorted({doc.meta.id for doc in RULES} | {"KP903"})
    by_id = {rule["id"]: rule for rule in rules}
    assert by_id["KP201"]["helpUri"].endswith("#kp201-builder-go-version")
    assert by_id["KP201"]["help"]["markdown"].startswith("Builder image Go version")
    assert "## How to fix" in by_id["KP201"]["help"]["markdown"]
    assert by_id["KP501"]["defaultConfiguration"] == {"level": "note"}
    assert len(by_id["KP601"]["fullDescription"]["text"]) == TEXT_CAP  # a long first paragraph is cut
    assert by_id["KP903"]["shortDescription"]["text"] == "reference-unavailable"


def test_uris_are_relative_and_percent_encoded(sarif: dict[str, Any]) -> None:
    run = sarif["runs"][0]
    assert "%SRCROOT%" in run["originalUriBaseIds"]
    location = _results(sarif)["KP101"]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "plugins/rate%20limiter/go.mod", "uriBaseId": "%SRCROOT%"}
    for result in run["results"]:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        parts = urlsplit(uri)
        assert not parts.scheme and not parts.netloc and not uri.startswith("/")
        assert " " not in uri and uri.isascii()
    assert unquote(location["uri"]) == "plugins/rate limiter/go.mod"


def test_regions_end_one_past_the_last_character(sarif: dict[str, Any]) -> None:
    results = _results(sarif)
    region = results["KP201"]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": 6, "endLine": 1, "endColumn": 30}
    whole_line = results["KP601"]["locations"][0]["physicalLocation"]["region"]
    assert whole_line == {"startLine": 4, "endLine": 4}
    assert "region" not in results["KP501"]["locations"][0]["physicalLocation"]


def test_related_locations_and_message(sarif: dict[str, Any]) -> None:
    result = _results(sarif)["KP201"]
    related = result["relatedLocations"]
    assert [r["id"] for r in related] == [1, 2]
    assert related[0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 8}
    assert result["message"]["text"] == (
        "builder image has Go 1.22.4 but KrakenD 2.7.0 is built with Go 1.22.7\n"
        "hint: build with the KrakenD builder image of the same version"
    )


def test_fixes_replace_whole_lines(sarif: dict[str, Any]) -> None:
    (fix,) = _results(sarif)["KP601"]["fixes"]
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "plugins/auth/Dockerfile"
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 4, "endLine": 5},
            "insertedContent": {"text": "RUN go build -buildmode=plugin -o /out/auth.so ."},
        }
    ]
    assert "fixes" not in _results(sarif)["KP501"]


def test_suppressed_findings_carry_their_kind(sarif: dict[str, Any]) -> None:
    results = _results(sarif)
    assert results["KP402/inSource"]["suppressions"] == [{"kind": "inSource", "status": "accepted"}]
    assert results["KP903/external"]["suppressions"] == [{"kind": "external", "status": "accepted"}]
    assert "suppressions" not in results["KP201"]


def test_equal_fingerprints_get_distinct_occurrences(ctx: RenderContext) -> None:
    twice = (KP201.finding(Location("Dockerfile", 1), "same"), KP201.finding(Location("Dockerfile", 9), "same"))
    results = json.loads(render(Report(twice), ctx))["runs"][0]["results"]
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]
    assert hashes == [f"{twice[0].fingerprint}:1", f"{twice[0].fingerprint}:2"]


def test_empty_report_still_lists_every_rule(ctx: RenderContext) -> None:
    run = json.loads(render(Report(()), ctx))["runs"][0]
    assert run["results"] == []
    assert len(run["tool"]["driver"]["rules"]) == len(RULES)
