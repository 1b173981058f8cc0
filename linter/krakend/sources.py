"""What happened when a reference source was tried (``Notice``), and reading krakend-ce's files at
a release tag through a ``fetch`` function.

This module never speaks HTTP: the wiring (``linter.resolver``) hands it ``fetch(repo, path, ref)``,
which returns a file's text or raises ``FetchError`` saying what went wrong in the notices'
vocabulary. Retries, rate limits, timeouts and the run's deadline are the fetch function's business.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from linter.krakend import releases
from linter.redact import mask_secrets

CE_REPO = "krakend/krakend-ce"
FILES = ("go.mod", "go.sum", "Makefile")
REQUIRED_FILES = ("go.mod", "go.sum")


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


class FetchError(Exception):
    """A file could not be read. ``kind``: not-found, unauthorized, rate-limited, timeout,
    server-error, http-error, connection, malformed, error."""

    def __init__(self, kind: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.hint = hint


# fetch(repo, path, ref) -> the file's text; raises FetchError.
Fetch = Callable[[str, str, str], str]


@dataclass(frozen=True)
class FetchResult:
    """The raw files of one CE tag, or the notices saying why they are missing."""

    version: str
    origin: str  # "krakend/krakend-ce@v2.7.0"
    files: Mapping[str, str] = field(default_factory=dict)
    notices: tuple[Notice, ...] = ()

    @property
    def ok(self) -> bool:
        return all(name in self.files for name in REQUIRED_FILES)


def fetch_release_files(version: str, fetch: Fetch, repo: str = CE_REPO) -> FetchResult:
    """go.mod, go.sum and (optional) Makefile of krakend-ce at tag ``v<version>``; never raises."""
    version = releases.normalize(version)
    origin = f"{repo}@v{version}"
    files: dict[str, str] = {}
    notices: list[Notice] = []
    for name in FILES:
        try:
            files[name] = fetch(repo, name, f"v{version}")
        except FetchError as err:
            notices.append(_file_notice(name, origin, err))
            if name in REQUIRED_FILES:
                break  # without go.mod/go.sum there is no reference; do not spend more requests
        except Exception as err:
            message = f"reading {origin} failed unexpectedly: {type(err).__name__}: {err}"
            return FetchResult(version, origin, notices=(Notice("github", "error", message),))
    return FetchResult(version, origin, files, tuple(notices))


def _file_notice(name: str, origin: str, failure: FetchError) -> Notice:
    if failure.kind == "not-found" and name == "go.mod":
        message = f"{origin}: no such tag in {origin.split('@')[0]} (or it has no go.mod)"
    else:
        message = f"{origin}/{name}: {failure.message}"
    return Notice("github", failure.kind, message, failure.hint)
