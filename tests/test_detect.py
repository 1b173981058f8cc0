from __future__ import annotations

import textwrap

from linter.analysis.detect import cli_candidate, detect_target, schema_candidate
from linter.inputs.build_files import parse_build_script
from linter.inputs.dockerfile import parse_dockerfile
from linter.inputs.gateway_config import parse_gateway_config
from linter.inputs.workflow import parse_workflow
from linter.inputs.workspace import Workspace
from linter.krakend.releases import latest, resolve_tag
from linter.model import Location


def _bytes(text: str) -> bytes:
    return textwrap.dedent(text).lstrip("\n").encode()


def ws_with(dockerfile: str = "", makefile: str = "", workflow: str = "") -> Workspace:
    return Workspace(
        dockerfiles=(parse_dockerfile(_bytes(dockerfile), "Dockerfile"),) if dockerfile else (),
        build_scripts=(parse_build_script(_bytes(makefile), "Makefile"),) if makefile else (),
        workflows=(parse_workflow(_bytes(workflow), ".github/workflows/b.yml"),) if workflow else (),
    )


TWO_STAGE = """
    ARG KRAKEND=2.7.0
    FROM krakend/builder:2.6.3 AS builder
    RUN go build -buildmode=plugin -o p.so .
    FROM devopsfaith/krakend:${KRAKEND}
    """


def test_cli_version_wins_and_keeps_the_other_sources() -> None:
    target = detect_target(ws_with(TWO_STAGE), "v2.8.0")
    assert (target.version, target.source, target.floating) == ("2.8.0", "--krakend-version", False)
    assert target.release is not None and target.go_version == "1.22.9"
    assert [c.kind for c in target.candidates] == ["cli", "builder-image", "runtime-image"]


def test_runtime_image_wins_and_its_arg_is_the_location() -> None:
    target = detect_target(ws_with(TWO_STAGE), None)
    assert target.version == "2.7.0" and target.location == Location("Dockerfile", 1, 5, 1, 18)
    assert target.source == "Dockerfile:1 runtime image devopsfaith/krakend:2.7.0 (ARG KRAKEND)"
    assert target.flavour == "alpine" and target.libc == "musl" and target.edition == "ce"
    builder = next(c for c in target.candidates if c.kind == "builder-image")
    assert (builder.resolved, builder.location, builder.stage) == ("2.6.3", Location("Dockerfile", 2, 6, 2, 27), 0)


def test_floating_tags_resolve_to_the_newest_release() -> None:
    target = detect_target(ws_with("FROM krakend:2.7\n"), None)
    newest_27 = resolve_tag("2.7")
    assert newest_27 is not None
    assert target.version == newest_27.release.version and target.floating and target.written == "2.7"
    untagged = detect_target(ws_with("FROM devopsfaith/krakend\n"), None)
    assert untagged.version == latest().version and untagged.floating and untagged.written == "latest"


def test_enterprise_and_linux_generic() -> None:
    ee = detect_target(ws_with("FROM krakend/builder-ee:2.7.0 AS b\nFROM krakend/krakend-ee:2.7.0\n"), None)
    assert ee.edition == "ee" and ee.version == "2.7.0"
    generic = detect_target(ws_with("FROM krakend/builder:2.7.0-linux-generic\nRUN go build .\n"), None)
    assert generic.flavour == "linux-generic" and generic.libc == "glibc"
    assert generic.candidates[0].version == "2.7.0"


def test_makefile_builder_pin_points_at_the_variable() -> None:
    makefile = """
        VERSION := 2.7.0
        build:
        \tdocker run --rm -v $(PWD):/app -w /app krakend/builder:$(VERSION) go build -buildmode=plugin -o p.so .
        """
    target = detect_target(ws_with(makefile=makefile), None)
    assert target.version == "2.7.0" and target.location == Location("Makefile", 1, 1, 1, 8)
    assert target.candidates[0].kind == "builder-image"


def test_make_and_workflow_variables_named_after_krakend() -> None:
    target = detect_target(ws_with(makefile="KRAKEND_VERSION ?= 2.6.3\nGO_VERSION = 1.20.14\n"), None)
    assert (target.version, target.candidates[0].kind) == ("2.6.3", "make-variable")
    workflow = """
        env:
          KRAKEND_VERSION: "2.7"
        jobs:
          a:
            container: krakend/builder:2.7.0
            steps:
              - run: docker build --build-arg KRAKEND_TAG=2.7.0 .
              - run: make plugin KRAKEND_VERSION=2.7.1
        """
    found = detect_target(ws_with(workflow=workflow), None)
    assert [c.kind for c in found.candidates] == ["builder-image", "build-arg", "build-arg", "workflow-env"]
    assert found.candidates[2].resolved == "2.7.1"
    assert found.version == "2.7.0" and found.candidates[3].floating


def test_disagreeing_sources_are_all_kept() -> None:
    ws = ws_with(TWO_STAGE, makefile="KRAKEND_VERSION = 2.5.0\n")
    versions = sorted(c.resolved for c in detect_target(ws, None).candidates)
    assert versions == ["2.5.0", "2.6.3", "2.7.0"]


def test_nothing_found() -> None:
    target = detect_target(ws_with("FROM golang:1.22.5\n"), None)
    assert (target.version, target.release, target.candidates) == ("", None, ())


def test_config_schema_url() -> None:
    found = schema_candidate("https://www.krakend.io/schema/v2.7/krakend.json", Location("krakend.json", 2, 14))
    assert found is not None and found.floating and found.kind == "config-schema" and found.version == "2.7"
    assert schema_candidate("https://www.krakend.io/schema/krakend.json", None) is None
    assert schema_candidate("", None) is None


def test_gateway_config_schema_is_the_weakest_source() -> None:
    config = parse_gateway_config(b'{\n  "$schema": "https://www.krakend.io/schema/v2.6/krakend.json",\n  "version": 3\n}\n',
                                  "krakend.json")
    alone = detect_target(Workspace(gateway_configs=(config,)), None)
    assert alone.floating and alone.written == "2.6" and alone.location == Location("krakend.json", 2, 14, 2, 62)
    with_image = Workspace(gateway_configs=(config,), dockerfiles=(parse_dockerfile(b"FROM krakend:2.7.0\n", "Dockerfile"),))
    assert detect_target(with_image, None).version == "2.7.0"


def test_cli_candidate_for_unknown_and_floating_versions() -> None:
    assert cli_candidate("2.99.0").resolved == "2.99.0"
    assert cli_candidate("2.7").floating


SELF_BUILT = """
    ARG KRAKEND_TAG=v2.7.0
    FROM golang:1.22.5-alpine3.19 AS host
    ARG KRAKEND_TAG
    RUN git clone --depth 1 --branch ${KRAKEND_TAG} https://github.com/krakend/krakend-ce.git /src
    RUN make build
    FROM alpine:3.19
    COPY --from=host /src/krakend /usr/bin/krakend
    """


def test_a_krakend_ce_clone_at_a_tag_is_the_host_with_its_stage_go_and_libc() -> None:
    target = detect_target(ws_with(SELF_BUILT), None)
    assert (target.version, target.floating, target.go_version, target.libc) == ("2.7.0", False, "1.22.5", "musl")
    assert target.location == Location("Dockerfile", 4, 5, 4, 8)
    assert target.host_build_path == "Dockerfile"


def test_a_later_checkout_names_the_tag_and_an_unpinned_clone_floats() -> None:
    checkout = """
        FROM golang:1.14.0 AS go
        RUN git clone https://github.com/devopsfaith/krakend-ce.git .
        RUN git checkout tags/v1.1.1
        """
    target = detect_target(ws_with(checkout), None)
    assert (target.version, target.floating, target.go_version, target.libc) == ("1.1.1", False, "1.14.0", "glibc")
    unpinned = detect_target(ws_with("FROM golang:1.22\nRUN git clone https://github.com/krakend/krakend-ce\n"), None)
    assert unpinned.floating and unpinned.version == latest().version


def test_a_self_built_host_outranks_the_runtime_image_and_the_schema() -> None:
    target = detect_target(ws_with(SELF_BUILT + "    FROM krakend:2.9.0\n"), None)
    assert (target.version, target.source.split(" ", 1)[1]) == ("2.7.0", "builds KrakenD from krakend-ce at v2.7.0 with Go 1.22.5")


def test_a_script_that_a_run_line_runs_can_clone_the_host() -> None:
    from linter.inputs.build_files import parse_build_script as parse

    ws = ws_with("FROM debian\nADD installers installers\nRUN /bin/bash -c installers/krakend.sh\n")
    script = parse(b"#!/bin/bash\ncd /w && git clone https://github.com/devopsfaith/krakend-ce.git k\n",
                   "installers/krakend.sh")
    target = detect_target(Workspace(dockerfiles=ws.dockerfiles, build_scripts=(script,)), None)
    assert (target.floating, target.host_build_path, target.location) == (True, "Dockerfile",
                                                                          Location("Dockerfile", 3, 18, 3, 39))


def test_krakends_own_package_installed_in_an_image_is_the_target() -> None:
    target = detect_target(ws_with("FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y krakend=2.0.2\n"), None)
    assert (target.version, target.libc, target.source) == ("2.0.2", "glibc", "Dockerfile:2 apt-get package krakend=2.0.2")
