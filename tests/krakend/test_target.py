"""The target KrakenD's names and the facts its reference folds in."""

from __future__ import annotations

from linter.krakend.reference import Reference
from linter.krakend.releases import release
from linter.krakend.target import Target
from linter.rules.base import RuleContext


def test_label_names_edition_version_and_floating_tag() -> None:
    assert Target().label == "KrakenD"
    assert Target(version="2.7.0").label == "KrakenD 2.7.0"
    assert Target(version="2.7.0", edition="ee").label == "KrakenD EE 2.7.0"
    floating = Target(version="2.7.2", floating=True, written="2.7")
    assert floating.label == "KrakenD 2.7.2 (newest release the floating tag 2.7 means)"
    assert Target(go_override="1.22.5").label == "KrakenD (Go 1.22.5)"


def test_label_with_source_adds_where_the_version_was_read() -> None:
    assert Target(version="2.7.0").label_with_source == "KrakenD 2.7.0"
    sourced = Target(version="2.7.0", source="Dockerfile:3 runtime image krakend:2.7.0")
    assert sourced.label_with_source == "KrakenD 2.7.0 (Dockerfile:3 runtime image krakend:2.7.0)"


def test_release_label_falls_back_to_the_major() -> None:
    assert Target(version="2.7.0", edition="ee").release_label(2) == "KrakenD 2.7.0"
    assert Target().release_label(1) == "KrakenD 1.x"
    assert Target().release_label() == "KrakenD"


def test_module_label_prefers_the_reference_release() -> None:
    ref = Reference(krakend_version="v2.6.1", source="binary", origin="bin/krakend", exact=True, goarch="arm64",
                    build_settings={"-trimpath": "true"})
    target = RuleContext(target=Target(version="2.7.0", edition="ee"), reference=ref).target
    assert target.module_label == "KrakenD 2.6.1"
    assert target.module_version == "v2.6.1"
    assert target.label == "KrakenD EE 2.7.0"  # the detected target keeps its own name
    assert (target.arch, target.binary, target.build_flags) == ("arm64", "bin/krakend", (("-trimpath", "true"),))
    assert RuleContext(target=Target(version="2.7.0")).target.module_label == "KrakenD 2.7.0"
    assert Target().module_label == "KrakenD"


def test_a_reference_from_files_adds_no_binary_facts() -> None:
    ref = Reference(krakend_version="2.7.0", source="files", origin="go.sum", goarch="amd64")
    target = Target(version="2.7.0").with_reference(ref)
    assert (target.arch, target.binary, target.build_flags) == ("", "", ())
    assert target.with_reference(None) is target


def test_each_fact_says_where_it_came_from() -> None:
    known = Target(version="2.7.0", release=release("2.7.0"), source="--krakend-version")
    assert (known.go_source, known.libc_source) == ("release table", "release table")
    flavoured = Target(version="2.7.0", release=release("2.7.0"), source="Dockerfile:1", flavour="linux-generic")
    assert (flavoured.libc, flavoured.libc_source) == ("glibc", "Dockerfile:1")
    built = Target(source="Dockerfile:4 builds KrakenD", go_override="1.22.5", libc_override="musl",
                   go_override_source="bin/krakend")
    assert (built.go_source, built.libc_source) == ("bin/krakend", "Dockerfile:4 builds KrakenD")
    assert Target().go_source == ""
