"""What `reference pull` and `reference show` report, over the cache (``linter.krakend.cache``).

For the CLI (``linter.formats.reference`` renders both as text):
  cache = Cache(cache_dir_for(args.cache_dir, os.environ))
  report = pull_references(["2.7.0", "2.13.8"], cache, fetch)   # fetch: see linter.resolver
  print(render_pull(report)) / json.dumps(report.as_dict());  exit 1 if not report.ok
  shown = show_reference(ReferenceRequest(...), cache, fetch)
  print(render_reference(shown)) / json.dumps(shown.as_dict())

Apart from the cache itself, which every run that resolves a reference opens, so that `check`
does not load these report types.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from linter.krakend import embedded, releases
from linter.krakend.cache import Cache
from linter.krakend.resolution import ReferenceRequest, ResolvedReference, resolve_reference
from linter.krakend.sources import Fetch, Notice, fetch_release_files
from linter.model import Fact

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
