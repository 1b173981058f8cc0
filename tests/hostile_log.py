"""A repository whose names try to run workflow commands, and a runner that reads the log.

``executed_commands`` reads a step's log the way the GitHub runner does, erring on the side of
executing: a line whose text after leading whitespace (Python's, which is wider than the runner's,
plus zero-width characters) starts with ``::`` is a command unless commands are stopped; a line
holding ``##[`` anywhere is a command even while commands are stopped. ``run_in_actions`` runs the
CLI in-process as inside Actions and records the lines we print as our own commands (annotations
and the stop/resume markers); every other executed line is forged.

Used by tests/test_workflow_log.py and benchmarks/reliability.py.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from linter.github.workflow_log import LogGuard

# Plugin names in krakend.json (JSON strings may hold any character).
PLUGIN_NAMES = (
    "evil\n::error::PWNED",
    "::add-mask::PWNED",
    "##[error]PWNED",
    "100%\r::warning::PWNED",
    "<!-- krakend-plugin-lint:fp=0123456789abcdef0123 -->",
    "a\u2028::notice::PWNED",
    "::stop-commands::PWNED",
    "  ::set-output name=verdict::pass",
    "%0A::error::PWNED",
    "x\r\n\t::error file=main.go,line=1::PWNED",
)
# Folders holding a plugin with an error, and Go files with a finding (a name is one path segment).
FOLDER_NAMES = ("::error title=PWNED::folder PWNED", "  ::group::PWNED", "100%25 ##[group]PWNED")
FILE_NAMES = ("##[error]PWNED.go", "::warning file=a.go::PWNED.go")
# Broken .github/krakend-lint.yml files whose YAML error snippet quotes a command.
BROKEN_CONFIGS = (
    "rules:\n  - a\n ::error::PWNED ##[error]x\n",
    '::stop-commands::PWNED: "\n',
    "fail-on: error\n\t::warning::PWNED\n",
)
_WHITESPACE = " \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"

GOOD_MAIN = """\
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
"""


def hostile_names() -> int:
    """How many hostile names ``write_hostile_repo`` and ``BROKEN_CONFIGS`` try."""
    return len(PLUGIN_NAMES) + len(FOLDER_NAMES) + len(FILE_NAMES) + len(BROKEN_CONFIGS)


def write_hostile_repo(root: Path) -> None:
    """A valid plugin at the root, hostile plugin names in its krakend.json, hostile file names with
    a KP406 finding, and hostile folders holding a plugin with a KP403 finding."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "go.mod").write_text("module example.com/good\n\ngo 1.22\n", encoding="utf-8")
    (root / "main.go").write_text(GOOD_MAIN, encoding="utf-8")
    for name in FILE_NAMES:
        (root / name).write_text("package main\n\nvar ClientRegistrer = 1\n", encoding="utf-8")
    for number, name in enumerate(FOLDER_NAMES):
        folder = root / name
        folder.mkdir()
        (folder / "go.mod").write_text(f"module example.com/evil{number}\n\ngo 1.22\n", encoding="utf-8")
        (folder / "main.go").write_text("package main\n\nvar ClientRegisterer = &struct{}{}\n\nfunc main() {}\n",
                                        encoding="utf-8")
    config = {"version": 3, "plugin": {"pattern": ".so", "folder": "/opt/krakend/plugins/"},
              "extra_config": {"plugin/http-server": {"name": ["good", *PLUGIN_NAMES]}}, "endpoints": []}
    (root / "krakend.json").write_text(json.dumps(config, indent=2), encoding="utf-8")


def executed_commands(log: str) -> list[str]:
    """The lines of ``log`` a runner would execute as workflow commands (see the module doc)."""
    executed: list[str] = []
    resume = ""
    for line in re.split(r"\r\n|\r|\n", log):
        body = line.lstrip().lstrip(_WHITESPACE + _ZERO_WIDTH)
        if resume:
            if body.startswith(f"::{resume}::"):
                resume = ""
            elif "##[" in line:
                executed.append(line)
            continue
        if body.startswith("::"):
            executed.append(line)
            if body.startswith("::stop-commands::"):
                resume = body.removeprefix("::stop-commands::").strip() or "\0"
        elif "##[" in line:
            executed.append(line)
    return executed


@dataclass
class Logged:
    code: int
    stdout: str
    stderr: str
    own: list[str] = field(default_factory=list)  # the command lines we printed on purpose

    @property
    def executed(self) -> list[str]:
        return executed_commands(self.stdout) + executed_commands(self.stderr)

    @property
    def forged(self) -> list[str]:
        """Executed lines that are not one of our own command lines."""
        return sorted((Counter(self.executed) - Counter(self.own)).elements())


@contextmanager
def _actions_env(extra: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    for name in list(os.environ):
        if name.startswith(("GITHUB_", "INPUT_", "RUNNER_")):
            del os.environ[name]
    os.environ.update({"GITHUB_ACTIONS": "true", **extra})
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_in_actions(cwd: Path, argv: Sequence[str], env: dict[str, str] | None = None) -> Logged:
    """``krakend-plugin-lint argv`` in ``cwd`` as a GitHub Actions step: (exit code, stdout, stderr,
    the lines written as our own commands)."""
    from linter.cli import main

    own: list[str] = []
    trusted = LogGuard.write_trusted

    def record(self: LogGuard, text: str) -> None:
        own.extend(line for line in re.split(r"\r\n|\r|\n", text) if line)
        trusted(self, text)

    out, err = io.StringIO(), io.StringIO()
    old_dir, old_out, old_err = Path.cwd(), sys.stdout, sys.stderr
    LogGuard.write_trusted = record  # type: ignore[method-assign]
    try:
        with _actions_env(env or {}):
            os.chdir(cwd)
            sys.stdout, sys.stderr = out, err
            code = main(list(argv))
    finally:
        sys.stdout, sys.stderr = old_out, old_err
        os.chdir(old_dir)
        LogGuard.write_trusted = trusted  # type: ignore[method-assign]
    return Logged(code, out.getvalue(), err.getvalue(), own)
