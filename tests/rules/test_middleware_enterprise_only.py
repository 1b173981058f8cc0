from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions

GOMOD = "module example.com/plug\n\ngo 1.22\n"
SOURCE = """package main

import "context"

type registerer string

var MiddlewareRegisterer = registerer("audit")

type proxy = func(context.Context, interface{}) (interface{}, error)

func (r registerer) RegisterMiddlewares(f func(string, func(map[string]interface{}, proxy) proxy)) {
    f(string(r), nil)
}
"""
EE_DOCKERFILE = "FROM krakend/krakend-ee:2.7.0\nCOPY audit.so /opt/krakend/plugins/\n"


def test_middleware_on_community_edition_is_reported(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {"go.mod": GOMOD, "plugin.go": SOURCE}, krakend_version="2.7.0")
    assert positions(findings, "KP409") == [("KP409", "plugin.go", 7, 5)]
    assert positions(findings, "KP40") == [("KP409", "plugin.go", 7, 5)]


def test_middleware_on_enterprise_passes(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {"go.mod": GOMOD, "plugin.go": SOURCE, "Dockerfile": EE_DOCKERFILE})
    assert positions(findings, "KP409") == []
