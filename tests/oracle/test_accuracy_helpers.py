"""Offline checks of how benchmarks.accuracy reads linter reports and counts agreement."""

from __future__ import annotations

from benchmarks import accuracy
from benchmarks.accuracy import Outcome


def test_blocking_means_unsuppressed_error_outside_kp9() -> None:
    assert accuracy.is_blocking({"rule": "KP101", "severity": "error"})
    assert not accuracy.is_blocking({"rule": "KP904", "severity": "error"})
    assert not accuracy.is_blocking({"rule": "KP604", "severity": "warning"})
    assert not accuracy.is_blocking({"rule": "KP101", "severity": "error", "suppressed": {"by": "config"}})
    assert accuracy.is_blocking({"rule_id": "KP201", "level": 3})


def test_probe_reports_a_missing_cli() -> None:
    ok, why = accuracy.probe_cli(["/nonexistent/krakend-plugin-lint"])
    assert not ok and why


def test_matrix_counts_and_baseline_noise() -> None:
    err = {"rule": "KP201", "severity": "error"}
    outcomes = [
        Outcome("server-ok", "source", real_fails=False, lint_fails=True, errors=[err]),
        Outcome("broken", "source", real_fails=True, lint_fails=True, errors=[err, {"rule": "KP101"}]),
        Outcome("odd", "source", real_fails=True, lint_fails=None, problem="no JSON"),
    ]
    text = accuracy.matrix(outcomes)
    assert "accuracy 50.0%" in text and "1 not run" in text
    noise = accuracy.baseline_noise(outcomes)
    assert noise == {"source": {"KP201"}}
    assert accuracy.without(outcomes[0], noise["source"]).lint_fails is False
    assert accuracy.without(outcomes[1], noise["source"]).lint_fails is True


def test_binary_modes_pass_no_release() -> None:
    record = {"repo": "/r/x", "host_gomod": "/h/go.mod", "host_gosum": "/h/go.sum", "host_go": "1.22.10",
              "host_binary": "/h/krakend-host", "so_files": ["plugin.so"]}
    binary = accuracy.argv_for("binary", record, "2.9.2", False, ["lint"])
    assert "--krakend-version" not in binary
    assert binary[binary.index("--krakend-binary") + 1] == "/h/krakend-host"
    assert binary[binary.index("--plugin-so") + 1] == "/r/x/plugin.so"
    source = accuracy.argv_for("source", record, "2.9.2", True, ["lint"])
    assert source[source.index("--krakend-version") + 1] == "2.9.2"
    assert "--plugin-so" not in source and "--krakend-go-version" in source
    assert "--mode" in accuracy.argv_for("check-plugin", record, "2.9.2", False, ["lint"])
