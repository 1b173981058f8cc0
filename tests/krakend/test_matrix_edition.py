"""`matrix` and `check --target-version` pass the edition on: the Enterprise Edition is never
compared with the Community Edition's data."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.cli import main
from tests.helpers import chdir, write_tree

PLUGIN = {
    "go.mod": "module example.com/p\n\ngo 1.22\n\nrequire golang.org/x/sys v0.1.0\n",
    "main.go": "package main\n\nfunc main() {}\n",
}
EE = "FROM krakend/builder-ee:2.7.0 AS b\nRUN go build -buildmode=plugin -o /p.so .\n" \
     "FROM krakend/krakend-ee:2.7.0\nCOPY --from=b /p.so /opt/krakend/plugins/\n"
CE = EE.replace("-ee", "")


def run(tmp_path: Path, dockerfile: str, *args: str) -> int:
    write_tree(tmp_path, {**PLUGIN, "Dockerfile": dockerfile})
    with chdir(tmp_path):
        return main([*args, "--offline", "--cache-dir", str(tmp_path / "c")])


def test_matrix_refuses_to_judge_an_enterprise_plugin_with_ce_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, EE, "matrix", "--versions", "2.7.0..2.7.2") == 1
    out, err = capsys.readouterr()
    assert out == "" and "Enterprise Edition" in err


def test_matrix_of_a_community_plugin_still_compares(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(tmp_path, CE, "matrix", "--versions", "2.7.0..2.7.2")
    out, err = capsys.readouterr()
    assert "2.7.0" in out and "Enterprise" not in err


def test_target_version_plans_nothing_for_the_enterprise_edition(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(tmp_path, EE, "check", "--target-version", "2.7.2", "--fail-on", "never")
    out, err = capsys.readouterr()
    assert "--target-version" in err and "Enterprise Edition" in err
    assert "golang.org/x/sys" not in out
