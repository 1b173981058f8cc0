"""The on-disk reference cache, and the data behind `reference pull` and `reference show`.

One JSON file per (source, version): ``<dir>/<source>/<version>.json`` holding the raw go.mod,
go.sum and Makefile text (so a cached reference is parsed exactly like a fresh one) and a sha256
of each. Writes go to a temporary file in the same folder and are moved into place with
``os.replace``, so readers never see half an entry. An entry that does not read back (bad JSON,
wrong format, checksum mismatch) is ignored with a notice and rewritten by the next fetch.

For the CLI (``linter.formats.reference`` renders both as text):
  cache = Cache(cache_dir_for(args.cache_dir, os.environ))
  report = pull_references(["2.7.0", "2.13.8"], cache, fetch)   # fetch: see linter.resolver
  print(render_pull(report)) / json.dumps(report.as_dict());  exit 1 if not report.ok
  shown = show_reference(ReferenceRequest(...), cache, fetch)
  print(render_reference(shown)) / json.dumps(shown.as_dict())
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linter.krakend import embedded, releases
from linter.krakend.resolution import ReferenceRequest, ResolvedReference, resolve_reference
from linter.krakend.sources import FILES, REQUIRED_FILES, Fetch, Notice, fetch_release_files
from linter.model import Fact

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


# --- reference pull ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PullResult:
    version: str
    status: str  # "embedded" (shipped with the linter: nothing to fetch), "cached" (already there), "fetched", "failed"
    path: str = ""
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True)
class PullReport:
    results: tuple[PullResult, ...] = ()

    @property
    def ok(self) -> bool:
        return all(r.status != "failed" for r in self.results)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "results": [
            {"version": r.version, "status": r.status, "path": r.path, "notices": [n.as_dict() for n in r.notices]}
            for r in self.results]}


def pull_references(
    versions: Sequence[str],
    cache: Cache,
    fetch: Fetch,
    *,
    force: bool = False,
    use_embedded: bool = True,
) -> PullReport:
    """Fill the cache for ``versions`` (`reference pull`); an entry already there is kept unless
    ``force``, and a release whose references ship with the linter is not fetched at all (the
    resolver reads the embedded data before the cache). Versions may be floating ("2.7",
    "latest"): they are pulled as what they mean now."""
    results = []
    for asked in versions:
        version = _concrete(asked)
        notices: list[Notice] = []
        if use_embedded and not force and _embedded(version):
            results.append(PullResult(version, "embedded"))
            continue
        if not force:
            entry, notice = cache.load("github", version)
            if entry is not None:
                results.append(PullResult(version, "cached", entry.path))
                continue
            if notice is not None:
                notices.append(notice)
        fetched = fetch_release_files(version, fetch)
        notices.extend(fetched.notices)
        path = cache.store("github", version, fetched.files, fetched.origin, notices) if fetched.ok else ""
        results.append(PullResult(version, "fetched" if path else "failed", path, tuple(notices)))
    return PullReport(tuple(results))


def _embedded(version: str) -> bool:
    try:
        return embedded.has(version)
    except embedded.EmbeddedDataError:
        return False


def _concrete(asked: str) -> str:
    match = releases.resolve_tag(asked) if not releases.is_known(asked) else None
    return match.release.version if match and match.floating else releases.normalize(asked)


# --- reference show ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceShow:
    """What reference would be used for a request and where each fact came from."""

    resolved: ResolvedReference
    cache_dir: str
    extra_facts: tuple[tuple[str, str, str], ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        ref = self.resolved.reference
        release = self.resolved.release
        return {
            "available": ref is not None,
            "krakend_version": ref.krakend_version if ref else (release.version if release else ""),
            "source": ref.source if ref else "",
            "origin": ref.origin if ref else "",
            "exact": bool(ref and ref.exact),
            "go_version": ref.go_version if ref else (release.go_version if release else ""),
            "modules": len(ref.modules) if ref else 0,
            "cache_dir": self.cache_dir,
            "cache_path": self.resolved.cache_path,
            "facts": [{"name": f.name, "value": f.value, "source": f.source} for f in self.all_facts()],
            "notices": [n.as_dict() for n in self.resolved.notices],
        }

    def all_facts(self) -> list[Fact]:
        return list(self.resolved.facts) + [Fact(*item) for item in self.extra_facts]


def show_reference(
    request: ReferenceRequest,
    cache: Cache,
    fetch: Fetch | None = None,
) -> ReferenceShow:
    """Resolve as `check` would (set ``request.offline`` to keep it from fetching) and describe it."""
    resolved = resolve_reference(request, cache, fetch)
    release = resolved.release
    extra: list[tuple[str, str, str]] = []
    if release is not None:
        table = "release table" if release.in_table else "assumed (newer than the release table)"
        extra += [("runtime_image", f"{release.runtime_image} ({release.libc})", table),
                  ("lura", f"{release.lura_module} {release.lura_version}".strip(), table),
                  ("ce_module", release.ce_module, table)]
        extra += [(f"builder_{b.kind}", f"{b.image} = {b.base_image or '?'}", table) for b in release.builders]
    if resolved.source == embedded.SOURCE:
        covered = embedded.covered()
        extra.append(("embedded_data", f"{len(covered)} releases, {covered[0]} to {covered[-1]}, "
                      f"{embedded.size_on_disk()} bytes", f"linter/krakend/data/{embedded.DATA_FILE}"))
    return ReferenceShow(resolved, str(cache.root), tuple(extra))
