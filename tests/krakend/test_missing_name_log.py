"""What lura logs for a configured plugin name nobody registered, per lura version."""

from __future__ import annotations

import pytest

from linter.krakend.contracts.failures import missing_name_log


@pytest.mark.parametrize(
    ("kind", "lura", "expected"),
    [
        ("http-server", "v1.1.2-0.20200930142252-7c9d4ace4128", ("DEBUG", "http-server-handler: no plugin resgistered as x")),
        ("http-client", "v1.4.1", ("DEBUG", "http-request-executor: no plugin resgistered as x")),
        ("http-server", "v2.0.1", ("DEBUG", "No plugin resgistered as x")),
        ("http-server", "v2.4.0", ("DEBUG", "No plugin resgistered as x")),
        ("http-server", "v2.5.0", ("ERROR", "No plugin resgistered as x")),
        ("http-server", "v2.7.0", ("ERROR", "No plugin resgistered as x")),
        ("http-server", "v2.7.2", ("ERROR", "No plugin registered as x")),
        ("http-server", "v2.14.2-0.20260316170719-6d79b4ef723b", ("ERROR", "No plugin registered as x")),
        ("http-server", "", ("ERROR", "No plugin registered as x")),  # unknown: the newest wording
        ("http-client", "v2.0.1", ("DEBUG", "No plugin registered as x")),
        ("req-resp-modifier", "v2.7.0", ("", "")),
    ],
)
def test_wording_and_level_per_lura_version(kind: str, lura: str, expected: tuple[str, str]) -> None:
    assert missing_name_log(kind, "x", lura) == expected


@pytest.mark.parametrize(
    ("plugin_go", "host_go", "expected"),
    [
        # measured: a host that calls plugin.Open and a one-variable plugin, built with each Go
        ("1.24.3", "1.23.9", "plugin was built with a different version of package internal/goarch"),
        ("1.23.9", "1.24.11", "plugin was built with a different version of package internal/goarch"),
        ("1.24.11", "1.24.3", "plugin was built with a different version of package ..."),
        ("1.22.10", "1.23.9", "fatal error: runtime: no plugin module data"),
        ("1.24.3", "1.22.10", "fatal error: runtime: no plugin module data"),
        # reported by users of KrakenD releases built with Go 1.22 and older
        ("1.22.4", "1.22.5", "plugin was built with a different version of package runtime/internal/sys"),
        ("1.17.8", "1.17.13", "plugin was built with a different version of package runtime/internal/sys"),
    ],
)
def test_go_mismatch_failure_per_go_pair(plugin_go: str, host_go: str, expected: str) -> None:
    from linter.krakend.contracts.failures import go_mismatch_failure

    assert go_mismatch_failure(plugin_go, host_go) == expected
