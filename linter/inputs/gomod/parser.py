"""The go.mod parser: lexed lines grouped into statements (one line, or inside a block), one
builder method per directive. A malformed statement becomes a ``Problem`` on its line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from linter.inputs.gomod.lexer import Line, Token, lex_line
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
from linter.inputs.gomod.versions import GO_VERSION, TOOLCHAIN, canonical_module_version, compare_semver
from linter.inputs.text import decode
from linter.model import Location, Problem

_BLOCK_VERBS = frozenset({"module", "require", "exclude", "replace", "retract", "godebug", "tool", "ignore"})
_DEPRECATED = re.compile(r"(?:^|\n\n)Deprecated: *(.*?)(?:$|\n\n)", re.DOTALL)


@dataclass(frozen=True)
class _Statement:
    verb: str
    args: tuple[Token, ...]
    line: Line
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
        self.require_blocks: list[tuple[int, int]] = []  # (opening line, closing line)

    def error(self, token_or_line: Token | Line, message: str) -> None:
        if isinstance(token_or_line, Token):
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
        self._single(st, GO_VERSION, "usage: go 1.23.0", self.go)

    def _do_toolchain(self, st: _Statement) -> None:
        self._single(st, TOOLCHAIN, "usage: toolchain go1.23.0", self.toolchain)

    def _version(self, token: Token) -> str:
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


def _statements(lines: list[Line], texts: tuple[str, ...], builder: _Builder) -> Iterator[_Statement]:
    """Group lexed lines into statements, tracking blocks and the comments above each line."""
    before: list[Comment] = []
    block: tuple[str, Line, tuple[Comment, ...]] | None = None
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
                if block[0] == "require":
                    builder.require_blocks.append((block[1].number, line.number))
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
    line: Line, header: list[Token], before: tuple[Comment, ...], builder: _Builder
) -> tuple[str, Line, tuple[Comment, ...]]:
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
    lines = [lex_line(t, n, path, builder.problems) for n, t in enumerate(text.lines, 1)]
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
        require_blocks=tuple(_require_block(start, end, text.lines, builder.requires)
                             for start, end in builder.require_blocks),
    )


def _require_block(start: int, end: int, lines: tuple[str, ...], requires: list[Require]) -> RequireBlock:
    inside = [req for req in requires if start < req.location.line < end]
    indirect = bool(inside) and all(req.indirect for req in inside)
    return RequireBlock(start, end, lines[start - 1 : end], indirect)
