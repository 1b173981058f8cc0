"""The CLI with nothing cached and no network: the embedded references answer, versions are checked,
and the Enterprise Edition is never judged against Community Edition data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from linter.cli import main
from linter.krakend import releases
from tests.helpers import chdir, write_tree

REPO = Path(__file__).resolve().parents[2]
LATEST = releases.latest().version


def run_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main([*args, "--format", "json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def rules_of(report: dict) -> list[tuple[str, str, int, int]]:  # type: ignore[type-arg]
    return sorted((f["rule"], f["path"], f["line"], f["column"]) for f in report["findings"])


def facts_of(report: dict) -> dict[str, tuple[str, str]]:  # type: ignore[type-arg]
    return {f["name"]: (f["value"], f["source"]) for f in report["krakend"]["facts"]}


def test_reference_show_offline_says_the_reference_is_embedded(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "empty"
    assert main(["reference", "show", "2.7.0", "--offline", "--cache-dir", str(cache)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ("KrakenD 2.7.0: reference from the data embedded in krakend-plugin-lint "
                                   "(krakend/krakend-ce@v2.7.0)")
    covered = [r for r in releases.all_releases() if r.major == 2]
    assert f"embedded_data          {len(covered)} releases, 2.0.0 to {LATEST}, " in out
    code, shown = run_json(["reference", "show", "2.7.0", "--offline", "--cache-dir", str(cache)], capsys)
    assert (code, shown["source"], shown["available"]) == (0, "embedded", True)
    assert not cache.exists()


def test_the_readme_command_compares_modules_offline_with_an_empty_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with chdir(REPO):
        code, report = run_json(["check", "examples/plugin", "--offline", "--cache-dir", str(tmp_path / "c")], capsys)
    assert code == 0 and rules_of(report) == []
    assert facts_of(report)["reference_source"] == ("embedded", "krakend/krakend-ce@v2.7.0")


def test_the_broken_example_gets_its_module_mismatch_offline(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(REPO / "examples" / "broken-plugin", tmp_path / "repo")
    with chdir(tmp_path / "repo"):
        _, report = run_json(["check", ".", "--offline", "--cache-dir", str(tmp_path / "c")], capsys)
    found = rules_of(report)
    assert ("KP101", "go.mod", 7, 2) in found
    assert not any(rule == "KP106" for rule, *_ in found)


GOOD = {"go.mod": "module example.com/good\n\ngo 1.22\n", "main.go": "package main\n\nfunc main() {}\n"}


@pytest.mark.parametrize("command", [["check", "."], ["reference", "show"], ["matrix", "."]])
def test_a_version_that_is_no_release_is_a_usage_error_naming_the_nearest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    write_tree(tmp_path, GOOD)
    with chdir(tmp_path):
        code = main([*command, "--krakend-version", "2.7.9", "--offline", "--cache-dir", str(tmp_path / "c")])
    err = capsys.readouterr().err
    assert code == 2
    assert "2.7.9 is not a release" in err and "2.7.2 and 2.8.0" in err


def test_a_version_in_the_config_file_is_checked_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, {**GOOD, ".github/krakend-lint.yml": "krakend-version: 2.3.4\n"})
    with chdir(tmp_path):
        assert main(["check", ".", "--offline", "--cache-dir", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err
    assert ".github/krakend-lint.yml: krakend-version" in err and "2.3.3 and 2.4.0" in err


def test_a_release_newer_than_the_table_is_still_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, GOOD)
    with chdir(tmp_path):
        code, report = run_json(["check", ".", "--krakend-version", "2.14.0", "--offline",
                                 "--cache-dir", str(tmp_path / "c")], capsys)
    kp1 = [f for f in report["findings"] if f["rule"].startswith("KP1")]
    assert code != 2 and [f["rule"] for f in kp1] == ["KP106"]
    assert "newer than the references embedded" in kp1[0]["message"]


def test_latest_resolves_to_the_newest_release_and_says_which(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, GOOD)
    with chdir(tmp_path):
        _, report = run_json(["check", ".", "--krakend-version", "latest", "--offline",
                              "--cache-dir", str(tmp_path / "c")], capsys)
        assert report["krakend"]["version"] == LATEST
        assert facts_of(report)["reference_source"] == ("embedded", f"krakend/krakend-ce@v{LATEST}")
        assert main(["reference", "show", "latest", "--offline", "--cache-dir", str(tmp_path / "c")]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"KrakenD {LATEST}: reference from the data embedded")
    assert f"{LATEST}  [--krakend-version latest (the newest release it means)]" in out


ENTERPRISE = {
    "go.mod": "module example.com/ee\n\ngo 1.22.5\n\nrequire golang.org/x/text v0.3.7\n",
    "go.sum": "golang.org/x/text v0.3.7 h1:x=\ngolang.org/x/text v0.3.7/go.mod h1:y=\n",
    "main.go": "package main\n\nfunc main() {}\n",
    "Dockerfile": "FROM krakend/builder-ee:2.7.0 AS builder\nCOPY . .\nRUN go build -buildmode=plugin -o p.so .\n"
                  "FROM krakend/krakend-ee:2.7.0\nCOPY --from=builder /go/p.so /opt/krakend/plugins/\n",
}


def test_enterprise_is_not_compared_with_community_modules(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, ENTERPRISE)
    with chdir(tmp_path):
        _, report = run_json(["check", ".", "--offline", "--cache-dir", str(tmp_path / "c")], capsys)
    kp1 = [f for f in report["findings"] if f["rule"].startswith("KP1")]
    assert [(f["rule"], f["path"]) for f in kp1] == [("KP106", "go.mod")]  # said once, no KP101
    assert "Enterprise Edition 2.7.0" in kp1[0]["message"] and "--krakend-binary" in kp1[0]["message"]


def test_enterprise_accepts_its_own_go_sum(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, {**ENTERPRISE, "ee/go.sum": "golang.org/x/text v0.14.0 h1:x=\n"})
    with chdir(tmp_path):
        _, report = run_json(["check", ".", "--offline", "--cache-dir", str(tmp_path / "c"),
                              "--krakend-go-sum", "ee/go.sum", "--exclude", "ee"], capsys)
    rules = [(f["rule"], f["path"], f["line"]) for f in report["findings"]
             if f["rule"].startswith("KP1")]
    assert rules == [("KP101", "go.mod", 5)]
