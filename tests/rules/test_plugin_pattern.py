from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions


def config(pattern: str) -> str:
    return ('{\n  "version": 3,\n  "plugin": {"folder": "/opt/krakend/plugins/", "pattern": "' + pattern
            + '"},\n  "extra_config": {"plugin/http-server": {"name": ["hello"]}}\n}\n')


DOCKERFILE = """FROM krakend/builder:2.7.0 AS builder
WORKDIR /src
COPY . .
RUN go build -buildmode=plugin -o hello.so .

FROM krakend:2.7.0
COPY --from=builder /src/hello.so /opt/krakend/plugins/
"""


def test_pattern_not_in_the_built_file_name_is_reported(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {"krakend.json": config("-prod.so"), "Dockerfile": DOCKERFILE})
    assert positions(findings, "KP503") == [("KP503", "krakend.json", 3, 60)]
    finding = next(f for f in findings if f.rule == "KP503")
    assert "hello.so" in finding.message and finding.related[0].path == "Dockerfile"


def test_makefile_outputs_are_expanded(tmp_path: Path) -> None:
    makefile = "NAME := hello\n\nbuild:\n\tgo build -buildmode=plugin -o $(NAME).so .\n"
    findings = lint_files(tmp_path, {"krakend.json": config("-prod.so"), "Makefile": makefile})
    assert positions(findings, "KP503") == [("KP503", "krakend.json", 3, 60)]
    assert "hello.so" in next(f for f in findings if f.rule == "KP503").message


def test_substring_match_passes(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {"krakend.json": config("ello"), "Dockerfile": DOCKERFILE})
    assert positions(findings, "KP503") == []


def test_unknown_build_outputs_are_not_judged(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {"krakend.json": config("-prod.so")})
    assert positions(findings, "KP503") == []
