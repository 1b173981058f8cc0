"""Where KrakenD's reference (Go version and build list) comes from, and in which order.

``resolve_reference`` tries, in order: a KrakenD binary, the user's go.mod/go.sum, the build
lists embedded in the package (every CE release from 2.0.0 to the newest one this linter knows,
``linter.krakend.embedded``), the on-disk cache, GitHub (unless offline), and otherwise says how to
provide one. GitHub is therefore needed only for a release newer than the embedded data (or a
1.x release), and a notice says so. It never raises: each source that was tried and did not
answer leaves a ``Notice`` saying what happened.

GitHub is read with PyGithub (imported only inside ``fetch_release_files``, because importing it
costs more than the rest of the CLI) through a short timeout, a bounded transport retry for
refused connections, and our own retry loop for rate limits and server errors whose waits are
capped and whose clock and sleep can be injected.

For the engine/CLI::

    cache = Cache(cache_dir_for(args.cache_dir, os.environ))            # linter.krakend.cache
    request = ReferenceRequest(krakend_version=target.version, binary=ws.krakend_binary,
                               gosum=user_gosum, gomod=user_gomod, offline=args.offline,
                               github=GitHubConfig.from_env(os.environ, args.github_token),
                               version_source=target.source)
    resolved = resolve_reference(request, cache)
    # resolved.reference -> RuleContext.reference; resolved.release -> Target facts;
    # resolved.notices -> KP9xx findings (kind says what happened); resolved.facts -> Report.krakend

This module is longer than our usual 300 lines: the four sources and the resolver share the
``Notice`` vocabulary and the texts-to-Reference path, and splitting the GitHub section out would
only move that coupling into imports.
"""

from __future__ import annotations

import base64
import binascii
import shlex
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from linter.inputs.gomod import GoMod, compare_semver, parse_gomod
from linter.inputs.gosum import GoSum, fold_max_versions, parse_gosum
from linter.krakend import embedded, releases
from linter.krakend.reference import Reference, Replacement
from linter.model import Fact, Location
from linter.redact import mask_secrets

if TYPE_CHECKING:
    from linter.inputs.gobinary import GoBinary
    from linter.krakend.cache import Cache

CE_REPO = "krakend/krakend-ce"
DEFAULT_API_URL = "https://api.github.com"
FILES = ("go.mod", "go.sum", "Makefile")
REQUIRED_FILES = ("go.mod", "go.sum")
_KRAKEND_VERSION_VARS = ("core.KrakendVersion",)


@dataclass(frozen=True)
class Notice:
    """What happened when a source was tried (the engine turns these into KP9xx findings)."""

    source: str  # "binary", "files", "embedded", "cache", "github", "table", "request"
    kind: str  # "not-found", "rate-limited", "timeout", "server-error", "connection", "malformed", ...
    message: str
    hint: str = ""

    def __post_init__(self) -> None:
        # An error body may quote the request, Authorization header included: mask it here, once.
        object.__setattr__(self, "message", mask_secrets(self.message))
        object.__setattr__(self, "hint", mask_secrets(self.hint))

    def as_dict(self) -> dict[str, str]:
        return {"source": self.source, "kind": self.kind, "message": self.message, "hint": self.hint}


# --- GitHub ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GitHubConfig:
    """How to reach GitHub. Waits are capped: a rate limit asking for more than ``max_wait``
    seconds is reported instead of waited out."""

    base_url: str = DEFAULT_API_URL
    token: str = ""
    repo: str = CE_REPO
    timeout: int = 10  # seconds; PyGithub takes whole seconds
    attempts: int = 3  # per file, for 5xx, timeouts, short rate limits
    max_wait: float = 20.0  # the longest single wait
    total_wait: float = 40.0  # all waits of one fetch together
    backoff: float = 1.0  # first wait after a 5xx/timeout; doubles each time
    connect_retries: int = 1  # transport-level, for refused/reset connections

    @classmethod
    def from_env(cls, env: Mapping[str, str], token: str | None = None, **overrides: Any) -> GitHubConfig:
        """GITHUB_API_URL and GITHUB_TOKEN (an explicit ``token`` wins)."""
        url = env.get("GITHUB_API_URL", "").strip() or DEFAULT_API_URL
        chosen = token if token is not None else env.get("GITHUB_TOKEN", "")
        return cls(base_url=url.rstrip("/"), token=chosen.strip(), **overrides)


@dataclass(frozen=True)
class FetchResult:
    """The raw files of one CE tag, or the notices saying why they are missing."""

    version: str
    origin: str  # "krakend/krakend-ce@v2.7.0"
    files: Mapping[str, str] = field(default_factory=dict)
    notices: tuple[Notice, ...] = ()
    requests: int = 0

    @property
    def ok(self) -> bool:
        return all(name in self.files for name in REQUIRED_FILES)


@dataclass(frozen=True)
class _Failure:
    kind: str
    message: str
    wait: float | None = None  # None: retrying will not help
    hint: str = ""


class _MalformedError(Exception):
    pass


def fetch_release_files(
    version: str,
    config: GitHubConfig | None = None,
    *,
    sleep: Callable[[float], None] = time.sleep,
    now: Callable[[], float] = time.time,
) -> FetchResult:
    """go.mod, go.sum and (optional) Makefile of krakend-ce at tag ``v<version>``; never raises."""
    config = config or GitHubConfig()
    version = releases.normalize(version)
    origin = f"{config.repo}@v{version}"
    try:
        from github import Auth, Github  # here, not at module level: import time of the CLI
    except ImportError:  # pragma: no cover - PyGithub is a hard dependency; say it anyway
        return FetchResult(version, origin, notices=(Notice("github", "unavailable", "PyGithub is not installed"),))
    client = Github(
        base_url=config.base_url.rstrip("/"),
        auth=Auth.Token(config.token) if config.token else None,
        timeout=max(int(config.timeout), 1),
        retry=_transport_retry(config),
        seconds_between_requests=None,
        seconds_between_writes=None,
        lazy=True,
    )
    try:
        return _fetch_all(client, version, origin, config, _Budget(config, sleep), now)
    except Exception as err:
        return FetchResult(version, origin, notices=(
            Notice("github", "error", f"reading {origin} failed unexpectedly: {type(err).__name__}: {err}"),))
    finally:
        client.close()


def _transport_retry(config: GitHubConfig) -> Any:
    from urllib3.util.retry import Retry

    # Only refused/reset connections are retried here (no sleeping); HTTP statuses, read timeouts
    # and rate limits go through _fetch_one, whose waits are bounded and injectable.
    return Retry(total=config.connect_retries, connect=config.connect_retries, read=0, status=0, other=0,
                 redirect=5, backoff_factor=0, raise_on_status=False, respect_retry_after_header=False)


class _Budget:
    def __init__(self, config: GitHubConfig, sleep: Callable[[float], None]) -> None:
        self.config = config
        self.sleep = sleep
        self.waited = 0.0
        self.requests = 0

    def allows(self, wait: float) -> bool:
        return wait <= self.config.max_wait and self.waited + wait <= self.config.total_wait

    def wait(self, seconds: float) -> None:
        self.waited += seconds
        if seconds > 0:
            self.sleep(seconds)


def _fetch_all(client: Any, version: str, origin: str, config: GitHubConfig, budget: _Budget,
               now: Callable[[], float]) -> FetchResult:
    repo = client.get_repo(config.repo)
    files: dict[str, str] = {}
    notices: list[Notice] = []
    for name in FILES:
        text, failure = _fetch_one(repo, name, f"v{version}", budget, now)
        if text is not None:
            files[name] = text
            continue
        assert failure is not None
        notices.append(_file_notice(name, origin, failure))
        if name in REQUIRED_FILES:
            break  # without go.mod/go.sum there is no reference; do not spend more requests
    return FetchResult(version, origin, files, tuple(notices), budget.requests)


def _file_notice(name: str, origin: str, failure: _Failure) -> Notice:
    if failure.kind == "not-found" and name == "go.mod":
        message = f"{origin}: no such tag in {origin.split('@')[0]} (or it has no go.mod)"
    else:
        message = f"{origin}/{name}: {failure.message}"
    return Notice("github", failure.kind, message, failure.hint)


def _fetch_one(repo: Any, name: str, ref: str, budget: _Budget,
               now: Callable[[], float]) -> tuple[str | None, _Failure | None]:
    failure = _Failure("error", "not tried")
    for attempt in range(1, budget.config.attempts + 1):
        budget.requests += 1
        try:
            return _decode(repo.get_contents(name, ref=ref)), None
        except Exception as err:
            failure = _classify(err, now(), budget.config.backoff * 2 ** (attempt - 1))
        if failure.wait is None or attempt == budget.config.attempts:
            break
        if not budget.allows(failure.wait):
            return None, _Failure(failure.kind, f"{failure.message}; not waiting {failure.wait:.0f} s "
                                  f"(at most {budget.config.max_wait:.0f} s)", None, failure.hint)
        budget.wait(failure.wait)
    return None, failure


def _decode(content: Any) -> str:
    """The text of a contents-API answer; _MalformedError when it is not a base64 file."""
    if isinstance(content, list) or getattr(content, "type", "file") != "file":
        raise _MalformedError("the path is a directory, not a file")
    raw = content.raw_data
    if not isinstance(raw, dict) or raw.get("encoding") != "base64" or not isinstance(raw.get("content"), str):
        raise _MalformedError("the answer has no base64 `content`")
    try:
        return base64.b64decode(raw["content"], validate=False).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as err:
        raise _MalformedError(f"the content does not decode: {err}") from err


def _classify(err: Exception, now: float, backoff: float) -> _Failure:
    from github.GithubException import GithubException

    if isinstance(err, _MalformedError):
        return _Failure("malformed", f"malformed answer from GitHub: {err}", backoff)
    if isinstance(err, GithubException):
        return _classify_status(err.status, {k.lower(): str(v) for k, v in (err.headers or {}).items()},
                                _message(err.data), now, backoff)
    if isinstance(err, ValueError):  # json.JSONDecodeError: a body that starts like JSON but is not
        return _Failure("malformed", f"malformed JSON from GitHub: {err}", backoff)
    if _is_timeout(err):
        return _Failure("timeout", "GitHub did not answer in time", 0.0)
    if _is_connection_error(err):
        return _connection_failure(err, backoff)
    return _Failure("malformed", f"unexpected answer from GitHub: {type(err).__name__}: {_short(err)}", None)


def _classify_status(status: int, headers: Mapping[str, str], message: str, now: float,
                     backoff: float) -> _Failure:
    said = f" ({message})" if message else ""
    if status == 404:
        return _Failure("not-found", f"not found{said}")
    if status == 401:
        return _Failure("unauthorized", f"the token was refused{said}", None, "check GITHUB_TOKEN / --github-token")
    wait = _rate_limit_wait(status, headers, message, now)
    if wait is not None:
        return _Failure("rate-limited", f"rate limited by GitHub (HTTP {status}){said}", wait,
                        "set GITHUB_TOKEN for a higher limit, or pull the reference ahead: "
                        "krakend-plugin-lint reference pull <version>")
    if status >= 500:
        return _Failure("server-error", f"GitHub answered HTTP {status}{said}", backoff)
    return _Failure("http-error", f"GitHub answered HTTP {status}{said}")


def _rate_limit_wait(status: int, headers: Mapping[str, str], message: str, now: float) -> float | None:
    """Seconds GitHub asks us to wait, or None when the answer is not a rate limit."""
    retry_after = headers.get("retry-after", "")
    if status in (403, 429) and retry_after:
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            return 60.0
    if status in (403, 429) and headers.get("x-ratelimit-remaining") == "0":
        try:
            return max(0.0, float(headers.get("x-ratelimit-reset", "")) - now) + 1.0
        except ValueError:
            return 60.0
    if status == 429 or (status == 403 and "rate limit" in message.lower()):
        return 60.0  # GitHub's advice for a secondary limit without Retry-After: wait a minute
    return None


def _message(data: Any) -> str:
    if isinstance(data, dict):
        return str(data.get("message", ""))[:200]
    return ""


def _chain(err: BaseException) -> list[BaseException]:
    """The exception and what caused it, through requests/urllib3 wrappers (reason, args)."""
    found: list[BaseException] = []
    current: BaseException | None = err
    while current is not None and all(current is not seen for seen in found) and len(found) < 12:
        found.append(current)
        reason = getattr(current, "reason", None)
        nested = [a for a in getattr(current, "args", ()) if isinstance(a, BaseException)]
        current = current.__cause__ or (reason if isinstance(reason, BaseException) else None) or (
            nested[0] if nested else None) or current.__context__
    return found


def _is_timeout(err: BaseException) -> bool:
    return any(isinstance(e, TimeoutError) or "timeout" in type(e).__name__.lower() for e in _chain(err))


def _is_connection_error(err: BaseException) -> bool:
    return any(isinstance(e, OSError) or "connection" in type(e).__name__.lower() for e in _chain(err))


def _connection_failure(err: BaseException, backoff: float) -> _Failure:
    """A refused or unresolvable host fails fast (the transport already retried once); a
    connection dropped mid-answer is retried like a server error."""
    chain = _chain(err)
    names = {type(e).__name__ for e in chain}
    cause = next((e.strerror for e in chain if isinstance(e, OSError) and e.strerror), "") or _short(chain[-1])
    hint = "check the network or GITHUB_API_URL, or use --offline with a cached reference"
    if names & {"NewConnectionError", "NameResolutionError", "ConnectionRefusedError", "gaierror"}:
        return _Failure("connection", f"cannot reach GitHub: {cause}", None, hint)
    return _Failure("connection", f"the connection to GitHub broke: {cause}", backoff, hint)


def _short(err: BaseException) -> str:
    text = str(err) or type(err).__name__
    return text if len(text) <= 160 else text[:157] + "..."


# --- texts -> Reference ----------------------------------------------------------------------


def makefile_go_version(text: str) -> str:
    """GOLANG_VERSION from CE's Makefile (`GOLANG_VERSION := 1.22.5`); "" when not set literally."""
    for raw in text.split("\n"):
        line = raw.split("#", 1)[0].strip().removeprefix("export ").strip()
        for operator in (":=", "?=", "::=", "="):
            name, found, value = line.partition(operator)
            if found:
                break
        if found and name.strip() == "GOLANG_VERSION":
            value = value.strip()
            return value if value and "$" not in value else ""
    return ""


class LazyVersions(Mapping[str, str]):
    """module -> version, computed on first use: a go.sum's max versions are only needed by the
    check-plugin emulation, and folding a large go.sum costs more than the rest of a reference."""

    def __init__(self, compute: Callable[[], Mapping[str, str]]) -> None:
        self._compute: Callable[[], Mapping[str, str]] | None = compute
        self._data: Mapping[str, str] = {}

    def _get(self) -> Mapping[str, str]:
        if self._compute is not None:
            self._data, self._compute = self._compute(), None
        return self._data

    def __getitem__(self, key: str) -> str:
        return self._get()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __repr__(self) -> str:
        return f"LazyVersions({dict(self._get())!r})"


def max_sum_versions(gosum: GoSum) -> dict[str, str]:
    """``GoSum.max_versions()``, folding each (module, version) once (go.sum repeats most twice)."""
    return fold_max_versions(dict.fromkeys((e.module, e.version) for e in gosum.entries))


def reference_from_texts(version: str, files: Mapping[str, str], *, source: str, origin: str) -> Reference:
    """A reference from raw CE go.mod/go.sum/Makefile text (GitHub or the cache: parsed the same way)."""
    gomod = parse_gomod(files["go.mod"].encode("utf-8"), f"{origin}/go.mod") if "go.mod" in files else None
    gosum_text = files.get("go.sum")
    if gomod is None:  # no build list without go.mod: the go.sum is all there is, read it now
        gosum = parse_gosum(gosum_text.encode("utf-8"), f"{origin}/go.sum") if gosum_text is not None else None
        ref = reference_from_files(gosum, None, version, source=source, origin=origin, keep_locations=False)
    else:
        ref = reference_from_files(None, gomod, version, source=source, origin=origin, keep_locations=False)
        if gosum_text is not None:
            path = f"{origin}/go.sum"
            ref = _replace(ref, sum_versions=LazyVersions(
                lambda: max_sum_versions(parse_gosum(gosum_text.encode("utf-8"), path))))
    known = releases.release(version)
    go = known.go_version if known else makefile_go_version(files.get("Makefile", ""))
    return _replace(ref, go_version=go)


def _replace(ref: Reference, **changes: Any) -> Reference:
    from dataclasses import replace

    return replace(ref, **changes)


def reference_from_files(
    gosum: GoSum | None,
    gomod: GoMod | None,
    krakend_version: str,
    *,
    source: str = "files",
    origin: str = "",
    keep_locations: bool = True,
) -> Reference:
    """KrakenD's reference from its go.mod (build list, indirect marks, replaces) and go.sum
    (what check-plugin compares: the highest version per module over every line)."""
    version = releases.normalize(krakend_version)
    modules: dict[str, str] = {}
    locations: dict[str, Location] = {}
    if gomod is not None:
        for req in gomod.requires:  # a module listed twice counts at its highest version
            if req.path not in modules or compare_semver(modules[req.path], req.version) < 0:
                modules[req.path] = req.version
                locations[req.path] = req.location
    sum_versions = max_sum_versions(gosum) if gosum is not None else dict(modules)
    if gomod is None and gosum is not None:
        modules = dict(sum_versions)
        locations = {e.module: e.location for e in reversed(gosum.entries) if sum_versions.get(e.module) == e.version}
    known = releases.release(version)
    return Reference(
        krakend_version=version,
        source=source,
        origin=origin or (gomod.path if gomod else gosum.path if gosum else ""),
        go_version=known.go_version if known else "",
        modules=modules,
        sum_versions=sum_versions,
        indirect=frozenset(r.path for r in gomod.requires if r.indirect) if gomod else frozenset(),
        replacements=tuple(Replacement(r.old_path, r.old_version, r.new_path, r.new_version)
                           for r in (gomod.replaces if gomod else ())),
        main_module=gomod.module.path if gomod and gomod.module else "",
        locations=locations if keep_locations else {},
    )


# --- binary -----------------------------------------------------------------------------------


def reference_from_binary(binary: GoBinary, origin: str = "") -> Reference:
    """The exact reference: the binary's build info deps, Go version, arch, libc, link hashes."""
    deps = tuple(binary.deps)
    modules = {dep.path: dep.version for dep in deps}
    version, _how = krakend_version_of_binary(binary)
    return Reference(
        krakend_version=version,
        source="binary",
        origin=origin or binary.path,
        go_version=normalize_go_version(binary.go_version),
        modules=modules,
        sum_versions=dict(modules),
        replacements=tuple(Replacement(dep.path, dep.version, dep.replace.path, dep.replace.version)
                           for dep in deps if dep.replace is not None),
        goarch=binary.goarch or "",
        libc=binary.libc or "",
        package_hashes=dict(binary.package_hashes or {}),
        main_module=_main_path(binary),
        exact=True,
        build_settings=dict(binary.settings or {}),
    )


def normalize_go_version(value: str) -> str:
    """"go1.22.5" -> "1.22.5" (raw build info may append experiment tags after a space)."""
    return (value or "").strip().split(" ")[0].removeprefix("go")


def _main_path(binary: GoBinary) -> str:
    return binary.main_module.path if binary.main_module else ""


def krakend_version_of_binary(binary: GoBinary) -> tuple[str, str]:
    """(version, how it was found): the main module's version, the -X core.KrakendVersion ldflag,
    or a unique table match on Go + lura + krakend-cobra versions; ("", why not) otherwise."""
    main_version = binary.main_module.version if binary.main_module else ""
    if releases.version_key(main_version) and _main_path(binary).endswith("/krakend-ce/v2"):
        return releases.normalize(main_version), "main module version"
    flagged = _ldflag_version(binary)
    if flagged:
        return flagged, "-ldflags core.KrakendVersion"
    candidates = _table_candidates(binary)
    if len(candidates) == 1:
        return candidates[0], "the only release built with this Go, lura and krakend-cobra"
    if candidates:
        return "", "several releases match: " + ", ".join(candidates)
    return "", "no version stamped in the binary and no release in the table matches it"


def _ldflag_version(binary: GoBinary) -> str:
    flags = binary.settings.get("-ldflags", "")
    try:
        words = shlex.split(flags)
    except ValueError:
        words = flags.split()
    for word in words:
        name, _, value = word.partition("=")
        if any(name.endswith(var) for var in _KRAKEND_VERSION_VARS) and releases.version_key(value):
            return releases.normalize(value)
    return ""


def _table_candidates(binary: GoBinary) -> list[str]:
    go = normalize_go_version(binary.go_version)
    deps = {dep.path: dep.version for dep in binary.deps}
    found = []
    for item in releases.all_releases():
        if item.go_version != go or deps.get(item.lura_module) != item.lura_version:
            continue
        cobra = item.cobra_version
        if cobra and deps.get(f"{item.component_owner}/krakend-cobra/v2", cobra) != cobra:
            continue
        found.append(item.version)
    return found


# --- resolution -------------------------------------------------------------------------------


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
    github: GitHubConfig = field(default_factory=GitHubConfig)
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
    *,
    sleep: Callable[[float], None] = time.sleep,
    now: Callable[[], float] = time.time,
) -> ResolvedReference:
    """Binary, user files, embedded data, cache, GitHub (unless offline), nothing: the first that
    answers."""
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
    if request.offline:
        notices.append(Notice("github", "offline", f"offline: {_why_not_embedded(request, version)}, "
                              f"and it was not fetched from GitHub"))
    else:
        fetched = fetch_release_files(version, request.github, sleep=sleep, now=now)
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
        ref = _replace(ref, krakend_version=version)
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
        ref = _replace(ref, go_version=release.go_version)
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
