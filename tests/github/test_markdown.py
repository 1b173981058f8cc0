"""Escaping: every hostile string renders as exactly its text, and only the nodes we put there appear."""

from __future__ import annotations

import re
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from linter.formats.markdown import ZWSP, Md, code, fenced, inline
from linter.github.markdown import command_data, command_property, log_safe, marker, marker_pattern, render

HOSTILE = [
    "@octocat please look",
    "ping @org/team and @dependabot",
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "<!-- hidden --> and -->",
    "[click me](https://evil.example/phish)",
    "![tracker](https://evil.example/pixel.png)",
    "see https://evil.example and www.evil.example and mailto:a@b.example",
    "user@example.com",
    "`code` and ``two`` and ```three``` and ````four````",
    "::error file=x::pwned",
    "line one\n::set-output name=x::y\r\nline three",
    "fixes #123 and GH-42 and owner/repo#7",
    "*bold* _em_ **strong** ~~strike~~",
    "| a | b |\n|---|---|",
    "&lt;b&gt; &amp; &#64;octocat",
    "# heading\n- list\n> quote\n1. ordered",
    "$x^2$ and $$y$$",
    "back\\slash\\",
    "\u202eevil\u202c text\x00nul\x1bescape",
    "javascript:alert(1)",
    "[ref]: https://evil.example",
    "trailing backslash \\",
]

MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def flat(tokens: list[Token]) -> list[Token]:
    out = []
    for token in tokens:
        out.append(token)
        out.extend(flat(token.children or []))
    return out


def inline_children(text: str) -> list[Token]:
    tokens = MD.parse(text)
    return [child for t in tokens if t.type == "inline" for child in (t.children or [])]


def clean(text: str) -> str:
    """What inline() keeps of a string: controls and bidi become U+FFFD, line breaks spaces."""
    out = []
    for ch in text.replace("\r\n", "\n"):
        if ch in "\r\n\t":
            out.append(" ")
        elif ord(ch) < 32 or ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f" or ch == "\x7f":
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_inline_renders_as_exactly_the_text(hostile: str) -> None:
    children = inline_children("Message: " + inline(hostile))
    types = {child.type for child in children}
    assert types <= {"text", "softbreak"}, types
    rendered = "".join(child.content for child in children).replace(ZWSP, "")
    assert rendered == "Message: " + clean(hostile).rstrip()


@pytest.mark.parametrize("hostile", HOSTILE)
def test_inline_breaks_mentions_references_and_autolinks(hostile: str) -> None:
    text = "".join(child.content for child in inline_children(inline(hostile)))
    assert not re.search(r"@[\w-]", text)
    assert not re.search(r"#\d|GH-\d", text, re.IGNORECASE)
    assert not re.search(r"[A-Za-z]://", text)
    assert not re.search(r"(?<![\w.])www\.", text, re.IGNORECASE)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_code_span_holds_the_text_whatever_its_backticks(hostile: str) -> None:
    children = inline_children("x " + code(hostile) + " y")
    spans = [c for c in children if c.type == "code_inline"]
    assert len(spans) == 1
    assert [c.type for c in children if c.type != "text"] == ["code_inline"]
    assert spans[0].content.strip() == clean(hostile).strip()


@pytest.mark.parametrize("hostile", [*HOSTILE, "```suggestion\nrm -rf /\n```", "````\n```\n"])
def test_fence_cannot_be_closed_by_its_content(hostile: str) -> None:
    tokens = MD.parse("before\n\n" + fenced(hostile, "suggestion") + "\n\nafter\n")
    fences = [t for t in tokens if t.type == "fence"]
    assert len(fences) == 1
    assert fences[0].info == "suggestion"
    assert fences[0].content.rstrip("\n") == hostile.replace("\r\n", "\n").replace("\r", "\n").replace(
        "\x00", "\ufffd").replace("\x1b", "\ufffd").replace("\u202e", "\ufffd").replace("\u202c", "\ufffd").rstrip("\n")
    assert tokens[-2].content == "after"


def test_fence_keeps_tabs_for_gofmt_code() -> None:
    tokens = MD.parse(fenced("\treturn nil", "suggestion"))
    assert tokens[0].content == "\treturn nil\n"


def test_table_cells_stay_cells() -> None:
    row = f"| {inline('a | b')} | {code('c|d')} | {inline('e')} |"
    table = "| one | two | three |\n|---|---|---|\n" + row + "\n"
    cells = [t for t in MD.parse(table) if t.type == "td_open"]
    assert len(cells) == 3


def test_marker_accepts_only_safe_values_and_is_found_again() -> None:
    text = marker("fp", "0123abcd.2")
    assert text == "<!-- krakend-plugin-lint:fp=0123abcd.2 -->"
    assert marker_pattern("fp").search("x\n" + text).group(1) == "0123abcd.2"
    with pytest.raises(ValueError):
        marker("fp", "x --> <script>")


def test_workflow_command_escaping_matches_actions_core() -> None:
    assert command_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert command_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert log_safe("one\n::error::x") == "one\\n::error::x"


def _structure(text: str) -> list[tuple[str, str]]:
    """Token types in order, adjacent text merged, with the content of HTML and fences we wrote."""
    out: list[tuple[str, str]] = []
    for token in flat(MD.parse(text)):
        if token.type in ("text", "softbreak") and out and out[-1][0] == "text":
            continue
        kind = "text" if token.type == "softbreak" else token.type
        detail = token.content if token.type in ("html_block", "html_inline") else ""
        detail = detail if "krakend-plugin-lint" not in detail else "marker"
        out.append((kind, detail if kind != "fence" else token.info))
    return out


def _views(text: str) -> dict[str, Any]:
    return {"rule": "KP101", "name": "gomod-require", "severity": "error", "path": text, "line": 3,
            "location": f"{text}:3", "message": text, "hint": text, "plugin": text}


@pytest.mark.parametrize("hostile", HOSTILE)
def test_templates_contain_only_the_nodes_we_put_there(hostile: str) -> None:
    benign = "plain words"
    for name, values in _template_cases().items():
        safe = render(name, **values(benign))
        evil = render(name, **values(hostile))
        assert _structure(evil) == _structure(safe), name
        if name.startswith(("sticky", "step", "check")):
            assert ("table_open", "") in _structure(safe), name


def _template_cases() -> dict[str, Any]:
    counts = {"errors": 1, "warnings": 0, "notices": 0, "suppressed": 0}
    return {
        "review_comment.md.j2": lambda s: {"f": _views(s), "suggestion": s, "description": Md("Our doc."),
                                           "url": "https://example.test/doc", "marker": marker("fp", "ab")},
        "review_body.md.j2": lambda s: {"marker": marker("review"), "posted": 1, "rows": [_views(s)], "more": 2},
        "sticky_comment.md.j2": lambda s: {"marker": marker("summary"), "verdict": "fail", "fail_on": "error",
                                           "counts": counts, "target": s, "rows": [_views(s)], "more": 1,
                                           "run_url": "https://github.com/o/r/actions/runs/1", "notes": [s],
                                           "digest": marker("digest", "00")},
        "step_summary.md.j2": lambda s: {"verdict": "pass", "fail_on": "error", "counts": counts, "plugins": 1,
                                         "target": s, "facts": [{"name": s, "value": s, "source": s}],
                                         "groups": [{"title": code(s), "rows": [_views(s)]}], "more": 3,
                                         "notes": [s]},
        "check_run_summary.md.j2": lambda s: {"verdict": "fail", "fail_on": "error", "counts": counts,
                                              "target": s, "rows": [_views(s)], "more": 0,
                                              "annotations_dropped": 0, "annotation_cap": 1000},
    }


def test_undefined_template_values_fail_loudly() -> None:
    import jinja2

    with pytest.raises(jinja2.UndefinedError):
        render("review_body.md.j2", marker=marker("review"), posted=1)


MARKERS = [str(marker("fp", "0123456789abcdef")), str(marker("summary")), str(marker("digest", "0" * 20)),
           "<!--krakend-plugin-lint:fp=ab -->", "<!--   KRAKEND-PLUGIN-LINT:summary -->"]


@pytest.mark.parametrize("text", MARKERS)
def test_user_text_can_never_carry_one_of_our_markers(text: str) -> None:
    from linter.formats.markdown import cell_code, has_marker_like

    for escaped in (inline(text), code(text), cell_code(text), fenced(text, "suggestion"), fenced(f"a\n{text}\nb")):
        assert not has_marker_like(escaped)
        assert not any(marker_pattern(kind).search(escaped) for kind in ("fp", "digest"))
        assert "summary -->" not in escaped or "<!--" not in escaped


def test_a_marker_counts_only_as_the_last_line() -> None:
    from linter.github.markdown import trailing_marker

    fp = marker_pattern("fp")
    ours = marker("fp", "abc")
    assert trailing_marker(f"text\n\n{ours}\n", fp) == "abc"
    assert trailing_marker(f"text\r\n{ours}\r\n", fp) == "abc"
    assert trailing_marker(f"{ours}\ntext after it", fp) is None
    assert trailing_marker(f"text {ours}", fp) is None
