"""A pull request from a stranger, through the real engine: nothing it contains may stop the lint.

Every test puts one hostile file beside a valid plugin in ``good/`` whose KP401 finding (it is
`package hello`, not `package main`) must still be reported, and asserts where the hostile file
is reported: KP901 unparsable, KP902 too large, KP903 skipped, with the line when there is one.
"""

from __future__ import annotations

import os
import time
import tracemalloc
from pathlib import Path

import pytest

from linter.inputs.text import MAX_TEXT_BYTES
from linter.model import Finding
from tests.fuzz.elf import go_plugin_elf
from tests.helpers import chdir, lint_files, lint_tree, write_tree

GOOD = {
    "good/go.mod": "module example.com/good\n\ngo 1.22\n",
    "good/plugin.go": 'package hello\n\nvar HandlerRegisterer = registerer("good")\n\ntype registerer string\n',
}
SENTINEL = ("KP401", "good/plugin.go", 1)
PLUGIN_BODY = '\n\nvar HandlerRegisterer = registerer("good")\n\ntype registerer string\n'
MIB = 1024 * 1024

Spot = tuple[str, str, int]


def spots(findings: list[Finding], prefix: str = "KP9") -> list[Spot]:
    """Sorted (rule, path, line) of the findings whose rule starts with ``prefix``."""
    return sorted({(f.rule, f.location.path, f.location.line) for f in findings if f.rule.startswith(prefix)})


def lint_beside_good(tmp_path: Path, files: dict[str, str | bytes], **settings: object) -> list[Finding]:
    """Lint ``files`` next to the valid plugin; the plugin's finding must survive, no rule may crash."""
    findings = lint_files(tmp_path, {**GOOD, **files}, **settings)
    assert SENTINEL in spots(findings, "KP401"), "the valid plugin next to the hostile file was not linted"
    assert spots(findings, "KP999") == [], [f.message for f in findings if f.rule == "KP999"]
    return findings


# --- encodings -----------------------------------------------------------------------------------


def test_invalid_utf8_is_reported_at_its_line_and_the_file_is_still_read(tmp_path: Path) -> None:
    findings = lint_beside_good(tmp_path, {
        "krakend.json": b'{"version": 3,\n  "name": "caf\xe9 \xff"\n}\n',
        "good/extra.go": b"package hello\n\n// caf\xe9\nvar X = 1\n",
    })
    assert spots(findings) == [("KP901", "good/extra.go", 3), ("KP901", "krakend.json", 2)]


def test_utf8_bom_changes_no_position(tmp_path: Path) -> None:
    bom = b"\xef\xbb\xbf"
    findings = lint_files(tmp_path, {
        "good/go.mod": bom + b"module example.com/good\n\ngo 1.22\n",
        "good/plugin.go": bom + b"package hello" + PLUGIN_BODY.encode(),
        "krakend.json": bom + b'{"version": 3}\n',
    })
    assert spots(findings) == []
    assert [(f.location.line, f.location.column) for f in findings if f.rule == "KP401"] == [(1, 9)]


@pytest.mark.parametrize(("name", "content", "line"), [
    ("go.mod", b"module example.com/x\n\ngo 1.22\0\n", 3),
    ("Dockerfile", b"FROM alpine\nRUN echo\0hi\n", 2),
    ("krakend.json", b"\0\0\0\0", 1),
])
def test_nul_bytes_make_a_file_unparsable_at_their_line(tmp_path: Path, name: str, content: bytes, line: int) -> None:
    assert spots(lint_beside_good(tmp_path, {name: content})) == [("KP901", name, line)]


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"], ids=["crlf", "cr"])
def test_crlf_and_cr_line_endings_keep_line_numbers(tmp_path: Path, newline: bytes) -> None:
    gomod = b"module example.com/good\n\ngo 1.22\n\nrequire github.com/some/module\n"
    plugin = b"package hello" + PLUGIN_BODY.encode()
    findings = lint_files(tmp_path, {
        "good/go.mod": gomod.replace(b"\n", newline),
        "good/plugin.go": plugin.replace(b"\n", newline),
    })
    assert spots(findings) == [("KP901", "good/go.mod", 5)]
    assert [(f.location.line, f.location.column) for f in findings if f.rule == "KP401"] == [(1, 9)]


# --- size ----------------------------------------------------------------------------------------


def test_ten_megabyte_lines_are_read_in_bounded_time(tmp_path: Path) -> None:
    long = b"x" * (10 * MIB)
    started = time.perf_counter()
    findings = lint_beside_good(tmp_path, {
        "go.mod": b"module example.com/long\n// " + long + b"\nrequire github.com/some/module\n",
        "krakend.json": b'{"version": 3, "x": "' + long + b'"}\n',
        "Dockerfile": b"FROM alpine\nRUN echo " + long + b"\n",
    })
    assert time.perf_counter() - started < 60
    # Dockerfiles (1 MiB) and gateway configs (4 MiB) have smaller caps than Go module files.
    assert spots(findings) == [("KP901", "go.mod", 3), ("KP902", "Dockerfile", 0), ("KP902", "krakend.json", 0)]


def test_file_above_the_cap_is_reported_without_reading_it(tmp_path: Path) -> None:
    write_tree(tmp_path, GOOD)
    with (tmp_path / "good" / "go.sum").open("wb") as handle:
        handle.write(b"github.com/a/b v1.0.0 h1:")
        handle.truncate(MAX_TEXT_BYTES + MIB)  # sparse: the test writes no 17 MiB
    tracemalloc.start()
    started = time.perf_counter()
    try:
        findings = list(lint_tree(tmp_path).report.findings)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 60
    assert peak < 3 * MAX_TEXT_BYTES, f"peak {peak / MIB:.0f} MiB to skip a file"
    assert spots(findings) == [("KP902", "good/go.sum", 0)]
    assert SENTINEL in spots(findings, "KP401")


# --- nesting and expansion bombs -----------------------------------------------------------------


def test_json_nested_a_hundred_thousand_deep_is_no_recursion_error(tmp_path: Path) -> None:
    findings = lint_beside_good(tmp_path, {
        "krakend.json": b"[" * 100_000 + b"]" * 100_000,
        "config/krakend.json": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    })
    assert spots(findings, "KP90") == []


def test_deep_yaml_is_reported_not_raised(tmp_path: Path) -> None:
    deep = b"[" * 20_000 + b"]" * 20_000
    findings = lint_beside_good(tmp_path, {"krakend.yaml": deep, ".github/workflows/ci.yml": b"jobs: " + deep})
    assert spots(findings) == [("KP901", ".github/workflows/ci.yml", 0), ("KP901", "krakend.yaml", 0)]


def _laughs(levels: int = 9) -> str:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, levels + 1):
        name, previous = chr(ord("a") + n), chr(ord("a") + n - 1)
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines) + "\n"


def test_yaml_alias_bomb_costs_bounded_work(tmp_path: Path) -> None:
    workflow = _laughs() + "jobs:\n  build:\n    steps: *j\n    env: *j\n"
    started = time.perf_counter()
    findings = lint_beside_good(tmp_path, {"krakend.yaml": _laughs(), ".github/workflows/ci.yml": workflow})
    assert time.perf_counter() - started < 30
    assert spots(findings) == [("KP901", "krakend.yaml", 1)]


def test_compose_files_and_taskfiles_survive_nesting_and_alias_bombs(tmp_path: Path) -> None:
    deep = b"[" * 20_000 + b"]" * 20_000
    bomb = _laughs() + "services:\n  k:\n    <<: *j\n    volumes: *j\n    command: *j\n"
    tasks = _laughs() + "vars: *j\ntasks:\n  a: *j\n  b: {cmds: *j, vars: *j}\n"
    findings = lint_beside_good(tmp_path, {
        "docker-compose.yml": b"services: " + deep, "Taskfile.yml": b"tasks: " + deep,
        "deploy/compose.yaml": bomb, "deploy/Taskfile.yml": tasks, "deploy/.env": "A=${A}${A}\n",
    })
    assert spots(findings) == [("KP901", "Taskfile.yml", 0), ("KP901", "docker-compose.yml", 0)]


def test_yaml_merge_key_chains_cost_bounded_work(tmp_path: Path) -> None:
    lines = ["a0: &a0 {" + ", ".join(f"k{i}: 1" for i in range(10)) + "}"]
    for n in range(1, 14):  # each level merges the one before nine times: 9^13 merges if unbounded
        lines.append(f"a{n}: &a{n} {{<<: [{', '.join([f'*a{n - 1}'] * 9)}], own{n}: 1}}")
    started = time.perf_counter()
    findings = lint_beside_good(tmp_path, {"krakend.yaml": "\n".join(lines) + "\nversion: 3\n"})
    assert time.perf_counter() - started < 30
    assert spots(findings) == [("KP901", "krakend.yaml", 2)]


def test_makefile_and_dockerfile_expansion_bombs_cost_bounded_work(tmp_path: Path) -> None:
    make = ["A0 = xxxxxxxxxx", *(f"A{n} = {f'$(A{n - 1})' * 50}" for n in range(1, 12)), "plugin:",
            "\tgo build -buildmode=plugin -o $(A11) ."]
    docker = ["FROM alpine", "ENV A0=xxxxxxxxxx", *(f"ENV A{n}={f'${{A{n - 1}}}' * 50}" for n in range(1, 12)),
              "RUN go build -buildmode=plugin -o $A11 ."]
    started = time.perf_counter()
    findings = lint_beside_good(tmp_path, {"Makefile": "\n".join(make) + "\n", "Dockerfile": "\n".join(docker) + "\n"})
    assert time.perf_counter() - started < 60
    assert spots(findings) == [("KP901", "Dockerfile", 5), ("KP901", "Makefile", 14)]


@pytest.mark.parametrize("source", [
    b"var HandlerRegisterer " + b"[]" * 100_000 + b"int\n",
    b"var HandlerRegisterer " + b"*" * 100_000 + b"int\n",
    b"var HandlerRegisterer " + b"map[string]" * 20_000 + b"int\n",
    b"var HandlerRegisterer = " + b"(" * 100_000 + b'registerer("x")' + b")" * 100_000 + b"\ntype registerer string\n",
    b"".join(b"type T%d struct{ T%d }\n" % (n, n + 1) for n in range(5_000)) + b"var HandlerRegisterer T0\n",
], ids=["slices", "pointers", "maps", "parentheses", "embedding"])
def test_deeply_nested_go_reaches_the_rules_without_a_crash(tmp_path: Path, source: bytes) -> None:
    findings = lint_beside_good(tmp_path, {"deep/go.mod": "module example.com/deep\n\ngo 1.22\n",
                                           "deep/main.go": b"package main\n" + source})
    assert spots(findings) == []


# --- malformed content -----------------------------------------------------------------------------


def test_duplicate_keys_are_reported_on_the_second_one(tmp_path: Path) -> None:
    findings = lint_beside_good(tmp_path, {
        "krakend.json": '{\n  "version": 3,\n  "version": 2\n}\n',
        "config/krakend.yaml": "version: 3\nname: a\nname: b\n",
    })
    assert spots(findings) == [("KP901", "config/krakend.yaml", 3), ("KP901", "krakend.json", 3)]


def test_binary_junk_named_like_inputs(tmp_path: Path) -> None:
    junk = bytes(range(256)) * 16  # NUL on line 1
    no_nul = bytes(range(1, 256)) * 16  # control characters and invalid UTF-8 only
    findings = lint_beside_good(tmp_path, {"go.mod": junk, "sub/go.mod": no_nul, "Dockerfile": no_nul})
    found = spots(findings)
    assert ("KP901", "go.mod", 1) in found
    assert {path for _rule, path, _line in found} == {"go.mod", "sub/go.mod", "Dockerfile"}
    assert all(rule == "KP901" and line >= 1 for rule, _path, line in found)


def test_dockerfile_heredocs_and_escape_directive_keep_positions(tmp_path: Path) -> None:
    dockerfile = (
        "# syntax=docker/dockerfile:1.7\n"
        "# escape=`\n"
        "FROM golang:1.22.4-alpine3.19 AS builder\n"
        "RUN <<EOF\n"
        "apk add --no-cache gcc musl-dev\n"
        "go build -buildmode=plugin -o /p.so .\n"
        "EOF\n"
        'RUN echo "C:\\path\\not\\an\\escape" && `\n'
        "    echo continued\n"
        "COPY <<-CONF /etc/krakend/extra.json\n"
        '\t{"version": 3}\n'
        "\tCONF\n"
        "FROM devopsfaith/krakend:2.7.0\n"
        "COPY --from=builder /p.so /opt/krakend/plugins/\n"
    )
    findings = lint_beside_good(tmp_path, {"good/Dockerfile": dockerfile})
    assert spots(findings) == []
    assert spots(findings, "KP201") == [("KP201", "good/Dockerfile", 3)]


def test_unterminated_heredoc_is_reported_at_its_instruction(tmp_path: Path) -> None:
    findings = lint_beside_good(tmp_path, {"Dockerfile": "FROM alpine\nRUN <<EOF\necho never closed\n"})
    assert ("KP901", "Dockerfile", 2) in spots(findings)


def test_gomod_quoted_paths_and_retract_ranges(tmp_path: Path) -> None:
    gomod = (
        'module "example.com/quoted"\n'
        "\n"
        "go 1.22\n"
        "\n"
        'require "github.com/quoted/path" v1.0.0\n'
        "retract [v1.0.0, v1.0.5] // broken\n"
        "retract (\n"
        "\tv0.1.0\n"
        "\t[v0.2.0, v0.2.9]\n"
        ")\n"
        'require "github.com/bad\\q/escape" v1.0.0\n'
        "retract [v1.0.0, \n"
        'replace "unterminated => ../x\n'
    )
    assert spots(lint_beside_good(tmp_path, {"go.mod": gomod})) == [
        ("KP901", "go.mod", 11), ("KP901", "go.mod", 12), ("KP901", "go.mod", 13),
    ]


@pytest.mark.parametrize(("size", "why"), [(0, "empty"), (20, "inside the ELF header"), (100, "after the header"),
                                           (400, "inside the build info")])
def test_truncated_elf_named_so(tmp_path: Path, size: int, why: str) -> None:
    findings = lint_beside_good(tmp_path, {"plugins/plugin.so": go_plugin_elf()[:size]})
    assert ("KP901", "plugins/plugin.so", 0) in spots(findings), why
    assert all(path == "plugins/plugin.so" for _rule, path, _line in spots(findings))


# --- the file system -------------------------------------------------------------------------------


def test_symlinks_out_of_the_root_are_skipped(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write_tree(outside, {"krakend.json": '{"version": 3}', "plugin/go.mod": "module x\n"})
    repo = tmp_path / "repo"
    write_tree(repo, GOOD)
    (repo / "krakend.json").symlink_to(outside / "krakend.json")
    (repo / "linked").symlink_to(outside / "plugin", target_is_directory=True)
    (repo / "Dockerfile").symlink_to("/etc/passwd")
    findings = list(lint_tree(repo).report.findings)
    assert spots(findings) == [("KP903", "Dockerfile", 0), ("KP903", "krakend.json", 0)]
    assert SENTINEL in spots(findings, "KP401")


def test_symlink_loop_is_skipped(tmp_path: Path) -> None:
    write_tree(tmp_path, GOOD)
    (tmp_path / "go.mod").symlink_to(tmp_path / "loop")
    (tmp_path / "loop").symlink_to(tmp_path / "go.mod")
    findings = list(lint_tree(tmp_path).report.findings)
    assert spots(findings) == [("KP903", "go.mod", 0)]
    assert SENTINEL in spots(findings, "KP401")


def test_fifos_are_never_opened(tmp_path: Path) -> None:
    write_tree(tmp_path, GOOD)
    for name in ("Dockerfile", "krakend.json", "plugin.so", "good/go.sum"):
        os.mkfifo(tmp_path / name)
    findings = list(lint_tree(tmp_path).report.findings)  # a FIFO opened for reading would block forever
    assert spots(findings) == [("KP903", "Dockerfile", 0), ("KP903", "good/go.sum", 0), ("KP903", "krakend.json", 0),
                               ("KP903", "plugin.so", 0)]
    assert SENTINEL in spots(findings, "KP401")


@pytest.mark.parametrize("fmt", [
    "terminal",
    "json",
    "rdjson",
    "sarif",
    "check-plugin",
])
def test_file_name_that_is_not_utf8_is_reported_in_every_format(tmp_path: Path, fmt: str) -> None:
    from linter.cli import main

    write_tree(tmp_path, GOOD)
    Path(os.fsdecode(os.fsencode(tmp_path) + b"/krakend\xff.json")).write_bytes(b"{ not json")
    out = tmp_path / f"report.{fmt}"
    with chdir(tmp_path):
        code = main(["check", "--offline", "--no-color", "--cache-dir", str(tmp_path / ".cache"),
                     "--output", f"{fmt}={out}"])
    assert code == 1
    assert out.read_text(encoding="utf-8")
