from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions

PLUGIN = {"go.mod": "module example.com/p\n\ngo 1.22\n", "main.go": "package main\n\nfunc main() {}\n"}
WF = ".github/workflows/build.yml"


def workflow(go_version: str, run: str = "go build -buildmode=plugin -o p.so .") -> str:
    return (
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/setup-go@v5\n"
        "        with:\n"
        f"          go-version: {go_version}\n"
        f"      - run: {run}\n"
    )


def lint(tmp_path: Path, files: dict[str, str]):  # type: ignore[no-untyped-def]
    return lint_files(tmp_path, {**PLUGIN, **files}, krakend_version="2.7.0")


def test_floating_setup_go_version_is_reported(tmp_path: Path) -> None:
    found = lint(tmp_path, {WF: workflow("1.22.x")})
    assert positions(found, "KP204") == [("KP204", WF, 8, 23)]
    fix = next(f for f in found if f.rule == "KP204").fix
    assert fix is not None and fix.replacement == "          go-version: 1.22.5"


def test_unquoted_number_and_matrix_values(tmp_path: Path) -> None:
    text = workflow("${{ matrix.go }}").replace("    steps:\n", "    strategy:\n      matrix:\n        go: [1.20, '1.22.5']\n    steps:\n")
    found = lint(tmp_path, {WF: text})
    assert positions(found, "KP204") == [("KP204", WF, 7, 14)]
    assert "read as 1.2" in next(f for f in found if f.rule == "KP204").message


def test_go_version_file_pointing_at_go_mod(tmp_path: Path) -> None:
    text = workflow("x").replace("go-version: x", "go-version-file: go.mod")
    assert positions(lint(tmp_path, {WF: text}), "KP204") == [("KP204", WF, 8, 28)]


def test_pin_files(tmp_path: Path) -> None:
    found = lint(tmp_path, {".go-version": "1.22.4\n", "tools/.tool-versions": "golang 1.22\n"})
    assert positions(found, "KP204") == [("KP204", ".go-version", 1, 1), ("KP204", "tools/.tool-versions", 1, 8)]
    fixes = sorted(f.fix.replacement for f in found if f.rule == "KP204" and f.fix)
    assert fixes == ["1.22.5", "golang 1.22.5"]


def test_exact_versions_and_jobs_that_only_test_pass(tmp_path: Path) -> None:
    assert positions(lint(tmp_path, {WF: workflow('"1.22.5"'), ".go-version": "1.22.5\n"}), "KP204") == []
    assert positions(lint(tmp_path / "b", {WF: workflow("1.23.x", run="go test ./...")}), "KP204") == []
