from __future__ import annotations

import textwrap

import pytest

from linter.inputs.compose import ComposeFile, ComposeValue, parse_compose, parse_dotenv
from linter.model import Location

PATH = "deploy/docker-compose.yml"
ENV = "deploy/.env"

COMPOSE = """
    x-common: &common
      platform: linux/amd64
    services:
      gateway:
        <<: *common
        image: devopsfaith/krakend:${KRAKEND_VERSION:-2.7.0}
        command: ["run", "-d", "-c", "/etc/krakend/krakend.json"]
        volumes:
          - ./config:/etc/krakend:ro
          - ${PLUGINS:-./plugins}:/opt/krakend/plugins
          - type: bind
            source: ./build
            target: /opt/krakend/plugins/extra
            read_only: true
          - cache
        environment:
          FC_ENABLE: 1
          TAG: ${TAG}
          PRICE: $$5
      builder:
        build:
          context: ./plugin
          dockerfile: build.Dockerfile
          args:
            - GO_VERSION=${GO_VERSION}
            - KRAKEND_VERSION
          target: plugin
        entrypoint: krakend run -dc "/etc/krakend/my config.json"
      short:
        build: .
        environment:
          - MODE=debug
          - HOME
    """


def parse(text: str = COMPOSE, dotenv: str | None = None, path: str = PATH) -> ComposeFile:
    return parse_compose(textwrap.dedent(text).lstrip("\n").encode(), path, dotenv)


def value(found: ComposeValue | None) -> tuple[str, bool, Location]:
    assert found is not None
    return found.text, found.unresolved, found.location


def test_services_and_their_locations() -> None:
    compose = parse()
    assert compose.problems == ()
    assert [(s.name, s.location) for s in compose.services] == [
        ("gateway", Location(PATH, 4, 3, 4, 10)), ("builder", Location(PATH, 20, 3, 20, 10)),
        ("short", Location(PATH, 29, 3, 29, 8)),
    ]
    gateway = compose.services[0]
    assert value(gateway.image) == ("devopsfaith/krakend:2.7.0", False, Location(PATH, 6, 12, 6, 57))
    assert value(gateway.platform) == ("linux/amd64", False, Location(PATH, 2, 13, 2, 24))  # through `<<:`


def test_default_values_are_used_and_point_at_the_default() -> None:
    image = parse().services[0].image
    assert image is not None and image.variables == ("KRAKEND_VERSION",)
    assert image.raw == "devopsfaith/krakend:${KRAKEND_VERSION:-2.7.0}"
    assert image.origin == Location(PATH, 6, 51, 6, 56)


def test_dotenv_values_win_over_defaults_and_point_at_the_dotenv_line() -> None:
    compose = parse(dotenv="# versions\nexport KRAKEND_VERSION='2.6.3'\nGO_VERSION=1.22.7 # pinned\n")
    image = compose.services[0].image
    assert image is not None and (image.text, image.unresolved) == ("devopsfaith/krakend:2.6.3", False)
    assert image.origin == Location(ENV, 2, 25, 2, 30)
    go, krakend = compose.services[1].build.args  # type: ignore[union-attr]
    assert (go.name, value(go.value)) == ("GO_VERSION", ("1.22.7", False, Location(PATH, 25, 22, 25, 35)))
    assert go.value is not None and go.value.origin == Location(ENV, 3, 12, 3, 18)
    # `- NAME` without a value takes it from the environment, which the .env file is part of
    assert krakend.value is not None and (krakend.value.text, krakend.value.origin) == ("2.6.3", Location(ENV, 2, 25, 2, 30))


def test_unresolved_variables_are_flagged_not_shown_as_values() -> None:
    gateway = parse().services[0]
    tag = gateway.env("TAG")
    assert tag is not None and value(tag.value) == ("${TAG}", True, Location(PATH, 18, 12, 18, 18))
    assert tag.location == Location(PATH, 18, 7, 18, 10)
    builder = parse().services[1]
    go, krakend = builder.build.args  # type: ignore[union-attr]
    assert go.value is not None and go.value.unresolved and go.value.text == "${GO_VERSION}"
    assert krakend.value is None


@pytest.mark.parametrize(("written", "env", "expected", "unresolved"), [
    ("$$HOME", "", "$HOME", False),
    ("a$$", "", "a$", False),
    ("${V:-d}", "", "d", False),
    ("${V:-d}", "V=\n", "d", False),  # `:-` also replaces an empty value
    ("${V-d}", "V=\n", "", False),  # `-` only an unset one
    ("${V-d}", "", "d", False),
    ("${V:-${W:-x}}", "", "x", False),
    ("${V:-${W}}", "", "${W}", True),
    ("$V-$W", "V=1\nW=2\n", "1-2", False),
    ("${V}", "", "${V}", True),
    ("$V", "", "$V", True),
    ("${V:?set V}", "V=3\n", "3", False),
    ("${V:?set V}", "", "${V:?set V}", True),
    ("${V:+on}", "V=1\n", "on", False),
    ("${V:+on}", "", "${V:+on}", True),
    ("${V:+on}", "V=\n", "", False),
    ("${V", "", "${V", True),
    ("${}", "", "${}", True),
    ("cost $5", "", "cost $5", True),
])
def test_interpolation_as_compose_does_it(written: str, env: str, expected: str, unresolved: bool) -> None:
    image = parse(f"services:\n  a:\n    image: '{written}'\n", dotenv=env).services[0].image
    assert image is not None and (image.text, image.unresolved) == (expected, unresolved)


def test_dotenv_quotes_comments_and_references() -> None:
    env = parse_dotenv('A=1\nB="x ${A} \\"q\\""\nC=\'${A}\'\n# D=4\nE = spaced # note\nF\n', ".env")
    assert {name: v.text for name, v in env.items()} == {"A": "1", "B": 'x 1 "q"', "C": "${A}", "E": "spaced"}
    assert env["E"].location == Location(".env", 5, 5, 5, 11)


def test_short_and_long_volume_syntax() -> None:
    volumes = parse().services[0].volumes
    shape = [(v.source.text if v.source else None, v.target.text if v.target else None, v.type, v.read_only,
              v.location.line) for v in volumes]
    assert shape == [
        ("./config", "/etc/krakend", "bind", True, 9),
        ("./plugins", "/opt/krakend/plugins", "bind", False, 10),
        ("./build", "/opt/krakend/plugins/extra", "bind", True, 11),
        (None, "cache", "volume", False, 15),
    ]
    config, plugins = volumes[0], volumes[1]
    assert config.source is not None and config.source.location == Location(PATH, 9, 9, 9, 17)
    assert config.target is not None and config.target.location == Location(PATH, 9, 18, 9, 30)
    # the colon inside `${...:-...}` does not split the entry
    assert plugins.source is not None and plugins.source.location == Location(PATH, 10, 9, 10, 30)
    assert plugins.target is not None and plugins.target.location == Location(PATH, 10, 31, 10, 51)
    extra = volumes[2]
    assert extra.source is not None and extra.source.location == Location(PATH, 12, 17, 12, 24)


def test_a_volume_whose_source_is_an_unresolved_variable_has_no_type() -> None:
    volume = parse("services:\n  a:\n    volumes: ['${DIR}:/x']\n").services[0].volumes[0]
    assert volume.type == "" and volume.source is not None and volume.source.unresolved


def test_command_words_and_the_krakend_config() -> None:
    gateway, builder, short = parse().services
    assert [w.text for w in gateway.command] == ["run", "-d", "-c", "/etc/krakend/krakend.json"]
    assert value(gateway.krakend_config) == ("/etc/krakend/krakend.json", False, Location(PATH, 7, 35, 7, 60))
    assert [(w.text, w.location.column) for w in builder.entrypoint] == [
        ("krakend", 17), ("run", 25), ("-dc", 29), ("/etc/krakend/my config.json", 33)]
    assert builder.krakend_config is not None and builder.krakend_config.text == "/etc/krakend/my config.json"
    assert short.krakend_config is None and short.command == ()


@pytest.mark.parametrize(("command", "expected"), [
    ("run -c a.json", "a.json"),
    ("run --config=b.json", "b.json"),
    ("run -c=c.json", "c.json"),
    ("run -d --config d.json", "d.json"),
    ("run -cf.json", "f.json"),
    ("run -p 8080", None),
    ("check -c x.json", None),
    ("run -c", None),
    ("run -c ${CONFIG}", "${CONFIG}"),
])
def test_config_flag_forms(command: str, expected: str | None) -> None:
    service = parse(f"services:\n  k:\n    command: {command}\n").services[0]
    found = service.krakend_config
    assert (found.text if found else None) == expected


def test_build_forms() -> None:
    compose = parse()
    _, builder, short = compose.services
    build = builder.build
    assert build is not None and build.location == Location(PATH, 22, 7)
    assert value(build.context) == ("./plugin", False, Location(PATH, 22, 16, 22, 24))
    assert build.target is not None and build.target.text == "plugin"
    assert short.build is not None and short.build.context is not None and short.build.context.text == "."
    assert compose.resolve("../plugins/x.so") == "plugins/x.so" and compose.resolve("/opt/x") == "/opt/x"


def test_environment_list_form() -> None:
    short = parse().services[2]
    mode, home = short.environment
    assert (mode.name, value(mode.value), mode.location) == (
        "MODE", ("debug", False, Location(PATH, 32, 14, 32, 19)), Location(PATH, 32, 9, 32, 13))
    assert (home.name, home.value) == ("HOME", None)


def test_compose_file_at_the_root_reads_the_root_dotenv() -> None:
    compose = parse("services:\n  a:\n    image: k:${V}\n", dotenv="V=1\n", path="compose.yaml")
    image = compose.services[0].image
    assert image is not None and image.text == "k:1" and image.origin == Location(".env", 1, 3, 1, 4)
    assert compose.folder == "." and compose.resolve("./plugins") == "plugins"


def test_version_1_files_have_their_services_at_the_top() -> None:
    compose = parse("krakend:\n  image: devopsfaith/krakend:0.9\n  volumes: [./cfg:/etc/krakend]\nnetworks: {a: {}}\n")
    assert [(s.name, s.location.line, s.image.text if s.image else "") for s in compose.services] == [
        ("krakend", 1, "devopsfaith/krakend:0.9")]


def test_invalid_yaml_is_one_problem_at_its_line() -> None:
    compose = parse("services:\n  a:\n    image: [\n")
    assert [(p.kind, p.location.line) for p in compose.problems] == [("unparsable", 4)]
    assert compose.services == ()


def test_not_a_mapping_empty_and_odd_shapes() -> None:
    assert [p.message for p in parse("- a\n").problems] == ["a Compose file must be a mapping"]
    assert parse("").services == () and parse("").problems == ()
    odd = parse("services:\n  a: 3\n  b:\n    image: [x]\n    volumes: {a: b}\n    command: {a: b}\n")
    assert [(s.name, s.image, s.volumes, s.command) for s in odd.services] == [("a", None, (), ()), ("b", None, (), ())]


def test_alias_bomb_and_merge_chains_cost_bounded_work() -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, 10):
        lines.append(f"{chr(97 + n)}: &{chr(97 + n)} [{', '.join([f'*{chr(96 + n)}'] * 9)}]")
    lines.append("m0: &m0 {image: x}")
    lines.extend(f"m{n}: &m{n} {{<<: [{', '.join([f'*m{n - 1}'] * 9)}], own{n}: 1}}" for n in range(1, 14))
    lines.append("services:\n  a:\n    <<: *m13\n    volumes: *j\n    command: *j\n    environment: *j")
    compose = parse("\n".join(lines) + "\n")
    assert compose.problems == () and compose.services[0].image is not None
    assert compose.services[0].volumes == () and compose.services[0].command == ()


def test_lists_repeated_through_aliases_are_capped() -> None:
    volumes = "x: &v [" + ", ".join(f"./p{n}:/q{n}" for n in range(2_000)) + "]\n"
    services = "services:\n" + "".join(f"  s{n}: {{volumes: *v}}\n" for n in range(2_000))
    compose = parse(volumes + services)
    assert [(p.kind, p.location.line) for p in compose.problems] == [("unparsable", 1)]
    assert 2_000 <= sum(len(s.volumes) for s in compose.services) < 2_000 * 2_000 // 4


def test_deep_nesting_is_a_problem_not_a_crash() -> None:
    compose = parse_compose(b"services: " + b"[" * 20_000 + b"]" * 20_000, PATH)
    assert [(p.kind, p.location.line) for p in compose.problems] == [("unparsable", 0)]
