"""go.mod: the whole modfile grammar, with a position for every entry.

The file is read the way the Go command reads it: a line-oriented token stream (words, quoted and
backquoted strings, `( ) [ ] ,`, `//` comments), statements either on one line (`require m v`) or
grouped in blocks (`require ( ... )`). Comments are kept with their line so the engine can apply
`krakend-lint: ignore[...]` suppressions, and so `// indirect`, `// Deprecated:` and retraction
rationales can be read. A malformed statement becomes a ``Problem`` on its line; the rest of the
file is still read.

This module is longer than our usual 300 lines because it also holds Go's module-version
ordering (``golang.org/x/mod/semver`` semantics), which go.mod, go.sum, vendor/modules.txt and the
check-plugin emulation all share, and which must not drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from linter.inputs.text import decode
from linter.model import Location, Problem

# --- Go module versions -----------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class _Semver:
    major: int
    minor: int
    patch: int
    prerelease: tuple[str, ...]
    build: str


_IDENT_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-")


def _number(text: str) -> int | None:
    if not text or not text.isascii() or not text.isdigit() or (len(text) > 1 and text[0] == "0"):
        return None
    return int(text)


def _identifiers(text: str, numeric_strict: bool) -> tuple[str, ...] | None:
    parts = tuple(text.split("."))
    for part in parts:
        if not part or not set(part) <= _IDENT_CHARS:
            return None
        if numeric_strict and part.isdigit() and len(part) > 1 and part[0] == "0":
            return None
    return parts


def _parse_semver(version: str) -> _Semver | None:
    """Parse like golang.org/x/mod/semver: `v` prefix, `vX` and `vX.Y` shorthands allowed."""
    if not version.startswith("v"):
        return None
    core, _, build = version[1:].partition("+")
    core, dash, pre = core.partition("-")
    numbers = core.split(".")
    if len(numbers) > 3 or ((dash or build) and len(numbers) != 3):
        return None  # a prerelease or build suffix needs the full vX.Y.Z form
    values = [_number(n) for n in numbers]
    if any(v is None for v in values):
        return None
    prerelease = _identifiers(pre, True) if dash else ()
    if prerelease is None or ("+" in version[1:] and _identifiers(build, False) is None):
        return None
    major, minor, patch = ([v or 0 for v in values] + [0, 0])[:3]
    return _Semver(major, minor, patch, prerelease, build)


def is_valid_semver(version: str) -> bool:
    return _parse_semver(version) is not None


def _compare_prerelease(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    if a == b:
        return 0
    if not a or not b:
        return -1 if b == () else 1  # a release sorts after any of its prereleases
    for x, y in zip(a, b, strict=False):
        if x == y:
            continue
        if x.isdigit() and y.isdigit():
            return -1 if int(x) < int(y) else 1
        if x.isdigit() != y.isdigit():
            return -1 if x.isdigit() else 1  # numeric identifiers sort before alphanumeric ones
        return -1 if x < y else 1
    return -1 if len(a) < len(b) else 1


def compare_semver(a: str, b: str) -> int:
    """-1, 0 or 1. Invalid versions sort below every valid one and equal each other; build
    metadata (`+incompatible`) is ignored, as in golang.org/x/mod/semver.Compare."""
    pa, pb = _parse_semver(a), _parse_semver(b)
    if pa is None or pb is None:
        return (pa is not None) - (pb is not None)
    core_a, core_b = (pa.major, pa.minor, pa.patch), (pb.major, pb.minor, pb.patch)
    if core_a != core_b:
        return -1 if core_a < core_b else 1
    return _compare_prerelease(pa.prerelease, pb.prerelease)


def canonical_module_version(version: str) -> str:
    """`v1.2` -> `v1.2.0`; keeps `+incompatible` (module.CanonicalVersion); "" when invalid."""
    parsed = _parse_semver(version)
    if parsed is None:
        return ""
    text = f"v{parsed.major}.{parsed.minor}.{parsed.patch}"
    if parsed.prerelease:
        text += "-" + ".".join(parsed.prerelease)
    return text + ("+incompatible" if parsed.build == "incompatible" else "")


def max_semver(versions: Iterable[str]) -> str:
    best = ""
    for version in versions:
        if compare_semver(best, version) < 0:
            best = version
    return best


_GO_VERSION = re.compile(r"([1-9][0-9]*)\.(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?(?:[a-z]+[0-9]+)?")
_TOOLCHAIN = re.compile(r"default|go1(?:\..*)?")


def go_version_tuple(version: str) -> tuple[int, int, int] | None:
    """`1.22.5` -> (1, 22, 5); `go1.22` and `1.21rc1` are read as well; None when not a Go version."""
    match = _GO_VERSION.fullmatch(version.removeprefix("go"))
    if not match:
        return None
    return int(match[1]), int(match[2]), int(match[3] or 0)


# --- document ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comment:
    """A `//` comment; ``text`` includes the slashes."""

    line: int
    text: str
    column: int = 0


@dataclass(frozen=True)
class ModuleDecl:
    path: str
    location: Location
    deprecated: str = ""  # the `// Deprecated:` message, "" when not deprecated


@dataclass(frozen=True)
class Directive:
    """`go`, `toolchain`, `tool` or `ignore`: a single value."""

    value: str
    location: Location


@dataclass(frozen=True)
class Require:
    path: str
    version: str  # canonical (`v1.2` is read as `v1.2.0`, as the Go command does)
    indirect: bool
    location: Location  # the module path token
    line_text: str  # the whole source line, for one-line fixes
    version_location: Location | None = None

    def line_with_version(self, version: str) -> str:
        """The source line with the version token replaced (indentation and comment kept)."""
        loc = self.version_location
        if loc is None or loc.line != self.location.line:
            return self.line_text
        return self.line_text[: loc.column - 1] + version + self.line_text[loc.end_column :]


@dataclass(frozen=True)
class Replace:
    old_path: str
    old_version: str  # "" when every version is replaced
    new_path: str
    new_version: str  # "" for a local directory
    location: Location  # the old module path token
    line_text: str = ""

    @property
    def is_local(self) -> bool:
        return is_directory_path(self.new_path)


@dataclass(frozen=True)
class Exclude:
    path: str
    version: str
    location: Location


@dataclass(frozen=True)
class Retract:
    low: str
    high: str  # equal to ``low`` for a single version
    rationale: str
    location: Location


@dataclass(frozen=True)
class Godebug:
    key: str
    value: str
    location: Location


@dataclass(frozen=True)
class GoMod:
    path: str
    module: ModuleDecl | None = None
    go: Directive | None = None
    toolchain: Directive | None = None
    requires: tuple[Require, ...] = ()
    replaces: tuple[Replace, ...] = ()
    excludes: tuple[Exclude, ...] = ()
    retracts: tuple[Retract, ...] = ()
    godebugs: tuple[Godebug, ...] = ()
    comments: tuple[Comment, ...] = ()
    problems: tuple[Problem, ...] = ()
    tools: tuple[Directive, ...] = ()
    ignores: tuple[Directive, ...] = ()

    def require_for(self, path: str) -> Require | None:
        """The requirement of ``path`` (the highest when it is listed more than once)."""
        return self._highest_requires.get(path)

    def replacement_for(self, path: str, version: str) -> Replace | None:
        """The replace that applies to ``path@version``: a versioned one beats a wildcard one."""
        return self._replaces_by_key.get((path, version)) or self._replaces_by_key.get((path, ""))

    @cached_property
    def _highest_requires(self) -> dict[str, Require]:
        """path -> its highest requirement (the first of equal ones), in order of first mention.
        Built once, so looking every requirement up stays linear in the file."""
        highest: dict[str, Require] = {}
        for req in self.requires:
            known = highest.get(req.path)
            if known is None or _compare_requires(req, known) > 0:
                highest[req.path] = req
        return highest

    @cached_property
    def _replaces_by_key(self) -> dict[tuple[str, str], Replace]:
        """(old path, old version or "") -> the last replace written for it."""
        return {(r.old_path, r.old_version): r for r in self.replaces}

    def build_list(self) -> dict[str, tuple[str, str]]:
        """module -> the (path, version) actually built, after this file's replacements.

        Only meaningful as the full build list when ``go`` is 1.17 or later (module graph
        pruning makes go.mod list every module that provides a package to the build).
        """
        result: dict[str, tuple[str, str]] = {}
        for path, req in self._highest_requires.items():
            rep = self.replacement_for(path, req.version)
            result[path] = (rep.new_path, rep.new_version) if rep else (path, req.version)
        return result

    def go_version(self) -> tuple[int, int, int] | None:
        return go_version_tuple(self.go.value) if self.go else None

    def lists_full_build(self) -> bool:
        """True when go.mod says `go 1.17` or later (pruned module graph: every module listed)."""
        version = self.go_version()
        return version is not None and version >= (1, 17, 0)


def _compare_requires(a: Require, b: Require) -> int:
    return compare_semver(a.version, b.version)


def is_directory_path(path: str) -> bool:
    """A replacement target that is a local directory (modfile.IsDirectoryPath)."""
    if path in (".", "..") or path.startswith(("./", "../", "/", ".\\", "..\\", "\\")):
        return True
    return len(path) >= 2 and path[1] == ":" and path[0].isascii() and path[0].isalpha()


# --- lexer ------------------------------------------------------------------------------------

_PUNCT = "()[]{},"


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "string", or one of _PUNCT
    text: str  # as written
    value: str  # unquoted for strings, else the text
    line: int
    column: int

    def location(self, path: str) -> Location:
        return Location(path, self.line, self.column, self.line, self.column + len(self.text) - 1)


@dataclass
class _Line:
    number: int
    tokens: list[_Token] = field(default_factory=list)
    comment: Comment | None = None


_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\", '"': '"'}
_HEX_LENGTH = {"x": 2, "u": 4, "U": 8}


def _unquote(raw: str) -> str | None:
    """Go's strconv.Unquote for a double-quoted or backquoted string; None when invalid."""
    if raw.startswith("`"):
        return raw[1:-1] if len(raw) >= 2 and raw.endswith("`") else None
    body, out, i = raw[1:-1], [], 0
    while i < len(body):
        char = body[i]
        if char != "\\":
            out.append(char)
            i += 1
            continue
        esc = body[i + 1 : i + 2]
        if esc in _ESCAPES:
            out.append(_ESCAPES[esc])
            i += 2
        elif esc in _HEX_LENGTH:
            digits = body[i + 2 : i + 2 + _HEX_LENGTH[esc]]
            if len(digits) != _HEX_LENGTH[esc] or not all(c in "0123456789abcdefABCDEF" for c in digits):
                return None
            out.append(chr(int(digits, 16)))
            i += 2 + len(digits)
        elif esc.isdigit() and len(body[i + 1 : i + 4]) == 3 and set(body[i + 1 : i + 4]) <= set("01234567"):
            out.append(chr(int(body[i + 1 : i + 4], 8)))
            i += 4
        else:
            return None
    return "".join(out)


def _is_ident_char(char: str) -> bool:
    return char not in _PUNCT and not char.isspace() and char.isprintable()


def _string_end(text: str, start: int) -> int:
    """Index just after the closing quote of the string at ``start``, or -1 when unterminated."""
    quote, i = text[start], start + 1
    while i < len(text):
        if text[i] == "\\" and quote == '"':
            i += 2
            continue
        if text[i] == quote:
            return i + 1
        i += 1
    return -1


def _lex_line(text: str, number: int, path: str, problems: list[Problem]) -> _Line:
    line, i = _Line(number), 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif text.startswith("//", i):
            line.comment = Comment(number, text[i:].rstrip(), i + 1)
            break
        elif text.startswith("/*", i):
            message = "mod files must use // comments, not /* */"
            problems.append(Problem(Location(path, number, i + 1), message))
            break
        elif char in _PUNCT:
            line.tokens.append(_Token(char, char, char, number, i + 1))
            i += 1
        elif char in '"`':
            i = _lex_string(text, i, line, path, problems)
        elif not _is_ident_char(char):
            problems.append(Problem(Location(path, number, i + 1), f"unexpected input character {char!r}"))
            i += 1
        else:
            end = i
            while end < len(text) and _is_ident_char(text[end]) and not text.startswith(("//", "/*"), end):
                end += 1
            line.tokens.append(_Token("word", text[i:end], text[i:end], number, i + 1))
            i = end
    return line


def _lex_string(text: str, start: int, line: _Line, path: str, problems: list[Problem]) -> int:
    end = _string_end(text, start)
    if end < 0:
        problems.append(Problem(Location(path, line.number, start + 1), "unterminated string"))
        return len(text)
    raw = text[start:end]
    value = _unquote(raw)
    if value is None:
        problems.append(Problem(Location(path, line.number, start + 1), f"invalid quoted string {raw}"))
        value = raw
    line.tokens.append(_Token("string", raw, value, line.number, start + 1))
    return end


# --- parser -----------------------------------------------------------------------------------

_BLOCK_VERBS = frozenset({"module", "require", "exclude", "replace", "retract", "godebug", "tool", "ignore"})
_DEPRECATED = re.compile(r"(?:^|\n\n)Deprecated: *(.*?)(?:$|\n\n)", re.DOTALL)


@dataclass(frozen=True)
class _Statement:
    verb: str
    args: tuple[_Token, ...]
    line: _Line
    text: str
    before: tuple[Comment, ...]
    block_comments: tuple[Comment, ...]  # the block header's comments, when inside a block

    def directive_comment(self) -> str:
        """The comment text that documents this line (modfile.parseDirectiveComment)."""
        own = (*self.before, *((self.line.comment,) if self.line.comment else ()))
        chosen = own or self.block_comments
        return "\n".join(c.text.removeprefix("//").strip() for c in chosen)


class _Builder:
    """Accumulates the parsed statements; one method per verb."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.module: ModuleDecl | None = None
        self.go: Directive | None = None
        self.toolchain: Directive | None = None
        self.requires: list[Require] = []
        self.replaces: list[Replace] = []
        self.excludes: list[Exclude] = []
        self.retracts: list[Retract] = []
        self.godebugs: list[Godebug] = []
        self.tools: list[Directive] = []
        self.ignores: list[Directive] = []

    def error(self, token_or_line: _Token | _Line, message: str) -> None:
        if isinstance(token_or_line, _Token):
            location = Location(self.path, token_or_line.line, token_or_line.column)
        else:
            first = token_or_line.tokens[0].column if token_or_line.tokens else 0
            location = Location(self.path, token_or_line.number, first)
        self.problems.append(Problem(location, message))

    def statement(self, st: _Statement) -> None:
        handler = getattr(self, f"_do_{st.verb}", None)
        if handler is None:
            self.error(st.line, f"unknown directive: {st.verb}")
            return
        bad = [t for t in st.args if t.kind not in ("word", "string") and st.verb != "retract"]
        if bad:
            self.error(bad[0], f"unexpected {bad[0].text!r} in {st.verb} statement")
            return
        for token in st.args:
            # Only double quotes quote; Go reserves the other quote characters and rejects them,
            # but the value is still recorded so later checks see the entry.
            quoted = token.kind == "string" and token.text.startswith('"')
            if not quoted and any(q in token.text for q in "\"'`"):
                self.error(token, "unquoted string cannot contain quote")
        handler(st)

    def _do_module(self, st: _Statement) -> None:
        if len(st.args) != 1:
            self.error(st.line, "usage: module module/path")
        elif self.module is not None:
            self.error(st.line, "repeated module statement")
        else:
            match = _DEPRECATED.search(st.directive_comment())
            deprecated = match[1] if match else ""
            self.module = ModuleDecl(st.args[0].value, st.args[0].location(self.path), deprecated)

    def _single(self, st: _Statement, pattern: re.Pattern[str], usage: str, current: Directive | None) -> None:
        if len(st.args) != 1 or st.args[0].kind != "word":
            self.error(st.line, usage)
        elif current is not None:
            self.error(st.line, f"repeated {st.verb} statement")
        elif not pattern.fullmatch(st.args[0].value):
            self.error(st.args[0], f"invalid {st.verb} version {st.args[0].value!r}: {usage}")
        else:
            directive = Directive(st.args[0].value, st.args[0].location(self.path))
            setattr(self, st.verb, directive)

    def _do_go(self, st: _Statement) -> None:
        self._single(st, _GO_VERSION, "usage: go 1.23.0", self.go)

    def _do_toolchain(self, st: _Statement) -> None:
        self._single(st, _TOOLCHAIN, "usage: toolchain go1.23.0", self.toolchain)

    def _version(self, token: _Token) -> str:
        canonical = canonical_module_version(token.value)
        if not canonical:
            self.error(token, f"invalid module version {token.value!r}: must be of the form v1.2.3")
        return canonical

    def _do_require(self, st: _Statement) -> None:
        if len(st.args) != 2:
            self.error(st.line, "usage: require module/path v1.2.3")
            return
        path_token, version_token = st.args
        version = self._version(version_token)
        if not version:
            return
        # modfile.isIndirect: the suffix comment is `indirect` alone, or starts `indirect; `.
        words = st.line.comment.text.removeprefix("//").split() if st.line.comment else []
        indirect = words == ["indirect"] or (len(words) > 1 and words[0] == "indirect;")
        self.requires.append(
            Require(
                path_token.value,
                version,
                indirect,
                path_token.location(self.path),
                st.text,
                version_token.location(self.path),
            )
        )

    def _do_exclude(self, st: _Statement) -> None:
        if len(st.args) != 2:
            self.error(st.line, "usage: exclude module/path v1.2.3")
            return
        version = self._version(st.args[1])
        if version:
            self.excludes.append(Exclude(st.args[0].value, version, st.args[0].location(self.path)))

    def _do_replace(self, st: _Statement) -> None:
        args = st.args
        arrow = 1 if len(args) >= 2 and args[1].text == "=>" else 2
        if len(args) < arrow + 2 or len(args) > arrow + 3 or args[arrow].text != "=>":
            self.error(st.line, "usage: replace module/path [v1.2.3] => other/module v1.4 or => ../local/dir")
            return
        old_version = self._version(args[1]) if arrow == 2 else ""
        if arrow == 2 and not old_version:
            return
        new = args[arrow + 1]
        new_version = ""
        if len(args) == arrow + 3:
            if is_directory_path(new.value):
                self.error(args[-1], f"replacement directory {new.value!r} cannot have a version")
                return
            new_version = self._version(args[-1])
            if not new_version:
                return
        elif not is_directory_path(new.value):
            self.error(new, "replacement module without version must be a directory path (rooted or ./ ../)")
            return
        self.replaces.append(
            Replace(args[0].value, old_version, new.value, new_version, args[0].location(self.path), st.text)
        )

    def _do_retract(self, st: _Statement) -> None:
        kinds = "".join(t.kind if t.kind != "word" and t.kind != "string" else "v" for t in st.args)
        if kinds not in ("v", "[v,v]"):
            self.error(st.line, "usage: retract v1.2.3 or retract [v1.2.3, v1.3.0]")
            return
        versions = [t for t in st.args if t.kind in ("word", "string")]
        low, high = (self._version(t) for t in (versions[0], versions[-1]))
        if not low or not high:
            return
        if compare_semver(low, high) > 0:
            self.error(versions[0], f"invalid version interval [{low}, {high}]: low is above high")
            return
        self.retracts.append(Retract(low, high, st.directive_comment(), st.args[0].location(self.path)))

    def _do_godebug(self, st: _Statement) -> None:
        key, eq, value = st.args[0].value.partition("=") if len(st.args) == 1 else ("", "", "")
        if not eq or not key or any(c in key + value for c in ' \t,"`'):
            self.error(st.line, "usage: godebug key=value")
            return
        self.godebugs.append(Godebug(key, value, st.args[0].location(self.path)))

    def _do_tool(self, st: _Statement) -> None:
        self._list_directive(st, self.tools, "usage: tool package/path")

    def _do_ignore(self, st: _Statement) -> None:
        self._list_directive(st, self.ignores, "usage: ignore ./dir")

    def _list_directive(self, st: _Statement, into: list[Directive], usage: str) -> None:
        if len(st.args) != 1:
            self.error(st.line, usage)
        else:
            into.append(Directive(st.args[0].value, st.args[0].location(self.path)))


def _statements(lines: list[_Line], texts: tuple[str, ...], builder: _Builder) -> Iterator[_Statement]:
    """Group lexed lines into statements, tracking blocks and the comments above each line."""
    before: list[Comment] = []
    block: tuple[str, _Line, tuple[Comment, ...]] | None = None
    for line in lines:
        text = texts[line.number - 1]
        if not line.tokens:
            before = [*before, line.comment] if line.comment else []
            continue
        kinds = [t.kind for t in line.tokens]
        if block is not None:
            if ")" in kinds:
                if kinds != [")"]:
                    builder.error(line.tokens[kinds.index(")")], "unexpected ')': it must be on its own line")
                block, before = None, []
                continue
            yield _Statement(block[0], tuple(line.tokens), line, text, tuple(before), block[2])
        elif kinds[-1] == "(":
            block = _open_block(line, line.tokens[:-1], tuple(before), builder)
        elif kinds[1:] == ["(", ")"]:
            _open_block(line, line.tokens[:1], tuple(before), builder)  # `require ()`: empty, closed at once
        elif line.tokens[0].kind != "word" or "(" in kinds or ")" in kinds:
            builder.error(line, "syntax error: unexpected token")
        else:
            yield _Statement(line.tokens[0].value, tuple(line.tokens[1:]), line, text, tuple(before), ())
        before = []
    if block is not None:
        builder.error(block[1], f"unexpected end of file: {block[0]} block is missing ')'")


def _open_block(
    line: _Line, header: list[_Token], before: tuple[Comment, ...], builder: _Builder
) -> tuple[str, _Line, tuple[Comment, ...]]:
    own = (*before, *((line.comment,) if line.comment else ()))
    if len(header) != 1 or header[0].kind != "word" or header[0].value not in _BLOCK_VERBS:
        name = " ".join(t.text for t in header) or "("
        builder.error(line, f"unknown block type: {name}")
        # Still consume the block so its lines are not read as top-level statements.
        return ("", line, own)
    return (header[0].value, line, own)


def parse_gomod(data: bytes, path: str) -> GoMod:
    text, problems = decode(data, path)
    if text is None:
        return GoMod(path, problems=problems)
    builder = _Builder(path)
    builder.problems.extend(problems)
    lines = [_lex_line(t, n, path, builder.problems) for n, t in enumerate(text.lines, 1)]
    for st in _statements(lines, text.lines, builder):
        if st.verb:  # "" = a line inside an unknown block, already reported
            builder.statement(st)
    return GoMod(
        path=path,
        module=builder.module,
        go=builder.go,
        toolchain=builder.toolchain,
        requires=tuple(builder.requires),
        replaces=tuple(builder.replaces),
        excludes=tuple(builder.excludes),
        retracts=tuple(builder.retracts),
        godebugs=tuple(builder.godebugs),
        comments=tuple(line.comment for line in lines if line.comment),
        problems=tuple(sorted(builder.problems, key=lambda p: (p.location.line, p.location.column))),
        tools=tuple(builder.tools),
        ignores=tuple(builder.ignores),
    )
