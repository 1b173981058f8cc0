"""The references embedded in the package: complete, equal to what CE's own files give, in step
with the release table, and tried before the cache and GitHub."""

from __future__ import annotations

import gzip
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from linter.krakend import embedded, releases
from linter.krakend.cache import Cache
from linter.krakend.embedded import Embedded, EmbeddedDataError
from linter.krakend.reference import Reference
from linter.krakend.reference_texts import reference_from_texts
from linter.krakend.resolution import ReferenceRequest, resolve_reference
from scripts import build_references
from scripts.build_references import table_disagreements

V2_RELEASES = tuple(item.version for item in releases.all_releases() if item.key >= (2, 0, 0))


def unreachable(repo: str, path: str, ref: str) -> str:
    raise AssertionError(f"GitHub was asked for {repo}/{path}@{ref}")


def _as_tuple(ref: Reference) -> tuple[object, ...]:
    """Everything a dependency rule reads from a Reference (source and origin aside)."""
    return (ref.krakend_version, ref.go_version, dict(ref.modules), dict(ref.sum_versions), ref.indirect,
            ref.replacements, ref.main_module, ref.exact, ref.goarch, ref.libc, dict(ref.package_hashes),
            dict(ref.locations))


# --- the data against the release table (no shared data needed) --------------------------------


def test_every_v2_release_in_the_table_is_embedded_and_no_other() -> None:
    assert embedded.covered() == V2_RELEASES
    assert embedded.newest() == releases.latest().version


def test_release_table_and_embedded_references_agree() -> None:
    assert table_disagreements(embedded.load(), releases.all_releases()) == []


def _with_record(data: Embedded, version: str, **changes: object) -> Embedded:
    records = dict(data.records)
    records[version] = {**records[version], **changes}
    return replace(data, records=records)


def test_a_disagreement_with_the_release_table_is_named() -> None:
    data = embedded.load()
    lura_changed = replace(releases.release("2.7.0"), lura_version="v2.6.9")  # type: ignore[arg-type]
    table = tuple(lura_changed if item.version == "2.7.0" else item for item in releases.all_releases())
    found = table_disagreements(data, table)
    assert found == ["2.7.0: github.com/luraproject/lura/v2: release table says 'v2.6.9', "
                     "embedded references say 'v2.7.0'"]
    go_line = table_disagreements(_with_record(data, "2.9.0", go="1.21"), releases.all_releases())
    assert [line.split(":")[0:2] for line in go_line] == [["2.9.0", " go.mod go line"]]


def test_a_release_missing_on_either_side_is_named() -> None:
    data = embedded.load()
    fewer = replace(data, records={v: r for v, r in data.records.items() if v != "2.4.5"})
    assert table_disagreements(fewer, releases.all_releases()) == [
        "2.4.5: in the release table but has no embedded references"]
    newer = replace(data, records={**data.records, "2.14.0": {**data.records["2.13.8"], "version": "2.14.0"}})
    assert table_disagreements(newer, releases.all_releases()) == [
        "2.14.0: has embedded references but is not in the release table"]


def test_one_x_releases_have_no_embedded_module_list() -> None:
    assert not any(embedded.has(item.version) for item in releases.all_releases() if item.major == 1)
    assert embedded.reference("1.4.1") is None


def test_an_embedded_reference_holds_the_build_list_the_sums_and_the_replaces() -> None:
    ref = embedded.reference("2.7.0")
    assert ref is not None and (ref.source, ref.origin, ref.exact) == ("embedded", "krakend/krakend-ce@v2.7.0", False)
    assert ref.go_version == "1.22.5"
    assert ref.modules["github.com/luraproject/lura/v2"] == "v2.7.0"
    assert ref.modules["golang.org/x/text"] == "v0.16.0"
    assert "golang.org/x/text" in ref.indirect and "github.com/luraproject/lura/v2" not in ref.indirect
    assert ref.main_module == "github.com/krakendio/krakend-ce/v2"
    assert len(ref.sum_versions) > len(ref.modules)
    old = embedded.reference("2.0.2")
    assert old is not None and old.replacement_for("github.com/auth0-community/go-auth0", "v1.0.0") is not None


def test_the_packaged_file_fits_the_size_budget() -> None:
    assert embedded.size_on_disk() <= 1_000_000


def test_delta_encoding_round_trips() -> None:
    indexes = [0, 3, 4, 10, 2456]
    assert embedded.delta(indexes) == [0, 3, 1, 6, 2446]
    assert embedded.undelta(embedded.delta(indexes)) == indexes


@pytest.mark.parametrize("raw", [b"not gzip", gzip.compress(b"[1, 2]"), gzip.compress(b'{"format": 99}'),
                                 gzip.compress(b'{"format": 1, "pairs": {}}')])
def test_a_damaged_file_is_an_embedded_data_error(raw: bytes) -> None:
    with pytest.raises(EmbeddedDataError):
        embedded.decode(raw)


def test_a_damaged_record_is_an_embedded_data_error(monkeypatch: pytest.MonkeyPatch) -> None:
    data = embedded.load()
    damaged = _with_record(data, "2.7.0", modules=[len(data.pairs) + 5])
    monkeypatch.setattr(embedded, "load", lambda: damaged)
    embedded.reference.cache_clear()
    try:
        with pytest.raises(EmbeddedDataError, match=r"2\.7\.0"):
            embedded.reference("2.7.0")
    finally:
        embedded.reference.cache_clear()


# --- the resolver ------------------------------------------------------------------------------


def test_embedded_data_answers_before_the_cache_and_github(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.store("github", "2.7.0", {"go.mod": "module other\n", "go.sum": ""}, "krakend/krakend-ce@v2.7.0")
    resolved = resolve_reference(ReferenceRequest(krakend_version="2.7.0"), cache, unreachable)
    assert resolved.source == "embedded" and resolved.notices == () and resolved.cache_path == ""
    assert resolved.reference is not None and resolved.reference.main_module == "github.com/krakendio/krakend-ce/v2"
    facts = {f.name: (f.value, f.source) for f in resolved.facts}
    assert facts["reference_source"] == ("embedded", "krakend/krakend-ce@v2.7.0")
    assert facts["modules"][1] == "embedded data (krakend/krakend-ce@v2.7.0)"


def test_a_release_newer_than_the_data_is_named_when_offline(tmp_path: Path) -> None:
    resolved = resolve_reference(ReferenceRequest(krakend_version="2.14.0", offline=True), Cache(tmp_path))
    assert resolved.reference is None
    assert [(n.source, n.kind) for n in resolved.notices] == [("github", "offline"), ("resolver", "unavailable")]
    assert f"newer than the references embedded in this linter (newest {releases.latest().version})" in \
        resolved.notices[0].message


def test_a_one_x_release_offline_says_it_has_no_embedded_module_list(tmp_path: Path) -> None:
    resolved = resolve_reference(ReferenceRequest(krakend_version="1.4.1", offline=True), Cache(tmp_path))
    assert resolved.reference is None and resolved.release is not None
    assert "1.4.1 has no embedded module list" in resolved.notices[0].message


def test_a_release_newer_than_the_data_still_comes_from_the_cache(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.store("github", "2.14.0", {"go.mod": "module github.com/krakend/krakend-ce/v2\n", "go.sum": ""},
                "krakend/krakend-ce@v2.14.0")
    resolved = resolve_reference(ReferenceRequest(krakend_version="2.14.0", offline=True), cache)
    assert resolved.source == "cache"


def test_unreadable_embedded_data_is_a_notice_and_the_cache_still_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(version: str) -> None:
        raise EmbeddedDataError("cannot read the embedded references references.json.gz: gone")

    monkeypatch.setattr(embedded, "reference", broken)
    cache = Cache(tmp_path)
    cache.store("github", "2.7.0", {"go.mod": "module x\n", "go.sum": ""}, "krakend/krakend-ce@v2.7.0")
    resolved = resolve_reference(ReferenceRequest(krakend_version="2.7.0", offline=True), cache)
    assert resolved.source == "cache"
    assert [(n.source, n.kind) for n in resolved.notices] == [("embedded", "unreadable")]


def test_enterprise_is_never_compared_with_community_data(tmp_path: Path) -> None:
    resolved = resolve_reference(ReferenceRequest(krakend_version="2.7.0", edition="ee", offline=True), Cache(tmp_path))
    assert resolved.reference is None
    assert [(n.source, n.kind) for n in resolved.notices] == [("edition", "unavailable")]
    assert "--krakend-go-sum" in resolved.notices[0].message


# --- against the CE files the data is built from (shared/krakend) ------------------------------


def _tag_folders(shared: Path) -> list[str]:
    return sorted((p.name[1:] for p in shared.glob("v*") if (p / "go.mod").is_file()), key=releases.version_key)


def test_every_tag_folder_is_embedded(shared_krakend: Path) -> None:
    assert tuple(_tag_folders(shared_krakend)) == embedded.covered()


def test_embedded_references_equal_those_read_from_ce_files(shared_krakend: Path) -> None:
    for version in _tag_folders(shared_krakend):
        folder = shared_krakend / f"v{version}"
        files = {name: (folder / name).read_text(encoding="utf-8") for name in ("go.mod", "go.sum")}
        from_files = reference_from_texts(version, files, source="github", origin=f"krakend/krakend-ce@v{version}")
        from_data = embedded.reference(version)
        assert from_data is not None, version
        assert _as_tuple(from_data) == _as_tuple(from_files), version


@pytest.fixture(scope="module")
def built(shared_krakend: Path) -> bytes:
    """What the maintainer script builds from shared/krakend now (built once: it reads 57 go.sum files)."""
    return build_references.build(shared_krakend)


def test_the_committed_file_is_what_the_script_builds(built: bytes) -> None:
    assert embedded.decode(built) == embedded.load()
    assert built[4:8] == b"\0\0\0\0"  # no timestamp in the gzip header: same input, same bytes


def test_the_script_check_mode_passes_on_the_committed_file(built: bytes, shared_krakend: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_references, "build", lambda shared: built)
    assert build_references.main(["--shared", str(shared_krakend), "--check"]) == 0


def test_the_script_refuses_a_release_without_its_files(shared_krakend: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(shared_krakend / "releases.csv", tmp_path / "releases.csv")
    output = tmp_path / "out.json.gz"
    assert build_references.main(["--shared", str(tmp_path), "--output", str(output)]) == 2
    assert "v2.0.0/go.mod" in capsys.readouterr().err and not output.exists()


def test_the_script_check_mode_reports_a_stale_file(built: bytes, shared_krakend: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / "stale.json.gz"
    doc = json.loads(gzip.decompress(built))
    doc["releases"] = doc["releases"][:-1]
    stale.write_bytes(gzip.compress(json.dumps(doc).encode()))
    monkeypatch.setattr(build_references, "build", lambda shared: built)
    assert build_references.main(["--shared", str(shared_krakend), "--output", str(stale), "--check"]) == 1


def test_the_script_writes_nothing_when_the_release_table_disagrees(built: bytes, shared_krakend: Path,
                                                                     tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    doc = json.loads(gzip.decompress(built))
    doc["releases"][0]["main"] = "github.com/someone/else/v2"
    monkeypatch.setattr(build_references, "build", lambda shared: gzip.compress(json.dumps(doc).encode()))
    output = tmp_path / "out.json.gz"
    assert build_references.main(["--shared", str(shared_krakend), "--output", str(output)]) == 1
    assert not output.exists()
