from __future__ import annotations

from pathlib import Path

from linter.inputs.text import MAX_TEXT_BYTES
from tests.helpers import lint_files, positions


def test_file_above_the_limit_is_reported_and_not_read(tmp_path: Path) -> None:
    huge = b'{"version": 3, "x": "' + b"a" * (MAX_TEXT_BYTES + 10) + b'"}'
    findings = lint_files(tmp_path, {"krakend.json": huge})
    assert positions(findings, "KP902") == [("KP902", "krakend.json", 0, 0)]
    assert positions(findings, "KP901") == []


def test_file_below_the_limit_is_read(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {"krakend.json": '{"version": 3}'})
    assert positions(findings, "KP902") == []


def test_build_files_and_configs_have_smaller_caps(tmp_path: Path) -> None:
    from linter.load import MAX_BUILD_FILE_BYTES, MAX_CONFIG_BYTES

    findings = lint_files(tmp_path, {
        "Dockerfile": "FROM scratch\n" + "# padding\n" * (MAX_BUILD_FILE_BYTES // 10 + 1),
        "krakend.json": '{"version": 3, "x": "' + "a" * MAX_CONFIG_BYTES + '"}',
        "Makefile": "all:\n" + "\t@true\n" * 100,
    })
    assert positions(findings, "KP902") == [("KP902", "Dockerfile", 0, 0), ("KP902", "krakend.json", 0, 0)]
