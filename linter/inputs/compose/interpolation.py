"""Compose's variable interpolation (``$$``, ``$VAR``, ``${VAR:-default}``, ...) and ``.env`` files."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from linter.inputs.shell import matching_brace
from linter.model import Location

_MAX_NESTING = 16  # `${A:-${B:-${C}}}`: defaults inside defaults are followed this deep
_VALUE_OPERATORS = (":-", "-", ":?", "?", ":+", "+")


@dataclass(frozen=True)
class DotenvValue:
    text: str
    location: Location  # the value in the .env file
    unresolved: bool = False


@dataclass(frozen=True)
class Interpolated:
    text: str
    unresolved: bool
    variables: tuple[str, ...]
    origin: Location | None


class _Interpolation:
    """Compose's variable substitution over one text; ``where`` turns offsets into a place."""

    def __init__(self, env: Mapping[str, DotenvValue], where: Callable[[int, int], Location]) -> None:
        self.env = env
        self.where = where
        self.unresolved = False
        self.variables: list[str] = []
        self.origin: Location | None = None

    def run(self, text: str, base: int = 0, depth: int = 0) -> str:
        out: list[str] = []
        index = start = 0
        while True:
            index = text.find("$", index)
            if index < 0 or index + 1 >= len(text):
                break
            out.append(text[start:index])
            index = self._reference(text, index, base, depth, out)
            start = index
        out.append(text[start:])
        return "".join(out)

    def _reference(self, text: str, index: int, base: int, depth: int, out: list[str]) -> int:
        """Appends what the reference at ``index`` becomes; returns the offset after it."""
        following = text[index + 1]
        if following == "$":
            out.append("$")
            return index + 2
        if following == "{":
            close = matching_brace(text, index + 1)
            if close < 0 or depth >= _MAX_NESTING:
                self.unresolved = True  # Compose rejects it: the value is not known either way
                out.append(text[index:])
                return len(text)
            out.append(self._braced(text, index, close, base, depth))
            return close + 1
        end = _name_end(text, index + 1)
        if end == index + 1:
            out.append("$")
            return index + 1
        out.append(self._value(text[index + 1 : end], text[index:end]))
        return end

    def _braced(self, text: str, index: int, close: int, base: int, depth: int) -> str:
        written = text[index : close + 1]
        name_end = _name_end(text, index + 2)
        name, rest = text[index + 2 : name_end], text[name_end:close]
        operator = next((op for op in _VALUE_OPERATORS if rest.startswith(op)), "")
        if not name or (rest and not operator):  # `${}`, `${VAR[0]}`: Compose rejects them
            self.unresolved = True
            return written
        if not rest:
            return self._value(name, written)
        self.variables.append(name)
        known = self.env.get(name)
        argument_at = name_end + len(operator)
        argument = text[argument_at:close]
        empty = known is None or (operator.startswith(":") and known.text == "")
        if operator in (":-", "-"):
            if known is not None and not empty:
                return self._known(known)
            self.origin = self.where(base + argument_at, base + close)
            return self.run(argument, base + argument_at, depth + 1)
        if known is None:  # `?` and `+` depend on the environment Compose runs in
            self.unresolved = True
            return written
        if operator in (":?", "?"):
            if empty:  # Compose stops with the message
                self.unresolved = True
                return written
            return self._known(known)
        return "" if empty else self.run(argument, base + argument_at, depth + 1)

    def _value(self, name: str, written: str) -> str:
        self.variables.append(name)
        known = self.env.get(name)
        if known is None:
            self.unresolved = True
            return written
        return self._known(known)

    def _known(self, known: DotenvValue) -> str:
        self.origin = known.location
        self.unresolved = self.unresolved or known.unresolved
        return known.text


def interpolate(text: str, env: Mapping[str, DotenvValue], where: Callable[[int, int], Location]) -> Interpolated:
    job = _Interpolation(env, where)
    result = job.run(text)
    return Interpolated(result, job.unresolved, tuple(dict.fromkeys(job.variables)), job.origin)


def _name_end(text: str, start: int) -> int:
    end = start
    while end < len(text) and (text[end].isascii() and (text[end].isalnum() or text[end] == "_")):
        end += 1
    return end


def parse_dotenv(text: str, path: str) -> dict[str, DotenvValue]:
    """``NAME=value`` lines of a ``.env`` file: ``export`` prefixes, comments, quotes; unquoted
    and double-quoted values are interpolated with the lines before them."""
    env: dict[str, DotenvValue] = {}
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        body = line.lstrip()
        if body.startswith("export "):
            body = body[len("export ") :].lstrip()
        name, equals, value = body.partition("=")
        name = name.strip()
        if not equals or not name or name.startswith("#") or _name_end(name, 0) != len(name):
            continue
        column = len(line) - len(value) + 1
        stripped = value.lstrip()
        column += len(value) - len(stripped)
        env[name] = _dotenv_value(stripped, env, path, number, column)
    return env


def _dotenv_value(value: str, env: Mapping[str, DotenvValue], path: str, number: int, column: int) -> DotenvValue:
    quote = value[:1]
    if quote in ("'", '"'):
        close = value.find(quote, 1)
        while quote == '"' and close > 0 and value[close - 1] == "\\":
            close = value.find(quote, close + 1)
        body = value[1:close] if close > 0 else value[1:]
        column += 1
        if quote == "'":
            return DotenvValue(body, Location(path, number, column, number, column + len(body)))
        body = body.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
    else:
        body = value.split(" #", 1)[0].rstrip()
    location = Location(path, number, column, number, column + len(body))
    done = interpolate(body, env, lambda _start, _end: location)
    return DotenvValue(done.text, location, done.unresolved)
