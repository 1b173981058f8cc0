"""Which reader a build file gets, by its name: a Makefile (``Makefile``, ``GNUmakefile``,
``*.mk``), a Taskfile (``Taskfile.yml``, ...) or a shell script (anything else). It sits apart
from both readers because the Taskfile reader builds on the Makefile reader's types.

Discovery sorts files by these names, so the readers are imported only when a build file is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linter.inputs.buildscript import BuildScript

MAKEFILE_NAMES = frozenset({"makefile", "gnumakefile"})
# The names `task` looks for, lower-cased (it tries Taskfile.yml, taskfile.yml, Taskfile.dist.yml, ...).
TASKFILE_NAMES = frozenset(f"{stem}.{ext}" for stem in ("taskfile", "taskfile.dist") for ext in ("yml", "yaml"))


def parse_build_script(data: bytes, path: str) -> BuildScript:
    from linter.inputs.buildscript import parse_makefile, parse_shell_script

    name = path.rsplit("/", 1)[-1].lower()
    if name in MAKEFILE_NAMES or name.endswith(".mk"):
        return parse_makefile(data, path)
    if name in TASKFILE_NAMES:
        from linter.inputs.taskfile import parse_taskfile

        return parse_taskfile(data, path)
    return parse_shell_script(data, path)
