from __future__ import annotations

from pathlib import Path

import pytest

from linter.inputs.dockerfile import parse_dockerfile
from linter.inputs.gobinary import GoBinary
from linter.inputs.workspace import Workspace
from linter.rules.built_plugin_platform import check
from tests.helpers import lint_files, positions
from tests.rules._build_helpers import PLUGIN_FILES, context, real_plugin

GLIBC_AMD64 = GoBinary("p.so", machine="x86_64", goarch="amd64", kind="plugin", libc="glibc", go_version="1.22.5")
MUSL_AMD64 = GoBinary("p.so", machine="x86_64", goarch="amd64", kind="plugin", libc="musl", go_version="1.22.5")


def test_glibc_plugin_for_the_alpine_image_is_reported() -> None:
    ws = Workspace(built_plugins=(GLIBC_AMD64,))
    assert positions(check(ws, context("2.7.0", "alpine"))) == [("KP305", "p.so", 0, 0)]


def test_wrong_architecture_against_the_runtime_platform() -> None:
    dockerfile = parse_dockerfile(b"FROM --platform=linux/arm64 krakend:2.7.0\n", "Dockerfile")
    ws = Workspace(dockerfiles=(dockerfile,), built_plugins=(MUSL_AMD64,))
    findings = list(check(ws, context("2.7.0", "alpine")))
    assert positions(findings) == [("KP305", "p.so", 0, 0)] and "arm64" in findings[0].message


def test_wrong_architecture_against_the_krakend_binary() -> None:
    from dataclasses import replace

    from linter.krakend.reference import Reference
    from linter.rules.base import RuleContext

    binary = Reference("2.7.0", "binary", "bin/krakend", goarch="arm64", exact=True)
    ctx = RuleContext(target=context("2.7.0", "alpine").target, reference=binary)
    ws = Workspace(dockerfiles=(parse_dockerfile(b"FROM --platform=linux/amd64 krakend:2.7.0\n", "Dockerfile"),),
                   built_plugins=(MUSL_AMD64,))
    assert positions(check(ws, ctx)) == [("KP305", "p.so", 0, 0)]  # the binary wins over the Dockerfile
    assert positions(check(ws, replace(ctx, reference=None, target=context("2.7.0", "alpine").target))) == []


def test_matching_plugin_passes() -> None:
    assert positions(check(Workspace(built_plugins=(MUSL_AMD64,)), context("2.7.0", "alpine"))) == []
    assert positions(check(Workspace(built_plugins=(GLIBC_AMD64,)), context("2.7.0", "linux-generic"))) == []


@pytest.mark.go
def test_real_glibc_plugin_in_an_alpine_runtime_repo(tmp_path: Path) -> None:
    real_plugin(tmp_path / "p.so")
    files = {**PLUGIN_FILES, "Dockerfile": "FROM krakend:2.7.0\nCOPY p.so /opt/krakend/plugins/\n"}
    assert positions(lint_files(tmp_path, files), "KP305") == [("KP305", "p.so", 0, 0)]


def test_a_plugin_built_on_macos_is_named_as_such(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {"plugins/p.so": b"\xcf\xfa\xed\xfe" + b"\x00" * 60}, krakend_version="2.7.0")
    assert positions(findings, "KP305") == [("KP305", "plugins/p.so", 0, 0)]
    assert positions(findings, "KP901") == []
