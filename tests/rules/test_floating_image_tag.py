from __future__ import annotations

from pathlib import Path

from linter.krakend.releases import resolve_tag
from tests.helpers import lint_files
from tests.rules._build_helpers import PLUGIN_FILES


def lint(tmp_path: Path, files: dict[str, str]):  # type: ignore[no-untyped-def]
    found = [f for f in lint_files(tmp_path, {**PLUGIN_FILES, **files}) if f.rule == "KP606"]
    return sorted(found, key=lambda f: f.position_key())


def test_floating_runtime_and_builder_tags(tmp_path: Path) -> None:
    dockerfile = "ARG V=2\nFROM krakend/builder:${V} AS b\nRUN go build -buildmode=plugin -o /p.so .\nFROM krakend\n"
    found = lint(tmp_path, {"Dockerfile": dockerfile})
    assert [(f.location.line, f.location.column) for f in found] == [(1, 5), (4, 6)]
    newest_2 = resolve_tag("2")
    assert newest_2 is not None
    assert found[0].fix is not None and found[0].fix.replacement == f"ARG V={newest_2.release.version}"


def test_workflow_container_and_makefile_docker_run(tmp_path: Path) -> None:
    files = {".github/workflows/b.yml": "jobs:\n  b:\n    container: krakend/builder:2.7-linux-generic\n    steps: []\n",
             "Makefile": "build:\n\tdocker run --rm krakend/builder:latest go build -buildmode=plugin -o p.so .\n"}
    found = lint(tmp_path, files)
    assert [(f.location.path, f.location.line) for f in found] == [(".github/workflows/b.yml", 3), ("Makefile", 2)]
    assert found[0].fix is not None and found[0].fix.replacement.endswith("-linux-generic")


def test_exact_tags_and_other_images_pass(tmp_path: Path) -> None:
    dockerfile = "FROM golang:1.22 AS b\nFROM krakend/builder:2.7.0\nFROM krakend:2.7.0\n"
    assert lint(tmp_path, {"Dockerfile": dockerfile}) == []


def test_an_image_pinned_by_digest_does_not_float(tmp_path: Path) -> None:
    digest = "sha256:" + "a" * 64
    dockerfile = f"FROM devopsfaith/krakend@{digest}\nFROM krakend:2@{digest}\n"
    assert lint(tmp_path, {"Dockerfile": dockerfile}) == []
