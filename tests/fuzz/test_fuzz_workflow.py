"""Mutated inputs for `linter.inputs.workflow`: no exception, sound locations, same result twice."""

from __future__ import annotations

import pytest
from hypothesis import given

from tests.fuzz.harness import FUZZ_SETTINGS, TARGETS, check, line_count, mutated, require

TARGET = TARGETS["workflow"]


@FUZZ_SETTINGS
@given(mutated("workflow"))
def test_workflow_survives_mutated_input(data: bytes) -> None:
    check(TARGET, require(TARGET), data)


# Inputs the fuzzers found. PyYAML (YAML 1.1) breaks lines at U+2028, U+2029 and U+0085, which put
# locations past the end of the file; its composer recursed once per level of nesting.
REGRESSIONS = (
    "\u2028@\\U0010ffff#".encode(),
    "# \u2028\u2029\x85\njobs:\n  b:\n    steps:\n      - run: go build\n".encode(),
    b"[" * 2_000 + b"]" * 2_000,
    b"jobs: {b: {steps: " + b"[" * 5_000 + b"]" * 5_000 + b"}}",
)


@pytest.mark.parametrize("data", REGRESSIONS, ids=range(len(REGRESSIONS)))
def test_workflow_found_by_fuzzing(data: bytes) -> None:
    check(TARGET, require(TARGET), data)


def test_yaml_11_line_breaks_do_not_move_lines() -> None:
    data = (
        "# a comment with \u2028 and \x85 in it\n"
        "jobs:\n"
        "  b:\n"
        "    steps:\n"
        "      - uses: actions/setup-go@v5\n"
        "        with:\n"
        "          go-version: |\n"
        "            1.22\x85\x85\n"
        "            1.23\n"
    ).encode()
    workflow = check(TARGET, require(TARGET), data)
    assert [step.location.line for _job, step in workflow.steps] == [5]
    lines = [value.location.line for setup in workflow.setup_go for value in setup.versions]
    assert lines == [8, 9] and max(lines) <= line_count(data)


def test_deep_nesting_is_a_problem_not_a_crash() -> None:
    workflow = check(TARGET, require(TARGET), b"jobs: " + b"[" * 20_000 + b"]" * 20_000)
    assert [(p.kind, p.location.line) for p in workflow.problems] == [("unparsable", 0)]
