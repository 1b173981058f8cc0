"""What each command imports: only what its run needs (start-up is most of a short run's time).

Each command runs in a fresh interpreter that prints, as it exits, the name of every module it
imported (``sys.modules``, which also holds the rule modules ``importlib`` loads); no timings are
asserted, only names.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
RULE_MODULE_PREFIX = "linter.rules."
GITHUB_ONLY = ("github", "jinja2")  # PyGithub and Jinja2: GitHub channels only
ELF = "elftools"  # pyelftools: only with a built .so or a KrakenD binary to read


# Runs the CLI as `python -m linter` does, then prints the imported modules' names whatever the exit.
PROBE = """
import json, runpy, sys
sys.argv = ["linter", *sys.argv[1:]]
try:
    runpy.run_module("linter", run_name="__main__", alter_sys=True)
finally:
    print("MODULES " + json.dumps(sorted(sys.modules)), file=sys.__stderr__)
"""


def imported(args: list[str], cwd: Path) -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_", "RUNNER_"))}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    listed = [line for line in done.stderr.splitlines() if line.startswith("MODULES ")]
    assert listed, done.stderr[-2000:]
    names = set(json.loads(listed[-1].removeprefix("MODULES ")))
    assert "linter.cli" in names  # the list was read
    return names


def tops(names: set[str]) -> set[str]:
    return {name.split(".", 1)[0] for name in names}


@pytest.mark.parametrize("args", [["rules"], ["explain", "KP101"], ["explain", "shared-module-version"]])
def test_rules_and_explain_import_no_rule_module(args: list[str]) -> None:
    names = imported(args, REPO)
    assert not {n for n in names if n.startswith(RULE_MODULE_PREFIX)}
    assert "linter.engine" not in names and "linter.inputs.shell" not in names
    assert not tops(names) & {ELF, "tree_sitter", *GITHUB_ONLY}


def test_check_without_binaries_or_github_imports_neither(tmp_path: Path) -> None:
    names = imported(["check", str(REPO / "examples" / "plugin"), "--offline", "--no-color", "--fail-on", "never",
                      "--cache-dir", str(tmp_path / "cache")], tmp_path)
    assert "linter.engine" in names  # it did run the rules
    assert {n for n in names if n.startswith(RULE_MODULE_PREFIX)}  # ... every one of them
    assert not tops(names) & {ELF, *GITHUB_ONLY}
    assert "bashlex" not in tops(names)


# The bundled example holds krakend.json, go.mod, main.go and a Dockerfile: no YAML or TOML file, no
# workflow, Compose file, Taskfile, build script, go.sum or vendor folder; its release is pinned and
# embedded, so nothing is fetched, cached or compared as check-plugin does; no .so or KrakenD binary to
# judge; no GitHub channel.
NOT_FOR_THE_EXAMPLE = (
    "yaml", "tomllib", "linter.inputs.compose", "linter.inputs.taskfile", "linter.inputs.workflow",
    "linter.inputs.buildscript", "linter.inputs.gateway_config.yaml_reader",
    "linter.inputs.gateway_config.toml_reader", "linter.inputs.gosum", "linter.inputs.modules_txt",
    "linter.krakend.checkplugin", "linter.krakend.matrix", "linter.krakend.judge", "linter.krakend.cache_report",
    "linter.github.context", "linter.github.contents",
)


def test_check_of_the_example_imports_only_the_parsers_of_its_files(tmp_path: Path) -> None:
    names = imported(["check", str(REPO / "examples" / "plugin"), "--offline", "--no-color", "--fail-on", "never",
                      "--cache-dir", str(tmp_path / "cache")], tmp_path)
    assert {"linter.inputs.gomod", "linter.inputs.dockerfile", "linter.inputs.gateway_config"} <= names
    assert not tops(names) & {ELF, *GITHUB_ONLY}
    assert not {n for n in NOT_FOR_THE_EXAMPLE if n in names or n in tops(names)}


def test_check_of_yaml_and_toml_files_imports_their_parsers(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "ci.yml").write_text("on: push\njobs: {}\n")
    (repo / "compose.yaml").write_text("services: {}\n")
    (repo / "krakend.toml").write_text("version = 3\n")
    names = imported(["check", str(repo), "--offline", "--no-color", "--fail-on", "never",
                      "--cache-dir", str(tmp_path / "cache")], tmp_path)
    assert {"yaml", "tomllib", "linter.inputs.workflow", "linter.inputs.compose",
            "linter.inputs.gateway_config.toml_reader"} <= names  # the guard above can fail


def test_check_with_a_shared_object_reads_elf(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "go.mod").write_text("module example.com/p\n\ngo 1.22\n")
    (tmp_path / "repo" / "plugin.so").write_bytes(b"\x7fELF not really")
    names = imported(["check", str(tmp_path / "repo"), "--offline", "--no-color", "--fail-on", "never",
                      "--krakend-version", "2.7.0", "--cache-dir", str(tmp_path / "cache")], tmp_path)
    assert ELF in tops(names)  # the guard above can fail: this path does import it


def test_rule_index_matches_the_rule_modules() -> None:
    from linter.rule_index import index_source, indexed_rules
    from linter.rules import rule_docs

    assert indexed_rules() == rule_docs()
    written = (REPO / "linter" / "rule_index_data.py").read_text(encoding="utf-8")
    assert written == index_source(rule_docs()), "run `python -m scripts.rule_index`"
