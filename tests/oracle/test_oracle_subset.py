"""The oracle's CI subset: real Go builds loaded by the KrakenD-like host.

Each scenario marked ``ci`` is built with Go 1.22.10 (one with 1.23.9 for the Go mismatch) and
loaded; its real verdict must equal the expectation recorded in the scenario data. This proves
both the harness and the expectations. Builds and verdicts are cached under .cache/oracle/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks.oracle.run import mismatches, run_scenarios
from benchmarks.oracle.scenarios import BUILD_FAILED, Scenario, all_scenarios

pytestmark = pytest.mark.go

CI = [s for s in all_scenarios() if s.ci]


@pytest.fixture(scope="module")
def records() -> dict[str, dict[str, Any]]:
    return run_scenarios(CI, jobs=2, log=lambda _msg: None)


@pytest.mark.parametrize("scn", CI, ids=lambda s: s.name)
def test_real_verdict_matches_expectation(records: dict[str, dict[str, Any]], scn: Scenario) -> None:
    record = records[scn.name]
    assert mismatches(scn, record) == [], record.get("detail") or record.get("host")


@pytest.mark.parametrize("scn", CI, ids=lambda s: s.name)
def test_repo_is_materialized(records: dict[str, dict[str, Any]], scn: Scenario) -> None:
    repo = Path(records[scn.name]["repo"])
    assert (repo / "krakend.json").is_file()
    assert (repo / "Dockerfile").read_text().startswith("# Builds")
    for plugin in scn.plugins:
        assert (repo / plugin.dir / "go.mod").is_file()
        built = (repo / plugin.dir / plugin.output).is_file()
        assert built == (records[scn.name]["failure"] != BUILD_FAILED)


def test_subset_covers_both_go_versions() -> None:
    assert {s.plugin_go for s in CI} == {"1.22.10", "1.23.9"}
    assert {s.host_go for s in CI} == {"1.22.10"}
