"""`check --format check-plugin` end to end, one golden per release family: the text on each stream
and the exit status, as `krakend check-plugin` of that release prints them.

The goldens under golden/check_plugin/families/ were written by hand from krakend-cobra's
`plugin.go`, `root.go` and `cmd.go` at the tag each release uses, never generated from this code:
`<case>.stderr` and `<case>.stdout` (absent = nothing on that stream).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.cli import main
from tests.helpers import chdir, write_tree

GOLDEN = Path(__file__).parent / "golden" / "check_plugin" / "families"

PLUGIN = {
    "go.mod": """\
        module example.com/plug

        go 1.22

        require (
        \tgithub.com/gin-gonic/gin v1.9.1
        \tgithub.com/stretchr/testify v1.9.0
        \tgolang.org/x/sys v0.21.0 // indirect
        )
        """,
    "main.go": "package main\n\nfunc main() {}\n",
    "go.sum": """\
        github.com/gin-gonic/gin v1.9.1 h1:a=
        github.com/gin-gonic/gin v1.9.1/go.mod h1:b=
        github.com/stretchr/testify v1.9.0 h1:c=
        golang.org/x/sys v0.21.0 h1:d=
        """,
}
# KrakenD's go.sum mentions testify (its tests use it) but its go.mod, the build list, does not:
# the binary's build info has no testify, so check-plugin never reports it.
KRAKEND = {
    "go.mod": "module github.com/krakend/krakend-ce/v2\n\ngo 1.22\n\nrequire (\n"
              "\tgithub.com/gin-gonic/gin v1.9.0\n\tgolang.org/x/sys v0.20.0\n)\n",
    "go.sum": "github.com/gin-gonic/gin v1.9.0 h1:x=\ngithub.com/stretchr/testify v1.8.4 h1:y=\n"
              "golang.org/x/sys v0.20.0 h1:z=\n",
}


def golden(case: str, stream: str) -> str:
    path = GOLDEN / f"{case}.{stream}"
    if not path.exists():
        return ""
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def run_check_plugin(tmp_path: Path, plugin: dict[str, str], version: str, *extra: str, stdout: bool = True) -> int:
    write_tree(tmp_path / "p", plugin)
    write_tree(tmp_path / "k", KRAKEND)
    with chdir(tmp_path / "p"):
        return main(["check", ".", "--offline", "--cache-dir", str(tmp_path / "c"), "--krakend-version", version,
                     "--krakend-go-sum", "../k/go.sum", "--krakend-go-mod", "../k/go.mod",
                     *(["--format", "check-plugin"] if stdout else []), *extra])


@pytest.mark.parametrize(
    ("case", "version", "fix", "status"),
    [
        ("v1.4.1", "1.4.1", False, 255),  # 1.x: no such command
        ("v2.0.1", "2.0.1", False, 1),  # 2.0.0-2.0.1: prepending libc loses the last module
        ("v2.0.2", "2.0.2", False, 1),  # 2.0.x: header, status 1
        ("v2.0.5-fix", "2.0.5", True, 255),  # 2.0.x before 2.0.6: -f is not a flag
        ("v2.4.6-fix", "2.4.6", True, 1),  # 2.1-2.6: header, go get for every module
        ("v2.7.0", "2.7.0", False, 255),  # 2.7.0: cobra's error, the root's copy on stdout
        ("v2.7.1-fix", "2.7.1", True, 1),  # 2.7.1+: trailer; an indirect module gets a replace
        ("v2.13.8", "2.13.8", False, 1),  # 2.8+: trailer
    ],
)
def test_family_layout_streams_and_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, version: str, fix: bool, status: int
) -> None:
    code = run_check_plugin(tmp_path, PLUGIN, version, *(["--fix-commands"] if fix else []))
    out, err = capsys.readouterr()
    assert (err, out, code) == (golden(case, "stderr"), golden(case, "stdout"), status)


CLEAN = {**PLUGIN, "go.sum": "github.com/gin-gonic/gin v1.9.0 h1:a=\ngithub.com/stretchr/testify v1.9.0 h1:c=\n"}


def test_no_differences_exit_zero_whatever_the_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run_check_plugin(tmp_path, CLEAN, "2.13.8", "--fail-on", "notice", "--libc", "MUSL-1.2.5_(alpine-3.23)")
    out, err = capsys.readouterr()
    assert (err, out, code) == (golden("v2.13.8-clean", "stderr"), "", 0)


def test_a_plain_run_always_has_a_libc_block(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run_check_plugin(tmp_path, CLEAN, "2.13.8", "--libc", "GLIBC-2.36_(debian-12)")
    out, err = capsys.readouterr()
    assert (err, out, code) == (golden("v2.13.8-glibc-plugin", "stderr"), "", 1)


def test_krakend_libc_string_overrides_the_release_s(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run_check_plugin(tmp_path, PLUGIN, "2.13.8", "--krakend-libc-string", "")
    out, err = capsys.readouterr()
    assert (err, out, code) == (golden("v2.13.8-libc-given", "stderr"), "", 1)


def test_2_0_1_panics_when_only_libc_differs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run_check_plugin(tmp_path, CLEAN, "2.0.1")
    out, err = capsys.readouterr()
    assert (err, out, code) == (golden("v2.0.1-clean", "stderr"), "", 2)


def test_an_empty_gosum_line_panics_before_2_1_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = {**PLUGIN, "go.sum": "github.com/gin-gonic/gin v1.9.1 h1:a=\n\ngolang.org/x/sys v0.21.0 h1:d=\n"}
    code = run_check_plugin(tmp_path, broken, "2.0.1")
    out, err = capsys.readouterr()
    assert (err, out, code) == (golden("v2.0.1-empty-line", "stderr"), "", 2)


def test_missing_gosum_is_the_open_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    without = {name: text for name, text in PLUGIN.items() if name != "go.sum"}
    code = run_check_plugin(tmp_path, without, "2.13.8")
    out, err = capsys.readouterr()
    assert (err, out, code) == ("open ./go.sum: no such file or directory\n", "", 1)


def test_written_to_a_file_both_streams_and_our_own_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "cp.txt"
    code = run_check_plugin(tmp_path, PLUGIN, "2.7.0", "--output", f"check-plugin={report}", "--fail-on", "never",
                            stdout=False)
    assert code == 0  # the file does not own the status: --fail-on does
    assert report.read_text(encoding="utf-8") == golden("v2.7.0", "stderr") + golden("v2.7.0", "stdout")
    assert "check-plugin" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["--fix-commands"], "--fix-commands"),
        (["--fix-commands", "--format", "json"], "--fix-commands"),
        (["--format", "json", "--format", "sarif"], "--output sarif=FILE"),
        (["--format", "check-plugin", "--format", "terminal"], "--output terminal=FILE"),
    ],
)
def test_output_choices_that_cannot_work_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], complaint: str
) -> None:
    write_tree(tmp_path, PLUGIN)
    with chdir(tmp_path):
        assert main(["check", ".", "--offline", "--cache-dir", str(tmp_path / "c"), *args]) == 2
    assert complaint in capsys.readouterr().err


def test_fix_commands_with_check_plugin_in_a_file_is_fine(tmp_path: Path) -> None:
    report = tmp_path / "cp.txt"
    code = run_check_plugin(tmp_path, PLUGIN, "2.13.8", "--fix-commands", "--output", f"check-plugin={report}")
    assert code == 1  # check-plugin on stdout owns the status
    assert "\ngo get github.com/gin-gonic/gin@v1.9.0\n" in report.read_text(encoding="utf-8")


def test_enterprise_is_never_compared_with_ce_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ee = {**PLUGIN, "Dockerfile": "FROM krakend/builder-ee:2.7.0 AS b\nRUN go build -buildmode=plugin -o /p.so .\n"}
    write_tree(tmp_path, ee)
    with chdir(tmp_path):
        code = main(["check", ".", "--offline", "--cache-dir", str(tmp_path / "c"), "--format", "check-plugin"])
    out, err = capsys.readouterr()
    assert (out, code) == ("", 2)
    assert "Enterprise Edition" in err and "gin" not in err
