"""Mutated inputs for `linter.inputs.gateway_config`: no exception, sound locations, same result twice."""

from __future__ import annotations

import pytest
from hypothesis import given

from tests.fuzz.harness import FUZZ_SETTINGS, TARGETS, check, mutated, require


@FUZZ_SETTINGS
@given(mutated("gateway_config"))
def test_gateway_config_survives_mutated_input(data: bytes) -> None:
    target = TARGETS["gateway_config"]
    check(target, require(target), data)


@FUZZ_SETTINGS
@given(mutated("gateway_yaml"))
def test_gateway_yaml_survives_mutated_input(data: bytes) -> None:
    target = TARGETS["gateway_yaml"]
    check(target, require(target), data)


@FUZZ_SETTINGS
@given(mutated("gateway_toml"))
def test_gateway_toml_survives_mutated_input(data: bytes) -> None:
    target = TARGETS["gateway_toml"]
    check(target, require(target), data)


@FUZZ_SETTINGS
@given(mutated("gateway_tmpl"))
def test_gateway_template_survives_mutated_input(data: bytes) -> None:
    target = TARGETS["gateway_tmpl"]
    check(target, require(target), data)


# Inputs the fuzzers found: PyYAML (YAML 1.1) also breaks lines at U+2028, U+2029 and U+0085, which
# moved every later location down and put some past the end of the file.
YAML_REGRESSIONS = (
    "\u2028;".encode(),
    "::}\u2028::".encode(),
    "# \u2028\u2029\x85\nversion: 3\nname: [a,\n".encode(),
)


@pytest.mark.parametrize("data", YAML_REGRESSIONS, ids=range(len(YAML_REGRESSIONS)))
def test_gateway_yaml_found_by_fuzzing(data: bytes) -> None:
    target = TARGETS["gateway_yaml"]
    check(target, require(target), data)


def test_yaml_11_line_breaks_do_not_move_lines() -> None:
    target = TARGETS["gateway_yaml"]
    config = check(target, require(target), "# \u2028 \x85 \u2029\nversion: 3\n".encode())
    assert [(child.key, child.location.line) for child in config.root.children] == [("version", 2)]


def test_nan_values_compare_equal_between_parses() -> None:
    # Found by the fuzz benchmark: the harness compared nan with ==, a false "non-deterministic".
    target = TARGETS["gateway_toml"]
    check(target, require(target), b"nannan = nan\n")
