"""Reading the real-world corpus: TOML files of ``[[repo]]`` entries (format in ``corpus/README.md``).

Every problem with a file is a ``CorpusError`` naming the file and the entry, never a traceback.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

VERDICTS = ("PASS", "WARN", "FAIL")
KINDS = ("plugin", "config-only", "library", "host", "other")
SEVERITIES = ("error", "warning")


class CorpusError(Exception):
    """A corpus file that cannot be read or holds an invalid entry."""


@dataclass(frozen=True)
class Problem:
    """A real problem the reviewer sees (``[[repo.problem]]``)."""

    severity: str
    path: str
    line: int
    what: str


@dataclass(frozen=True)
class Judgment:
    """The reviewer's word on one linter finding (``[[repo.finding]]``); line None matches any line."""

    rule: str
    path: str
    line: int | None
    truth: bool
    why: str


@dataclass(frozen=True)
class Entry:
    """One repository of the corpus and the reviewer's verdict on it."""

    name: str
    commit: str
    kind: str
    verdict: str
    target: str
    plugins: tuple[str, ...]
    reasons: str
    problems: tuple[Problem, ...] = ()
    judgments: tuple[Judgment, ...] = ()
    paths: tuple[str, ...] = (".",)  # what the linter is pointed at, relative to the repo root
    source: str = ""  # "file.toml#3": where the entry was read

    @property
    def folder_name(self) -> str:
        """``owner+name``: how mirrors and work folders name the repository."""
        return self.name.replace("/", "+")


def corpus_files(paths: Iterable[Path]) -> list[Path]:
    """The TOML files named, folders expanded to their ``*.toml`` (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(path.glob("*.toml"))
        elif path.is_file():
            found.append(path)
        else:
            raise CorpusError(f"{path}: no such corpus file or folder")
    return found


def load_corpus(paths: Iterable[Path]) -> tuple[list[Entry], list[str]]:
    """Every entry of the files (in file order) and notes on entries left out (duplicates)."""
    entries: list[Entry] = []
    notes: list[str] = []
    seen: dict[str, str] = {}
    for path in corpus_files(paths):
        for entry in load_file(path):
            if entry.name in seen:
                notes.append(f"{entry.source}: {entry.name} is already judged at {seen[entry.name]}; ignored")
                continue
            seen[entry.name] = entry.source
            entries.append(entry)
    return entries, notes


def load_file(path: Path) -> list[Entry]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise CorpusError(f"{path}: cannot read: {err}") from err
    except tomllib.TOMLDecodeError as err:
        raise CorpusError(f"{path}: invalid TOML: {err}") from err
    repos = data.get("repo", [])
    if not isinstance(repos, list):
        raise CorpusError(f"{path}: `repo` must be an array of tables ([[repo]])")
    return [parse_entry(item, f"{path.name}#{index}") for index, item in enumerate(repos, start=1)]


def parse_entry(item: Any, where: str) -> Entry:
    if not isinstance(item, Mapping):
        raise CorpusError(f"{where}: a [[repo]] entry must be a table")
    name = _text(item, "name", where)
    at = f"{where} ({name})" if name else where
    if name.count("/") != 1:
        raise CorpusError(f"{at}: name must be owner/name")
    commit = _text(item, "commit", at)
    if len(commit) != 40 or any(ch not in "0123456789abcdef" for ch in commit.lower()):
        raise CorpusError(f"{at}: commit must be 40 hex digits")
    paths = tuple(_strings(item, "paths", at)) or (".",)
    if any(Path(p).is_absolute() or ".." in Path(p).parts for p in paths):
        raise CorpusError(f"{at}: paths must stay inside the repository")
    return Entry(
        name=name,
        commit=commit.lower(),
        kind=_choice(item, "kind", KINDS, at),
        verdict=_choice(item, "verdict", VERDICTS, at),
        target=str(item.get("target", "")),
        plugins=tuple(_strings(item, "plugins", at)),
        reasons=str(item.get("reasons", "")).strip(),
        problems=tuple(_problem(p, f"{at} problem {i}") for i, p in enumerate(_tables(item, "problem", at), 1)),
        judgments=tuple(_judgment(j, f"{at} finding {i}") for i, j in enumerate(_tables(item, "finding", at), 1)),
        paths=paths,
        source=where,
    )


def _problem(item: Mapping[str, Any], where: str) -> Problem:
    return Problem(_choice(item, "severity", SEVERITIES, where), clean_path(_text(item, "path", where)),
                   _int(item, "line", where, 0), str(item.get("what", "")))


def _judgment(item: Mapping[str, Any], where: str) -> Judgment:
    truth = item.get("truth")
    if not isinstance(truth, bool):
        raise CorpusError(f"{where}: truth must be true or false")
    line = _int(item, "line", where, 0) if "line" in item else None
    return Judgment(_text(item, "rule", where).upper(), clean_path(_text(item, "path", where)), line, truth,
                    str(item.get("why", "")))


def clean_path(path: str) -> str:
    """A repo-relative path as findings spell it: no ``./`` prefix, forward slashes."""
    text = path.replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    return text


def _text(item: Mapping[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CorpusError(f"{where}: `{key}` must be a non-empty string")
    return value.strip()


def _choice(item: Mapping[str, Any], key: str, choices: tuple[str, ...], where: str) -> str:
    value = _text(item, key, where)
    if value not in choices:
        raise CorpusError(f"{where}: `{key}` is {value!r}, expected one of {', '.join(choices)}")
    return value


def _strings(item: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = item.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CorpusError(f"{where}: `{key}` must be a list of strings")
    return value


def _tables(item: Mapping[str, Any], key: str, where: str) -> list[Mapping[str, Any]]:
    value = item.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise CorpusError(f"{where}: `{key}` must be an array of tables ([[repo.{key}]])")
    return value


def _int(item: Mapping[str, Any], key: str, where: str, default: int) -> int:
    value = item.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CorpusError(f"{where}: `{key}` must be a whole number >= 0")
    return value
