"""Mutated inputs for `linter.inputs.dockerfile`: no exception, sound locations, same result twice."""

from __future__ import annotations

import time

import pytest
from hypothesis import given

from tests.fuzz.harness import FUZZ_SETTINGS, TARGETS, check, mutated, require


@FUZZ_SETTINGS
@given(mutated("dockerfile"))
def test_dockerfile_survives_mutated_input(data: bytes) -> None:
    target = TARGETS["dockerfile"]
    check(target, require(target), data)


# Inputs the fuzzers found; each crashed the parser once.
REGRESSIONS = (
    b"\\",  # a lone line continuation: BuildKit's parser yields a command without an instruction
    b"FROM alpine\n\\\n",
    b"FROM alpine\nRUN a\n\\ \n\\\n",
)


@pytest.mark.parametrize("data", REGRESSIONS)
def test_dockerfile_found_by_fuzzing(data: bytes) -> None:
    target = TARGETS["dockerfile"]
    check(target, require(target), data)


@pytest.mark.parametrize("keyword", ["ENV", "ARG"])
def test_variable_expansion_bomb_is_bounded(keyword: str) -> None:
    # `ENV A1=${A0}${A0}...`: Docker expands each value where it is set, so every line multiplies
    # the text; unbounded, these 1 KB files ran out of memory.
    lines = [b"FROM alpine", b"%s A0=xxxxxxxxxx" % keyword.encode()]
    lines += [b"%s A%d=%s" % (keyword.encode(), n, b"${A%d}" % (n - 1) * 20) for n in range(1, 12)]
    lines += [b"RUN go build -o $A11 ."]
    target = TARGETS["dockerfile"]
    dockerfile = check(target, require(target), b"\n".join(lines) + b"\n")
    values = [len(v.value or "") for stage in dockerfile.stages for v in (*stage.env.values(), *stage.args.values())]
    assert sum(values) < 4 * 1024 * 1024
    assert [(p.kind, p.location.line) for p in dockerfile.problems] == [("unparsable", 6)]  # A4: the budget runs out there


def test_many_stages_cost_linear_time() -> None:
    # Each FROM and COPY --from looked its stage name up by scanning every stage before it: a
    # 0.9 MB Dockerfile took 43 s and a 16 MiB one would take hours.
    lines = [f"FROM alpine AS s{n}\nCOPY --from=s{n // 2} /a /b\n" for n in range(12_000)]
    target = TARGETS["dockerfile"]
    started = time.perf_counter()
    dockerfile = require(target)("".join(lines).encode(), target.path)
    assert time.perf_counter() - started < 10
    assert len(dockerfile.stages) == 12_000 and dockerfile.problems == ()
