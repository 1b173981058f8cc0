"""vendor/modules.txt: what `go mod vendor` copied, and what a `-mod=vendor` build compiles.

Read as the Go command reads it: `# module version [=> replacement [version]]` starts a module,
`# module => replacement [version]` records a wildcard replace, `## explicit; go 1.x` annotates
the current module, and any other non-comment line is a package of the current module. Lines
the Go command would silently skip are reported as problems, since they mean the file was
edited by hand or is damaged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from linter.inputs.gomod import is_valid_semver
from linter.inputs.text import decode
from linter.model import Location, Problem


@dataclass(frozen=True)
class VendoredModule:
    path: str
    version: str  # "" for a wildcard replacement line (`# m => r v`)
    location: Location  # the module path token on its `# ` line
    replacement_path: str = ""
    replacement_version: str = ""  # "" for a directory replacement
    explicit: bool = False  # `## explicit`: go.mod requires it directly
    go_version: str = ""  # `## go 1.x`: the module's own go line
    packages: tuple[str, ...] = ()
    line_text: str = ""

    @property
    def replaced(self) -> bool:
        return bool(self.replacement_path)


@dataclass(frozen=True)
class ModulesTxt:
    path: str
    modules: tuple[VendoredModule, ...] = ()
    problems: tuple[Problem, ...] = ()

    def module_for(self, path: str, version: str | None = None) -> VendoredModule | None:
        """The `# path version` entry (any version when ``version`` is None), ignoring wildcard
        replacement lines unless nothing else matches."""
        found = [m for m in self.modules if m.path == path and (version is None or m.version == version)]
        chosen = [m for m in found if m.version] or found
        return chosen[0] if chosen else None

    def explicit(self) -> tuple[VendoredModule, ...]:
        return tuple(m for m in self.modules if m.explicit)


@dataclass
class _Current:
    path: str
    version: str
    location: Location
    line_text: str
    replacement_path: str = ""
    replacement_version: str = ""
    explicit: bool = False
    go_version: str = ""
    packages: list[str] = field(default_factory=list)

    def freeze(self) -> VendoredModule:
        return VendoredModule(
            self.path,
            self.version,
            self.location,
            self.replacement_path,
            self.replacement_version,
            self.explicit,
            self.go_version,
            tuple(self.packages),
            self.line_text,
        )


def _fields(line: str) -> list[tuple[str, int]]:
    """Whitespace-separated fields with their 1-based columns."""
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(line):
        if line[i].isspace():
            i += 1
            continue
        start = i
        while i < len(line) and not line[i].isspace():
            i += 1
        out.append((line[start:i], start + 1))
    return out


def _module_line(line: str, number: int, path: str) -> _Current | Problem:
    fields = _fields(line)
    words = [f for f, _ in fields]
    where = Location(path, number, 1)
    if len(words) < 3:
        return Problem(where, "malformed module line: expected `# module version`")
    name, column = fields[1]
    location = Location(path, number, column, number, column + len(name) - 1)
    if is_valid_semver(words[2]):
        current, rest = _Current(name, words[2], location, line), words[3:]
    elif words[2] == "=>":
        current, rest = _Current(name, "", location, line), words[2:]
    else:
        return Problem(Location(path, number, fields[2][1]), f"invalid module version {words[2]!r}")
    if not rest:
        return current
    if rest[0] != "=>" or len(rest) not in (2, 3) or (len(rest) == 3 and not is_valid_semver(rest[2])):
        return Problem(where, "malformed replacement: expected `=> path [version]`")
    current.replacement_path = rest[1]
    current.replacement_version = rest[2] if len(rest) == 3 else ""
    return current


def _annotate(current: _Current, annotations: str) -> None:
    for entry in annotations.split(";"):
        entry = entry.strip()
        if entry == "explicit":
            current.explicit = True
        elif entry.startswith("go "):
            current.go_version = entry.removeprefix("go ").strip()
        # Anything else is reserved by the Go command for future use.


def parse_modules_txt(data: bytes, path: str) -> ModulesTxt:
    text, problems = decode(data, path)
    if text is None:
        return ModulesTxt(path, problems=problems)
    found: list[_Current] = []
    found_problems = list(problems)
    current: _Current | None = None
    for number, line in enumerate(text.lines, 1):
        if line.startswith("# "):
            parsed = _module_line(line, number, path)
            if isinstance(parsed, Problem):
                found_problems.append(parsed)
                current = None
            else:
                current = parsed
                found.append(parsed)
            continue
        if not line.strip() or (line.startswith("#") and not line.startswith("## ")):
            continue
        if current is None:
            message = "line outside any `# module version` entry"
            found_problems.append(Problem(Location(path, number, 1), message))
        elif line.startswith("## "):
            _annotate(current, line[3:])
        elif len(line.split()) == 1:
            current.packages.append(line.strip())
        else:
            found_problems.append(Problem(Location(path, number, 1), "malformed package line"))
    return ModulesTxt(path, tuple(c.freeze() for c in found), tuple(found_problems))
