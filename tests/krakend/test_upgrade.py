"""The edits that move a plugin to another KrakenD release."""

from __future__ import annotations

from linter.formats.upgrade import render_upgrade
from linter.inputs.gomod import parse_gomod
from linter.krakend import releases
from linter.krakend.reference import Reference, Replacement
from linter.krakend.releases import Release
from linter.krakend.upgrade import plan_upgrade, split_image

PLUGIN = b"""module example.com/myplugin

go 1.23

toolchain go1.23.4

require (
\tgithub.com/gin-gonic/gin v1.9.1
\tgithub.com/luraproject/lura/v2 v2.7.0
\tgolang.org/x/text v0.14.0 // indirect
)

require github.com/google/uuid v1.5.0

replace github.com/gin-gonic/gin => github.com/me/gin v1.9.1-fork
"""


def rel(version: str) -> Release:
    found = releases.release(version)
    assert found is not None
    return found


def reference(version: str, **extra: object) -> Reference:
    modules = {"github.com/gin-gonic/gin": "v1.10.0", "github.com/luraproject/lura/v2": "v2.9.0",
               "golang.org/x/text": "v0.21.0", "github.com/google/uuid": "v1.5.0", "golang.org/x/sync": "v0.10.0"}
    return Reference(version, "cache", "krakend/krakend-ce@v" + version, go_version=rel(version).go_version,
                     modules=modules, **extra)  # type: ignore[arg-type]


def test_require_lines_are_rewritten_in_place() -> None:
    plan = plan_upgrade(parse_gomod(PLUGIN, "go.mod"), reference("2.9.0"), rel("2.9.0"))
    edits = {e.line: e for e in plan.gomod_edits}
    assert edits[9].replacement == "\tgithub.com/luraproject/lura/v2 v2.9.0"
    assert edits[10].replacement == "\tgolang.org/x/text v0.21.0 // indirect"
    assert edits[8].replacement == "\tgithub.com/gin-gonic/gin v1.10.0"
    assert 13 not in edits  # uuid already matches
    assert edits[9].reason.endswith("'s go.mod requires github.com/luraproject/lura/v2 v2.9.0, not v2.7.0")


def test_a_replace_of_a_shared_module_is_deleted() -> None:
    plan = plan_upgrade(parse_gomod(PLUGIN, "go.mod"), reference("2.9.0"), rel("2.9.0"))
    edits = {e.line: e for e in plan.gomod_edits}
    assert edits[15].delete and edits[15].replacement == ""
    assert edits[15].old.startswith("replace github.com/gin-gonic/gin")


def test_go_and_toolchain_lines_come_down_to_the_release_go() -> None:
    plan = plan_upgrade(parse_gomod(PLUGIN, "go.mod"), reference("2.9.0"), rel("2.9.0"))
    edits = {e.line: e for e in plan.gomod_edits}
    assert (edits[3].old, edits[3].replacement) == ("go 1.23", "go 1.22.11")
    assert (edits[5].old, edits[5].replacement) == ("toolchain go1.23.4", "toolchain go1.22.11")
    assert plan.go_version == "1.22.11"
    assert plan.commands == ("go mod tidy",)


def test_pre_1_21_targets_use_a_minor_go_line_and_drop_the_toolchain() -> None:
    plan = plan_upgrade(parse_gomod(PLUGIN, "go.mod"), reference("2.4.0"), rel("2.4.0"))
    edits = {e.line: e for e in plan.gomod_edits}
    assert edits[3].replacement == "go 1.20"
    assert edits[5].delete


def test_krakend_replacements_are_added() -> None:
    krakend = reference("2.4.0", replacements=(Replacement("github.com/google/uuid", "", "example.com/uuid", "v1"),))
    plan = plan_upgrade(parse_gomod(PLUGIN, "go.mod"), krakend, rel("2.4.0"))
    assert [a.text for a in plan.gomod_additions] == ["replace github.com/google/uuid => example.com/uuid v1"]


def test_builder_and_go_images() -> None:
    gomod = parse_gomod(PLUGIN, "go.mod")
    plan = plan_upgrade(gomod, reference("2.9.0"), rel("2.9.0"))
    assert (plan.builder_image, plan.go_image) == ("krakend/builder:2.9.0", "golang:1.22.11-alpine3.21")
    glibc = plan_upgrade(gomod, reference("2.9.0"), rel("2.9.0"), libc="glibc")
    assert (glibc.builder_image, glibc.go_image) == ("krakend/builder:2.9.0-linux-generic", "golang:1.22.11-bullseye")
    old = plan_upgrade(gomod, reference("2.0.6"), rel("2.0.6"))
    assert (old.builder_image, old.go_image) == ("", "golang:1.17.13-alpine3.15")


def test_dockerfile_from_lines() -> None:
    images = [
        ("Dockerfile", 1, "krakend/builder:2.7.0"),
        ("Dockerfile", 5, "devopsfaith/krakend:2.7.0"),
        ("build/Dockerfile", 1, "golang:1.22.5-alpine3.19"),
        ("build/Dockerfile", 9, "docker.io/krakend/builder:2.7.0-linux-generic"),
        ("build/Dockerfile", 12, "golang:1.22.5-bullseye"),
        ("watch/Dockerfile", 1, "krakend:2.7-watch"),
        ("x/Dockerfile", 1, "krakend/builder:${KRAKEND_VERSION}"),
        ("ee/Dockerfile", 1, "krakend/builder-ee:2.7"),
        ("ok/Dockerfile", 1, "krakend/builder:2.9.0@sha256:abc"),
        ("misc/Dockerfile", 1, "alpine:3.21"),
    ]
    plan = plan_upgrade(parse_gomod(PLUGIN, "go.mod"), reference("2.9.0"), rel("2.9.0"), images)
    assert [(e.path, e.line, e.new_image) for e in plan.docker_edits] == [
        ("Dockerfile", 1, "krakend/builder:2.9.0"),
        ("Dockerfile", 5, "devopsfaith/krakend:2.9.0"),
        ("build/Dockerfile", 1, "golang:1.22.11-alpine3.21"),
        ("build/Dockerfile", 9, "docker.io/krakend/builder:2.9.0-linux-generic"),
        ("build/Dockerfile", 12, "golang:1.22.11-bullseye"),
        ("watch/Dockerfile", 1, "krakend:2.9.0-watch"),
    ]
    assert any("x/Dockerfile:1" in n and "build argument" in n for n in plan.notes)
    assert any("ee/Dockerfile:1" in n and "Enterprise" in n for n in plan.notes)


def test_a_builder_before_2_1_3_becomes_a_golang_image() -> None:
    plan = plan_upgrade(parse_gomod(PLUGIN, "go.mod"), reference("2.0.6"), rel("2.0.6"),
                        [("Dockerfile", 1, "krakend/builder:2.7.0")])
    assert [e.new_image for e in plan.docker_edits] == ["golang:1.17.13-alpine3.15"]


def test_nothing_to_do_is_an_empty_plan() -> None:
    gomod = parse_gomod(b"module x\n\ngo 1.22\n\nrequire github.com/google/uuid v1.5.0\n", "go.mod")
    plan = plan_upgrade(gomod, reference("2.9.0"), rel("2.9.0"), [("Dockerfile", 1, "krakend/builder:2.9.0")])
    assert plan.empty and plan.commands == ()


def test_text_and_dict_forms() -> None:
    plan = plan_upgrade(parse_gomod(PLUGIN, "go.mod"), reference("2.9.0"), rel("2.9.0"),
                        [("Dockerfile", 1, "krakend/builder:2.7.0")])
    text = render_upgrade(plan)
    assert text.splitlines()[0] == "to move to KrakenD 2.9.0: build with Go 1.22.11 in krakend/builder:2.9.0"
    assert "go.mod:9: -> github.com/luraproject/lura/v2 v2.9.0" in text
    assert "Dockerfile:1: krakend/builder:2.7.0 -> krakend/builder:2.9.0" in text
    data = plan.as_dict()
    assert data["docker_edits"][0]["new_image"] == "krakend/builder:2.9.0"
    assert data["gomod_edits"][0]["path"] == "go.mod"


def test_split_image() -> None:
    assert split_image("docker.io/krakend/builder:2.7.0@sha256:ab") == ("krakend/builder", "2.7.0")
    assert split_image("localhost:5000/golang") == ("localhost:5000/golang", "")
    assert split_image("golang") == ("golang", "")


def test_every_file_of_the_deployment_moves_with_the_release() -> None:
    from linter.krakend.releases import release as release_of
    from linter.krakend.upgrade import DeploymentFile, plan_text_edits

    target = release_of("2.13.8")
    assert target is not None
    files = [
        DeploymentFile("Dockerfile", "dockerfile", ("ARG KRAKEND_VERSION=2.7.0", "ARG GO_VERSION=\"1.22.5\"",
                                                    "FROM docker.io/krakend:2.7.0-watch", "FROM krakend/builder-ee:2.7.0")),
        DeploymentFile("compose.yaml", "compose", ("services:", "  gw:", "    image: \"devopsfaith/krakend:2.7.0\"")),
        DeploymentFile("Makefile", "makefile", ("KRAKEND_TAG ?= v2.7.0", "OTHER := 2.7.0")),
        DeploymentFile("Taskfile.yml", "taskfile", ("vars:", "  KRAKEND_VERSION: '2.7.0'")),
        DeploymentFile(".github/workflows/ci.yml", "workflow", ("      - uses: actions/setup-go@v5", "        with:",
                                                                  "          go-version: 1.22.5 # pinned")),
        DeploymentFile(".go-version", ".go-version", ("1.22.5",)),
        DeploymentFile("krakend.json", "config", ('  "$schema": "https://www.krakend.io/schema/v2.7/krakend.json",',)),
    ]
    edits = {(e.path, e.line): e.replacement for e in plan_text_edits(files, target, target.go_version, "musl")}
    go = target.go_version
    assert edits == {
        ("Dockerfile", 1): "ARG KRAKEND_VERSION=2.13.8",
        ("Dockerfile", 2): f"ARG GO_VERSION=\"{go}\"",
        ("Dockerfile", 3): "FROM docker.io/krakend:2.13.8-watch",
        ("compose.yaml", 3): "    image: \"devopsfaith/krakend:2.13.8\"",
        ("Makefile", 1): "KRAKEND_TAG ?= v2.13.8",
        ("Taskfile.yml", 2): "  KRAKEND_VERSION: '2.13.8'",
        (".github/workflows/ci.yml", 3): f"          go-version: {go} # pinned",
        (".go-version", 1): go,
        ("krakend.json", 1): '  "$schema": "https://www.krakend.io/schema/v2.13/krakend.json",',
    }


def test_latest_names_the_newest_release() -> None:
    from linter.commands.matrix import target_release
    from linter.krakend.releases import latest

    assert target_release("latest").version == latest().version
