"""`--format check-plugin`: what `krakend check-plugin` of the emulated CE version prints, on which
stream, and the exit status it ends with.

Facts, read from krakend-cobra's `plugin.go`, `root.go` and `cmd.go` at the tag each CE release
uses (the CE go.mod names it):

* Every line of the command goes through cobra's `cmd.Println`/`cmd.Printf`, which write to
  standard **error** (KrakenD never redirects cobra's output). Only KrakenD's root, when a command
  returns an error, prints that error with Go's `fmt.Println` on standard **output** and exits with
  `os.Exit(-1)`, i.e. status **255**.
* No differences: `No incompatibilities found!`, status 0, every version.
* CE 2.0.0–2.6.3: a header `N incompatibility(ies) found...`, one block per difference, status 1.
* CE 2.7.0: the blocks, then the command returns its error to cobra, which prints
  `Error: N incompatibilities found` and the command's usage text (left out here: it is help, not
  a result); KrakenD's root prints `N incompatibilities found` on standard output; status 255.
* CE 2.7.1 and later: the blocks, then `N incompatibilities found`, status 1.
* A block is the name, a tab + `have: <x>`, a tab + `want: <y>` (Go's Println puts the space after
  the colon even when the value is empty). With `-f` (CE 2.0.6 and later) a module difference is
  one command instead: `go get m@v`, or from CE 2.7.0 `go mod edit --replace m=m@v` for a module the
  plugin requires `// indirect`; go and libc stay blocks.
* `-f` before CE 2.0.6 is not a flag of the command: cobra stops with
  `Error: unknown shorthand flag: 'f' in -f` (plus usage text, left out) and the root prints the
  error again on standard output; status 255.
* CE 2.0.0–2.0.1 (and, for an empty go.sum line, every release before 2.1.0) crash with a Go
  runtime panic: `panic: <message>`, a blank line, `goroutine 1 [running]:` and the stack frames
  (their addresses differ on every machine, so they are left out), on standard error, status 2.
* CE 1.x has no `check-plugin`: cobra's unknown-command error, the root's copy on standard output,
  status 255.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from linter.krakend.checkplugin import Diff, behaviour, fix_command
from linter.redact import mask_secrets

_NOT_COMPARED = ("go", "libc")
EXIT_PANIC = 2  # a Go program that dies of an unrecovered panic
EXIT_ROOT_ERROR = 255  # KrakenD's root: os.Exit(-1)
EXIT_DIFFS = 1


@dataclass(frozen=True)
class Printed:
    """One run of the real command: its standard error, its standard output, its exit status."""

    stderr: str = ""
    stdout: str = ""
    exit_code: int = 0

    @property
    def text(self) -> str:
        """Both streams as one text (for a file): standard error first, as a terminal shows it."""
        return self.stderr + self.stdout


def _root_error(message: str, cobra_lines: str) -> Printed:
    """A command error as cobra and KrakenD's root print it."""
    return Printed(stderr=cobra_lines, stdout=f"{message}\n", exit_code=EXIT_ROOT_ERROR)


def unknown_command() -> Printed:
    message = 'unknown command "check-plugin" for "krakend"'
    return _root_error(message, f"Error: {message}\nRun 'krakend --help' for usage.\n")


def unknown_fix_flag() -> Printed:
    message = "unknown shorthand flag: 'f' in -f"
    return _root_error(message, f"Error: {message}\n")


def go_panic(message: str) -> Printed:
    """``message`` is the runtime's own text, e.g. ``panic: runtime error: index out of range ...``."""
    return Printed(stderr=f"{message}\n\ngoroutine 1 [running]:\n", exit_code=EXIT_PANIC)


def missing_gosum(path: str) -> Printed:
    """`-s` names a file that does not exist: the open error, status 1 (every version)."""
    return Printed(stderr=f"open {path}: no such file or directory\n", exit_code=EXIT_DIFFS)


def _block(diff: Diff) -> str:
    return f"{diff.name}\n\thave: {diff.have}\n\twant: {diff.want}\n"


def _body(diffs: Sequence[Diff], *, version: str, fix_commands: bool, indirect: frozenset[str]) -> str:
    lines = []
    for diff in diffs:
        if fix_commands and diff.name not in _NOT_COMPARED:
            lines.append(fix_command(diff, indirect=indirect, version=version) + "\n")
        else:
            lines.append(_block(diff))
    return "".join(lines)


def command_error(version: str, *, fix_commands: bool) -> Printed | None:
    """What cobra prints before the command runs at all (no such command, no such flag), or None."""
    how = behaviour(version)
    if not how.available:
        return unknown_command()
    if fix_commands and not how.fix_flag:
        return unknown_fix_flag()
    return None


def render_check_plugin(
    diffs: Sequence[Diff], *, version: str, fix_commands: bool = False, indirect: frozenset[str] = frozenset()
) -> Printed:
    """What `krakend check-plugin [-f]` of CE ``version`` prints for these differences, with
    anything secret-looking in a go.sum's names or versions masked (``linter.redact``)."""
    printed = _printed(diffs, version=version, fix_commands=fix_commands, indirect=indirect)
    return Printed(mask_secrets(printed.stderr), mask_secrets(printed.stdout), printed.exit_code)


def _printed(diffs: Sequence[Diff], *, version: str, fix_commands: bool, indirect: frozenset[str]) -> Printed:
    refused = command_error(version, fix_commands=fix_commands)
    if refused is not None:
        return refused
    how = behaviour(version)
    if not diffs:
        return Printed(stderr="No incompatibilities found!\n")
    body = _body(diffs, version=version, fix_commands=fix_commands, indirect=indirect)
    count = len(diffs)
    if how.output_style == "header":
        return Printed(stderr=f"{count} incompatibility(ies) found...\n{body}", exit_code=EXIT_DIFFS)
    if how.output_style == "cobra-error":
        return _root_error(f"{count} incompatibilities found", f"{body}Error: {count} incompatibilities found\n")
    return Printed(stderr=f"{body}{count} incompatibilities found\n", exit_code=EXIT_DIFFS)


def combine(runs: Sequence[tuple[str, Printed]]) -> Printed:
    """Several plugins (one run per go.sum): each run's streams under a ``==> go.sum <==`` header on
    its stream; the exit status is the highest one. A single run is returned as it is."""
    if len(runs) == 1:
        return runs[0][1]
    stderr = "".join(f"==> {path} <==\n{run.stderr}" for path, run in runs if run.stderr)
    stdout = "".join(f"==> {path} <==\n{run.stdout}" for path, run in runs if run.stdout)
    return Printed(stderr=stderr, stdout=stdout, exit_code=max((run.exit_code for _, run in runs), default=0))
