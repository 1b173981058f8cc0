"""go.mod: the whole modfile grammar, with a position for every entry.

The file is read the way the Go command reads it: a line-oriented token stream (words, quoted and
backquoted strings, `( ) [ ] ,`, `//` comments), statements either on one line (`require m v`) or
grouped in blocks (`require ( ... )`). Comments are kept with their line so the engine can apply
`krakend-lint: ignore[...]` suppressions, and so `// indirect`, `// Deprecated:` and retraction
rationales can be read. A malformed statement becomes a ``Problem`` on its line; the rest of the
file is still read.
"""

from __future__ import annotations

from linter.inputs.gomod.model import (
    Comment,
    Directive,
    Exclude,
    Godebug,
    GoMod,
    ModuleDecl,
    Replace,
    Require,
    RequireBlock,
    Retract,
    is_directory_path,
)
from linter.inputs.gomod.parser import parse_gomod
from linter.inputs.gomod.versions import canonical_module_version, compare_semver, go_version_tuple, is_valid_semver

__all__ = [
    "Comment",
    "Directive",
    "Exclude",
    "GoMod",
    "Godebug",
    "ModuleDecl",
    "Replace",
    "Require",
    "RequireBlock",
    "Retract",
    "canonical_module_version",
    "compare_semver",
    "go_version_tuple",
    "is_directory_path",
    "is_valid_semver",
    "parse_gomod",
]
