from __future__ import annotations

from pathlib import Path

import pytest

from linter.inputs.workspace import Workspace
from linter.krakend.releases import release
from linter.krakend.target import Target
from linter.rules.base import RuleContext
from linter.rules.binary_platform import check
from tests import gobuild
from tests.helpers import lint_files, positions
from tests.krakend.test_verdict import HOST, H, binary, plugin

CTX = RuleContext(target=Target(version="2.7.0", release=release("2.7.0"), source="--krakend-version"))


def test_other_machine_and_libc_are_reported() -> None:
    ws = Workspace(built_plugins=(plugin(machine="aarch64", goarch="arm64", libc="musl"),), krakend_binary=HOST)
    findings = list(check(ws, CTX))
    assert positions(findings) == [("KP803", "my.so", 0, 0), ("KP803", "my.so", 0, 0)]
    messages = sorted(f.message for f in findings)
    assert messages[0].startswith("my.so is built for aarch64 (arm64) but krakend (KrakenD 2.7.0, Go 1.22.10) runs "
                                  "on x86_64 (amd64)")
    assert messages[1].startswith("my.so links musl but krakend (KrakenD 2.7.0, Go 1.22.10) runs with glibc")
    libc = next(f for f in findings if "musl" in f.message)
    assert "krakend/builder:2.7.0-linux-generic" in libc.hint


def test_static_krakend_cannot_load_plugins() -> None:
    static = binary("krakend", H, kind="executable", libc="static")
    findings = list(check(Workspace(built_plugins=(plugin(),), krakend_binary=static), CTX))
    assert positions(findings) == [("KP803", "my.so", 0, 0)]
    assert "plugin: not implemented" in findings[0].message


def test_matching_platform_passes() -> None:
    assert list(check(Workspace(built_plugins=(plugin(),), krakend_binary=HOST), CTX)) == []
    assert list(check(Workspace(built_plugins=(plugin(libc="musl"),)), CTX)) == []  # no binary: nothing to say


@pytest.mark.go
def test_real_plugin_and_host_on_one_platform(tmp_path: Path) -> None:
    files = gobuild.plugin_repo(tmp_path, gobuild.verdict_outputs() / "plugin.so")
    assert positions(lint_files(tmp_path, files, krakend_binary=Path("krakend")), "KP803") == []
