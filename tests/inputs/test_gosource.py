"""Go source reader: declarations, normalised types, register calls, packages and modules."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.inputs.gosource import (
    EMPTY_INTERFACE,
    GoFile,
    GoType,
    basic,
    build_module,
    func,
    go_map,
    is_built,
    named,
    parse_go_file,
    pointer,
    syntax,
)
from linter.inputs.gosource import (
    reader as go_reader,
)
from linter.inputs.gosource.syntax import Positions
from linter.model import Location


def parse(text: str, path: str = "main.go") -> GoFile:
    return parse_go_file(textwrap.dedent(text).lstrip("\n").encode(), path)


HEADER = """
//go:build !windows

// Package main is a plugin.
package main // trailing

import (
    "context"
    h "net/http"
    . "fmt"
    _ "embed"
)
"""


def test_package_clause_and_build_constraint() -> None:
    f = parse(HEADER)
    assert f.package == "main"
    assert f.package_location == Location("main.go", 4, 9, 4, 12)
    assert f.build_constraint == "!windows"
    assert not f.problems


def test_imports_keep_aliases_dot_and_blank() -> None:
    f = parse(HEADER)
    assert [(i.path, i.alias, i.name) for i in f.imports] == [
        ("context", "", "context"), ("net/http", "h", "h"), ("fmt", ".", ""), ("embed", "_", ""),
    ]
    assert f.imports[1].location.line == 8


def test_every_comment_is_kept_with_its_line() -> None:
    f = parse(HEADER + "var X = 1 // krakend-lint: ignore[KP401] reason\n")
    assert [(c.line, c.text) for c in f.comments][-1] == (12, "// krakend-lint: ignore[KP401] reason")
    assert [c.line for c in f.comments] == [1, 3, 4, 12]
    assert next(c for c in f.comments if c.line == 4).column == 14


def test_signature_types_are_normalised() -> None:
    f = parse(HEADER + """
func (r *registerer) RegisterHandlers(f func(name string,
    fn func(ctx context.Context, extra map[string]any, next h.Handler) (h.Handler, error))) {
}
""")
    method = f.methods[0]
    assert method.receiver is not None
    assert (method.receiver.name, method.receiver.type_name, method.receiver.pointer) == ("r", "registerer", True)
    handler = named("Handler", "net/http")
    factory = func((named("Context", "context"), go_map(basic("string"), EMPTY_INTERFACE), handler),
                   (handler, basic("error")))
    assert method.signature == func((func((basic("string"), factory)),))
    assert method.location == Location("main.go", 13, 22, 13, 37)
    assert method.signature.render() == (
        "func(func(string, func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error)))"
    )
    assert str(method.signature).count("net/http.Handler") == 2


def test_type_syntax_is_read_structurally() -> None:
    f = parse("""
    package main
    var A map[string]chan<- []byte
    var B [3]*rune
    var C func(...any) (a, b int)
    var D <-chan T[int, string]
    var E interface{ M(int) error }
    """)
    types = {v.name: v.type for v in f.values}
    byte_slice = GoType("slice", elems=(basic("uint8"),))
    assert types["A"] == go_map(basic("string"), GoType("chan", "chan<-", elems=(byte_slice,)))
    assert types["B"] == GoType("array", "3", elems=(pointer(basic("int32")),))
    assert types["C"] == func((GoType("slice", elems=(EMPTY_INTERFACE,)),), (basic("int"), basic("int")), variadic=True)
    assert types["C"] is not None and types["C"].render() == "func(...interface{}) (int, int)"
    assert types["D"] == GoType("chan", "<-chan", elems=(GoType("generic", "T", "", (basic("int"), basic("string"))),))
    assert types["E"] == GoType("interface", methods=(("M", func((basic("int"),), (basic("error"),))),))


def test_dot_imported_known_names_are_qualified() -> None:
    f = parse("""
    package main
    import . "net/http"
    var H Handler
    var X Other
    """)
    assert f.values[0].type == named("Handler", "net/http")
    assert f.values[1].type == named("Other")


def test_package_values_and_their_initializers() -> None:
    f = parse("""
    package main
    var (
        A, B = registerer("a"), 2
        P = &plug{name: "p"}
        N = new(registerer)
        F = func() {}
        I = other
        C = (*registerer)(nil)
        S = reg.Registerer("s")
    )
    const K = "x" + "y"
    """)
    got = {v.name: v for v in f.values}
    assert got["A"].init is not None and got["A"].init.kind == "call"
    assert got["A"].init.callee is not None and got["A"].init.callee.value == "registerer"
    assert got["A"].init.args[0].value == "a"
    assert got["A"].location == Location("main.go", 3, 5, 3, 5)
    assert got["B"].init is not None and got["B"].init.kind == "int"
    p = got["P"].init
    assert p is not None and p.kind == "address" and p.args[0].kind == "composite"
    assert p.args[0].type == named("plug") and p.args[0].fields[0][0] == "name"
    assert got["N"].init is not None and (got["N"].init.kind, got["N"].init.type) == ("new", named("registerer"))
    assert got["F"].init is not None and got["F"].init.kind == "func_literal"
    assert got["I"].init is not None and (got["I"].init.kind, got["I"].init.value) == ("identifier", "other")
    assert got["C"].init is not None and got["C"].init.type == pointer(named("registerer"))
    assert got["K"].kind == "const" and got["K"].init is not None and got["K"].init.kind == "binary"


def test_type_declarations_and_underlying_kinds() -> None:
    f = parse("""
    package main
    type (
        registerer string
        plug struct{ base; *other; name string }
        cb = func(string)
        iface interface{}
        ptr *plug
        box[T any] struct{ v T }
    )
    """)
    kinds = {t.name: (t.type.name if t.type.kind == "basic" else t.type.kind, t.alias) for t in f.types}
    assert kinds == {"registerer": ("string", False), "plug": ("struct", False), "cb": ("func", True),
                     "iface": ("interface", False), "ptr": ("pointer", False), "box": ("struct", False)}
    plug = next(t for t in f.types if t.name == "plug")
    assert plug.embedded == (named("base"), pointer(named("other")))
    assert next(t for t in f.types if t.name == "box").generic


def test_calls_to_a_parameter_are_collected_with_arguments() -> None:
    f = parse("""
    package main
    type factory = func(map[string]interface{}) func(interface{}) (interface{}, error)
    func (r registerer) RegisterModifiers(f func(string, factory, bool, bool)) {
        f(string(r)+"-request", r.request, true, false)
        for _, n := range names {
            f(n, nil, false, true)
        }
        other(f)
    }
    """)
    calls = f.methods[0].calls
    assert [(c.callee, c.location.line, c.location.column) for c in calls] == [("f", 4, 5), ("f", 6, 9)]
    first = calls[0].args
    assert first[0].kind == "binary" and first[0].args[1].value == "-request"
    assert (first[2].kind, first[2].value, first[3].value) == ("bool", "true", "false")


def test_string_literals_are_decoded() -> None:
    f = parse('package main\nvar A = "a\\x41\\u00e9\\n"\nvar B = `raw\\n`\n')
    assert f.values[0].init is not None and f.values[0].init.value == "aAé\n"
    assert f.values[1].init is not None and f.values[1].init.value == "raw\\n"


def test_columns_count_characters_not_bytes() -> None:
    f = parse('package main\nvar é, HandlerRegisterer = 1, 2\n')
    assert f.values[1].location.column == 8


def test_syntax_errors_are_problems_and_the_rest_is_read() -> None:
    f = parse("""
    package main
    var HandlerRegisterer = registerer("x")
    func broken( {
    type registerer string
    """)
    assert f.problems and f.problems[0].location.line == 3
    assert f.problems[0].message.startswith("Go syntax error")
    assert f.values[0].name == "HandlerRegisterer"


def test_binary_and_bad_utf8_never_raise() -> None:
    assert parse_go_file(b"package main\x00", "a.go").problems[0].message.startswith("file contains NUL")
    f = parse_go_file(b"package main\nvar X = \"\xff\"\n", "a.go")
    assert f.package == "main" and f.problems[0].message.startswith("invalid UTF-8")


def test_declarations_list_package_level_names() -> None:
    f = parse("package main\nvar A = 1\ntype B int\nfunc C() {}\nfunc (B) D() {}\n")
    assert [d.name for d in f.declarations] == ["A", "B", "C"]


def test_function_statement_counts() -> None:
    f = parse("package main\nfunc main() {}\nfunc run() { a(); b() }\n")
    assert [fn.statements for fn in f.functions] == [0, 2]


def test_files_that_go_build_leaves_out() -> None:
    assert not is_built(parse("package main", "a_test.go"))
    assert not is_built(parse("//go:build ignore\n\npackage main", "gen.go"))
    assert not is_built(parse("package main", "x_windows.go"))
    assert not is_built(parse("package main", "x_darwin_arm64.go"))
    assert is_built(parse("package main", "x_linux.go"))
    assert is_built(parse("package main", "registerer.go"))


MODULE_FILES = {
    "plug/main.go": """
    package main
    import r "example.com/plug/internal/reg"
    var HandlerRegisterer = r.Registerer("x")
    type local = r.Registerer
    """,
    "plug/main_test.go": "package main\nvar T = 1\n",
    "plug/internal/reg/reg.go": """
    package reg
    type Registerer string
    type Callback = func(string)
    func (Registerer) Register(f Callback) {}
    """,
}


def module_files() -> list[GoFile]:
    return [parse(text, path) for path, text in MODULE_FILES.items()]


def test_module_groups_files_by_directory_and_skips_tests() -> None:
    module = build_module("example.com/plug", "plug", module_files())
    assert [(p.dir, p.import_path, p.name) for p in module.packages] == [
        ("plug", "example.com/plug", "main"),
        ("plug/internal/reg", "example.com/plug/internal/reg", "reg"),
    ]
    main = module.package("plug")
    assert main is not None and main.value("T") is None


def test_module_resolves_types_and_aliases_across_packages() -> None:
    module = build_module("example.com/plug", "plug", module_files())
    main = module.package("plug")
    assert main is not None
    registerer = named("Registerer", "example.com/plug/internal/reg")
    found = module.lookup_type(registerer, main)
    assert found is not None and found[0].dir == "plug/internal/reg"
    assert module.expand(named("local"), main) == registerer
    members = module.method_set(registerer, main)
    assert [m.method.name for m in members] == ["Register"]
    assert module.expand(members[0].method.signature, members[0].package) == func((func((basic("string"),)),))


def test_method_set_of_pointer_includes_both_receivers_and_promoted_methods() -> None:
    files = [parse("""
    package main
    type base struct{}
    func (base) A() {}
    func (*base) B() {}
    type plug struct{ base }
    func (p *plug) C() {}
    """)]
    module = build_module("example.com/m", ".", files)
    home = module.packages[0]
    assert sorted(m.method.name for m in module.method_set(named("plug"), home)) == ["A", "B", "C"]
    assert sorted(m.method.name for m in module.method_set(named("plug"), home, addressable=False)) == ["A"]


def test_deeply_nested_types_and_expressions_are_summarised_not_recursed() -> None:
    source = ("package main\nconst A = " + "+".join(['"a"'] * 20_000) + "\nvar B " + "*" * 50_000 + "int\n"
              + "var C = " + "(" * 20_000 + "1" + ")" * 20_000 + "\n")
    f = parse_go_file(source.encode(), "deep.go")
    kinds = {v.name: (v.init.kind if v.init else "", v.type.kind if v.type else "") for v in f.values}
    assert kinds == {"A": ("binary", ""), "B": ("", "pointer"), "C": ("other", "")}


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\n"), max_size=40), st.data())
def test_character_columns_match_decoding_the_line_prefix(line: str, data: st.DataObject) -> None:
    encoded = line.encode("utf-8")
    byte_column = data.draw(st.integers(0, len(encoded)))
    reader = Positions("p.go", encoded)
    assert reader.column(0, byte_column) == len(encoded[:byte_column].decode("utf-8", "replace")) + 1
    assert reader.byte_length(0) == len(encoded)


def test_a_long_non_ascii_line_is_scanned_once_not_once_per_node(monkeypatch: pytest.MonkeyPatch) -> None:
    # A minified one-line Go file with one "é" re-encoded the whole line for every node: 20,000
    # declarations took 55 s (issue 16).
    line = 'package main; var s = "é"; ' + "".join(f"var v{i} = {i}; " for i in range(500))
    scans = []
    pattern = syntax._CONTINUATION
    monkeypatch.setattr(syntax, "_CONTINUATION", type("P", (), {"finditer": lambda _, d: scans.append(1) or pattern.finditer(d)})())
    reader = Positions("p.go", line.encode("utf-8"))
    offsets = range(0, len(line.encode("utf-8")), 7)
    columns = [reader.column(0, offset) for offset in offsets]
    assert columns == [offset + 1 if offset <= 24 else offset for offset in offsets]  # "é" is bytes 23-24
    assert len(scans) == 1


PIECES = {
    "declarations": HEADER + textwrap.dedent("""
        // Registerer is looked up.
        var HandlerRegisterer = registerer("x")

        type registerer string

        func (r registerer) RegisterHandlers(f func(string, func(context.Context) (h.Handler, error))) {
            f(string(r), nil)
        }

        const (
            A = iota
            B
        )
        func main() {}
    """),
    "raw string with declarations": 'package main\n\nvar s = `\nfunc inside() {}\ntype T int\n`\n\nfunc main() {}\n',
    "block comment with declarations": "package main\n\n/*\nfunc inside() {}\n*/\nfunc main() {}\n",
    "body at column 0": "package main\n\nfunc f() {\nvar x = 1\n_ = x\n}\nfunc g() {}\n",
    "import after declarations": 'package main\n\nfunc f() T {}\nimport . "context"\nfunc g() Context {}\n',
    "syntax error": "package main\n\nfunc f( {}\nvar x = \ntype T struct{\n",
    "no package clause": "//go:build linux\n\nfunc f() {}\n//go:build windows\nfunc g() {}\n",
    "non-ASCII": 'package main\n\n// Grüße\nfunc f() string { return "é" }\nvar ü = "ß"\nfunc g() {}\n',
}


@pytest.mark.parametrize("name", sorted(PIECES))
def test_a_file_read_in_pieces_is_read_as_a_whole(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = PIECES[name].encode()
    whole = parse_go_file(data, "big.go")
    monkeypatch.setattr(go_reader, "_PIECE_BYTES", 1)  # every declaration keyword line ends a piece
    assert go_reader._piece_ends(data) != [len(data)]
    pieces = parse_go_file(data, "big.go")
    assert pieces == whole
    assert pieces.comments == whole.comments and pieces.problems == whole.problems
    assert [pieces.line(n) for n in range(0, 12)] == [whole.line(n) for n in range(0, 12)]
