"""Mutated inputs for `linter.inputs.compose` and Taskfiles: no exception, sound locations, same result twice."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from linter.inputs.compose import parse_compose, parse_dotenv
from tests.fuzz.harness import FUZZ_SETTINGS, TARGETS, check, line_count, mutated, require


@FUZZ_SETTINGS
@given(mutated("compose"))
def test_compose_survives_mutated_input(data: bytes) -> None:
    target = TARGETS["compose"]
    check(target, require(target), data)


@FUZZ_SETTINGS
@given(mutated("taskfile"))
def test_taskfile_survives_mutated_input(data: bytes) -> None:
    target = TARGETS["taskfile"]
    doc = check(target, require(target), data)
    assert doc.kind == "taskfile"


@FUZZ_SETTINGS
@given(st.text(alphabet="AB=_$ {}:-?+#'\"\\\nx1", max_size=200), mutated("compose"))
def test_any_dotenv_interpolates_any_compose_file(dotenv: str, data: bytes) -> None:
    env = parse_dotenv(dotenv, ".env")
    assert all(0 < value.location.line <= dotenv.count("\n") + 1 for value in env.values())
    first, second = parse_compose(data, "compose.yaml", dotenv), parse_compose(data, "compose.yaml", dotenv)
    assert first == second
    lines = line_count(data)
    for service in first.services:
        for value in (service.image, *service.command, *service.entrypoint):
            if value is not None:
                assert value.location.path == "compose.yaml" and value.location.line <= lines
