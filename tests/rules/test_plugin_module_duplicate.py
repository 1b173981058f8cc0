from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions

MAIN = "package main\n\nfunc main() {}\n"
BUILD_BOTH = (
    "plugins:\n"
    "\tcd plugins/audit && go build -buildmode=plugin -o ../../out/audit.so .\n"
    "\tcd plugins/auth && go build -buildmode=plugin -o ../../out/auth.so .\n"
)


def test_second_plugin_with_the_same_module_is_reported_on_its_module_line(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {
        "plugins/audit/go.mod": "module krakend-plugin\n\ngo 1.22\n",
        "plugins/audit/main.go": MAIN,
        "plugins/auth/go.mod": "// the auth plugin\nmodule krakend-plugin\n\ngo 1.22\n",
        "plugins/auth/main.go": MAIN,
        "Makefile": BUILD_BOTH,
    })
    assert positions(findings, "KP609") == [("KP609", "plugins/auth/go.mod", 2, 8)]
    fix = next(f.fix for f in findings if f.rule == "KP609")
    assert fix is not None and (fix.line, fix.replacement) == (2, "module krakend-plugin-auth")


def test_distinct_module_paths_pass(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {
        "a/go.mod": "module example.com/a\n\ngo 1.22\n", "a/main.go": MAIN,
        "b/go.mod": "module example.com/b\n\ngo 1.22\n", "b/main.go": MAIN,
    })
    assert positions(findings, "KP609") == []


def test_plugins_deployed_apart_may_share_a_module_path(tmp_path: Path) -> None:
    """Two examples, each with its own Dockerfile: never loaded into the same KrakenD."""
    dockerfile = ("FROM krakend/builder:2.7.0 AS build\nCOPY . /src\nWORKDIR /src\n"
                  "RUN go build -buildmode=plugin -o plugin.so .\n"
                  "FROM krakend:2.7.0\nCOPY --from=build /src/plugin.so /opt/krakend/plugins/\n")
    findings = lint_files(tmp_path, {
        "examples/audit/go.mod": "module krakend-plugin\n\ngo 1.22\n",
        "examples/audit/main.go": MAIN,
        "examples/audit/Dockerfile": dockerfile,
        "examples/auth/go.mod": "module krakend-plugin\n\ngo 1.22\n",
        "examples/auth/main.go": MAIN,
        "examples/auth/Dockerfile": dockerfile,
    })
    assert positions(findings, "KP609") == []
