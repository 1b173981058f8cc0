"""Shell parameter expansion (``$VAR``, ``${VAR:-default}``, ...) over a known environment."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from linter.inputs.shell.model import EnvVar


def expand(text: str, lookup: Callable[[str], str | None]) -> str:
    """Expand ``$VAR``, ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:+alt}``.

    Unknown variables are left as written, so a caller can tell a resolved value from one that
    still depends on something it could not see.
    """
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char != "$" or index + 1 >= len(text):
            out.append(char)
            index += 1
            continue
        replaced, index = _expand_one(text, index, lookup)
        out.append(replaced)
    return "".join(out)


def env_lookup(env: Mapping[str, EnvVar]) -> Callable[[str], str | None]:
    """A lookup for ``expand`` over an environment."""

    def lookup(name: str) -> str | None:
        var = env.get(name)
        return var.value if var is not None else None

    return lookup



def _expand_one(text: str, index: int, lookup: Callable[[str], str | None]) -> tuple[str, int]:
    nxt = text[index + 1]
    if nxt == "{":
        close = matching_brace(text, index + 1)
        if close < 0:
            return text[index:], len(text)
        body = text[index + 2 : close]
        return _expand_braced(body, lookup, text[index : close + 1]), close + 1
    end = index + 1
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    if end == index + 1:
        return "$", index + 1
    value = lookup(text[index + 1 : end])
    return (text[index:end] if value is None else value), end


def matching_brace(text: str, open_index: int) -> int:
    """The index of the `}` closing the `{` at ``open_index`` (nested braces counted), or -1."""
    depth = 0
    for index in range(open_index, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    return -1


def _expand_braced(body: str, lookup: Callable[[str], str | None], written: str) -> str:
    name_end = 0
    while name_end < len(body) and (body[name_end].isalnum() or body[name_end] == "_"):
        name_end += 1
    name, rest = body[:name_end], body[name_end:]
    value = lookup(name) if name else None
    for operator in (":-", ":=", "-", "="):
        if rest.startswith(operator):
            unset = value is None or (operator.startswith(":") and value == "")
            return expand(rest[len(operator) :], lookup) if unset else str(value)
    for operator in (":+", "+"):
        if rest.startswith(operator):
            if value is None:
                return written
            set_ = value != "" or operator == "+"
            return expand(rest[len(operator) :], lookup) if set_ else ""
    if rest or value is None:
        return written
    return value
