"""The wiring that resolves references from ``Settings``: one resolution per release, one GitHub
client per run, the user's reference files read once and named when unreadable."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.github.contents import GitHubConfig
from linter.inputs.workspace import Workspace
from linter.krakend import releases
from linter.resolver import GitHubFetch, ReferenceFileError, Resolver
from linter.settings import Settings
from tests.fakegithub.contents import KrakenDContents, serve_contents
from tests.fakegithub.server import FakeGitHub, Fault

NEWER = {"v2.14.0": {
    "go.mod": "module github.com/krakend/krakend-ce/v2\n\ngo 1.25.3\n\nrequire github.com/luraproject/lura/v2 v2.15.0\n",
    "go.sum": "", "Makefile": "GOLANG_VERSION := 1.26.1\n"}}


def resolver(server: FakeGitHub, tmp_path: Path, **settings: object) -> Resolver:
    fetch = GitHubFetch(GitHubConfig(base_url=server.url, timeout=1), sleep=lambda _s: None)
    chosen = Settings(cache_dir=tmp_path / "cache", **settings)  # type: ignore[arg-type]
    return Resolver(chosen, tmp_path, env={}, fetch=fetch)


def test_deployments_of_one_release_resolve_it_once(fake_github: FakeGitHub, tmp_path: Path) -> None:
    serve_contents(fake_github, KrakenDContents(tmp_path / "none", extra=NEWER))
    with resolver(fake_github, tmp_path, krakend_version="2.14.0") as found:
        first, second = found.deployment(Workspace()), found.deployment(Workspace())
    assert first.reference is not None and first.reference.source == "github"
    assert second.reference is first.reference
    assert first.target.version == "2.14.0"
    assert fake_github.count() == 3  # go.mod, go.sum, Makefile: once


def test_one_wait_budget_serves_the_whole_run(fake_github: FakeGitHub, tmp_path: Path) -> None:
    route = serve_contents(fake_github, KrakenDContents(tmp_path / "none", extra=NEWER))
    fake_github.inject(route, *[Fault.rate_limited(retry_after=30)] * 6)
    with resolver(fake_github, tmp_path) as found:
        lookup = found.lookup()
        release = releases.assumed_release("2.14.0", "1.26.1")
        assert lookup(release) is None
        assert lookup(release) is None  # remembered: not asked again
    assert fake_github.count() == 1  # a 30 s wait is over the 20 s cap: reported, not waited


def test_offline_never_builds_a_client(tmp_path: Path) -> None:
    with Resolver(Settings(krakend_version="2.14.0", offline=True, cache_dir=tmp_path), tmp_path, env={}) as found:
        facts = found.deployment(Workspace())
    assert facts.reference is None
    assert [n.kind for n in facts.notices] == ["offline", "unavailable"]


def test_an_unreadable_reference_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "krakend.sum"
    settings = Settings(krakend_version="2.7.0", krakend_go_sum=missing, offline=True, cache_dir=tmp_path)
    with Resolver(settings, tmp_path, env={}) as found, pytest.raises(ReferenceFileError, match=r"krakend\.sum"):
        found.deployment(Workspace())


def test_the_user_go_sum_is_read_once_and_wins(tmp_path: Path) -> None:
    gosum = tmp_path / "go.sum"
    gosum.write_text("github.com/luraproject/lura/v2 v2.7.0 h1:aaa=\n")
    settings = Settings(krakend_version="2.7.0", krakend_go_sum=gosum, offline=True, cache_dir=tmp_path)
    with Resolver(settings, tmp_path, env={}) as found:
        first = found.deployment(Workspace())
        gosum.unlink()
        again = found.show("2.7.0", "--krakend-version")
    assert first.reference is not None and first.reference.source == "files"
    assert again.resolved.source == "files"
