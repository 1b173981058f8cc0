from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions

GOMOD = "module example.com/p\n\ngo 1.22\n"
LIBRARY = "package handler\n\nvar HandlerRegisterer = registerer(\"x\")\n\ntype registerer string\n"


def lint(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str, int, int]]:
    return positions(lint_files(tmp_path, {"go.mod": GOMOD, **files}), "KP607")


def test_build_of_a_library_package(tmp_path: Path) -> None:
    files = {"handler/handler.go": LIBRARY, "main.go": "package main\n\nfunc main() {}\n",
             "Makefile": "build:\n\tgo build -buildmode=plugin -o p.so ./handler\n"}
    assert lint(tmp_path, files) == [("KP607", "Makefile", 2, 37)]


def test_default_package_is_the_build_file_directory(tmp_path: Path) -> None:
    files = {"plugin/handler.go": LIBRARY, "plugin/go.mod": GOMOD.replace("/p", "/q"),
             "plugin/Dockerfile": "FROM krakend/builder:2.7.0\nRUN go build -buildmode=plugin -o /p.so\n"}
    assert lint(tmp_path, files) == [("KP607", "plugin/Dockerfile", 2, 8)]


def test_main_package_passes(tmp_path: Path) -> None:
    files = {"main.go": "package main\n\nvar HandlerRegisterer = registerer(\"x\")\n\ntype registerer string\n",
             "build.sh": "go build -buildmode=plugin -o p.so .\n"}
    assert lint(tmp_path, files) == []
