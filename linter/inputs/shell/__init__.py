"""Shell text (a RUN command, a Makefile recipe, a workflow `run:` step, a build script) as commands.

``parse_shell`` (in ``analysis``) splits the text with tree-sitter's bash grammar (``syntax``) into
simple commands (words and leading ``NAME=value`` assignments), each word carrying a ``Location`` in
the original file through a ``SourceMap`` (``source``). A line that does not parse goes to a small
quote-aware splitter (``fallback``).

On top of the commands it recognises what matters for building plugins: ``go build`` (flags,
linker flags, packages and the environment in effect; ``gocmd``), ``apk add``/``apt-get install``,
``export``, ``go env -w``, ``make`` calls, and ``docker run``/``docker build`` invocations.

This package's ``__init__`` holds only the data types and expansion helpers, so that reading a
``SourceMap`` or an ``EnvVar`` does not load the bash grammar.
"""

from __future__ import annotations

from linter.inputs.shell.expand import env_lookup, expand, matching_brace
from linter.inputs.shell.model import (
    EMPTY_ENV,
    DockerBuild,
    DockerRun,
    EnvVar,
    GoBuild,
    GoFlag,
    LinkerFlag,
    MakeCall,
    PackageInstall,
    ShellScript,
    SimpleCommand,
    Word,
)
from linter.inputs.shell.source import SourceBuilder, SourceMap

__all__ = [
    "EMPTY_ENV",
    "DockerBuild",
    "DockerRun",
    "EnvVar",
    "GoBuild",
    "GoFlag",
    "LinkerFlag",
    "MakeCall",
    "PackageInstall",
    "ShellScript",
    "SimpleCommand",
    "SourceBuilder",
    "SourceMap",
    "Word",
    "env_lookup",
    "expand",
    "matching_brace",
]
