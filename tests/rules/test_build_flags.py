from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions
from tests.rules._build_helpers import PLUGIN_FILES


def lint(tmp_path: Path, files: dict[str, str]):  # type: ignore[no-untyped-def]
    return sorted((f for f in lint_files(tmp_path, {**PLUGIN_FILES, **files}) if f.rule == "KP604"),
                  key=lambda f: f.position_key())


def test_trimpath_race_tags_and_gcflags_all(tmp_path: Path) -> None:
    script = "go build -buildmode=plugin -trimpath -race -tags netgo -gcflags=all='-N -l' -o p.so .\n"
    found = lint(tmp_path, {"build.sh": script})
    assert [(f.location.line, f.location.column) for f in found] == [(1, 28), (1, 38), (1, 44), (1, 56)]
    # Only build tags may be harmless (an unused tag loads); the rest stopped loading in the oracle.
    assert [f.severity.label for f in found] == ["error", "error", "error", "error"]  # netgo changes package net
    assert found[0].fix is not None and found[0].fix.replacement == (
        "go build -buildmode=plugin -race -tags netgo -gcflags=all='-N -l' -o p.so .")


def test_goflags_env_and_custom_module_cache(tmp_path: Path) -> None:
    dockerfile = ("FROM krakend/builder:2.7.0\nENV GOFLAGS=-trimpath GOMODCACHE=/cache\n"
                  "RUN go build -buildmode=plugin -o /p.so .\n")
    found = lint(tmp_path, {"Dockerfile": dockerfile})
    assert [(f.location.line, f.location.column) for f in found] == [(2, 5), (2, 23)]


def test_plain_builds_and_local_gcflags_pass(tmp_path: Path) -> None:
    files = {"build.sh": "GOPATH=/go go build -buildmode=plugin -gcflags='-N -l' -trimpath=false -o p.so .\n",
             "Dockerfile": "FROM krakend/builder:2.7.0\nENV GOMODCACHE=/go/pkg/mod\nRUN go build -buildmode=plugin -o /p.so .\n"}
    assert lint(tmp_path, files) == []


def test_a_tag_the_standard_library_does_not_read_is_a_warning(tmp_path: Path) -> None:
    found = lint(tmp_path, {"build.sh": "go build -buildmode=plugin -tags mytag -o p.so .\n"})
    assert [(f.location.line, f.severity.label) for f in found] == [(1, "warning")]


def test_trimpath_matches_a_krakend_binary_built_with_it(tmp_path: Path) -> None:
    from linter.krakend.reference import Reference
    from linter.rules.base import RuleContext
    from linter.rules.build_flags import check
    from tests.helpers import chdir, lint_tree, write_tree

    write_tree(tmp_path, {**PLUGIN_FILES, "build.sh": "GOMODCACHE=/tmp/m go build -trimpath -buildmode=plugin -o p.so .\n"})
    ws = lint_tree(tmp_path).loaded.workspace

    def binary(settings: dict[str, str]) -> RuleContext:  # the engine reads a --krakend-binary into its reference
        return RuleContext(reference=Reference("2.7.0", "binary", "krakend", exact=True, build_settings=settings))

    with chdir(tmp_path):
        assert list(check(ws, binary({"-trimpath": "true"}))) == []
        assert len(list(check(ws, binary({})))) == 2


def test_a_debug_target_builds_for_a_debugger_not_for_deployment(tmp_path: Path) -> None:
    makefile = ("build:\n\tgo build -buildmode=plugin -o p.so .\n"
                "debug:\n\tgo build -gcflags='all=-N -l' -buildmode=plugin -o p.so .\n"
                "release:\n\tgo build -gcflags='all=-N -l' -buildmode=plugin -o p.so .\n")
    findings = lint_files(tmp_path, {"Makefile": makefile, "go.mod": "module m\n\ngo 1.22\n",
                                     "main.go": "package main\n\nfunc main() {}\n"}, krakend_version="2.7.0")
    assert positions(findings, "KP604") == [("KP604", "Makefile", 6, 11)]


def test_go_installed_by_hand_in_an_os_image_uses_home_go(tmp_path: Path) -> None:
    dockerfile = ("FROM ubuntu:22.04\nRUN tar -C /usr/local -xzf go.tgz\nENV PATH=/usr/local/go/bin:$PATH\n"
                  "COPY . /src\nRUN cd /src && go build -buildmode=plugin -o p.so .\n")
    files = {"Dockerfile": dockerfile, "main.go": "package main\n\nfunc main() {}\n"}
    gomod = "module m\n\ngo 1.22\n\nrequire example.com/x v1.0.0\n"
    with_modules = lint_files(tmp_path / "a", {**files, "go.mod": gomod}, krakend_version="2.7.0")
    assert positions(with_modules, "KP604") == [("KP604", "Dockerfile", 5, 16)]
    std_only = lint_files(tmp_path / "b", {**files, "go.mod": "module m\n\ngo 1.22\n"}, krakend_version="2.7.0")
    assert positions(std_only, "KP604") == []
