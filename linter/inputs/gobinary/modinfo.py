"""The module info text of the build info, and the names the linker gives packages' symbols."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from linter.inputs.gobinary.model import ModInfo, Module


def parse_modinfo(text: str) -> ModInfo:
    """Parse the module info lines as ``runtime/debug.ParseBuildInfo`` does, keeping bad lines out."""
    package_path = ""
    main: list[Any] | None = None
    deps: list[list[Any]] = []
    settings: dict[str, str] = {}
    errors: list[str] = []
    last: list[Any] | None = None  # [path, version, sum, replace] of the line a "=>" may follow
    for number, line in enumerate(text.split("\n"), start=1):
        word, _, rest = line.partition("\t")
        if not line:
            continue
        if word == "path":
            package_path = rest
        elif word in ("mod", "dep"):
            columns = rest.split("\t")
            if len(columns) not in (2, 3):
                errors.append(f"line {number}: expected 2 or 3 columns after {word!r}, got {len(columns)}")
                last = None
                continue
            last = [columns[0], columns[1], columns[2] if len(columns) == 3 else "", None]
            if word == "mod":
                main = last
            else:
                deps.append(last)
        elif word == "=>":
            columns = rest.split("\t")
            if len(columns) != 3 or last is None or last[3] is not None:
                errors.append(f"line {number}: replacement {rest!r} does not follow a module line")
                continue
            last[3] = Module(columns[0], columns[1], columns[2])
            last = None
        elif word == "build":
            setting = _parse_setting(rest)
            if isinstance(setting, str):
                errors.append(f"line {number}: {setting}")
            else:
                settings[setting[0]] = setting[1]
        elif word != "go":  # "go\t<version>" is what BuildInfo.String adds; the version is read apart
            errors.append(f"line {number}: unexpected line {line[:80]!r}")
    return ModInfo(
        package_path=package_path,
        main_module=_module(main) if main else None,
        deps=tuple(_module(dep) for dep in deps),
        settings=MappingProxyType(settings),
        errors=tuple(errors),
    )


def _module(fields: list[Any]) -> Module:
    return Module(fields[0], fields[1], fields[2], fields[3])


def _parse_setting(text: str) -> tuple[str, str] | str:
    """``key=value`` of a build line; either side may be Go-quoted. A string is an error."""
    if not text:
        return "build line missing '='"
    if text[0] == "=":
        return "build line with missing key"
    if text[0] in "\"`":
        raw_key = _quoted_prefix(text)
        key = _go_unquote(raw_key) if raw_key else None
        if key is None or raw_key is None:
            return f"build line with a badly quoted key: {text[:80]!r}"
        rest = text[len(raw_key):]
        if not rest.startswith("="):
            return f"build line missing '=' after the key {key!r}"
        raw_value = rest[1:]
    else:
        key, sep, raw_value = text.partition("=")
        if not sep:
            return f"build line missing '=': {text[:80]!r}"
    if raw_value[:1] in ('"', "`"):
        value = _go_unquote(raw_value)
        if value is None:
            return f"build setting {key!r} has a badly quoted value: {raw_value[:80]!r}"
        return key, value
    return key, raw_value


def _quoted_prefix(text: str) -> str | None:
    """The Go string literal at the start of ``text`` (quotes included), if it is closed."""
    if text[0] == "`":
        end = text.find("`", 1)
        return text[: end + 1] if end > 0 else None
    index = 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == '"':
            return text[: index + 1]
        index += 1
    return None


_SIMPLE_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, "'": 39, '"': 34}
_HEX_WIDTH = {"x": 2, "u": 4, "U": 8}


def _go_unquote(raw: str) -> str | None:
    """Go's ``strconv.Unquote`` for the two literal forms cmd/go writes; ``None`` when invalid."""
    if len(raw) < 2 or raw[0] != raw[-1] or raw[0] not in "\"`":
        return None
    inner = raw[1:-1]
    if raw[0] == "`":
        return None if "`" in inner else inner.replace("\r", "")
    out = bytearray()
    index = 0
    while index < len(inner):
        char = inner[index]
        if char in "\"\n":
            return None
        if char != "\\":
            out += char.encode("utf-8", "surrogatepass")
            index += 1
            continue
        decoded = _escape(inner, index + 1)
        if decoded is None:
            return None
        out += decoded[0]
        index = decoded[1]
    return out.decode("utf-8", errors="replace")


def _escape(inner: str, index: int) -> tuple[bytes, int] | None:
    """The bytes of the escape whose letter is at ``inner[index]`` and the index after it."""
    letter = inner[index : index + 1]
    if letter in _SIMPLE_ESCAPES:
        return bytes([_SIMPLE_ESCAPES[letter]]), index + 1
    if letter in _HEX_WIDTH:
        digits = inner[index + 1 : index + 1 + _HEX_WIDTH[letter]]
        if len(digits) != _HEX_WIDTH[letter] or any(c not in "0123456789abcdefABCDEF" for c in digits):
            return None
        value = int(digits, 16)
        if letter == "x":
            return bytes([value]), index + 3
        if value > 0x10FFFF or 0xD800 <= value < 0xE000:
            return None
        return chr(value).encode("utf-8"), index + 1 + len(digits)
    digits = inner[index : index + 3]
    if len(digits) == 3 and all(c in "01234567" for c in digits) and int(digits, 8) < 256:
        return bytes([int(digits, 8)]), index + 3
    return None


def symbol_prefix(import_path: str) -> str:
    """An import path as the linker writes it in symbol names (cmd/internal/objabi.PathToPrefix)."""
    slash = import_path.rfind("/")
    out = []
    for index, byte in enumerate(import_path.encode("utf-8")):
        if byte <= 0x20 or byte >= 0x7F or byte in b'%"' or (byte == 0x2E and index > slash):
            out.append(f"%{byte:02x}")
        else:
            out.append(chr(byte))
    return "".join(out)


def uvarint(data: bytes, pos: int) -> tuple[int, int] | None:
    """A Go ``binary.Uvarint`` at ``pos``: (value, next position) or None if cut or too long."""
    value = shift = 0
    for index in range(pos, min(pos + 10, len(data))):
        byte = data[index]
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, index + 1
        shift += 7
    return None


def is_exported_identifier(name: str) -> bool:
    """An exported Go identifier: an upper-case letter, then letters, digits or underscores."""
    return bool(name) and name[0].isupper() and all(c == "_" or c.isalnum() for c in name)
