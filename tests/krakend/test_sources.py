"""Reference sources that need no network: files, a binary, the resolver's order and notices."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.github.contents import GitHubConfig
from linter.inputs.gobinary import GoBinary, Module
from linter.inputs.gomod import parse_gomod
from linter.inputs.gosum import parse_gosum
from linter.krakend import binary_reference, reference_texts
from linter.krakend.cache import Cache
from linter.krakend.resolution import ReferenceRequest, resolve_reference

GOMOD = b"""module github.com/krakendio/krakend-ce/v2

go 1.22

require (
\tgithub.com/gin-gonic/gin v1.9.1
\tgithub.com/luraproject/lura/v2 v2.7.0
\tgolang.org/x/sync v0.7.0 // indirect
)

replace github.com/alexeyco/binder => github.com/kpacha/binder v0.0.0-20220707194437-6013d1173c4d
"""
GOSUM = b"""github.com/gin-gonic/gin v1.9.0/go.mod h1:aaa=
github.com/gin-gonic/gin v1.9.1 h1:bbb=
github.com/gin-gonic/gin v1.9.1/go.mod h1:ccc=
github.com/gin-gonic/gin v1.10.0/go.mod h1:ddd=
github.com/luraproject/lura/v2 v2.7.0 h1:eee=
"""
MAKEFILE = "VERSION := 2.14.0\nGOLANG_VERSION := 1.26.1\nALPINE_VERSION := 3.23\n"


def files_request(**extra: object) -> ReferenceRequest:
    return ReferenceRequest(krakend_version="2.7.0", gomod=parse_gomod(GOMOD, "ref/go.mod"),
                            gosum=parse_gosum(GOSUM, "ref/go.sum"), **extra)  # type: ignore[arg-type]


def test_reference_from_files_reads_build_list_sums_and_replaces() -> None:
    ref = reference_texts.reference_from_files(parse_gosum(GOSUM, "ref/go.sum"), parse_gomod(GOMOD, "ref/go.mod"), "v2.7.0")
    assert ref.krakend_version == "2.7.0"
    assert ref.source == "files" and ref.origin == "ref/go.mod"
    assert ref.go_version == "1.22.5"  # from the release table
    assert ref.modules["github.com/gin-gonic/gin"] == "v1.9.1"
    assert ref.sum_versions["github.com/gin-gonic/gin"] == "v1.10.0"  # highest over every go.sum line
    assert ref.indirect == frozenset({"golang.org/x/sync"})
    assert ref.replacement_for("github.com/alexeyco/binder") is not None
    assert ref.main_module == "github.com/krakendio/krakend-ce/v2"
    assert ref.locations["github.com/luraproject/lura/v2"].line == 7
    assert not ref.exact


def test_reference_from_gosum_only_uses_the_highest_versions() -> None:
    ref = reference_texts.reference_from_files(parse_gosum(GOSUM, "ref/go.sum"), None, "2.7.0")
    assert ref.modules["github.com/gin-gonic/gin"] == "v1.10.0"
    assert ref.origin == "ref/go.sum"
    assert ref.locations["github.com/gin-gonic/gin"].line == 4


def test_makefile_go_version_forms() -> None:
    assert reference_texts.makefile_go_version("GOLANG_VERSION := 1.22.5\n") == "1.22.5"
    assert reference_texts.makefile_go_version("# GOLANG_VERSION := 1\nexport GOLANG_VERSION ?= 1.17.8 # pinned\n") == "1.17.8"
    assert reference_texts.makefile_go_version("GOLANG_VERSION=1.14.0") == "1.14.0"
    assert reference_texts.makefile_go_version("GOLANG_VERSION := $(shell cat .go-version)") == ""
    assert reference_texts.makefile_go_version("OTHER := 1") == ""


def krakend_binary(**changes: object) -> GoBinary:
    values: dict[str, object] = {
        "path": "bin/krakend",
        "goarch": "amd64",
        "kind": "executable",
        "libc": "musl",
        "go_version": "1.22.5",
        "main_module": Module("github.com/krakendio/krakend-ce/v2", "(devel)"),
        "deps": (
            Module("github.com/luraproject/lura/v2", "v2.7.0", "h1:x="),
            Module("github.com/krakendio/krakend-cobra/v2", "v2.4.0", "h1:y="),
            Module("github.com/gin-gonic/gin", "v1.9.1", "h1:z="),
            Module("github.com/auth0-community/go-auth0", "v1.0.0", "",
                   Module("github.com/devopsfaith/go-auth0", "v0.0.0-20220422124632-a1358a81b559", "h1:w=")),
        ),
        "settings": {"-ldflags": "-X github.com/luraproject/lura/v2/core.KrakendVersion=2.7.0 -s -w"},
        "package_hashes": {"github.com/luraproject/lura/v2/config": b"12345678"},
    }
    values.update(changes)
    return GoBinary(**values)  # type: ignore[arg-type]


def test_reference_from_binary_is_exact() -> None:
    ref = binary_reference.reference_from_binary(krakend_binary())
    assert (ref.source, ref.exact, ref.krakend_version, ref.go_version) == ("binary", True, "2.7.0", "1.22.5")
    assert (ref.goarch, ref.libc, ref.origin) == ("amd64", "musl", "bin/krakend")
    assert ref.modules["github.com/gin-gonic/gin"] == "v1.9.1"
    assert ref.modules == ref.sum_versions
    rep = ref.replacement_for("github.com/auth0-community/go-auth0", "v1.0.0")
    assert rep is not None and rep.new_path == "github.com/devopsfaith/go-auth0"
    assert ref.package_hashes["github.com/luraproject/lura/v2/config"] == b"12345678"
    assert ref.main_module == "github.com/krakendio/krakend-ce/v2"


def test_binary_version_from_main_module_then_ldflags_then_table() -> None:
    stamped = krakend_binary(main_module=Module("github.com/krakendio/krakend-ce/v2", "v2.7.1"))
    assert binary_reference.krakend_version_of_binary(stamped) == ("2.7.1", "main module version")
    assert binary_reference.krakend_version_of_binary(krakend_binary())[0] == "2.7.0"
    bare = krakend_binary(settings={})
    assert binary_reference.krakend_version_of_binary(bare) == (
        "2.7.0", "the only release built with this Go, lura and krakend-cobra")
    ambiguous = krakend_binary(settings={}, go_version="1.22.7", deps=(
        Module("github.com/luraproject/lura/v2", "v2.7.0"), Module("github.com/krakendio/krakend-cobra/v2", "v2.4.2")))
    version, how = binary_reference.krakend_version_of_binary(ambiguous)
    assert version == "" and "2.7.1, 2.7.2" in how


def test_resolver_prefers_the_binary_and_says_when_versions_disagree(tmp_path: Path) -> None:
    request = ReferenceRequest(krakend_version="2.9.0", binary=krakend_binary(), offline=True)
    resolved = resolve_reference(request, Cache(tmp_path))
    assert resolved.source == "binary"
    assert resolved.release is not None and resolved.release.version == "2.7.0"
    assert [n.kind for n in resolved.notices] == ["version-mismatch"]
    assert ("go_version", "1.22.5", "binary build info") in [(f.name, f.value, f.source) for f in resolved.facts]


def unreachable(repo: str, path: str, ref: str) -> str:
    raise AssertionError(f"GitHub was asked for {repo}/{path}@{ref}")


def test_resolver_uses_user_files_before_cache_and_network(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.store("github", "2.7.0", {"go.mod": "module x\n", "go.sum": ""}, "krakend/krakend-ce@v2.7.0")
    resolved = resolve_reference(files_request(), cache, unreachable)
    assert resolved.source == "files"
    assert resolved.notices == ()
    assert resolved.reference is not None and resolved.reference.go_version == "1.22.5"


def test_resolver_reads_the_cache_when_offline(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.store("github", "2.7.0", {"go.mod": GOMOD.decode(), "go.sum": GOSUM.decode()}, "krakend/krakend-ce@v2.7.0")
    resolved = resolve_reference(ReferenceRequest(krakend_version="v2.7.0", offline=True, embedded=False), cache)
    assert resolved.source == "cache"
    assert resolved.reference is not None
    assert resolved.reference.modules["github.com/luraproject/lura/v2"] == "v2.7.0"
    assert resolved.reference.origin == "krakend/krakend-ce@v2.7.0"
    assert resolved.cache_path.endswith("github/2.7.0.json")


def test_resolver_offline_without_cache_says_how_to_provide_a_reference(tmp_path: Path) -> None:
    resolved = resolve_reference(ReferenceRequest(krakend_version="2.7.0", offline=True, embedded=False), Cache(tmp_path))
    assert resolved.reference is None
    assert resolved.release is not None and resolved.release.go_version == "1.22.5"
    assert [n.kind for n in resolved.notices] == ["offline", "unavailable"]
    assert "reference pull 2.7.0" in resolved.notices[-1].hint
    assert "--krakend-go-sum" in resolved.notices[-1].hint


@pytest.mark.parametrize(("version", "kind"), [("", "no-version"), ("latest-ish", "bad-version")])
def test_resolver_without_a_usable_version(tmp_path: Path, version: str, kind: str) -> None:
    resolved = resolve_reference(ReferenceRequest(krakend_version=version), Cache(tmp_path))
    assert resolved.reference is None
    assert [n.kind for n in resolved.notices] == [kind]


def test_resolver_never_raises_on_a_corrupt_cache_entry(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    path = cache.path_for("github", "2.7.0")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"{ not json")
    resolved = resolve_reference(ReferenceRequest(krakend_version="2.7.0", offline=True, embedded=False), cache)
    assert [n.kind for n in resolved.notices] == ["corrupt", "offline", "unavailable"]


def test_github_config_from_env() -> None:
    config = GitHubConfig.from_env({"GITHUB_API_URL": "https://ghe.example/api/v3/", "GITHUB_TOKEN": " t0k "})
    assert (config.base_url, config.token) == ("https://ghe.example/api/v3", "t0k")
    assert GitHubConfig.from_env({}, token="x").base_url == "https://api.github.com"
    assert GitHubConfig.from_env({"GITHUB_TOKEN": "env"}, token="flag").token == "flag"


def test_files_given_with_a_binary_are_said_to_be_ignored(tmp_path: Path) -> None:
    request = ReferenceRequest(krakend_version="2.7.0", binary=krakend_binary(), gomod=parse_gomod(GOMOD, "go.mod"))
    resolved = resolve_reference(request, Cache(tmp_path))
    assert resolved.source == "binary"
    assert [n.kind for n in resolved.notices] == ["ignored"]


def test_importing_the_krakend_room_does_not_import_pygithub() -> None:
    import subprocess
    import sys

    code = ("import sys, linter.krakend.cache, linter.krakend.sources, linter.krakend.matrix, "
            "linter.krakend.upgrade, linter.krakend.releases, linter.krakend.resolution, linter.resolver; "
            "print(sorted(m for m in ('github', 'requests', 'urllib3') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
