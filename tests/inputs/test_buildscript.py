from __future__ import annotations

import textwrap

from linter.inputs.build_files import parse_build_script
from linter.inputs.buildscript import (
    BuildScript,
    parse_go_version_file,
)
from linter.model import Location

MAKEFILE = """
    KRAKEND_VERSION ?= 2.7.0
    GO_VERSION := 1.22.5
    IMAGE = krakend/builder:$(KRAKEND_VERSION)
    PLUGIN = my-plugin
    KRAKEND_VERSION ?= 9.9.9

    .PHONY: build
    build: ## build the plugin
    \tdocker run --rm -v $(PWD):/app -w /app $(IMAGE) \\
    \t\tgo build -buildmode=plugin -o $(PLUGIN).so .

    arm64:
    \t@docker run --rm -e CGO_ENABLED=1 -e GOARCH=arm64 krakend/builder:${KRAKEND_VERSION} go build -o x.so .
    local: ; go build -trimpath -o $@.so .
    echo:
    \techo $$HOME $(shell date)
    """


def makefile(text: str = MAKEFILE, path: str = "Makefile") -> BuildScript:
    return parse_build_script(textwrap.dedent(text).lstrip("\n").encode(), path)


def test_variables_with_operators_and_locations() -> None:
    mk = makefile()
    assert mk.kind == "makefile"
    version = mk.variables["KRAKEND_VERSION"]
    assert (version.value, version.operator) == ("2.7.0", "?=")  # the second ?= does not override
    assert version.location == Location("Makefile", 1, 1, 1, 16)
    assert version.value_location == Location("Makefile", 1, 20)
    assert mk.expand(mk.variables["IMAGE"].value) == "krakend/builder:2.7.0"


def test_recipes_expand_variables_and_point_at_them() -> None:
    mk = makefile()
    assert [r.target for r in mk.recipes] == [".PHONY", "build", "arm64", "local", "echo"]
    build = mk.recipes[1].scripts[0]
    run = build.docker_runs[0]
    assert run.image.text == "krakend/builder:2.7.0"
    assert run.image.location.line == 9
    location, variable = mk.origin(run.image)
    assert variable is not None and variable.name == "KRAKEND_VERSION" and location.line == 1
    go = build.go_builds[0]
    assert go.container == "krakend/builder:2.7.0" and go.output == "my-plugin.so"
    assert go.flag("buildmode").location == Location("Makefile", 10, 12, 10, 29)  # type: ignore[union-attr]


def test_braced_references_inline_recipes_and_prefixes() -> None:
    mk = makefile()
    arm = mk.recipes[2].scripts[0].go_builds[0]
    assert arm.getenv("GOARCH").value == "arm64"  # type: ignore[union-attr]
    local = mk.recipes[3].scripts[0].go_builds[0]
    assert local.flag("trimpath").location == Location("Makefile", 14, 19, 14, 28)  # type: ignore[union-attr]
    assert [b.output for b in mk.go_builds] == ["my-plugin.so", "x.so", "$@.so"]


def test_dollar_dollar_and_functions_stay_literal() -> None:
    echo = makefile().recipes[4].scripts[0].commands[0]
    assert [w.text for w in echo.words][:2] == ["echo", "$HOME"]


def test_conditionals_and_define_are_skipped() -> None:
    mk = makefile("""
        ifeq ($(ARCH),arm64)
        CC = aarch64-linux-musl-gcc
        else
        CC = gcc
        endif
        define HELP
        text
        endef
        """)
    assert mk.variables["CC"].value == "gcc"


def test_shell_script() -> None:
    script = parse_build_script(b"#!/bin/sh\nset -e\nCGO_ENABLED=1 go build -buildmode=plugin -o p.so .\n", "build.sh")
    assert script.kind == "shell" and script.script is not None
    assert script.go_builds[0].flag("buildmode").location == Location("build.sh", 3, 24, 3, 41)  # type: ignore[union-attr]


def test_mk_files_are_makefiles() -> None:
    assert parse_build_script(b"A = 1\n", "build/plugin.mk").variables["A"].value == "1"


def test_go_version_files() -> None:
    gv = parse_go_version_file(b"1.22.5\n", ".go-version")
    assert (gv.kind, gv.version, gv.location) == (".go-version", "1.22.5", Location(".go-version", 1, 1, 1, 7))
    tv = parse_go_version_file(b"nodejs 20.1.0\ngolang 1.22.5 # pinned\n", "sub/.tool-versions")
    assert (tv.kind, tv.version, tv.location.line, tv.location.column) == (".tool-versions", "1.22.5", 2, 8)
    assert parse_go_version_file(b"python 3.11\n", ".tool-versions").version == ""
    assert parse_go_version_file(b"\0", ".go-version").problems
