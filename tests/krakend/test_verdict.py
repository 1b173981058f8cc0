"""linter.krakend.verdict: hand-made binaries for each rule of the comparison, and real builds whose
verdict is checked against what Go's loader does in a real host (``tests/gobuild.py``)."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pytest

from linter.inputs.gobinary import GoBinary, Module, open_go_binary
from linter.inputs.gomod import parse_gomod
from linter.inputs.workspace import PluginRoot, Workspace
from linter.krakend.judge import STD, Mismatch, ModuleDifference, Side, attribute, judge
from linter.krakend.verdict import anchor, shared_plugin_paths, unused_registerers, verdicts
from linter.model import Location
from tests import gobuild
from tests.inputs.test_gobinary import build as gobinary_build

H = {name: bytes([index]) * 8 for index, name in enumerate(
    ("runtime", "errors", "plugin", "github.com/a/b", "github.com/a/b/sub", "github.com/a/b/v2", "example.com/x"),
    start=1)}
HOST_DEPS = (Module("github.com/a/b", "v1.2.0"), Module("github.com/a/b/v2", "v2.0.0"),
             Module("example.com/x", "v0.1.0", replace=Module("example.com/fork", "v0.2.0")))


def binary(path: str, hashes: dict[str, bytes], *, kind: str = "plugin", go: str = "1.22.10",
           deps: tuple[Module, ...] = HOST_DEPS, exports: frozenset[str] = frozenset({"HandlerRegisterer"}),
           machine: str = "x86_64", goarch: str = "amd64", libc: str = "glibc", main: str = "example.com/p",
           plugin_path: str = "", settings: dict[str, str] | None = None) -> GoBinary:
    return GoBinary(
        path=path, kind=kind, go_version=go, go_version_raw=f"go{go}", machine=machine, goarch=goarch, libc=libc,
        elf_class=64, deps=deps, main_module=Module(main, "(devel)"), package_path=main,
        package_hashes=MappingProxyType(hashes), exported_symbols=exports,
        exported_symbols_source="ptab" if kind == "plugin" else "", modinfo=f"path\t{main}\n",
        plugin_path=plugin_path or (main if kind == "plugin" else ""),
        settings=MappingProxyType(settings or {"-buildmode": "plugin" if kind == "plugin" else "exe"}),
    )


HOST = binary("krakend", H, kind="executable", main="github.com/krakend/krakend-ce/v2", exports=frozenset())


def plugin(changes: dict[str, bytes] | None = None, **kwargs: object) -> GoBinary:
    hashes = {**{k: v for k, v in H.items() if k != "plugin"}, "example.com/p": b"p" * 8, **(changes or {})}
    return binary("my.so", hashes, **kwargs)  # type: ignore[arg-type]


def test_identical_packages_load() -> None:
    verdict = judge(plugin(), HOST)
    assert verdict.will_load and verdict.exact
    assert verdict.shared == 6  # every package but the plugin's main package
    assert verdict.differences == () and verdict.platform == () and verdict.settings == ()
    assert verdict.registerers == ("HandlerRegisterer",)


def test_every_difference_is_listed_and_attributed_to_the_longest_module() -> None:
    deps = (Module("github.com/a/b", "v1.3.0"), Module("github.com/a/b/v2", "v2.0.0"),
            Module("example.com/x", "v0.1.0"))
    verdict = judge(plugin({"github.com/a/b": b"x" * 8, "github.com/a/b/sub": b"y" * 8,
                            "github.com/a/b/v2": b"z" * 8, "example.com/x": b"w" * 8}, deps=deps), HOST)
    assert not verdict.will_load
    assert verdict.differences == (
        ModuleDifference("example.com/x", ("example.com/x",), Side("v0.1.0"), Side("v0.1.0", "example.com/fork v0.2.0")),
        ModuleDifference("github.com/a/b", ("github.com/a/b", "github.com/a/b/sub"), Side("v1.3.0"), Side("v1.2.0")),
        ModuleDifference("github.com/a/b/v2", ("github.com/a/b/v2",), Side("v2.0.0"), Side("v2.0.0")),
    )
    assert str(verdict.differences[0].host) == "v0.1.0 => example.com/fork v0.2.0"
    assert verdict.differences[2].same_version and not verdict.differences[1].same_version
    assert verdict.packages == ("example.com/x", "github.com/a/b", "github.com/a/b/sub", "github.com/a/b/v2")


def test_standard_library_and_go_versions() -> None:
    verdict = judge(plugin({"runtime": b"r" * 8, "errors": b"e" * 8}, go="1.23.9"), HOST)
    assert verdict.go_differs and not verdict.will_load
    assert verdict.std == ModuleDifference(STD, ("errors", "runtime"), Side("go1.23.9"), Side("go1.22.10"))


def test_dotless_main_module_does_not_claim_standard_library_packages() -> None:
    """`module plugin` is a common go.mod line; the std package `plugin` is still the std's."""
    host = binary("krakend", {"plugin": b"1" * 8}, kind="executable", main="plugin")
    mine = binary("my.so", {"plugin": b"2" * 8, "plugin/sub": b"3" * 8}, main="plugin")
    assert [d.module for d in attribute(["plugin"], mine, host)] == [STD]
    assert judge(mine, host).std is not None
    dotted = binary("my.so", {}, main="example.com/p")
    assert attribute(["example.com/p/sub", "golang.org/x/y"], dotted, host) == (
        ModuleDifference("example.com/p", ("example.com/p/sub",), Side("(devel)"), Side("")),
        ModuleDifference("golang.org/x/y", ("golang.org/x/y",), Side(""), Side("")),
    )


def test_local_replacement_is_shown_without_its_version() -> None:
    deps = (Module("example.com/x", "v0.0.0", replace=Module("../x", "(devel)")),)
    verdict = judge(plugin({"example.com/x": b"w" * 8}, deps=deps), HOST)
    assert str(verdict.differences[0].plugin) == "v0.0.0 => ../x"


def test_platform_and_build_settings() -> None:
    arm = plugin(machine="aarch64", goarch="arm64", libc="musl", settings={"-trimpath": "true"})
    verdict = judge(arm, HOST)
    assert verdict.platform == (Mismatch("machine", "aarch64 (arm64)", "x86_64 (amd64)"),
                                Mismatch("libc", "musl", "glibc"))
    assert verdict.settings == (Mismatch("-trimpath", "true", ""),)
    assert not verdict.will_load and verdict.differences == ()
    static = binary("krakend", H, kind="executable", libc="static")
    assert judge(plugin(), static).platform == (Mismatch("libc", "glibc", "static"),)
    assert judge(plugin(libc=""), HOST).platform == ()  # unknown is not a mismatch


def test_no_link_hashes_means_no_exact_verdict() -> None:
    bare_host = binary("krakend", {}, kind="executable")
    verdict = judge(plugin(), bare_host)
    assert not verdict.exact and not verdict.will_load
    assert "krakend has no package link hashes" in verdict.unknowns[0]
    assert not judge(binary("x.so", H, kind="shared-object"), HOST).exact


def test_no_registerer_does_not_load() -> None:
    verdict = judge(plugin(exports=frozenset({"Version"})), HOST)
    assert verdict.registerers == () and verdict.exact and not verdict.will_load


def test_registerers_a_krakend_never_looks_up() -> None:
    assert unused_registerers(["MiddlewareRegisterer", "HandlerRegisterer"], "ce", "2.7.0") == ("MiddlewareRegisterer",)
    assert unused_registerers(["MiddlewareRegisterer"], "ee", "2.7.0") == ()
    assert unused_registerers(["ModifierRegisterer"], "ce", "1.4.1") == ("ModifierRegisterer",)
    assert unused_registerers(["ModifierRegisterer"], "ce", "") == ()  # unknown version: not claimed


def test_shared_plugin_paths_ignore_copies_of_one_build() -> None:
    one = plugin(plugin_path="example.com/p")
    copy = GoBinary(**{**one.__dict__, "path": "docker/my.so"})
    other = plugin({"example.com/p": b"q" * 8}, plugin_path="example.com/p")
    other = GoBinary(**{**other.__dict__, "path": "b/other.so"})
    assert shared_plugin_paths([one, copy]) == ()
    groups = shared_plugin_paths([one, copy, other])
    assert [(path, [b.path for b in builds]) for path, builds in groups] == [("example.com/p", ["b/other.so", "my.so"])]


def test_anchor_is_the_require_line_of_the_plugin_root() -> None:
    gomod = parse_gomod(b"module example.com/p\n\ngo 1.22\n\nrequire (\n\tgithub.com/a/b v1.3.0\n)\n", "p/go.mod")
    ws = Workspace(plugins=(PluginRoot("p", gomod),), built_plugins=(plugin(),), krakend_binary=HOST)
    location, root, req = anchor(ws, plugin(), "github.com/a/b")
    assert location == Location("p/go.mod", 6, 2, 6, 15) and root is not None and req is not None
    assert anchor(ws, plugin(), "github.com/other")[0] == Location("my.so")
    assert anchor(ws, plugin(main="example.com/elsewhere"), "github.com/a/b")[0] == Location("my.so")


def test_verdicts_need_a_go_krakend_binary() -> None:
    assert list(verdicts(Workspace(built_plugins=(plugin(),)))) == []
    not_go = GoBinary("krakend", kind="executable")
    assert list(verdicts(Workspace(built_plugins=(plugin(),), krakend_binary=not_go))) == []
    assert [p.path for p, _, _ in verdicts(Workspace(built_plugins=(plugin(),), krakend_binary=HOST))] == ["my.so"]


# ---------------------------------------------------------------------------------------------
# Real builds: the verdict against the real loader


FIRST = gobuild.gotoolchain.CI_VERSIONS[0]
SECOND = gobuild.gotoolchain.CI_VERSIONS[1]


def real(path: Path) -> GoBinary:
    return open_go_binary(path, path.name)


def plugin_files() -> dict[str, Path]:
    out = gobuild.verdict_outputs(FIRST)
    found = {name: out / name for name in ("plugin.so", "plugin-trimpath.so", "plugin-util4.so", "bare.so")}
    found["go-1.23.so"] = gobuild.verdict_outputs(SECOND) / "plugin.so"
    found["other-gopath.so"] = gobinary_build(FIRST) / "plugin.so"  # same sources, other module cache path
    return found


@pytest.mark.go
@pytest.mark.parametrize("name", ["plugin.so", "plugin-trimpath.so", "plugin-util4.so", "bare.so", "go-1.23.so",
                                  "other-gopath.so"])
def test_verdict_agrees_with_the_real_loader(name: str) -> None:
    host_file = gobuild.verdict_outputs(FIRST) / "host"
    so = plugin_files()[name]
    code, lines = gobuild.run_host(host_file, [so])
    verdict = judge(real(so), real(host_file))
    assert verdict.exact
    assert verdict.will_load == lines[0].startswith("loaded"), lines[:2]
    if lines[0] == "no-registerer":
        assert verdict.differences == () and verdict.registerers == ()
    elif "no plugin module data" in lines[0]:
        assert code == 2 and verdict.go_differs
    elif "different version of package" in lines[0]:
        named = lines[0].rsplit(" ", 1)[1]
        assert named in verdict.packages


@pytest.mark.go
def test_real_differences_are_attributed() -> None:
    files = plugin_files()
    host = real(gobuild.verdict_outputs(FIRST) / "host")
    util4 = judge(real(files["plugin-util4.so"]), host)
    assert util4.differences == (
        ModuleDifference("example.com/kpl/util", ("example.com/kpl/util",), Side("v0.4.0"), Side("v0.3.0")),)
    trimmed = judge(real(files["plugin-trimpath.so"]), host)
    assert trimmed.std is not None and "runtime" in trimmed.std.packages and not trimmed.go_differs
    assert Mismatch("-trimpath", "true", "") in trimmed.settings
    newer = judge(real(files["go-1.23.so"]), host)
    assert newer.go_differs and newer.std is not None and "runtime" in newer.std.packages
    elsewhere = judge(real(files["other-gopath.so"]), host)
    assert [(d.module, d.same_version) for d in elsewhere.differences] == [("example.com/kpl/util", True)]


@pytest.mark.go
def test_same_plugin_path_is_refused_as_already_loaded() -> None:
    out = gobuild.verdict_outputs(FIRST)
    _, lines = gobuild.run_host(out / "host", [out / "plugin.so", out / "twin.so"])
    assert lines[0].startswith("loaded") and lines[1].endswith("plugin already loaded")
    groups = shared_plugin_paths([real(out / "plugin.so"), real(out / "twin.so")])
    assert [(path, [b.path for b in builds]) for path, builds in groups] == [
        ("example.com/kpl/my%2eplugin", ["plugin.so", "twin.so"])]
    assert judge(real(out / "twin.so"), real(out / "host")).will_load  # alone, it loads
