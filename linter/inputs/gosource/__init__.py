"""Go source files read with tree-sitter's Go grammar: declarations, types and register calls.

``parse_go_file(data, path)`` returns a ``GoFile``: the package clause, imports (aliases, dot and
blank imports), package-level vars/consts with their initializer expressions, type declarations,
functions, methods with normalised signatures, the calls each function body makes to one of its
own parameters (how a registerer hands names to KrakenD's callback), every comment with its
line, and syntax errors as ``Problem``s (tree-sitter recovers, so the rest is still read).

Types are normalised into ``GoType`` trees so that two spellings of the same Go type compare
equal: ``any`` is ``interface{}``, ``byte``/``rune`` are ``uint8``/``int32``, qualified types carry
the import path instead of the alias, parameter names are dropped. Named types stay named (a
named callback type is not identical to its underlying func type in Go).

``GoModule`` merges the files of each directory into ``GoPackage``s (``_test.go`` and
``//go:build ignore`` files left out) and resolves names across the packages of one module:
the registerer type may live in another package than the exported variable.
"""

from linter.inputs.gosource.document import (
    GoCall,
    GoComment,
    GoExpr,
    GoFile,
    GoFunc,
    GoImport,
    GoParam,
    GoReceiver,
    GoTypeDecl,
    GoValue,
)
from linter.inputs.gosource.module import GoModule, GoPackage, Member, build_module, is_built
from linter.inputs.gosource.reader import parse_go_file
from linter.inputs.gosource.typemodel import EMPTY_INTERFACE, GoType, basic, func, go_map, named, pointer

__all__ = [
    "EMPTY_INTERFACE",
    "GoCall",
    "GoComment",
    "GoExpr",
    "GoFile",
    "GoFunc",
    "GoImport",
    "GoModule",
    "GoPackage",
    "GoParam",
    "GoReceiver",
    "GoType",
    "GoTypeDecl",
    "GoValue",
    "Member",
    "basic",
    "build_module",
    "func",
    "go_map",
    "is_built",
    "named",
    "parse_go_file",
    "pointer",
]
