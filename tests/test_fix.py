"""`fix`: edits keep line endings and untouched lines, a second run is a no-op, `check` afterwards has
nothing fixable left, an edited file is never overwritten, and the diffs are the golden ones."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from linter.cli import main
from linter.fix import Edit, FileChange, apply_edits, unified_diff, write_changes
from tests.helpers import chdir, lint_tree, positions, write_tree
from tests.test_scenarios import SCENARIOS, scenario_args, scenario_dirs

GOLDEN = Path(__file__).resolve().parent / "fix_golden"

UPGRADE_REPO: dict[str, str | bytes] = {
    "go.mod": """
        module example.com/upgrade-me

        go 1.22

        require (
        \tgithub.com/gin-gonic/gin v1.9.1 // the router KrakenD links
        \tgithub.com/luraproject/lura/v2 v2.7.0
        )
        """,
    "plugin.go": """
        package main

        import (
        \t"context"
        \t"net/http"

        \t"github.com/gin-gonic/gin"
        \t"github.com/luraproject/lura/v2/config"
        )

        var _ = gin.New
        var _ config.ServiceConfig

        type registerer string

        var HandlerRegisterer = registerer("upgrade-me")

        func (r registerer) RegisterHandlers(f func(
        \tname string,
        \thandler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
        )) {
        \tf(string(r), r.handlers)
        }

        func (r registerer) handlers(_ context.Context, _ map[string]interface{}, h http.Handler) (http.Handler, error) {
        \treturn h, nil
        }
        """,
    "Dockerfile": (b"ARG KRAKEND_VERSION=2.7.0\r\nFROM krakend/builder:${KRAKEND_VERSION} AS builder\r\n"
                   b"WORKDIR /app\r\nCOPY . .\r\nRUN go build -buildmode=plugin -o /out/upgrade-me.so .\r\n\r\n"
                   b"# the gateway\r\nFROM krakend:2.7.0\r\n"
                   b"COPY --from=builder /out/upgrade-me.so /opt/krakend/plugins/\r\n"
                   b"COPY krakend.json /etc/krakend/krakend.json\r\n"),
    "krakend.json": """
        {
          "$schema": "https://www.krakend.io/schema/v2.7/krakend.json",
          "version": 3,
          "plugin": {"pattern": ".so", "folder": "/opt/krakend/plugins/"},
          "extra_config": {"plugin/http-server": {"name": ["upgrade-me"]}}
        }
        """,
    ".go-version": "1.22.5\n",
    ".github/workflows/ci.yml": """
        name: ci
        on: [push]
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: actions/setup-go@v5
                with:
                  go-version: '1.22.5'  # as KrakenD
              - run: go test ./...
        """,
}


def _fix(root: Path, *args: str) -> int:
    with chdir(root):
        return main(["fix", "--offline", "--cache-dir", str(root.parent / "cache"), *args, "."])


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- one file ------------------------------------------------------------------------------------

def test_crlf_bom_and_untouched_lines_are_kept() -> None:
    data = b"\xef\xbb\xbfone\r\ntwo\r\nthree"
    after, _ = apply_edits(data, [Edit("f", 2, 2, "TWO", ""), Edit("f", 3, 3, "THREE", "")])
    assert after == b"\xef\xbb\xbfone\r\nTWO\r\nTHREE"


def test_multi_line_replacement_delete_and_append() -> None:
    data = b"a\nb\nc\nd\n"
    after, _ = apply_edits(data, [Edit("f", 2, 3, "B\nC\nX", ""), Edit("f", 4, 4, None, ""),
                                  Edit("f", 0, 0, "tail", "")])
    assert after == b"a\nB\nC\nX\ntail\n"


def test_overlapping_edit_is_left_for_the_next_round() -> None:
    after, chosen = apply_edits(b"a\nb\n", [Edit("f", 1, 2, "x", "first"), Edit("f", 2, 2, "y", "second")])
    assert after == b"x\n" and [e.reason for e in chosen] == ["first"]


def test_diff_names_paths_and_keeps_crlf_out_of_the_text() -> None:
    text = unified_diff([FileChange("Dockerfile", b"FROM a\r\n", b"FROM b\r\n")], "sub/")
    assert text.splitlines() == ["--- a/sub/Dockerfile", "+++ b/sub/Dockerfile", "@@ -1 +1 @@", "-FROM a", "+FROM b"]


def test_a_file_changed_after_it_was_read_is_refused(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_bytes(b"module m\n\ngo 1.23\n")
    change = FileChange("go.mod", b"module m\n\ngo 1.22\n", b"module m\n\ngo 1.20\n")
    written, refused = write_changes(tmp_path, [change])
    assert written == () and [r.path for r in refused] == ["go.mod"]
    assert (tmp_path / "go.mod").read_bytes() == b"module m\n\ngo 1.23\n"


# --- the upgrade in one step ---------------------------------------------------------------------

def test_upgrade_2_7_0_to_2_13_8_in_one_fix(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write_tree(root, UPGRADE_REPO)
    assert _fix(root, "--target-version", "2.13.8") == 0
    files = _files(root)
    assert b"ARG KRAKEND_VERSION=2.13.8\r\n" in files["Dockerfile"] and b"FROM krakend:2.13.8\r\n" in files["Dockerfile"]
    assert files["Dockerfile"].count(b"\r\n") == files["Dockerfile"].count(b"\n") == 10
    assert b"# the gateway\r\n" in files["Dockerfile"]
    assert b"\tgithub.com/gin-gonic/gin v1.12.0 // the router KrakenD links\n" in files["go.mod"]
    assert b"schema/v2.13/krakend.json" in files["krakend.json"]
    assert files[".go-version"] == b"1.25.12\n"
    assert b"go-version: '1.25.12'  # as KrakenD\n" in files[".github/workflows/ci.yml"]
    # what check then says: nothing that fix could have fixed, against the target and as detected
    for version in ("2.13.8", ""):
        report = lint_tree(root, krakend_version=version, cache_dir=tmp_path / "cache").report
        assert [f for f in report.active if f.fix is not None] == []
        assert [p for p in positions(report.active) if p[0] != "KP104"] == []
    assert _fix(root, "--target-version", "2.13.8") == 0
    assert _files(root) == files  # a second fix changes nothing


KP101_REPO = {
    "go.mod": "module example.com/p\n\ngo 1.16\n\nrequire github.com/gin-gonic/gin v1.9.1\n\nrequire (\n"
              "\tgithub.com/a/z v1.0.0 // indirect\n\tgolang.org/x/text v0.16.0 // indirect\n)\n",
    "go.sum": "github.com/gin-gonic/gin v1.9.1 h1:a=\ngolang.org/x/sys v0.20.0 h1:b=\n",
    "main.go": 'package main\n\nimport "github.com/gin-gonic/gin"\n\nvar _ = gin.New\n',
}


def test_a_shared_module_go_mod_lacks_is_added_to_its_indirect_block(tmp_path: Path) -> None:
    from linter.inputs.gomod import parse_gomod

    root = tmp_path / "repo"
    write_tree(root, KP101_REPO)
    assert _fix(root, "--krakend-version", "2.7.0", "--select", "KP101") == 0
    gomod = (root / "go.mod").read_bytes()
    assert b"require (\n\tgithub.com/a/z v1.0.0 // indirect\n\tgolang.org/x/sys v0.21.0 // indirect\n" in gomod
    assert parse_gomod(gomod, "go.mod").problems == ()
    report = lint_tree(root, krakend_version="2.7.0", cache_dir=tmp_path / "cache").report
    assert [f for f in report.active if f.rule == "KP101"] == []
    files = _files(root)
    assert _fix(root, "--krakend-version", "2.7.0", "--select", "KP101") == 0
    assert _files(root) == files  # a second fix changes nothing


def test_dry_run_writes_nothing_and_prints_the_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "repo"
    write_tree(root, UPGRADE_REPO)
    before = _files(root)
    assert _fix(root, "--dry-run", "--target-version", "latest") == 1
    out = capsys.readouterr().out
    assert _files(root) == before
    assert "+FROM krakend:2.13.8" in out and "--- a/Dockerfile" in out


def test_unknown_target_is_a_usage_error(tmp_path: Path) -> None:
    write_tree(tmp_path / "repo", UPGRADE_REPO)
    assert _fix(tmp_path / "repo", "--target-version", "2.7.9") == 2


# --- every scenario ------------------------------------------------------------------------------

def _fixable(folder: Path) -> bool:
    return (folder / "repo").is_dir()


@pytest.mark.parametrize("folder", [f for f in scenario_dirs() if _fixable(f)], ids=lambda p: p.name)
def test_scenario_fix(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "repo"
    shutil.copytree(folder / "repo", root)
    args = scenario_args(folder)
    capsys.readouterr()
    _fix(root, "--dry-run", *args)
    diff = capsys.readouterr().out
    golden = GOLDEN / f"{folder.name}.diff"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        if diff:
            golden.write_text(diff, encoding="utf-8")
        elif golden.exists():
            golden.unlink()
    assert diff == (golden.read_text(encoding="utf-8") if golden.exists() else "")
    if folder.name.startswith("good-"):
        assert diff == "", "fix must leave a known-good repo alone"
    _fix(root, *args)
    fixed = _files(root)
    assert _fix(root, *args) == 0 or not diff
    assert _files(root) == fixed
    with chdir(root):
        from linter.cli import build_parser
        from linter.commands.options import settings_from_args
        from linter.engine import run

        parsed = build_parser().parse_args(["check", "--offline", "--cache-dir", str(tmp_path / "c"), *args])
        report = run(settings_from_args(parsed), Path.cwd()).report
    assert [f.rule for f in report.active if f.fix is not None] == []


def test_scenarios_folder_is_there() -> None:
    assert SCENARIOS.is_dir()


def test_fix_tree_then_an_edit_by_someone_else_is_refused(tmp_path: Path) -> None:
    from linter.fix import fix_tree
    from linter.model import Fix, Location, RuleMeta, Severity

    root = tmp_path / "repo"
    write_tree(root, {"go.mod": "module m\n\ngo 1.25\n"})
    meta = RuleMeta("KP202", "gomod-go-directive", "", Severity.ERROR)

    def check(copy: Path) -> tuple[list[object], list[object]]:
        text = (copy / "go.mod").read_text(encoding="utf-8")
        found = [meta.finding(Location("go.mod", 3, 1), "newer", fix=Fix(3, "go 1.22"))] if "1.25" in text else []
        return found, []

    result = fix_tree(root, check)  # type: ignore[arg-type]
    assert [c.path for c in result.changes] == ["go.mod"] and result.rounds == 2
    (root / "go.mod").write_text("module m\n\ngo 1.24\n", encoding="utf-8")  # the user saves meanwhile
    written, refused = write_changes(root, result.changes)
    assert written == () and [r.path for r in refused] == ["go.mod"]
    assert (root / "go.mod").read_text(encoding="utf-8") == "module m\n\ngo 1.24\n"
