"""Dockerfiles as stages of located instructions, with build arguments and ENV resolved.

BuildKit's own parser (the ``dockerfile`` package) splits instructions; this module adds what
it drops or cannot say: columns, comments (for inline suppressions), ARG/ENV scoping and
substitution into FROM lines and RUN environments, ``COPY --from`` links, and the RUN commands
split into shell commands whose words point back into the file.
"""

from __future__ import annotations

from linter.inputs.dockerfile.model import (
    AUTOMATIC_ARGS,
    INSTRUCTIONS,
    ArgDecl,
    Comment,
    CopyFrom,
    Dockerfile,
    Flag,
    Instruction,
    Stage,
)
from linter.inputs.dockerfile.parse import parse_dockerfile

__all__ = [
    "AUTOMATIC_ARGS",
    "INSTRUCTIONS",
    "ArgDecl",
    "Comment",
    "CopyFrom",
    "Dockerfile",
    "Flag",
    "Instruction",
    "Stage",
    "parse_dockerfile",
]
