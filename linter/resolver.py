"""Wiring: KrakenD references and each deployment's target, built once from ``Settings``.

``Resolver(settings, cwd)`` owns what every command needs to resolve a reference: the on-disk
cache, the KrakenD go.sum/go.mod/binary named on the command line (read once), and the GitHub
``fetch`` (``GitHubFetch``: ``linter.github`` does the HTTP, with retries, rate limits, timeouts
and one wait budget for the run; its failures reach ``linter.krakend`` as ``FetchError``). The
engine asks it for a deployment's facts (``deployment``), `matrix`, `fix` and `check
--target-version` for a reference per release (``lookup``), `reference` for ``pull``/``show``.
Close it (or use it as a context manager) when the run is over.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linter.krakend.sources import FetchError, Notice
from linter.settings import Settings

if TYPE_CHECKING:
    from linter.github.contents import ContentsReader, GitHubConfig
    from linter.inputs.workspace import Workspace
    from linter.krakend import releases
    from linter.krakend.cache import Cache
    from linter.krakend.cache_report import PullReport, ReferenceShow
    from linter.krakend.reference import Reference
    from linter.krakend.resolution import ResolvedReference
    from linter.krakend.target import Target
    from linter.model import Fact


class ReferenceFileError(Exception):
    """A reference file named on the command line cannot be read: a usage error (exit 2)."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(f"{path}: {message}")


class GitHubFetch:
    """``fetch(repo, path, ref) -> text`` over one GitHub client (built on the first call, so a run
    that never needs GitHub never imports PyGithub); close it when the run is over."""

    def __init__(self, config: GitHubConfig, *, sleep: Callable[[float], None] = time.sleep,
                 now: Callable[[], float] = time.time) -> None:
        from linter.github.contents import ContentsReader

        self.config = config
        self._reader: ContentsReader = ContentsReader(config, sleep=sleep, now=now)

    def __call__(self, repo: str, path: str, ref: str) -> str:
        from linter.github.client import GitHubError
        from linter.github.contents import describe

        try:
            return self._reader(repo, path, ref)
        except GitHubError as err:
            kind, message, hint = describe(err, self.config.max_wait)
            raise FetchError(kind, message, hint) from None

    def close(self) -> None:
        self._reader.close()

    def __enter__(self) -> GitHubFetch:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


@dataclass(frozen=True)
class DeploymentFacts:
    """What the rules of one deployment are checked against."""

    target: Target  # with the Go and libc the KrakenD binary really has
    reference: Reference | None
    notices: tuple[Notice, ...]
    facts: tuple[Fact, ...]  # where the reference came from


class Resolver:
    def __init__(self, settings: Settings, cwd: Path, env: Mapping[str, str] | None = None,
                 fetch: GitHubFetch | None = None) -> None:
        from linter.krakend.cache import Cache, cache_dir_for

        env = os.environ if env is None else env
        self.settings = settings
        self.cwd = cwd
        self.cache: Cache = Cache(cache_dir_for(settings.cache_dir, env))
        self._env = env
        self._fetch = fetch
        self._files: tuple[Any, Any] | None = None
        self._resolved: dict[str, ResolvedReference] = {}

    @property
    def fetch(self) -> GitHubFetch:
        """Built on first use: a run that resolves from embedded data or the cache never sets up GitHub."""
        if self._fetch is None:
            from linter.github.contents import GitHubConfig

            self._fetch = GitHubFetch(GitHubConfig.from_env(self._env, self.settings.github_token))
        return self._fetch

    def _fetch_text(self, repo: str, path: str, ref: str) -> str:
        """The ``fetch`` that ``linter.krakend`` calls only for a file it has nowhere else."""
        return self.fetch(repo, path, ref)

    def close(self) -> None:
        if self._fetch is not None:
            self._fetch.close()

    def __enter__(self) -> Resolver:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- one deployment ----------------------------------------------------------------------------

    def target(self, ws: Workspace) -> Target:
        """The deployment's target KrakenD as detected (``--krakend-version`` or the config file first)."""
        from linter.analysis.detect import detect_target

        target = detect_target(ws, self.settings.krakend_version or None)
        if self.settings.krakend_version_source and target.source == "--krakend-version":
            target = replace(target, source=self.settings.krakend_version_source)  # the config file's version
        return target

    def deployment(self, ws: Workspace) -> DeploymentFacts:
        """The target, reference, notices and facts of one deployment (one resolution per release,
        however many deployments deploy it)."""
        from linter.krakend.resolution import ReferenceRequest, resolve_reference

        target = self.target(ws)
        if target.version not in self._resolved:
            gosum, gomod = self._reference_files()
            request = ReferenceRequest(
                krakend_version=target.version,
                binary=ws.krakend_binary,
                binary_origin=ws.krakend_binary.path if ws.krakend_binary else "",
                gosum=gosum,
                gomod=gomod,
                offline=self.settings.offline,
                version_source=target.source or "--krakend-version",
                edition=target.edition,
            )
            self._resolved[target.version] = resolve_reference(request, self.cache, self._fetch_text)
        resolved = self._resolved[target.version]
        return DeploymentFacts(actual_target(target, resolved.reference, self.settings), resolved.reference,
                               resolved.notices, resolved.facts)

    # --- one reference per release -----------------------------------------------------------------

    def lookup(self, *, edition: str = "ce", announce: Callable[[str], None] | None = None
               ) -> Callable[[releases.Release], Reference | None]:
        """Embedded or cached references; the missing ones are fetched unless --offline. For the
        Enterprise Edition (``edition="ee"``) there are none: its module versions are not public."""
        from linter.krakend.resolution import ReferenceRequest, resolve_reference

        seen: dict[str, Reference | None] = {}

        def reference_for(release: releases.Release) -> Reference | None:
            if release.version not in seen:
                if announce is not None:
                    announce(release.version)
                request = ReferenceRequest(krakend_version=release.version, offline=self.settings.offline,
                                           edition=edition)
                seen[release.version] = resolve_reference(request, self.cache, self._fetch_text).reference
            return seen[release.version]

        return reference_for

    # --- `reference pull` and `reference show` -----------------------------------------------------

    def pull(self, versions: Sequence[str]) -> PullReport:
        from linter.krakend.cache_report import pull_references

        return pull_references(versions, self.cache, self._fetch_text)

    def show(self, version: str, version_source: str) -> ReferenceShow:
        from linter.krakend.cache_report import show_reference
        from linter.krakend.resolution import ReferenceRequest

        binary = read_krakend_binary(self.settings.krakend_binary, self.cwd)
        gosum, gomod = self._reference_files()
        request = ReferenceRequest(
            krakend_version=version,
            binary=binary,
            binary_origin=str(self.settings.krakend_binary or ""),
            gosum=gosum,
            gomod=gomod,
            offline=self.settings.offline,
            version_source=version_source,
        )
        return show_reference(request, self.cache, self._fetch_text)

    def _reference_files(self) -> tuple[Any, Any]:
        if self._files is None:
            self._files = (read_reference_file(self.settings.krakend_go_sum, self.cwd, "gosum"),
                           read_reference_file(self.settings.krakend_go_mod, self.cwd, "gomod"))
        return self._files


def actual_target(target: Target, reference: Reference | None, settings: Settings) -> Target:
    """The Go and libc the KrakenD binary really has: given on the command line, or read from the
    binary itself, which wins over the release table (a self-built KrakenD is not the release)."""
    binary = reference if reference is not None and reference.exact else None
    go, go_source = _first((settings.krakend_go_version, "--krakend-go-version"),
                           (binary.go_version if binary else "", binary.origin if binary else ""),
                           (target.go_override, target.go_override_source))
    libc, libc_source = _first((settings.krakend_libc, "--krakend-libc"),
                               (binary.libc if binary else "", binary.origin if binary else ""),
                               (target.libc_override, target.libc_override_source))
    if libc not in ("musl", "glibc"):
        libc, libc_source = "", ""
    if go == target.go_version and (not libc or libc == target.libc):
        return target
    return replace(target, go_override=go, libc_override=libc, go_override_source=go_source,
                   libc_override_source=libc_source)


def _first(*facts: tuple[str, str]) -> tuple[str, str]:
    """The first (value, where it came from) that has a value."""
    return next((fact for fact in facts if fact[0]), ("", ""))


def read_reference_file(path: Path | None, cwd: Path, kind: str) -> Any:
    """KrakenD's own go.sum/go.mod given on the command line, parsed like the plugin's."""
    if path is None:
        return None
    from linter.discovery import display_path, read_bytes
    from linter.inputs.gomod import parse_gomod
    from linter.inputs.gosum import parse_gosum
    from linter.inputs.text import MAX_TEXT_BYTES

    rel = display_path(path, cwd)
    data, problem = read_bytes(path, rel, MAX_TEXT_BYTES)
    if data is None:
        raise ReferenceFileError(problem.message if problem else "cannot read file", rel)
    return parse_gosum(data, rel) if kind == "gosum" else parse_gomod(data, rel)


def read_krakend_binary(path: Path | None, cwd: Path) -> Any:
    """A KrakenD binary named on the command line; unreadable or not Go is a usage error."""
    if path is None:
        return None
    from linter.load import read_binary

    binary, problems = read_binary(path, cwd)
    if binary is None:
        raise ReferenceFileError(problems[0].message if problems else "cannot read file", str(path))
    return binary
