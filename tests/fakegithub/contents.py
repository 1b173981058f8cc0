"""GitHub's contents API for krakend/krakend-ce, served from ``shared/krakend/v<tag>/``.

``serve_contents(server)`` registers ``GET /repos/{owner}/{repo}/contents/{path}``. Answers look
like GitHub's: a ``content-file`` object (``type``, ``encoding: base64``, ``content`` wrapped at
60 characters, ``size``, git blob ``sha``, ``url``/``git_url``/``html_url``/``download_url``,
``_links``); ``?ref=`` takes a tag (``v2.7.0``), ``refs/tags/v2.7.0`` or the default branch
(``master``, also used without ``ref``: the newest tag). An unknown ref is GitHub's 404 "No commit
found for the ref …", an unknown path its 404 "Not Found". Besides the saved go.mod/go.sum, each
tag known to the release table gets a ``Makefile`` with ``GOLANG_VERSION := <go>`` (and
``ALPINE_VERSION``/``VERSION``), as CE's Makefile has. ``extra`` adds or overrides files per tag,
e.g. a release newer than the table. ``Accept: application/vnd.github.raw`` returns the bytes.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

from linter.krakend import releases
from tests.fakegithub.openapi import shared_dir
from tests.fakegithub.server import FakeGitHub, Request, Response, Route, error_response

CONTENTS_PATTERN = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/contents/(?P<path>.+)"
DEFAULT_BRANCH = "master"


def krakend_dir() -> Path:
    return shared_dir() / "krakend"


def makefile_for(version: str) -> str | None:
    """A Makefile fragment with the variables CE's real Makefile sets, for tabled releases."""
    found = releases.release(version)
    if found is None:
        return None
    lines = [
        ".PHONY: all build",
        "",
        "BIN_NAME :=krakend",
        "OS := $(shell uname | tr '[:upper:]' '[:lower:]')",
        f"VERSION := {found.reported_version}",
        f"GOLANG_VERSION := {found.makefile_go_version}",
    ]
    if found.alpine_version:
        lines.append(f"ALPINE_VERSION := {found.alpine_version}")
    lines += ["", "all: test build", ""]
    return "\n".join(lines)


class KrakenDContents:
    """The files of every CE tag; ``files(tag)`` is what the API serves for that ref."""

    def __init__(self, root: Path | None = None, *, repo: str = "krakend/krakend-ce",
                 extra: Mapping[str, Mapping[str, str]] | None = None, makefiles: bool = True) -> None:
        self.root = root if root is not None else krakend_dir()
        self.repo = repo
        self.extra = {tag: dict(files) for tag, files in (extra or {}).items()}
        self.makefiles = makefiles

    def tags(self) -> list[str]:
        found = {p.name for p in self.root.glob("v*") if p.is_dir()} if self.root.is_dir() else set()
        found |= set(self.extra)
        return sorted(found, key=lambda tag: releases.version_key(tag))

    def files(self, tag: str) -> dict[str, bytes] | None:
        if tag not in self.tags():
            return None
        out: dict[str, bytes] = {}
        folder = self.root / tag
        if folder.is_dir():
            out.update({p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()})
        makefile = makefile_for(tag) if self.makefiles else None
        if makefile is not None:
            out.setdefault("Makefile", makefile.encode())
        out.update({name: text.encode() for name, text in self.extra.get(tag, {}).items()})
        return out

    def resolve_ref(self, ref: str) -> str | None:
        tags = self.tags()
        if ref in ("", DEFAULT_BRANCH):
            return tags[-1] if tags else None
        tag = ref.removeprefix("refs/tags/")
        return tag if tag in tags else None

    def handle(self, request: Request) -> Response:
        if f"{request.params['owner']}/{request.params['repo']}".lower() != self.repo:
            return error_response(404, "Not Found")
        ref = request.query.get("ref", "")
        tag = self.resolve_ref(ref)
        if tag is None:
            return error_response(404, f"No commit found for the ref {ref}")
        path = request.params["path"].strip("/")
        data = (self.files(tag) or {}).get(path)
        if data is None:
            return error_response(404, "Not Found")
        if "application/vnd.github.raw" in request.headers.get("accept", ""):
            return 200, {"content-type": "application/vnd.github.raw"}, data
        base = request.server.url if request.server else ""
        return 200, {}, content_file(base, self.repo, path, tag, data)


def content_file(base: str, repo: str, path: str, ref: str, data: bytes) -> dict[str, object]:
    """The JSON GitHub returns for a file (schema ``content-file``)."""
    sha = hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()
    encoded = base64.b64encode(data).decode("ascii")
    wrapped = "\n".join(encoded[i : i + 60] for i in range(0, len(encoded), 60)) + "\n"
    url = f"{base}/repos/{repo}/contents/{quote(path)}?ref={quote(ref)}"
    git_url = f"{base}/repos/{repo}/git/blobs/{sha}"
    html_url = f"https://github.com/{repo}/blob/{ref}/{path}"
    return {
        "type": "file",
        "encoding": "base64",
        "size": len(data),
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "content": wrapped,
        "sha": sha,
        "url": url,
        "git_url": git_url,
        "html_url": html_url,
        "download_url": f"https://raw.githubusercontent.com/{repo}/{ref}/{path}",
        "_links": {"self": url, "git": git_url, "html": html_url},
    }


def serve_contents(server: FakeGitHub, contents: KrakenDContents | None = None) -> Route:
    """Register the contents route (named "contents") and return it, e.g. for ``server.inject``."""
    handler = contents or KrakenDContents()
    route: Route = server.route("GET", CONTENTS_PATTERN, handler.handle, name="contents")
    return route
