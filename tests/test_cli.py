"""The CLI contract: exit codes, formats, --output, config errors, explain, rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.cli import main
from tests.helpers import chdir, write_tree

GOOD = {
    "go.mod": "module example.com/good\n\ngo 1.22\n",
    "main.go": """\
        package main

        import (
            "context"
            "net/http"
        )

        var HandlerRegisterer = registerer("good")

        type registerer string

        func (r registerer) RegisterHandlers(f func(string, func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error))) {
            f(string(r), nil)
        }

        func main() {}
        """,
}
BAD = {**GOOD, "main.go": "package main\n\nvar HandlerRegisterer = &struct{}{}\n\nfunc main() {}\n"}


def run_cli(tmp_path: Path, files: dict, *args: str) -> int:
    write_tree(tmp_path, files)
    with chdir(tmp_path):
        return main(["check", "--offline", "--no-color", "--cache-dir", str(tmp_path / ".cache" / "r"), *args])


def test_clean_repo_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(tmp_path, GOOD, "--krakend-version", "2.7.0") == 0
    assert "no problems found" in capsys.readouterr().out


def test_errors_exit_one(tmp_path: Path) -> None:
    assert run_cli(tmp_path, BAD, "--krakend-version", "2.7.0") == 1


def test_fail_on_never_exits_zero_with_errors(tmp_path: Path) -> None:
    assert run_cli(tmp_path, BAD, "--krakend-version", "2.7.0", "--fail-on", "never") == 0


def test_fail_on_notice_counts_notices(tmp_path: Path) -> None:
    # Without a reference (a release newer than the embedded data, offline), KP106 is a notice.
    assert run_cli(tmp_path, GOOD, "--krakend-version", "2.14.0", "--fail-on", "notice") == 1


def test_bad_option_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(tmp_path, GOOD, "--fail-on", "sometimes") == 2
    assert "--fail-on" in capsys.readouterr().err


def test_bad_version_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(tmp_path, GOOD, "--krakend-version", "two") == 2
    assert "--krakend-version" in capsys.readouterr().err


def test_unknown_config_key_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {**GOOD, ".github/krakend-lint.yml": "fail-on: error\nfial-on: warning\n"}
    assert run_cli(tmp_path, files) == 2
    assert "fial-on" in capsys.readouterr().err


def test_unknown_rule_in_config_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {**GOOD, ".github/krakend-lint.yml": "rules:\n  KP777:\n    disable: true\n"}
    assert run_cli(tmp_path, files) == 2
    assert "KP777" in capsys.readouterr().err


# --- typos are errors: exit 2 and the nearest valid name ---------------------------------------------


@pytest.mark.parametrize(("given", "nearest"), [("KP1O1", "'KP101'"), ("KP4o3", "'KP403'"), ("nope", None),
                                                ("registerer-value-typ", "'registerer-value-type'"),
                                                ("KP1x", "'KP1xx'"), ("", None)])
def test_unknown_select_is_exit_two_with_the_nearest(given: str, nearest: str | None, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(tmp_path, BAD, "--krakend-version", "2.7.0", "--select", given) == 2  # was 0, "no problems"
    err = capsys.readouterr().err
    assert f"--select: unknown rule or family {given!r}" in err
    assert (f"did you mean {nearest}?" in err) if nearest else "did you mean" not in err


@pytest.mark.parametrize("given", ["KP403", "kp403", "KP4xx", "kp4XX", "registerer-value-type", "REGISTERER-VALUE-TYPE",
                                   "KP101, KP403"])
def test_select_takes_ids_families_and_names_in_any_case(given: str, tmp_path: Path) -> None:
    assert run_cli(tmp_path, BAD, "--krakend-version", "2.7.0", "--select", given) == 1  # the KP403 error
    assert run_cli(tmp_path, BAD, "--krakend-version", "2.7.0", "--select", given, "--select", "KP1xx") == 1


def test_unknown_reporter_is_exit_two_with_the_nearest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(tmp_path, GOOD, "--reporters", "gh-annotations,gh-pr-reviews") == 2
    assert "unknown channel 'gh-pr-reviews'; did you mean 'gh-pr-review'?" in capsys.readouterr().err


@pytest.mark.parametrize("option", [None, "--plugin-so", "--gateway-config", "--gateway-config-rendered"])
def test_a_path_that_does_not_exist_is_exit_two_with_the_nearest(option: str | None, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    files = {f"plugins/auth/{name}": text for name, text in BAD.items()}
    given = ["plugins/aut"] if option is None else [option, "plugins/aut"]
    assert run_cli(tmp_path, files, "--krakend-version", "2.7.0", *given) == 2  # was 0
    assert "'plugins/aut' does not exist; did you mean 'plugins/auth'?" in capsys.readouterr().err
    assert run_cli(tmp_path, files, "--krakend-version", "2.7.0", "nowhere/at/all") == 2
    assert "'nowhere/at/all' does not exist" in capsys.readouterr().err


def test_a_path_with_a_nul_byte_is_exit_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(tmp_path, GOOD, "plug\0ins") == 2
    assert "NUL" in capsys.readouterr().err


def test_unknown_rule_in_config_names_the_nearest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {**GOOD, ".github/krakend-lint.yml": "rules:\n  KP1O1:\n    disable: true\n"}
    assert run_cli(tmp_path, files) == 2
    assert "unknown rule 'KP1O1'; did you mean 'KP101'?" in capsys.readouterr().err
    files = {**GOOD, ".github/krakend-lint.yml": "fial-on: warning\nrules:\n  KP101:\n    disabel: true\n"}
    assert run_cli(tmp_path, files) == 2
    assert "unknown key 'fial-on'; did you mean 'fail-on'?" in capsys.readouterr().err


def test_config_disables_and_remaps(tmp_path: Path) -> None:
    files = {**BAD, ".github/krakend-lint.yml": "rules:\n  KP403:\n    severity: notice\n"}
    assert run_cli(tmp_path, files, "--krakend-version", "2.7.0") == 0
    files = {**BAD, ".github/krakend-lint.yml": "rules:\n  registerer-value-type:\n    disable: true\n"}
    assert run_cli(tmp_path, files, "--krakend-version", "2.7.0") == 0


def test_missing_reference_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(tmp_path, GOOD, "--krakend-go-sum", "nope/go.sum") == 2
    assert "nope/go.sum" in capsys.readouterr().err


def test_output_writes_each_format_to_its_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run_cli(tmp_path, BAD, "--krakend-version", "2.7.0", "--output", "json=out/r.json",
                   "--output", "sarif=out/r.sarif", "--format", "rdjson")
    assert code == 1
    report = json.loads((tmp_path / "out" / "r.json").read_text(encoding="utf-8"))
    assert any(f["rule"] == "KP403" for f in report["findings"])
    sarif = json.loads((tmp_path / "out" / "r.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert json.loads(capsys.readouterr().out)["diagnostics"]


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    assert run_cli(tmp_path, GOOD, "--format", "xml") == 2


def test_paths_are_relative_to_the_working_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path / "plugins" / "bad", BAD)
    with chdir(tmp_path):
        main(["check", "plugins", "--offline", "--krakend-version", "2.7.0", "--format", "json",
              "--cache-dir", str(tmp_path / ".cache" / "r")])
    paths = {f["path"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert "plugins/bad/main.go" in paths
    assert all(not p.startswith(("/", "./")) for p in paths)


def test_check_is_the_default_command(tmp_path: Path) -> None:
    write_tree(tmp_path, BAD)
    with chdir(tmp_path):
        assert main(["--offline", "--krakend-version", "2.7.0", "--cache-dir", str(tmp_path / "c")]) == 1


def test_explain_prints_the_rule_documentation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "KP901"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("KP901 input-unparsable") and "## How to fix" in out


def test_explain_unknown_rule_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "KP000"]) == 2
    assert main(["explain", "KP1O1"]) == 2
    assert "did you mean 'KP101'?" in capsys.readouterr().err


def test_rules_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    assert "KP101" in capsys.readouterr().out


def test_check_plugin_format_prints_the_exact_layout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {**GOOD, "go.sum": "golang.org/x/sys v0.1.0 h1:abc=\ngolang.org/x/sys v0.1.0/go.mod h1:def=\n"}
    write_tree(tmp_path, files)
    write_tree(tmp_path / "k", {"go.sum": "golang.org/x/sys v0.2.0 h1:zzz=\n"})
    with chdir(tmp_path):
        code = main(["check", ".", "--exclude", "k/*", "--krakend-version", "2.7.1", "--krakend-go-sum", "k/go.sum",
                     "--format", "check-plugin", "--offline", "--fail-on", "never"])
    assert code == 1  # the real command's status, whatever --fail-on says
    err = capsys.readouterr().err
    # -l defaults to "" while the binary carries its libc string: a plain run always has a libc block
    assert err == ("libc\n\thave: \n\twant: MUSL-1.2.4_(alpine-3.19)\n"
                   "golang.org/x/sys\n\thave: v0.1.0\n\twant: v0.2.0\n2 incompatibilities found\n")


def test_target_version_prints_the_edits_to_move(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shared = Path(__file__).resolve().parents[2] / "shared" / "krakend" / "v2.9.2"
    if not shared.is_dir():
        pytest.skip("../shared/krakend is not beside the checkout")
    files = {**GOOD, "go.mod": "module example.com/good\n\ngo 1.22\n\nrequire golang.org/x/sys v0.1.0\n",
             "Dockerfile": "FROM krakend/builder:2.7.0 AS b\nRUN go build -buildmode=plugin -o p.so .\n"
                           "FROM krakend:2.7.0\nCOPY --from=b /go/p.so /opt/krakend/plugins/\n"}
    write_tree(tmp_path, files)
    cache = tmp_path / ".cache" / "r"
    from linter.krakend.cache import Cache

    Cache(cache).store("github", "2.9.2", {name: (shared / name).read_text(encoding="utf-8")
                                            for name in ("go.mod", "go.sum")}, "test", [])
    with chdir(tmp_path):
        main(["check", "--offline", "--cache-dir", str(cache), "--target-version", "2.9.2", "--fail-on", "never"])
    out = capsys.readouterr().out
    assert "2.9.2" in out and "golang.org/x/sys" in out and "krakend/builder:2.9.2" in out


def _cached(tmp_path: Path, *versions: str) -> Path:
    from linter.krakend.cache import Cache

    shared = Path(__file__).resolve().parents[2] / "shared" / "krakend"
    if not shared.is_dir():
        pytest.skip("../shared/krakend is not beside the checkout")
    cache = tmp_path / ".cache" / "r"
    for version in versions:
        files = {name: (shared / f"v{version}" / name).read_text(encoding="utf-8") for name in ("go.mod", "go.sum")}
        Cache(cache).store("github", version, files, "test", [])
    return cache


def test_matrix_prints_the_compatible_range(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache = _cached(tmp_path, "2.9.0", "2.9.1", "2.9.2", "2.9.3")
    files = {**GOOD, "Dockerfile": "FROM golang:1.22.11-alpine3.21 AS b\nRUN apk add gcc musl-dev\n"
                                   "RUN go build -buildmode=plugin -o p.so .\n"}
    write_tree(tmp_path, files)
    with chdir(tmp_path):
        code = main(["matrix", "--offline", "--cache-dir", str(cache), "--versions", "2.9.0..2.9.3",
                     "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert "2.9.0" in data["plugins"][0]["summary"] and "2.9.2" in data["plugins"][0]["summary"]


def test_reference_show_says_where_each_fact_came_from(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache = _cached(tmp_path, "2.7.0")
    assert main(["reference", "show", "--krakend-version", "2.7.0", "--offline", "--cache-dir", str(cache),
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["available"] and data["source"] == "embedded" and data["go_version"] == "1.22.5"


def test_reference_show_without_a_source_exits_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reference", "show", "--krakend-version", "2.14.0", "--offline",
                 "--cache-dir", str(tmp_path / "empty")]) == 1
    assert "no reference" in capsys.readouterr().out


def test_an_internal_error_is_a_message_and_exit_three(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    import linter.commands.rules

    def broken(args: object) -> int:
        raise ValueError("boom")

    monkeypatch.setattr(linter.commands.rules, "list_rules", broken)
    monkeypatch.delenv("KPL_DEBUG", raising=False)
    assert main(["rules"]) == 3
    err = capsys.readouterr().err
    assert "internal error: ValueError: boom" in err and "Traceback" not in err


@pytest.mark.parametrize(("files", "code"), [(GOOD, 0), (BAD, 1), (None, 2)])
def test_python_m_linter_exits_with_the_command_s_code(files: dict | None, code: int, tmp_path: Path) -> None:
    """`python -m linter` (``cli.run``, which freezes what the run built before the interpreter exits)
    ends with the exit code and the whole output of ``main``."""
    import os
    import subprocess
    import sys

    if files is not None:
        write_tree(tmp_path, files)
    args = ["check", "--offline", "--no-color", "--format", "json", "--cache-dir", str(tmp_path / "cache")]
    if files is None:
        args.append("--no-such-option")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_", "RUNNER_"))}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    done = subprocess.run([sys.executable, "-m", "linter", *args], cwd=tmp_path, env=env, capture_output=True,
                          text=True, check=False, timeout=120)
    assert done.returncode == code, done.stderr[-2000:]
    if files is not None:  # the whole report was written before the exit
        severities = {f["severity"] for f in json.loads(done.stdout)["findings"]}
        assert ("error" in severities) == (code == 1)
