from __future__ import annotations

from linter.inputs.shell import EnvVar, SourceBuilder, SourceMap, expand
from linter.inputs.shell.analysis import parse_shell
from linter.model import Location


def parse(text: str, line: int = 1, column: int = 1, env: dict[str, EnvVar] | None = None):  # type: ignore[no-untyped-def]
    return parse_shell(text, SourceMap.of_text("f", text, line, column), env)


def test_simple_commands_with_assignments_and_positions() -> None:
    script = parse("CGO_ENABLED=1 go build -buildmode=plugin -o x.so . && echo ok")
    assert [c.name for c in script.commands] == ["go", "echo"]
    go = script.commands[0]
    assert go.assignments[0].name == "CGO_ENABLED" and go.assignments[0].value == "1"
    assert go.words[2].location == Location("f", 1, 24, 1, 41)
    assert script.exact


def test_go_build_flags_values_and_packages() -> None:
    script = parse("go build -buildmode plugin -trimpath -o out/p.so -tags 'a b' -race ./cmd/p")
    build = script.go_builds[0]
    assert build.buildmode == "plugin" and build.output == "out/p.so"
    assert build.flag("trimpath") is not None and build.flag("race") is not None
    assert build.flag("tags") is not None and build.flag("tags").value == "a b"  # type: ignore[union-attr]
    assert [w.text for w in build.packages] == ["./cmd/p"]
    assert build.is_plugin_build


def test_double_dash_flags_and_gcflags_pattern() -> None:
    build = parse("go build --buildmode=plugin -gcflags=all='-N -l' .").go_builds[0]
    assert build.buildmode == "plugin"
    assert build.flag("gcflags").value == "all=-N -l"  # type: ignore[union-attr]


def test_ldflags_are_split_into_linker_flags() -> None:
    text = "go build -ldflags='-s -w -extldflags=-fuse-ld=bfd -extld=aarch64-linux-musl-gcc -X main.v=1' ."
    build = parse(text).go_builds[0]
    assert {(f.name, f.value) for f in build.ldflags} == {
        ("s", ""), ("w", ""), ("extldflags", "-fuse-ld=bfd"), ("extld", "aarch64-linux-musl-gcc"), ("X", "main.v=1"),
    }
    assert build.linker_flag("extld").location.column == 10  # type: ignore[union-attr]


def test_ldflags_with_separate_extld_value() -> None:
    build = parse('go build -ldflags "-extld aarch64-linux-gnu-gcc" .').go_builds[0]
    assert build.linker_flag("extld").value == "aarch64-linux-gnu-gcc"  # type: ignore[union-attr]


def test_exports_and_go_env_w_reach_later_builds() -> None:
    script = parse("export GOARCH=arm64 CC=x; go env -w CGO_ENABLED=0\ngo build -buildmode=plugin .")
    build = script.go_builds[0]
    assert build.getenv("GOARCH").value == "arm64"  # type: ignore[union-attr]
    assert build.getenv("CGO_ENABLED").origin == "go env -w"  # type: ignore[union-attr]
    assert build.getenv("CGO_ENABLED").location.line == 1  # type: ignore[union-attr]
    assert [e.name for e in script.exports] == ["GOARCH", "CC", "CGO_ENABLED"]


def test_initial_environment_and_env_wrapper() -> None:
    base = {"GOFLAGS": EnvVar("GOFLAGS", "-trimpath", Location("Dockerfile", 3, 5), "ENV")}
    build = parse("env GOOS=darwin sudo go build .", env=base).go_builds[0]
    assert build.getenv("GOOS").value == "darwin"  # type: ignore[union-attr]
    trimpath = build.flag("trimpath")
    assert trimpath is not None and trimpath.source == "GOFLAGS" and trimpath.location.line == 3


def test_package_installs() -> None:
    script = parse("apk add --no-cache --virtual .deps gcc musl-dev=1.2 && apt-get install -y -o X=1 build-essential")
    assert script.installs[0].manager == "apk" and script.installs[0].names == {"gcc", "musl-dev"}
    assert script.installs[1].names == {"build-essential"}


def test_make_calls() -> None:
    call = parse("make -C plugins build VERSION=2.7.0").make_calls[0]
    assert [t.text for t in call.targets] == ["build"]
    assert call.variables[0].name == "VERSION" and call.variables[0].value == "2.7.0"


def test_docker_run_builds_inside_the_image_with_its_env() -> None:
    text = "export CGO_ENABLED=0\ndocker run --rm -it -v $PWD:/app -e GOARCH=arm64 krakend/builder:2.7.0 go build -o p.so ."
    script = parse(text)
    run = script.docker_runs[0]
    assert run.image.text == "krakend/builder:2.7.0" and "GOARCH" in run.env
    build = script.go_builds[0]
    assert build.container == "krakend/builder:2.7.0"
    assert build.getenv("CGO_ENABLED") is None  # the host's export does not reach the container
    assert build.getenv("GOARCH").value == "arm64"  # type: ignore[union-attr]


def test_docker_build_build_args() -> None:
    build = parse("docker buildx build . -t me/gw --build-arg KRAKEND_VERSION=2.7.0 --platform linux/arm64").docker_builds[0]
    assert build.build_args["KRAKEND_VERSION"].value == "2.7.0"
    assert build.platform == "linux/arm64" and [t.text for t in build.tags] == ["me/gw"]


def test_sh_c_strings_are_parsed_with_positions() -> None:
    script = parse('sh -c "go build -trimpath -o a.so ."')
    build = script.go_builds[0]
    assert build.flag("trimpath").location.column == 17  # type: ignore[union-attr]


def test_bash_only_syntax_is_parsed_exactly() -> None:
    # bashlex could not read [[ ]] or $(( )) and sent the text to the fallback; tree-sitter can.
    script = parse("[[ -n \"$X\" ]] && echo $((1+2))\nCGO_ENABLED=0 go build -buildmode=plugin -o p.so .")
    assert script.exact and not script.problems
    assert [c.name for c in script.commands] == ["echo", "go"]
    assert script.commands[0].words[1].text == "$((1+2))"
    build = script.go_builds[0]
    assert build.getenv("CGO_ENABLED").value == "0"  # type: ignore[union-attr]
    assert build.flag("buildmode").location == Location("f", 2, 24, 2, 41)  # type: ignore[union-attr]


def test_broken_syntax_falls_back_without_problems() -> None:
    script = parse("echo ((\nCGO_ENABLED=0 go build -buildmode=plugin -o p.so .")
    assert not script.exact and not script.problems
    build = script.go_builds[0]
    assert build.getenv("CGO_ENABLED").value == "0"  # type: ignore[union-attr]
    assert build.flag("buildmode").location == Location("f", 2, 24, 2, 41)  # type: ignore[union-attr]


def test_case_statement_fallback_keeps_commands() -> None:
    script = parse("case $A in\n  a) go build -o a.so . ;;\nesac")
    assert [b.output for b in script.go_builds] == ["a.so"]


def test_command_substitution_runs_its_commands() -> None:
    script = parse('V=$(go env GOVERSION); echo "$(go build -o x.so .)"')
    assert [b.output for b in script.go_builds] == ["x.so"]


def test_empty_and_comment_only_text() -> None:
    assert parse("").commands == ()
    assert parse("# only a comment\n").commands == ()


def test_expand_forms() -> None:
    values = {"A": "1", "E": ""}
    # an unknown variable keeps its text: it may be set where the script runs
    assert expand("${A}-$A-${B:-two}-${E:-dflt}-${E-kept}-${A:+alt}-${B:+alt}-$B", values.get) == (
        "1-1-two-dflt--alt-${B:+alt}-$B"
    )
    assert expand("${B}", values.get) == "${B}"
    assert expand("cost $", values.get) == "cost $"


def test_source_builder_maps_joined_pieces() -> None:
    builder = SourceBuilder("Makefile")
    builder.add("go build ", 4, 2)
    builder.add("-o p.so", 5, 9)
    text, source = builder.build()
    assert source.position(text.index("-o")) == (5, 9)
    assert source.position(3) == (4, 5)
