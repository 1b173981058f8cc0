"""The on-disk reference cache.

One JSON file per (source, version): ``<dir>/<source>/<version>.json`` holding the raw go.mod,
go.sum and Makefile text (so a cached reference is parsed exactly like a fresh one) and a sha256
of each. Writes go to a temporary file in the same folder and are moved into place with
``os.replace``, so readers never see half an entry. An entry that does not read back (bad JSON,
wrong format, checksum mismatch) is ignored with a notice and rewritten by the next fetch.
What `reference pull` and `reference show` report is in ``linter.krakend.cache_report``.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from linter.krakend import releases
from linter.krakend.sources import FILES, REQUIRED_FILES, Notice

APP_DIR = "krakend-plugin-lint"
FORMAT = 1
_SAFE = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-+_")


def default_cache_dir(env: Mapping[str, str], home: Path | None = None) -> Path:
    """$RUNNER_TEMP/krakend-plugin-lint in GitHub Actions, else $XDG_CACHE_HOME/…, else ~/.cache/…"""
    if env.get("GITHUB_ACTIONS") == "true" and env.get("RUNNER_TEMP"):
        return Path(env["RUNNER_TEMP"]) / APP_DIR
    if env.get("XDG_CACHE_HOME"):
        return Path(env["XDG_CACHE_HOME"]) / APP_DIR
    return (home or Path.home()) / ".cache" / APP_DIR


def cache_dir_for(cache_dir: Path | str | None, env: Mapping[str, str]) -> Path:
    """``--cache-dir`` when given, else the default for this environment."""
    return Path(cache_dir) if cache_dir else default_cache_dir(env)


@dataclass(frozen=True)
class CacheEntry:
    source: str
    version: str
    origin: str
    files: Mapping[str, str]
    fetched_at: str
    path: str


class Cache:
    """Reference entries under ``root``; every method reports trouble as a ``Notice``, never raises."""

    def __init__(self, root: Path | str, clock: Callable[[], float] = time.time) -> None:
        self.root = Path(root)
        self._clock = clock

    def path_for(self, source: str, version: str) -> Path:
        return self.root / _safe(source) / f"{_safe(releases.normalize(version))}.json"

    def load(self, source: str, version: str) -> tuple[CacheEntry | None, Notice | None]:
        path = self.path_for(source, version)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None, None
        except OSError as err:
            return None, Notice("cache", "unreadable", f"cannot read cache entry {path}: {err}")
        entry, why = _decode_entry(raw, source, releases.normalize(version), str(path))
        if entry is None:
            return None, Notice("cache", "corrupt", f"ignoring cache entry {path}: {why}; it is rewritten on the "
                                "next fetch")
        return entry, None

    def store(self, source: str, version: str, files: Mapping[str, str], origin: str,
              notices: list[Notice] | None = None) -> str:
        """Write an entry atomically; the path written, or "" (and a notice) when it could not be."""
        from datetime import UTC, datetime

        path = self.path_for(source, version)
        document = {
            "format": FORMAT,
            "source": source,
            "version": releases.normalize(version),
            "origin": origin,
            "fetched_at": datetime.fromtimestamp(self._clock(), UTC).replace(microsecond=0).isoformat(),
            "files": dict(files),
            "sha256": {name: _digest(text) for name, text in files.items()},
        }
        try:
            _atomic_write(path, json.dumps(document, indent=1, sort_keys=True).encode("utf-8"))
        except OSError as err:
            if notices is not None:
                notices.append(Notice("cache", "write-failed", f"cannot write cache entry {path}: {err}"))
            return ""
        return str(path)

    def entries(self) -> list[CacheEntry]:
        """Every readable entry (corrupt ones are skipped), sorted by source and version."""
        found = []
        for path in sorted(self.root.glob("*/*.json")):
            entry, _ = self.load(path.parent.name, path.stem)
            if entry is not None:
                found.append(entry)
        return sorted(found, key=lambda e: (e.source, releases.version_key(e.version), e.version))


def _safe(text: str) -> str:
    cleaned = "".join(ch if ch in _SAFE else "_" for ch in text)
    return cleaned.lstrip(".") or "_"


def _digest(text: str) -> str:
    import hashlib  # with the first entry read or written: a run on embedded data needs none

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _decode_entry(raw: bytes, source: str, version: str, path: str) -> tuple[CacheEntry | None, str]:
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        return None, f"not JSON ({err.__class__.__name__})"
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        return None, "unknown format"
    if doc.get("source") != source or doc.get("version") != version:
        return None, "it describes another source or version"
    files, sums = doc.get("files"), doc.get("sha256")
    if not isinstance(files, dict) or not isinstance(sums, dict):
        return None, "no files"
    if any(not isinstance(files.get(name), str) for name in REQUIRED_FILES):
        return None, "go.mod or go.sum missing"
    clean = {name: text for name, text in files.items() if name in FILES and isinstance(text, str)}
    if any(sums.get(name) != _digest(text) for name, text in clean.items()):
        return None, "checksum mismatch"
    return CacheEntry(source, version, str(doc.get("origin", "")), clean, str(doc.get("fetched_at", "")), path), ""
