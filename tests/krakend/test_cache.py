"""The on-disk reference cache: where it lives, atomic writes, corrupt entries."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from linter.krakend.cache import Cache, cache_dir_for, default_cache_dir
from linter.krakend.sources import Notice

FILES = {"go.mod": "module github.com/krakendio/krakend-ce/v2\n", "go.sum": "", "Makefile": "GOLANG_VERSION := 1\n"}


def test_default_dir_prefers_runner_temp_in_actions_then_xdg_then_home(tmp_path: Path) -> None:
    actions = {"GITHUB_ACTIONS": "true", "RUNNER_TEMP": "/rt", "XDG_CACHE_HOME": "/xdg"}
    assert default_cache_dir(actions) == Path("/rt/krakend-plugin-lint")
    assert default_cache_dir({"XDG_CACHE_HOME": "/xdg", "RUNNER_TEMP": "/rt"}) == Path("/xdg/krakend-plugin-lint")
    assert default_cache_dir({}, home=tmp_path) == tmp_path / ".cache" / "krakend-plugin-lint"
    assert cache_dir_for("/given", actions) == Path("/given")
    assert cache_dir_for(None, actions) == Path("/rt/krakend-plugin-lint")


def test_store_then_load_round_trips_raw_text(tmp_path: Path) -> None:
    cache = Cache(tmp_path, clock=lambda: 0.0)
    path = cache.store("github", "v2.7.0", FILES, "krakend/krakend-ce@v2.7.0")
    assert path == str(tmp_path / "github" / "2.7.0.json")
    entry, notice = cache.load("github", "2.7.0")
    assert notice is None and entry is not None
    assert entry.files == FILES and entry.origin == "krakend/krakend-ce@v2.7.0"
    assert entry.fetched_at == "1970-01-01T00:00:00+00:00"
    assert [p.name for p in (tmp_path / "github").iterdir()] == ["2.7.0.json"]  # no temp file left


def test_missing_entry_is_silent(tmp_path: Path) -> None:
    assert Cache(tmp_path).load("github", "2.7.0") == (None, None)


@pytest.mark.parametrize(
    ("mangle", "why"),
    [
        (lambda doc: b"{ truncated", "not JSON"),
        (lambda doc: b"\xff\xfe", "not JSON"),
        (lambda doc: json.dumps({**doc, "format": 99}).encode(), "unknown format"),
        (lambda doc: json.dumps({**doc, "version": "2.7.1"}).encode(), "another source or version"),
        (lambda doc: json.dumps({**doc, "files": {"go.mod": "x"}}).encode(), "go.mod or go.sum missing"),
        (lambda doc: json.dumps({**doc, "files": {**doc["files"], "go.sum": "edited"}}).encode(), "checksum"),
    ],
)
def test_corrupt_entry_is_ignored_with_a_notice_and_rewritten(tmp_path: Path, mangle, why: str) -> None:  # type: ignore[no-untyped-def]
    cache = Cache(tmp_path)
    path = Path(cache.store("github", "2.7.0", FILES, "origin"))
    path.write_bytes(mangle(json.loads(path.read_text())))
    entry, notice = cache.load("github", "2.7.0")
    assert entry is None and notice is not None
    assert notice.kind == "corrupt" and why in notice.message
    cache.store("github", "2.7.0", FILES, "origin")
    assert cache.load("github", "2.7.0")[0] is not None


def test_entries_lists_readable_entries_in_version_order(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    for version in ("2.10.0", "2.9.0", "2.13.8"):
        cache.store("github", version, FILES, "o")
    (tmp_path / "github" / "2.8.0.json").write_text("garbage")
    assert [e.version for e in cache.entries()] == ["2.9.0", "2.10.0", "2.13.8"]


def test_unwritable_cache_gives_a_notice_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    notices: list[Notice] = []
    assert Cache(blocker).store("github", "2.7.0", FILES, "o", notices) == ""
    assert [n.kind for n in notices] == ["write-failed"]


def test_unreadable_entry_gives_a_notice(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    path = cache.path_for("github", "2.7.0")
    path.mkdir(parents=True)  # a folder where the file should be
    entry, notice = cache.load("github", "2.7.0")
    assert entry is None and notice is not None and notice.kind == "unreadable"


def test_version_and_source_cannot_escape_the_cache_dir(tmp_path: Path) -> None:
    path = Cache(tmp_path).path_for("../github", "../../2.7.0")
    assert path.resolve().is_relative_to(tmp_path.resolve())


@pytest.mark.skipif(os.name != "posix", reason="POSIX rename semantics")
def test_a_reader_never_sees_a_partial_entry(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.store("github", "2.7.0", FILES, "o")
    versions = [{**FILES, "go.sum": ch * 1_000_000} for ch in "ab"]
    stop = threading.Event()

    def writer() -> None:
        for i in range(20):
            cache.store("github", "2.7.0", versions[i % 2], "o")
        stop.set()

    thread = threading.Thread(target=writer)
    thread.start()
    reads = 0
    while not stop.is_set() or reads == 0:
        entry, notice = cache.load("github", "2.7.0")
        assert notice is None and entry is not None
        reads += 1
    thread.join()
