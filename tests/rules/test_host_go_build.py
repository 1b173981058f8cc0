from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions

MAIN = 'package main\n\nvar HandlerRegisterer = registerer("x")\n\ntype registerer string\n\nfunc main() {}\n'
GOMOD = "module example.com/p\n\ngo 1.22\n"


def test_a_make_target_that_builds_on_the_machine_is_a_warning(tmp_path: Path) -> None:
    makefile = ("build:\n\tgo build -buildmode=plugin -o p.so .\n"
                "docker:\n\tdocker run --rm krakend/builder:2.7.0 go build -buildmode=plugin -o p.so .\n")
    findings = lint_files(tmp_path, {"go.mod": GOMOD, "main.go": MAIN, "Makefile": makefile})
    assert positions(findings, "KP206") == [("KP206", "Makefile", 2, 2)]


def test_a_pinned_toolchain_or_wrapper_passes(tmp_path: Path) -> None:
    pinned = lint_files(tmp_path / "a", {"go.mod": GOMOD + "\ntoolchain go1.22.5\n", "main.go": MAIN,
                                         "build.sh": "go build -buildmode=plugin -o p.so .\n"})
    wrapper = lint_files(tmp_path / "b", {"go.mod": GOMOD, "main.go": MAIN,
                                          "build.sh": "GOTOOLCHAIN=go1.22.5 go build -buildmode=plugin -o p.so .\n"})
    assert positions(pinned, "KP206") == positions(wrapper, "KP206") == []


def test_a_local_build_beside_a_dockerfile_that_builds_the_plugin_passes(tmp_path: Path) -> None:
    dockerfile = ("FROM krakend/builder:2.7.0 AS b\nCOPY . /src\nRUN cd /src && go build -buildmode=plugin -o p.so .\n"
                  "FROM krakend:2.7.0\nCOPY --from=b /src/p.so /opt/krakend/plugins/\n")
    findings = lint_files(tmp_path, {"go.mod": GOMOD, "main.go": MAIN, "Dockerfile": dockerfile,
                                     "Makefile": "plugin:\n\tgo build -buildmode=plugin -o p.so .\n"})
    assert positions(findings, "KP206") == []
