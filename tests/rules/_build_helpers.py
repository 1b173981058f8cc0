"""Shared bits for the KP2xx/KP3xx/KP6xx rule tests: a context for a release, a real built plugin."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from linter.krakend.releases import release
from linter.krakend.target import Target
from linter.rules.base import RuleContext
from tests import gotoolchain

PLUGIN_FILES = {
    "go.mod": "module example.com/p\n\ngo 1.22\n",
    "main.go": "package main\n\nfunc main() {}\n",
}


def context(version: str = "2.7.0", flavour: str = "alpine") -> RuleContext:
    return RuleContext(target=Target(version=version, release=release(version), source="--krakend-version",
                                     flavour=flavour))


def real_plugin(dest: Path) -> Path:
    """A real `-buildmode=plugin` .so (Go 1.22.10, glibc, amd64) copied to ``dest``; skips without Go."""
    if gotoolchain.go_binary(gotoolchain.CI_VERSIONS[0]) is None:
        pytest.skip("Go toolchain not installed")
    from tests.inputs.test_gobinary import build

    shutil.copyfile(build(gotoolchain.CI_VERSIONS[0]) / "plugin.so", dest)
    return dest
