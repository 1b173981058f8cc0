"""GitHub Action entry point: action inputs (``INPUT_*``) -> ``krakend-plugin-lint check`` argv.

The runner passes each input as ``INPUT_<NAME>`` with the name upper-cased and hyphens kept
(``INPUT_FAIL-ON``). The token never goes on the command line (where ``ps`` and error messages
could show it): it is handed over through the environment as ``GITHUB_TOKEN``.
"""

from __future__ import annotations

import os
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


class InputError(ValueError):
    """An input the action cannot use; the message names it. Exit code 2."""


def paths_from(value: str) -> list[str]:
    """One path per line, taken literally (``my plugin`` and ``o'brien`` are one path each); blank
    lines and the spaces around a path are dropped. A control character is a mistake: exit 2."""
    lines = [line.strip() for line in value.replace("\r\n", "\n").split("\n")]
    for number, line in enumerate(lines, 1):
        bad = next((ch for ch in line if ord(ch) < 0x20 or ord(ch) == 0x7F), None)
        if bad is not None:
            raise InputError(f"input paths, line {number}: {line!r} holds the control character "
                             f"U+{ord(bad):04X}; give one path per line")
    return [line for line in lines if line]


def argv_from_env(env: Mapping[str, str]) -> list[str]:
    argv = ["check"]
    for name, flag in FLAGS.items():
        value = env.get(f"INPUT_{name.upper()}", "").strip()
        if value:
            argv.append(f"{flag}={value}")  # "=": a value starting with "-" stays a value
    return [*argv, "--", *paths_from(env.get("INPUT_PATHS", ""))]


def export_token(env: MutableMapping[str, str]) -> None:
    from linter.github.token import action_token

    token = action_token(env)
    if token and not env.get("GITHUB_TOKEN"):
        env["GITHUB_TOKEN"] = token


def main() -> int:
    from linter.cli import main as cli_main
    from linter.commands.exits import EXIT_USAGE
    from linter.github.workflow_log import neutralise

    export_token(os.environ)
    try:
        argv = argv_from_env(os.environ)
    except InputError as err:
        sys.stderr.write(neutralise(f"krakend-plugin-lint: error: {err}\n"))
        return EXIT_USAGE
    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
