"""Which reader a build file gets, by its name: a Makefile (``Makefile``, ``GNUmakefile``,
``*.mk``), a Taskfile (``Taskfile.yml``, ...) or a shell script (anything else). It sits apart
from both readers because the Taskfile reader builds on the Makefile reader's types."""

from __future__ import annotations

from linter.inputs.buildscript import MAKEFILE_NAMES, TASKFILE_NAMES, BuildScript, parse_makefile, parse_shell_script
from linter.inputs.taskfile import parse_taskfile


def parse_build_script(data: bytes, path: str) -> BuildScript:
    name = path.rsplit("/", 1)[-1].lower()
    if name in MAKEFILE_NAMES or name.endswith(".mk"):
        return parse_makefile(data, path)
    if name in TASKFILE_NAMES:
        return parse_taskfile(data, path)
    return parse_shell_script(data, path)
