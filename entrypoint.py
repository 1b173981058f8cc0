"""GitHub Action entry point: action inputs (``INPUT_*``) -> ``krakend-plugin-lint check`` argv.

The runner passes each input as ``INPUT_<NAME>`` with the name upper-cased and hyphens kept
(``INPUT_FAIL-ON``). The token never goes on the command line (where ``ps`` and error messages
could show it): it is handed over through the environment as ``GITHUB_TOKEN``.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Mapping, MutableMapping

# action input -> CLI option (every other input is handled below)
FLAGS = {
    "krakend-version": "--krakend-version",
    "krakend-binary": "--krakend-binary",
    "krakend-go-sum": "--krakend-go-sum",
    "config": "--config",
    "fail-on": "--fail-on",
    "comment-on": "--comment-on",
    "annotate-on": "--annotate-on",
    "reporters": "--reporters",
    "filter-mode": "--filter-mode",
    "max-comments": "--max-comments",
    "github-timeout": "--github-timeout",
    "cache-dir": "--cache-dir",
}


def paths_from(value: str) -> list[str]:
    """One path per line; a single line may hold several, shell-quoted (``a "b c"``)."""
    lines = [line.strip() for line in value.splitlines() if line.strip()]
    return shlex.split(lines[0]) if len(lines) == 1 else lines


def argv_from_env(env: Mapping[str, str]) -> list[str]:
    argv = ["check"]
    for name, flag in FLAGS.items():
        value = env.get(f"INPUT_{name.upper()}", "").strip()
        if value:
            argv.append(f"{flag}={value}")  # "=": a value starting with "-" stays a value
    return [*argv, "--", *paths_from(env.get("INPUT_PATHS", ""))]


def export_token(env: MutableMapping[str, str]) -> None:
    token = env.get("INPUT_GITHUB-TOKEN", "").strip()
    if token and not env.get("GITHUB_TOKEN"):
        env["GITHUB_TOKEN"] = token


def main() -> int:
    from linter.cli import main as cli_main

    export_token(os.environ)
    return cli_main(argv_from_env(os.environ))


if __name__ == "__main__":
    sys.exit(main())
