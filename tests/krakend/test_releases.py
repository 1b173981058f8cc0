"""The release table: complete, sorted, consistent, and equal to what refresh generates."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from linter.krakend import releases
from linter.krakend.releases import Release
from scripts import refresh_releases as refresh


def test_versions_are_sorted_and_unique() -> None:
    keys = [r.key for r in releases.all_releases()]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)


def test_latest_is_2_13_8() -> None:
    assert releases.latest().version == "2.13.8"
    assert releases.latest().go_version == "1.25.12"


def test_table_covers_every_csv_row(shared_krakend: Path) -> None:
    with (shared_krakend / "releases.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["version"] for r in rows] == [r.version for r in releases.all_releases()]
    for row in rows:
        item = releases.release(row["version"])
        assert item is not None
        assert item.makefile_go_version == row["go_version"]
        assert item.lura_version == row["lura_version"]
        assert item.release_date == row["release_date"]
        assert item.runtime_image == row["alpine_or_base_image"]


def test_data_file_equals_what_refresh_generates(shared_krakend: Path) -> None:
    stored = json.loads(refresh.DATA_PATH.read_text(encoding="utf-8"))
    generated = refresh.generate(shared_krakend / "releases.csv", generated_at=stored["_meta"]["generated_at"])
    assert stored == generated, "run `python -m scripts.refresh_releases` and commit the data file"


def test_refresh_check_mode_passes_on_the_committed_file(shared_krakend: Path) -> None:
    assert refresh.main(["--csv", str(shared_krakend / "releases.csv"), "--check"]) == 0


def test_refresh_reports_a_row_that_breaks_a_rule(shared_krakend: Path, tmp_path: Path) -> None:
    text = (shared_krakend / "releases.csv").read_text(encoding="utf-8")
    broken = tmp_path / "releases.csv"
    broken.write_text(text.replace("golang:1.22.5-bullseye", "golang:1.22.5-buster"), encoding="utf-8")
    with pytest.raises(refresh.RefreshError, match=r"2\.7\.0: derived glibc build image"):
        refresh.generate(broken)


def test_meta_block_names_source_and_generator() -> None:
    meta = releases.meta()
    assert meta["generator"] == "python -m scripts.refresh_releases"
    assert "krakend-ce" in meta["source"]
    assert meta["generated_at"]


@pytest.mark.parametrize("item", releases.all_releases(), ids=lambda r: r.version)
def test_release_is_consistent(item: Release) -> None:
    expected_libc = {"alpine": "musl", "debian": "glibc"}[item.runtime_os]
    assert item.libc == expected_libc
    assert item.runtime_image.startswith(item.runtime_os + ":")
    assert item.config_version == (3 if item.major == 2 else 2)
    assert item.go_version.startswith(item.makefile_go_version)
    assert item.glibc_build_image.startswith(f"golang:{item.makefile_go_version}")
    assert item.ce_module == releases_module_of_era(item.version)
    assert item.ce_module.startswith(item.component_owner + "/") or item.major == 1
    assert item.check_plugin.available == (item.major == 2)
    for builder in item.builders:
        assert builder.go_version == item.go_version
        assert builder.libc == ("glibc" if builder.kind == "linux-generic" else "musl")
        assert builder.base_image.startswith(f"golang:{item.go_version}")


def releases_module_of_era(version: str) -> str:
    key = releases.version_key(version)
    if key < (2, 0, 0):
        return "github.com/devopsfaith/krakend-ce"
    if key < (2, 0, 5):
        return "github.com/devopsfaith/krakend-ce/v2"
    if key < (2, 11, 0):
        return "github.com/krakendio/krakend-ce/v2"
    return "github.com/krakend/krakend-ce/v2"


def test_builder_images_exist_only_from_the_right_versions() -> None:
    for item in releases.all_releases():
        names = [b.image for b in item.builders]
        if item.key >= (2, 1, 3):
            assert names == [f"krakend/builder:{item.version}", f"krakend/builder:{item.version}-linux-generic"]
        elif item.version in ("2.1.1", "2.1.2"):
            assert names == [f"devopsfaith/krakend-plugin-builder:{item.version}"]
        else:
            assert names == []


def test_glibc_build_image_suffix_follows_the_debian_eras() -> None:
    assert releases.release("2.4.2").glibc_build_image == "golang:1.20.6"  # type: ignore[union-attr]
    assert releases.release("2.4.3").glibc_build_image == "golang:1.20.6-bullseye"  # type: ignore[union-attr]
    assert releases.release("2.11.0").glibc_build_image == "golang:1.25.1-bullseye"  # type: ignore[union-attr]
    assert releases.release("2.11.1").glibc_build_image == "golang:1.25.2-bookworm"  # type: ignore[union-attr]


def test_first_release_uses_the_builder_image_go_patch() -> None:
    first = releases.release("1.0.0")
    assert first is not None
    assert (first.go_version, first.makefile_go_version) == ("1.13.1", "1.13")
    assert first.docker_build_image == "golang:1.13.1-alpine3.10"
    assert first.runtime_image == "alpine:3.10" and first.libc == "musl"


def test_v1_docker_images_are_debian_glibc_with_an_optional_alpine_variant() -> None:
    item = releases.release("1.1.0")
    assert item is not None
    assert (item.runtime_image, item.libc, item.alpine_variant_image) == ("debian:buster-slim", "glibc", "alpine:3.11")
    assert releases.release("1.3.0").alpine_variant_image == ""  # type: ignore[union-attr]


def test_check_plugin_behaviour_follows_krakend_cobra() -> None:
    def how(version: str) -> releases.CheckPlugin:
        found = releases.release(version)
        assert found is not None
        return found.check_plugin

    assert how("2.0.0").cobra_version == "v2.0.0" and how("2.0.0").drops_last_module_diff
    assert not how("2.0.2").drops_last_module_diff
    assert not how("2.0.5").semver_max and how("2.0.6").semver_max and how("2.0.6").fix_flag
    assert not how("2.0.6").skips_short_lines and how("2.1.0").skips_short_lines
    assert (how("2.6.3").output_style, how("2.6.3").failure_exit_code) == ("header", 1)
    assert (how("2.7.0").output_style, how("2.7.0").failure_exit_code) == ("cobra-error", 255)
    assert (how("2.7.1").output_style, how("2.7.1").failure_exit_code) == ("trailer", 1)
    assert how("2.13.8").cobra_version == "v2.8.2"
    assert not how("1.4.1").available


def test_reported_version_differs_where_the_makefile_lagged() -> None:
    assert releases.release("2.0.1").reported_version == "2.0.0"  # type: ignore[union-attr]
    assert releases.release("2.4.5").reported_version == "2.4.4"  # type: ignore[union-attr]
    assert releases.release("2.4.6").reported_version == "2.4.6"  # type: ignore[union-attr]


def test_lookups_accept_a_v_prefix() -> None:
    assert releases.is_known("v2.7.0") and releases.is_known("2.7.0")
    assert not releases.is_known("2.7.9")
    assert releases.go_version_for("v2.7.0") == "1.22.5"
    assert releases.go_version_for("9.9.9") is None
    assert releases.release("") is None


@pytest.mark.parametrize(
    ("tag", "version", "floating", "variant", "libc"),
    [
        ("2.7.0", "2.7.0", False, "", "musl"),
        ("v2.7.0", "2.7.0", False, "", "musl"),
        ("2.7", "2.7.2", True, "", "musl"),
        ("2", "2.13.8", True, "", "musl"),
        ("1", "1.4.1", True, "", "glibc"),
        ("latest", "2.13.8", True, "", "musl"),
        ("", "2.13.8", True, "", "musl"),
        ("2.7.0-linux-generic", "2.7.0", False, "linux-generic", "glibc"),
        ("2.9-linux-generic", "2.9.4", True, "linux-generic", "glibc"),
        ("linux-generic", "2.13.8", True, "linux-generic", "glibc"),
        ("latest-linux-generic", "2.13.8", True, "linux-generic", "glibc"),
        ("1.1.0-alpine", "1.1.0", False, "alpine", "musl"),
        ("2.6-watch", "2.6.3", True, "watch", "musl"),
        ("watch", "2.13.8", True, "watch", "musl"),
    ],
)
def test_resolve_tag(tag: str, version: str, floating: bool, variant: str, libc: str) -> None:
    match = releases.resolve_tag(tag)
    assert match is not None
    assert (match.release.version, match.floating, match.variant, match.libc) == (version, floating, variant, libc)


@pytest.mark.parametrize("tag", ["2.14", "2.14.0", "3", "2.7.0.1", "nightly", "2.7.x", "2.7.0-rc1"])
def test_resolve_tag_unknown(tag: str) -> None:
    assert releases.resolve_tag(tag) is None


def test_releases_between_is_inclusive_and_accepts_prefixes() -> None:
    assert [r.version for r in releases.releases_between("2.9.0", "2.9.4")] == [
        "2.9.0", "2.9.1", "2.9.2", "2.9.3", "2.9.4"]
    assert [r.version for r in releases.releases_between("2.12", "2.13.1")] == [
        "2.12.0", "2.12.1", "2.13.0", "2.13.1"]
    assert releases.releases_between("2.13.8", "")[-1].version == "2.13.8"


def test_newer_than_table() -> None:
    assert releases.newer_than_table("2.14.0")
    assert not releases.newer_than_table("2.13.8")
    assert not releases.newer_than_table("2.14")


def test_assumed_release_for_a_newer_version() -> None:
    item = releases.assumed_release("2.14.0", "1.26.1", origin="Makefile at krakend/krakend-ce@v2.14.0")
    assert not item.in_table
    assert item.go_version == "1.26.1"
    assert item.builder("musl").image == "krakend/builder:2.14.0"  # type: ignore[union-attr]
    assert "newest 2.13.8" in item.provenance


def test_round_trip_through_json() -> None:
    for item in releases.all_releases():
        assert releases.release_from_dict(releases.release_to_dict(item)) == item
