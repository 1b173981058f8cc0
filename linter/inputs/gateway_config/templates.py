"""Flexible Configuration templates: each `{{ ... }}` action replaced by text of the same length
that the format's reader accepts, so that every position stays where it was."""

from __future__ import annotations

from typing import Any

from linter.inputs.gateway_config.model import ConfigNode, TemplateAction
from linter.inputs.gateway_config.positions import Lines
from linter.inputs.spans import NO_SPAN

# Positions are kept, so a placeholder must have the length of the action it replaces:
# a value action becomes `"<PLACEHOLDER>   "`, an action inside a string becomes IN_STRING + spaces.
PLACEHOLDER = "\ue000"
IN_STRING = "\ue001"
_CONTROL_WORDS = frozenset({"if", "else", "end", "range", "with", "define", "block", "template", "break",
                            "continue"})


def neutralise_templates(text: str, fmt: str, lines: Lines) -> tuple[str, tuple[TemplateAction, ...]]:
    """Replace each `{{ ... }}` with something of the same length the format's reader accepts."""
    out: list[str] = []
    actions: list[TemplateAction] = []
    pos = 0
    quote = ""
    index = 0
    while index < len(text):
        char = text[index]
        if text.startswith("{{", index):
            end = text.find("}}", index + 2)
            end = len(text) if end < 0 else end + 2
            action = text[index:end]
            handling = "in-string" if quote else _action_handling(action, text, index, end, fmt)
            out.append(text[pos:index])
            out.append(_replacement(action, handling))
            actions.append(TemplateAction(lines.span(index, end), action, handling))
            pos = index = end
            continue
        if quote and char == "\\":
            index += 2
            continue
        if char in ('"', "'") and (fmt != "json" or char == '"'):
            quote = "" if quote == char else (quote or char)
        elif char == "\n" and fmt != "json":
            quote = ""
        index += 1
    out.append(text[pos:])
    return "".join(out), tuple(actions)


def _action_handling(action: str, text: str, start: int, end: int, fmt: str) -> str:
    words = action[2:-2].strip().strip("-").split()
    if not words or words[0] in _CONTROL_WORDS or words[0].startswith("/*"):
        return "skipped"
    before = text[:start].rstrip(" \t")
    after = text[end:].lstrip(" \t")
    if fmt == "json":
        in_value = before.rstrip()[-1:] in (":", "[", ",") and after.lstrip()[:1] in (",", "}", "]", "")
    elif fmt == "yaml":
        item = before.endswith("-") and (len(before) == 1 or before[-2] in " \t\n")
        in_value = (before.endswith(":") or item) and after[:1] in ("\n", "#", "")
    else:
        in_value = before[-1:] == "=" and after[:1] in ("\n", "#", "")
    return "placeholder" if in_value else "skipped"


def _replacement(action: str, handling: str) -> str:
    def blank(part: str) -> str:
        return "".join(ch if ch == "\n" else " " for ch in part)

    first, newline, rest = action.partition("\n")
    if handling == "placeholder":
        head = '"' + PLACEHOLDER + '"'
        return head + blank(first[len(head):]) + newline + blank(rest)
    if handling == "in-string":
        return IN_STRING + blank(action[1:])
    return blank(action)


def scalar_node(value: Any, kind: str, path: str, span: int, key: str = "", key_span: int = NO_SPAN) -> ConfigNode:
    """``span`` and ``key_span`` packed (``linter.inputs.spans``)."""
    if kind == "string" and isinstance(value, str) and (PLACEHOLDER in value or IN_STRING in value):
        return ConfigNode("template", None, path, span, key_span, (), key)
    return ConfigNode(kind, value, path, span, key_span, (), key)
