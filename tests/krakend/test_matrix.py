"""The compatibility matrix: verdicts, ranges, renderers, and the corpus of real CE releases."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from linter.formats.matrix import matrix_to_json, render_markdown, render_terminal
from linter.inputs.gomod import parse_gomod
from linter.krakend import releases
from linter.krakend.cache import Cache
from linter.krakend.matrix import Matrix, MatrixRow, ModuleDiff, PluginBuild, compute_matrix, judge, parse_range
from linter.krakend.reference import Reference, Replacement
from linter.krakend.releases import Release
from linter.krakend.resolution import ReferenceRequest, resolve_reference
from tests.fakegithub.contents import makefile_for


def rel(version: str) -> Release:
    found = releases.release(version)
    assert found is not None
    return found


def ref(version: str, modules: dict[str, str], **extra: object) -> Reference:
    return Reference(version, "files", "test", go_version=rel(version).go_version, modules=modules,
                     **extra)  # type: ignore[arg-type]


def plugin(go: str = "", **modules: str) -> PluginBuild:
    return PluginBuild({k.replace("_", "/"): v for k, v in modules.items()}, go_version=go, go_source="Dockerfile:1")


def test_same_go_and_modules_is_compatible() -> None:
    row = judge(plugin("1.22.5", lura="v2.7.0"), rel("2.7.0"), ref("2.7.0", {"lura": "v2.7.0", "other": "v1"}))
    assert (row.status, row.compatible, row.reasons, row.go_matches) == ("compatible", True, (), True)


def test_go_mismatch_is_incompatible_with_a_reason() -> None:
    row = judge(plugin("1.22.7", lura="v2.7.0"), rel("2.7.0"), ref("2.7.0", {"lura": "v2.7.0"}))
    assert row.status == "incompatible" and row.go_matches is False
    assert row.reasons == ("Go 1.22.7 (Dockerfile:1) but KrakenD 2.7.0 is built with Go 1.22.5",)


def test_shared_module_at_another_version_is_incompatible() -> None:
    row = judge(plugin("1.22.5", lura="v2.7.1", mine="v1"), rel("2.7.0"), ref("2.7.0", {"lura": "v2.7.0"}))
    assert row.status == "incompatible"
    assert [(d.module, d.plugin, d.krakend) for d in row.module_diffs] == [("lura", "v2.7.1", "v2.7.0")]
    assert row.reasons == ("lura v2.7.1 but KrakenD 2.7.0 has v2.7.0",)


def test_replacements_count_on_both_sides() -> None:
    krakend = ref("2.4.0", {"auth0": "v1.0.0"}, replacements=(Replacement("auth0", "v1.0.0", "fork", "v0.1"),))
    plain = judge(plugin("1.20.4", auth0="v1.0.0"), rel("2.4.0"), krakend)
    assert [(d.plugin, d.krakend) for d in plain.module_diffs] == [("v1.0.0", "v1.0.0 => fork v0.1")]
    same = PluginBuild({"auth0": "v1.0.0"}, {"auth0": ("fork", "v0.1")}, "1.20.4")
    assert judge(same, rel("2.4.0"), krakend).compatible


def test_unpinned_go_is_judged_on_modules_only() -> None:
    row = judge(plugin("", lura="v2.7.0"), rel("2.7.0"), ref("2.7.0", {"lura": "v2.7.0"}))
    assert row.compatible and row.go_matches is None
    assert "not pinned" in row.reasons[0]


def test_following_the_builder_always_matches_go() -> None:
    build = PluginBuild({"lura": "v2.7.0"}, follows_builder=True)
    assert judge(build, rel("2.7.1"), ref("2.7.1", {"lura": "v2.7.0"})).go_matches is True


def test_no_reference_is_unknown_unless_go_already_fails() -> None:
    assert judge(plugin("1.22.5"), rel("2.7.0"), None).status == "unknown"
    assert judge(plugin("1.22.9"), rel("2.7.0"), None).status == "incompatible"


def make_matrix(statuses: str) -> Matrix:
    versions = [r.version for r in releases.releases_between("2.9.0", "2.13.8")][: len(statuses)]
    kinds = {"y": "compatible", "n": "incompatible", "?": "unknown"}
    return Matrix(tuple(MatrixRow(v, "1", kinds[s], ("why",) if s != "y" else ()) for v, s in zip(versions, statuses,
                                                                                                    strict=True)))


def test_summary_names_each_compatible_range() -> None:
    assert make_matrix("yyyn").summary == "compatible with 2.9.0–2.9.2"
    assert make_matrix("nyn").summary == "compatible with 2.9.1"
    assert make_matrix("yynyy?").summary == (
        "compatible with 2.9.0–2.9.1 and 2.9.3–2.9.4 (1 release without a reference)")
    assert make_matrix("ynyny").summary == "compatible with 2.9.0, 2.9.2 and 2.9.4"
    assert make_matrix("nnn").summary == "compatible with none of 2.9.0–2.9.2"
    assert make_matrix("n??").summary == "compatible with none of 2.9.0–2.9.2 (2 releases without a reference)"
    assert Matrix(()).summary == "no release to compare against"


@pytest.mark.parametrize(
    ("spec", "first", "last", "count"),
    [
        ("2.7.0..2.13.8", "2.7.0", "2.13.8", None),
        ("2.9..2.9", "2.9.0", "2.9.4", 5),
        ("2.9", "2.9.0", "2.9.4", 5),
        ("2.9.2", "2.9.2", "2.9.2", 1),
        ("2.13.6..", "2.13.6", "2.13.8", 3),
        ("..1.1.1", "1.0.0", "1.1.1", 3),
        ("all", "1.0.0", "2.13.8", 64),
        ("", "1.0.0", "2.13.8", 64),
    ],
)
def test_parse_range(spec: str, first: str, last: str, count: int | None) -> None:
    found = parse_range(spec)
    assert (found[0].version, found[-1].version) == (first, last)
    assert count is None or len(found) == count


@pytest.mark.parametrize("spec", ["2.x..3", "3.0.0..4.0.0", "banana", "2.7.9"])
def test_parse_range_rejects_text_that_names_no_release(spec: str) -> None:
    with pytest.raises(ValueError, match=r"version|no KrakenD release"):
        parse_range(spec)


def small_matrix() -> Matrix:
    versions = releases.releases_between("2.7.0", "2.7.2")
    refs = {v.version: ref(v.version, {"lura": "v2.7.0", "gin": "v1.9.1"}) for v in versions}
    refs["2.7.2"] = ref("2.7.2", {"lura": "v2.7.0", "gin": "v1.10.0"})
    return compute_matrix(plugin("1.22.7", lura="v2.7.0", gin="v1.9.1"), versions, lambda r: refs[r.version])


def test_render_terminal() -> None:
    assert render_terminal(small_matrix()) == "\n".join([
        "KrakenD  Go      dependencies  build setup  why not",
        "2.7.0    1.22.5  yes           no           built with Go 1.22.7, not KrakenD's",
        "2.7.1    1.22.7  yes           yes",
        "2.7.2    1.22.7  no            yes          gin v1.9.1, KrakenD has v1.10.0",
        "",
        "dependencies compatible: 2.7.0–2.7.1",
        "build setup compatible: 2.7.1–2.7.2",
        "both: 2.7.1",
    ])


def test_consecutive_releases_with_the_same_answers_are_one_line() -> None:
    versions = releases.releases_between("2.7.1", "2.8.0")
    refs = {v.version: ref(v.version, {"lura": "v2.7.0"}) for v in versions}
    text = render_terminal(compute_matrix(plugin("1.22.7", lura="v2.7.0"), versions, lambda r: refs[r.version]))
    assert text.splitlines()[1:3] == ["2.7.1–2.7.2  1.22.7  yes           yes",
                                      "2.8.0        1.22.9  yes           no           built with Go 1.22.7, not "
                                      "KrakenD's"]
    assert "loads" not in text


def test_render_markdown_escapes_and_tabulates() -> None:
    text = render_markdown(small_matrix())
    assert text.splitlines()[3:6] == ["", "| KrakenD | Go | dependencies | build setup | why not |",
                                      "|---|---|---|---|---|"]
    assert "| 2.7.1 | 1.22.7 | yes | yes |  |" in text
    diffs = tuple(ModuleDiff(name, "v1", "v2") for name in ("a|b", "c", "d", "e"))
    many = Matrix((MatrixRow("2.7.0", "1", "incompatible", (), True, diffs, "embedded"),))
    assert "a\\|b v1, KrakenD has v2; c v1, KrakenD has v2; d v1, KrakenD has v2; and 1 more" in render_markdown(many)


def test_json_form() -> None:
    data = matrix_to_json(small_matrix())
    json.dumps(data)
    assert data["compatible_ranges"] == [{"first": "2.7.1", "last": "2.7.1"}]
    assert [r["compatible"] for r in data["rows"]] == [False, True, False]
    assert data["rows"][2]["module_diffs"] == [{"module": "gin", "plugin": "v1.9.1", "krakend": "v1.10.0"}]


def test_plugin_build_from_gomod_keeps_replacements() -> None:
    gomod = parse_gomod(b"module x\n\ngo 1.22\n\nrequire (\n\ta v1.0.0\n\tb v1.1.0 // indirect\n)\n\n"
                        b"replace a => fork v0.2.0\n", "go.mod")
    build = PluginBuild.from_gomod(gomod, go_version="1.22.5")
    assert build.modules == {"a": "v1.0.0", "b": "v1.1.0"}
    assert build.replacements == {"a": ("fork", "v0.2.0")}


# --- the corpus: real CE go.mod/go.sum of every v2 tag --------------------------------------------

PLUGIN_GOMOD = """module example.com/myplugin

go 1.22

require (
\tgithub.com/gin-gonic/gin v1.9.1
\tgithub.com/luraproject/lura/v2 v2.9.0
{extra})
"""


@pytest.fixture(scope="module")
def warm_cache(shared_krakend: Path, tmp_path_factory: pytest.TempPathFactory) -> Cache:
    """A cache holding every v2 tag's files, as `reference pull` would leave it."""
    cache = Cache(tmp_path_factory.mktemp("cache"))
    for item in releases.releases_between("2.0.0", ""):
        folder = shared_krakend / f"v{item.version}"
        files = {name: (folder / name).read_text(encoding="utf-8") for name in ("go.mod", "go.sum")}
        files["Makefile"] = makefile_for(item.version) or ""
        assert cache.store("github", item.version, files, f"krakend/krakend-ce@v{item.version}")
    return cache


def cached_reference(cache: Cache, item: Release, *, embedded: bool = False) -> Reference | None:
    request = ReferenceRequest(krakend_version=item.version, offline=True, embedded=embedded)
    return resolve_reference(request, cache).reference


def corpus_matrix(cache: Cache, build: PluginBuild) -> Matrix:
    return compute_matrix(build, releases.releases_between("2.0.0", ""), lambda item: cached_reference(cache, item))


@pytest.fixture(scope="module", params=["cache", "embedded"])
def corpus_references(warm_cache: Cache, request: pytest.FixtureRequest) -> tuple[str, dict[str, Reference | None]]:
    """Every v2 reference from the cache, then from the embedded data: both must give the same matrix."""
    embedded = request.param == "embedded"
    return request.param, {item.version: cached_reference(warm_cache, item, embedded=embedded)
                           for item in releases.releases_between("2.0.0", "")}


def corpus_plugin(extra: str = "", **kwargs: object) -> PluginBuild:
    gomod = parse_gomod(PLUGIN_GOMOD.format(extra=extra).encode(), "go.mod")
    return PluginBuild.from_gomod(gomod, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("extra", "go", "expected"),
    [
        ("", "1.22.11", "compatible with 2.9.0–2.9.2"),  # 2.9.3 moved to Go 1.23.7
        ("\tgithub.com/go-jose/go-jose/v3 v3.0.3 // indirect\n", "1.22.11", "compatible with 2.9.0–2.9.1"),
        ("", "", "compatible with 2.9.0–2.9.3"),  # lura v2.9.0 until 2.9.4 took v2.9.1
        ("", "1.22.5", "compatible with none of 2.0.0–2.13.8"),
    ],
)
def test_corpus_compatible_range(corpus_references: tuple[str, dict[str, Reference | None]], extra: str, go: str,
                                 expected: str) -> None:
    source, references = corpus_references
    build = corpus_plugin(extra, go_version=go, go_source="Dockerfile:1")
    result = compute_matrix(build, releases.releases_between("2.0.0", ""), lambda r: references[r.version])
    assert len(result.rows) == 57
    assert all(row.reference_source == source for row in result.rows)
    assert result.summary == expected


def test_corpus_matrix_timing_with_a_warm_cache(warm_cache: Cache, capsys: pytest.CaptureFixture[str]) -> None:
    build = corpus_plugin(go_version="1.22.11")
    started = time.perf_counter()
    result = corpus_matrix(warm_cache, build)
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\nfull matrix over {len(result.rows)} v2 releases, warm cache: {elapsed:.2f} s")
    assert result.summary == "compatible with 2.9.0–2.9.2"
    assert elapsed < 30


def test_render_markdown_escapes_with_the_shared_escaper() -> None:
    from linter.formats.markdown import ZWSP

    diffs = (ModuleDiff("@team/<b>x</b>", "v1", "v2"),)
    text = render_markdown(Matrix((MatrixRow("2.7.0", "1", "incompatible", (), True, diffs, "embedded"),)))
    assert "@" + ZWSP + "team" in text and "<b>" not in text and "\\<b\\>" in text
