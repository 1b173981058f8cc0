from __future__ import annotations

import textwrap

from linter.inputs.dockerfile import Dockerfile, parse_dockerfile
from linter.inputs.imageref import parse_image
from linter.model import Location


def parse(text: str, **kwargs: object) -> Dockerfile:
    return parse_dockerfile(textwrap.dedent(text).lstrip("\n").encode(), "Dockerfile", **kwargs)  # type: ignore[arg-type]


MULTI = """
    # syntax=docker/dockerfile:1
    ARG GO_VERSION=1.22.5
    ARG ALPINE=3.19
    ARG KRAKEND_VERSION=2.7.0
    FROM --platform=linux/amd64 golang:${GO_VERSION}-alpine${ALPINE} AS builder
    ARG GO_VERSION
    ARG PLUGIN=my
    ENV CGO_ENABLED=1 GOPATH=/go
    # krakend-lint: ignore[KP604] reason here
    RUN apk add --no-cache gcc musl-dev \\
        # a comment inside the continuation
        && go build -buildmode=plugin \\
           -o /out/${PLUGIN}.so .

    FROM devopsfaith/krakend:${KRAKEND_VERSION}
    COPY --from=builder /out/my.so /opt/krakend/plugins/
    """


def test_stages_images_and_arg_substitution() -> None:
    df = parse(MULTI)
    assert df.problems == ()
    builder, runtime = df.stages
    assert builder.name == "builder" and builder.from_image == "golang:${GO_VERSION}-alpine${ALPINE}"
    assert builder.image.raw == "golang:1.22.5-alpine3.19" and builder.image.tag == "1.22.5-alpine3.19"
    assert builder.platform == "linux/amd64"
    assert builder.location == Location("Dockerfile", 5, 1)
    assert builder.image_location == Location("Dockerfile", 5, 29, 5, 65)
    assert [a.name for a in builder.from_args] == ["GO_VERSION", "ALPINE"]
    assert builder.from_args[0].location == Location("Dockerfile", 2, 5, 2, 22)
    assert runtime.image.raw == "devopsfaith/krakend:2.7.0" and runtime.name == ""


def test_stage_args_redeclare_global_defaults() -> None:
    builder = parse(MULTI).stages[0]
    assert builder.args["GO_VERSION"].value == "1.22.5" and builder.args["GO_VERSION"].default is None
    assert builder.args["PLUGIN"].value == "my"
    assert builder.env["CGO_ENABLED"].value == "1"
    assert builder.env["CGO_ENABLED"].location == Location("Dockerfile", 8, 5, 8, 16)


def test_global_args_are_not_visible_in_stages_without_redeclaration() -> None:
    df = parse("""
        ARG V=1
        FROM alpine
        RUN echo $V
        ENV X=${V:-none}
        """)
    assert df.stages[0].env["X"].value == "none"
    assert "V" not in df.stages[0].runs[0].env


def test_run_commands_are_located_across_continuations_and_comments() -> None:
    run = parse(MULTI).stages[0].runs[0]
    assert run.location.line == 10 and run.location.end_line == 13
    assert run.comments[0].text == "krakend-lint: ignore[KP604] reason here"
    assert run.shell is not None
    build = run.shell.go_builds[0]
    assert build.flag("buildmode").location == Location("Dockerfile", 12, 17, 12, 34)  # type: ignore[union-attr]
    assert build.flag("o").location.line == 13  # type: ignore[union-attr]
    assert build.getenv("CGO_ENABLED").origin == "ENV"  # type: ignore[union-attr]
    assert build.getenv("PLUGIN").value == "my"  # type: ignore[union-attr]
    assert run.shell.installs[0].names == {"gcc", "musl-dev"}


def test_copy_from_links_to_the_stage() -> None:
    runtime = parse(MULTI).stages[1]
    assert runtime.copies_from[0].ref == "builder" and runtime.copies_from[0].stage == 0
    assert runtime.copies_from[0].instruction.flag("from").location.column == 6  # type: ignore[union-attr]


def test_comments_and_directives() -> None:
    df = parse(MULTI)
    assert df.directives == {"syntax": "docker/dockerfile:1"}
    assert [c.line for c in df.comments] == [9]  # the in-continuation comment belongs to the RUN


def test_escape_directive_changes_continuations() -> None:
    df = parse("""
        # escape=`
        FROM golang:1.22.5
        RUN go build `
            -buildmode=plugin -o p.so .
        """)
    assert df.escape == "`"
    build = df.stages[0].runs[0].shell.go_builds[0]  # type: ignore[union-attr]
    assert build.buildmode == "plugin" and build.flag("buildmode").location.line == 4  # type: ignore[union-attr]


def test_heredoc_script_and_heredoc_command() -> None:
    df = parse("""
        FROM golang:1.22.5
        RUN <<EOF
        set -e
        go build -buildmode=plugin -o a.so .
        EOF
        RUN cat <<EOF > /build.sh
        go build -o b.so .
        EOF
        """)
    first, second = df.stages[0].runs
    assert first.shell.go_builds[0].flag("buildmode").location == Location("Dockerfile", 4, 10, 4, 27)  # type: ignore[union-attr]
    assert second.shell.go_builds == ()  # the heredoc is a file's content, not a command  # type: ignore[union-attr]
    assert first.heredocs == ("set -e\ngo build -buildmode=plugin -o a.so .\n",)


def test_json_form_run() -> None:
    run = parse('FROM golang:1.22.5\nRUN ["go", "build", "-buildmode=plugin", "-o", "p.so", "."]\n').stages[0].runs[0]
    assert run.json_form
    build = run.shell.go_builds[0]  # type: ignore[union-attr]
    assert build.flag("buildmode").location == Location("Dockerfile", 2, 21, 2, 40)  # type: ignore[union-attr]
    assert build.output == "p.so"


def test_from_stage_inherits_env_and_base() -> None:
    df = parse("""
        FROM golang:1.22.5-alpine3.19 AS base
        ENV CGO_ENABLED=0
        FROM base AS build
        RUN go build -buildmode=plugin .
        """)
    build_stage = df.stages[1]
    assert build_stage.base_stage == 0
    assert build_stage.runs[0].shell.go_builds[0].getenv("CGO_ENABLED").value == "0"  # type: ignore[union-attr]


def test_build_args_override_defaults() -> None:
    df = parse("ARG V=2.6.0\nFROM krakend:${V}\n", build_args={"V": "2.7.0"})
    assert df.stages[0].image.tag == "2.7.0"


def test_unresolved_and_automatic_args_stay_visible() -> None:
    df = parse("ARG BASE\nFROM --platform=$BUILDPLATFORM ${BASE}\n")
    stage = df.stages[0]
    assert not stage.image.resolved and stage.platform == "$BUILDPLATFORM"


def test_parse_error_is_a_problem_and_the_rest_is_kept() -> None:
    df = parse("""
        FROM golang:1.22.5 AS b
        ENV ONLYNAME
        RUN go build -buildmode=plugin .
        FROM krakend:2.7.0
        """)
    assert [p.location.line for p in df.problems] == [2]
    assert len(df.stages) == 2 and df.stages[0].runs[0].shell.go_builds  # type: ignore[union-attr]


def test_unknown_instruction_and_instruction_before_from() -> None:
    df = parse("RUN echo\nFROM alpine\nBLAH x\n")
    assert [(p.location.line, p.message) for p in df.problems] == [
        (1, "RUN before the first FROM"), (3, "unknown Dockerfile instruction 'BLAH'"),
    ]


def test_binary_and_empty_input() -> None:
    assert parse_dockerfile(b"\0\0", "Dockerfile").problems[0].location.line == 1
    assert parse_dockerfile(b"", "Dockerfile").stages == ()


def test_crlf_and_lowercase_keywords() -> None:
    df = parse_dockerfile(b"from golang:1.22.5 as b\r\nrun go build -o p.so .\r\n", "Dockerfile")
    assert df.stages[0].name == "b" and df.stages[0].runs[0].shell.go_builds[0].output == "p.so"  # type: ignore[union-attr]


def test_image_references() -> None:
    ref = parse_image("krakend/builder:2.7.0")
    assert (ref.registry, ref.repository, ref.tag, ref.digest, ref.name) == ("", "krakend/builder", "2.7.0", "", "krakend/builder")
    ref = parse_image("docker.io/devopsfaith/krakend:2.7")
    assert (ref.registry, ref.name, ref.tag) == ("docker.io", "devopsfaith/krakend", "2.7")
    ref = parse_image("golang:1.22.5-alpine3.19@sha256:abc")
    assert (ref.name, ref.tag, ref.digest) == ("golang", "1.22.5-alpine3.19", "sha256:abc")
    ref = parse_image("localhost:5000/library/golang")
    assert (ref.registry, ref.name, ref.tag) == ("localhost:5000", "localhost:5000/library/golang", "")
    assert parse_image("docker.io/library/golang:1.22").name == "golang"
    assert not parse_image("${BASE}").resolved
    assert parse_image("krakend:2.7").with_tag("2.7.0") == "krakend:2.7.0"
