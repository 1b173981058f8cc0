"""Wiring between the GitHub client and the KrakenD reference resolver.

``GitHubFetch`` is the ``fetch(repo, path, ref)`` that ``linter.krakend`` reads release files
with: ``linter.github.contents`` does the HTTP (retries, rate limits, timeouts, the deadline) and
its failures come back as ``linter.krakend.sources.FetchError`` in the notices' words.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType

from linter.github.contents import ContentsReader, GitHubConfig, describe
from linter.krakend.sources import FetchError


class GitHubFetch:
    """``fetch(repo, path, ref) -> text`` over one GitHub client (built on the first call, so a run
    that never needs GitHub never imports PyGithub); close it when the run is over."""

    def __init__(self, config: GitHubConfig, *, sleep: Callable[[float], None] = time.sleep,
                 now: Callable[[], float] = time.time) -> None:
        self.config = config
        self._reader = ContentsReader(config, sleep=sleep, now=now)

    def __call__(self, repo: str, path: str, ref: str) -> str:
        from linter.github.client import GitHubError

        try:
            return self._reader(repo, path, ref)
        except GitHubError as err:
            kind, message, hint = describe(err, self.config.max_wait)
            raise FetchError(kind, message, hint) from None

    def close(self) -> None:
        self._reader.close()

    def __enter__(self) -> GitHubFetch:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
