"""`--format check-plugin`: the text `krakend check-plugin` prints, for the emulated CE version.

Layouts (research/krakend-plugins.md §a, "Output text and exit status"):

* no differences: `No incompatibilities found!`
* CE 2.0.0–2.6.3: a header `N incompatibility(ies) found...`, then one block per difference;
* CE 2.7.0: the blocks, then cobra's `Error: N incompatibilities found` (cobra prints the
  command's usage text after it; left out here, it is help, not a result), then KrakenD's root
  command prints the error again (`N incompatibilities found`) on stdout;
* CE 2.7.1 and later: the blocks, then `N incompatibilities found`.

A block is the name, then a tab + `have: <x>`, then a tab + `want: <y>` (Go's Println puts a
space after the colon even when the value is empty). With `-f` (CE 2.0.6 and later; ignored
before, where the flag did not exist) a module difference is one command instead: `go get m@v`,
or from CE 2.7.0 `go mod edit --replace m=m@v` for a module the plugin requires `// indirect`;
go and libc stay blocks. CE 1.x has no check-plugin: cobra's unknown-command error is printed.
"""

from __future__ import annotations

from collections.abc import Sequence

from linter.krakend.checkplugin import Diff, behaviour, fix_command
from linter.redact import mask_secrets

_NOT_COMPARED = ("go", "libc")


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


def render_check_plugin(
    diffs: Sequence[Diff], *, version: str, fix_commands: bool = False, indirect: frozenset[str] = frozenset()
) -> str:
    """The exact output of `krakend check-plugin [-f]` of CE ``version`` for these differences,
    with anything secret-looking in a go.sum's names or versions masked (``linter.redact``)."""
    return mask_secrets(_output(diffs, version=version, fix_commands=fix_commands, indirect=indirect))


def _output(diffs: Sequence[Diff], *, version: str, fix_commands: bool, indirect: frozenset[str]) -> str:
    how = behaviour(version)
    if not how.available:
        return 'Error: unknown command "check-plugin" for "krakend"\nRun \'krakend --help\' for usage.\n'
    if not diffs:
        return "No incompatibilities found!\n"
    body = _body(diffs, version=version, fix_commands=fix_commands and how.fix_flag, indirect=indirect)
    count = len(diffs)
    if how.output_style == "header":
        return f"{count} incompatibility(ies) found...\n{body}"
    if how.output_style == "cobra-error":
        return f"{body}Error: {count} incompatibilities found\n{count} incompatibilities found\n"
    return f"{body}{count} incompatibilities found\n"
