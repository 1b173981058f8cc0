"""Where KrakenD's reference (Go version and build list) comes from, and in which order.

``resolve_reference`` tries, in order: a KrakenD binary, the user's go.mod/go.sum, the build
lists embedded in the package (every CE release from 2.0.0 to the newest one this linter knows,
``linter.krakend.embedded``), the on-disk cache, GitHub (through the ``fetch`` the wiring gives,
unless offline), and otherwise says how to provide one. GitHub is therefore needed only for a
release newer than the embedded data (or a 1.x release), and a notice says so. It never raises:
each source that was tried and did not answer leaves a ``Notice`` saying what happened.

``linter.resolver`` builds the request, the cache and the fetch function from the settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from linter.krakend import embedded, releases
from linter.krakend.binary_reference import krakend_version_of_binary, reference_from_binary
from linter.krakend.reference import Reference
from linter.krakend.reference_texts import makefile_go_version, reference_from_files, reference_from_texts
from linter.krakend.sources import Fetch, Notice, fetch_release_files
from linter.model import Fact

if TYPE_CHECKING:
    from linter.inputs.gobinary import GoBinary
    from linter.inputs.gomod import GoMod
    from linter.inputs.gosum import GoSum
    from linter.krakend.cache import Cache


@dataclass(frozen=True)
class ReferenceRequest:
    """Everything the resolver may use. Parsed documents, not paths: the caller reads files."""

    krakend_version: str = ""  # the target version ("" when unknown)
    binary: GoBinary | None = None
    binary_origin: str = ""  # display path of the binary
    gosum: GoSum | None = None
    gomod: GoMod | None = None
    offline: bool = False
    refresh: bool = False  # ignore the cache and fetch again
    version_source: str = "--krakend-version"  # where the target version came from, for facts
    embedded: bool = True  # use the build lists shipped with the linter (False: cache and GitHub only)
    edition: str = "ce"  # "ee": KrakenD Enterprise, whose module versions only a binary or go.sum can give


@dataclass(frozen=True)
class ResolvedReference:
    reference: Reference | None
    release: releases.Release | None  # the table's facts (or assumed ones for a newer release)
    notices: tuple[Notice, ...] = ()
    facts: tuple[Fact, ...] = ()
    cache_path: str = ""  # the cache entry read or written, if any

    @property
    def source(self) -> str:
        return self.reference.source if self.reference else ""


def resolve_reference(
    request: ReferenceRequest,
    cache: Cache | None,
    fetch: Fetch | None = None,
) -> ResolvedReference:
    """Binary, user files, embedded data, cache, GitHub (``fetch``, unless offline), nothing: the
    first that answers. Without ``fetch`` GitHub is not asked, as when offline."""
    version = releases.normalize(request.krakend_version)
    if request.binary is not None:
        return _from_binary(request, version)
    if request.gosum is not None or request.gomod is not None:
        ref = reference_from_files(request.gosum, request.gomod, version)
        return _finish(ref, version, request, [], f"{ref.origin}")
    if request.edition == "ee":
        return _enterprise(version, request)
    notices: list[Notice] = []
    if not version:
        notices.append(Notice("request", "no-version", "no KrakenD version to fetch a reference for",
                              "pass --krakend-version, or a reference with --krakend-binary/--krakend-go-sum"))
        return ResolvedReference(None, None, tuple(notices))
    if not releases.version_key(version):
        notices.append(Notice("request", "bad-version", f"{version!r} is not a KrakenD release number"))
        return ResolvedReference(None, None, tuple(notices))
    found = _from_embedded(request, version, notices)
    if found is not None:
        return found
    found = _from_cache(request, version, cache, notices)
    if found is not None:
        return found
    if request.offline or fetch is None:
        notices.append(Notice("github", "offline", f"offline: {_why_not_embedded(request, version)}, "
                              f"and it was not fetched from GitHub"))
    else:
        fetched = fetch_release_files(version, fetch)
        notices.extend(fetched.notices)
        if fetched.ok:
            path = cache.store("github", version, fetched.files, fetched.origin, notices) if cache else ""
            ref = reference_from_texts(version, fetched.files, source="github", origin=fetched.origin)
            if request.embedded:
                notices.append(Notice("embedded", "not-embedded", f"{_why_not_embedded(request, version)}: "
                                      f"its go.mod and go.sum were read from GitHub ({fetched.origin})",
                                      _upgrade_hint(version)))
            return _finish(ref, version, request, notices, fetched.origin, fetched.files, path)
    notices.append(_nothing_notice(version, request.offline))
    return ResolvedReference(None, releases.release(version), tuple(notices), _table_facts(version, request))


def _from_binary(request: ReferenceRequest, version: str) -> ResolvedReference:
    assert request.binary is not None
    ref = reference_from_binary(request.binary, request.binary_origin)
    notices: list[Notice] = []
    if request.gosum is not None or request.gomod is not None:
        notices.append(Notice("files", "ignored", "the KrakenD go.mod/go.sum given are not used: the binary is "
                              "the exact reference"))
    found, how = krakend_version_of_binary(request.binary)
    if version and found and found != version:
        notices.append(Notice("binary", "version-mismatch",
                              f"the binary is KrakenD {found} ({how}) but {version} was requested; "
                              f"the binary wins"))
    elif not found:
        notices.append(Notice("binary", "version-unknown", f"cannot tell the binary's KrakenD version: {how}"))
        ref = replace(ref, krakend_version=version)
    chosen = ref.krakend_version or version
    facts = [Fact("krakend_version", chosen, f"binary ({how})" if found else request.version_source),
             Fact("go_version", ref.go_version, "binary build info"),
             Fact("modules", f"{len(ref.modules)} modules (exact)", ref.origin)]
    facts += [Fact(name, value, "binary ELF") for name, value in (("goarch", ref.goarch), ("libc", ref.libc))
              if value]
    return ResolvedReference(ref, releases.release(chosen), tuple(notices), tuple(facts))


def _enterprise(version: str, request: ReferenceRequest) -> ResolvedReference:
    """KrakenD EE publishes no go.mod/go.sum: comparing with CE's would judge the plugin against
    another binary, so no reference at all unless the user gives EE's own (binary or files)."""
    name = f"KrakenD Enterprise Edition {version}".rstrip()
    notice = Notice("edition", "unavailable", f"{name}: its module versions are not public, so the Community "
                    f"Edition's are not used; pass --krakend-go-sum or --krakend-binary taken from your EE image",
                    "copy krakend's go.sum or the krakend binary out of the krakend/krakend-ee image")
    facts = (*_table_facts(version, request), Fact("edition", "ee", "a krakend-ee or builder-ee image"))
    return ResolvedReference(None, releases.release(version), (notice,), facts if version else facts[-1:])


def _from_embedded(request: ReferenceRequest, version: str, notices: list[Notice]) -> ResolvedReference | None:
    if not request.embedded:
        return None
    try:
        ref = embedded.reference(version)
    except embedded.EmbeddedDataError as err:
        notices.append(Notice("embedded", "unreadable", f"{err}; reinstall krakend-plugin-lint"))
        return None
    if ref is None:
        return None
    return _finish(ref, version, request, notices, f"embedded data ({ref.origin})")


def _upgrade_hint(version: str) -> str:
    try:
        newer = embedded.newer_than_data(version)
    except embedded.EmbeddedDataError:
        return ""
    return "upgrade krakend-plugin-lint to check this release offline" if newer else ""


def _why_not_embedded(request: ReferenceRequest, version: str) -> str:
    """Why the embedded data did not answer for ``version`` (for the offline and GitHub notices)."""
    if not request.embedded:
        return f"the embedded references were not used for KrakenD {version}"
    try:
        first, last = embedded.covered()[0], embedded.newest()
    except (embedded.EmbeddedDataError, IndexError):
        return f"there are no embedded references for KrakenD {version}"
    if embedded.newer_than_data(version):
        return (f"KrakenD {version} is newer than the references embedded in this linter "
                f"(newest {last})")
    if releases.version_key(version) < releases.version_key(first):
        return f"KrakenD {version} has no embedded module list (embedded references cover {first} to {last})"
    return f"KrakenD {version} is not a release the embedded references know ({first} to {last})"


def _from_cache(request: ReferenceRequest, version: str, cache: Cache | None,
                notices: list[Notice]) -> ResolvedReference | None:
    if cache is None or request.refresh:
        return None
    entry, notice = cache.load("github", version)
    if notice is not None:
        notices.append(notice)
    if entry is None:
        return None
    ref = reference_from_texts(version, entry.files, source="cache", origin=entry.origin)
    return _finish(ref, version, request, notices, f"cache {entry.path}", entry.files, entry.path)


def _finish(ref: Reference, version: str, request: ReferenceRequest, notices: list[Notice], where: str,
            files: Mapping[str, str] | None = None, cache_path: str = "") -> ResolvedReference:
    release = releases.release(version)
    makefile_go = makefile_go_version((files or {}).get("Makefile", ""))
    go_source = "release table"
    if release is None and version and files is not None:
        release = releases.assumed_release(version, makefile_go, lura_version=ref.modules.get(
            "github.com/luraproject/lura/v2", ""), ce_module=ref.main_module, origin=f"Makefile at {ref.origin}")
        notices.append(_table_older_notice(version, ref.origin))
        go_source = f"Makefile at {ref.origin}"
    elif release is not None and makefile_go and makefile_go != release.makefile_go_version:
        notices.append(Notice("table", "table-mismatch", f"the Makefile at {ref.origin} says Go {makefile_go} "
                              f"but the release table says {release.makefile_go_version}; using the table"))
    elif release is None and version:
        notices.append(Notice("table", "unknown-version", f"KrakenD {version} is not in the release table "
                              f"(newest {releases.latest().version}); its Go version is unknown"))
    if release is not None and not ref.go_version:
        ref = replace(ref, go_version=release.go_version)
    facts = (Fact("krakend_version", version, request.version_source),
             Fact("go_version", ref.go_version, go_source if ref.go_version else "unknown"),
             Fact("modules", f"{len(ref.modules)} modules", where),
             Fact("reference_source", ref.source, ref.origin))
    return ResolvedReference(ref, release, tuple(notices), facts, cache_path)


def _table_older_notice(version: str, origin: str) -> Notice:
    return Notice("table", "table-older", f"KrakenD {version} is newer than this linter's release table "
                  f"(newest {releases.latest().version}); Go version read from the Makefile at {origin}",
                  "upgrade krakend-plugin-lint for complete facts about this release")


def _table_facts(version: str, request: ReferenceRequest) -> tuple[Fact, ...]:
    known = releases.release(version)
    facts = [Fact("krakend_version", version, request.version_source)]
    if known:
        facts.append(Fact("go_version", known.go_version, "release table"))
    return tuple(facts)


def _nothing_notice(version: str, offline: bool) -> Notice:
    how = (f"run `krakend-plugin-lint reference pull {version}` where GitHub is reachable and reuse its cache, "
           f"or pass --krakend-go-sum/--krakend-go-mod (krakend-ce's files at tag v{version}) or "
           f"--krakend-binary")
    why = "offline and not cached" if offline else "not cached and GitHub did not provide it"
    return Notice("resolver", "unavailable", f"no reference for KrakenD {version}: {why}; dependency rules "
                  f"cannot compare module versions", how)
