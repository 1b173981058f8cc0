from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions
from tests.rules._build_helpers import PLUGIN_FILES

BUILD = "RUN go build -buildmode=plugin -o /p.so .\n"


def lint(tmp_path: Path, dockerfile: str):  # type: ignore[no-untyped-def]
    return [f for f in lint_files(tmp_path, {**PLUGIN_FILES, "Dockerfile": dockerfile}) if f.rule == "KP605"]


def test_builder_of_another_release(tmp_path: Path) -> None:
    found = lint(tmp_path, "FROM krakend/builder:2.6.3 AS builder\n" + BUILD + "FROM krakend:2.7.0\n")
    assert [(f.location.line, f.location.column) for f in found] == [(1, 6)]
    assert found[0].fix is not None and found[0].fix.replacement == "FROM krakend/builder:2.7.0 AS builder"


def test_floating_runtime_means_its_newest_release(tmp_path: Path) -> None:
    found = lint(tmp_path, "ARG B=2.7.0\nFROM krakend/builder:${B} AS builder\n" + BUILD + "FROM krakend:2.7\n")
    assert [(f.location.line, f.location.column) for f in found] == [(1, 5)]


def test_same_release_passes(tmp_path: Path) -> None:
    dockerfile = "ARG V=2.7.0\nFROM krakend/builder:${V}-linux-generic AS b\n" + BUILD + "FROM devopsfaith/krakend:${V}\n"
    assert lint(tmp_path, dockerfile) == []


def test_a_community_builder_feeding_an_enterprise_runtime_in_another_file(tmp_path: Path) -> None:
    files = {
        "go.mod": "module m\n\ngo 1.20\n", "main.go": "package main\n\nfunc main() {}\n",
        "Makefile": "plugin:\n\tdocker run --rm -v $(PWD):/app -w /app krakend/builder:2.3.3 "
                    "go build -buildmode=plugin -o p.so .\n",
        "docker-compose.yml": "services:\n  gw:\n    image: krakend/krakend-ee:2.3.3\n",
    }
    assert positions(lint_files(tmp_path / "a", files), "KP605") == [("KP605", "Makefile", 2, 41)]
    files["Makefile"] = files["Makefile"].replace("krakend/builder:", "krakend/builder-ee:")
    assert positions(lint_files(tmp_path / "b", files), "KP605") == []
