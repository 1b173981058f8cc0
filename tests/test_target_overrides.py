"""A self-built KrakenD: --krakend-go-version/--krakend-libc (or the binary) beat the release table."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions

REPO = {
    "go.mod": "module example.com/p\n\ngo 1.22\n",
    "main.go": "package main\n\nfunc main() {}\n",
    "Dockerfile": "FROM golang:1.22.10-alpine3.19 AS b\nRUN apk add gcc musl-dev\n"
                  "RUN go build -buildmode=plugin -o p.so .\n",
}


def test_go_version_given_for_a_self_built_krakend_is_the_target(tmp_path: Path) -> None:
    assert positions(lint_files(tmp_path, REPO, krakend_go_version="1.22.10"), "KP201") == []
    found = positions(lint_files(tmp_path, {}, krakend_go_version="1.22.11"), "KP201")
    assert [p[:3] for p in found] == [("KP201", "Dockerfile", 1)]


def test_given_go_version_beats_the_release_table(tmp_path: Path) -> None:
    # KrakenD 2.7.0 is built with Go 1.22.5, but this KrakenD was rebuilt with 1.22.10.
    found = lint_files(tmp_path, REPO, krakend_version="2.7.0", krakend_go_version="1.22.10")
    assert positions(found, "KP201") == []
    found = lint_files(tmp_path, {}, krakend_version="2.7.0")
    assert [p[:3] for p in positions(found, "KP201")] == [("KP201", "Dockerfile", 1)]


def test_each_override_says_where_it_came_from() -> None:
    from linter.krakend.reference import Reference
    from linter.krakend.releases import release
    from linter.krakend.target import Target
    from linter.resolver import actual_target
    from linter.settings import Settings

    target = Target(version="2.7.0", release=release("2.7.0"), source="--krakend-version")
    binary = Reference(krakend_version="2.7.0", source="binary", origin="bin/krakend", go_version="1.22.10",
                       libc="glibc", exact=True)
    given = actual_target(target, binary, Settings(krakend_go_version="1.22.11"))
    assert (given.go_version, given.go_source) == ("1.22.11", "--krakend-go-version")
    assert (given.libc, given.libc_source) == ("glibc", "bin/krakend")
    assert actual_target(target, None, Settings()) == target
