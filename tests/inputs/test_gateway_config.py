"""Gateway config reader: JSON/YAML/TOML into one positioned tree, templates, bad input."""

from __future__ import annotations

import gc
import json
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.inputs.gateway_config import GatewayConfig, parse_gateway_config, walk
from linter.model import Location


def parse(text: str, path: str = "krakend.json", **kwargs: bool) -> GatewayConfig:
    return parse_gateway_config(textwrap.dedent(text).lstrip("\n").encode(), path, **kwargs)


JSON = """
{
  "version": 3,
  "plugin": {"folder": "/opt/krakend/plugins/", "pattern": ".so"},
  "extra_config": {"plugin/http-server": {"name": ["a", "b"]}},
  "endpoints": [
    {"endpoint": "/x", "backend": [{"extra_config": {"plugin/http-client": {"name": "c"}}}]}
  ]
}
"""


def test_json_values_and_keys_have_positions() -> None:
    config = parse(JSON)
    assert config.format == "json" and not config.problems and not config.is_template
    version = config.lookup("/version")
    assert version is not None and (version.kind, version.value) == ("number", 3)
    assert version.location == Location("krakend.json", 2, 14, 2, 14)
    assert version.key_location == Location("krakend.json", 2, 3, 2, 11)
    name = config.lookup("/extra_config/plugin~1http-server/name/1")
    assert name is not None and name.value == "b" and name.location.line == 4
    client = config.lookup("/endpoints/0/backend/0/extra_config/plugin~1http-client/name")
    assert client is not None and client.value == "c" and client.location.line == 6
    plugin = config.lookup("/plugin")
    assert plugin is not None and plugin.kind == "object" and plugin.keys() == ("folder", "pattern")
    assert plugin.string("pattern") == ".so" and plugin.string("missing") is None
    assert config.lookup("/nope") is None and config.lookup("nope") is None


def test_json_scalars_match_pythons_json() -> None:
    text = '{"a": [1, -2.5e3, 0, true, false, null, "\\u00e9\\ud83d\\ude00\\n\\"\\/"]}'
    config = parse_gateway_config(text.encode(), "k.json")
    node = config.lookup("/a")
    assert node is not None
    assert [c.value for c in node.children] == json.loads(text)["a"]


def test_duplicate_keys_are_reported_and_the_last_wins() -> None:
    config = parse('{\n  "version": 2,\n  "version": 3\n}')
    assert [(p.location.line, p.location.column) for p in config.problems] == [(3, 3)]
    assert "duplicate key 'version'" in config.problems[0].message
    version = config.lookup("/version")
    assert version is not None and version.value == 3


@pytest.mark.parametrize(("text", "line", "column"), [
    ('{"a": 1,}', 1, 9),
    ('{"a" 1}', 1, 6),
    ("[1 2]", 1, 4),
    ('{"a": 01}', 1, 8),
    ('{"a": -}', 1, 8),
    ("[1]x", 1, 4),
    ("", 1, 1),
    ('{\n  "a": "b\n"}', 2, 10),
    ('{"a": tru}', 1, 7),
])
def test_invalid_json_is_a_problem_with_a_position(text: str, line: int, column: int) -> None:
    config = parse_gateway_config(text.encode(), "k.json")
    assert config.root is None
    assert [(p.location.line, p.location.column) for p in config.problems] == [(line, column)]
    assert config.problems[0].message.startswith("invalid JSON")


def test_deep_json_nesting_does_not_recurse() -> None:
    depth = 100_000
    config = parse_gateway_config(b"[" * depth + b"]" * depth, "k.json")
    assert not config.problems
    node, seen = config.root, 0
    while node is not None and node.children:
        node, seen = node.children[0], seen + 1
    assert seen == depth - 1
    deep_object = parse_gateway_config(b'{"a":' * depth + b"1" + b"}" * depth, "k.json")
    assert deep_object.lookup("/a/a/a") is not None


def test_binary_input_is_a_problem() -> None:
    config = parse_gateway_config(b'{"a": "\x00"}', "k.json")
    assert config.root is None and "NUL" in config.problems[0].message


@settings(max_examples=60, deadline=None)
@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=12,
))
def test_json_round_trips_like_the_standard_library(value: object) -> None:
    text = json.dumps(value, indent=1)
    config = parse_gateway_config(text.encode(), "k.json")
    assert not config.problems and config.root is not None
    assert _plain(config.root) == value


def _plain(node: object) -> object:
    from linter.inputs.gateway_config import ConfigNode

    assert isinstance(node, ConfigNode)
    if node.kind == "object":
        return {c.key: _plain(c) for c in node.children}
    if node.kind == "array":
        return [_plain(c) for c in node.children]
    return node.value


YAML = """
version: 3
defaults: &plugins
  folder: /opt/krakend/plugins/
  pattern: .so
plugin:
  <<: *plugins
  pattern: -prod.so
endpoints:
  - endpoint: /x
    extra_config:
      plugin/req-resp-modifier:
        name: [m]
"""


def test_yaml_has_positions_and_merge_keys() -> None:
    config = parse(YAML, "krakend.yaml")
    assert config.format == "yaml" and not config.problems
    version = config.lookup("/version")
    assert version is not None and version.value == 3 and version.location.column == 10
    assert version.key_location == Location("krakend.yaml", 1, 1, 1, 7)
    pattern = config.lookup("/plugin/pattern")
    assert pattern is not None and (pattern.value, pattern.location.line) == ("-prod.so", 7)
    folder = config.lookup("/plugin/folder")
    assert folder is not None and folder.value == "/opt/krakend/plugins/" and folder.location.line == 3
    name = config.lookup("/endpoints/0/extra_config/plugin~1req-resp-modifier/name/0")
    assert name is not None and name.value == "m" and name.location == Location("krakend.yaml", 12, 16, 12, 16)


def test_yaml_alias_bomb_is_refused() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    config = parse_gateway_config("\n".join(lines).encode(), "krakend.yml")
    assert config.root is None
    assert "alias bomb" in config.problems[-1].message


def test_yaml_recursive_alias_and_duplicates_and_errors() -> None:
    recursive = parse_gateway_config(b"a: &a [*a]\n", "krakend.yml")
    assert recursive.root is not None and "recursive" in recursive.problems[0].message
    duplicate = parse_gateway_config(b"a: 1\na: 2\n", "krakend.yml")
    assert duplicate.problems[0].location.line == 2
    broken = parse_gateway_config(b"a: [\n", "krakend.yml")
    assert broken.root is None and broken.problems[0].message.startswith("invalid YAML")


def test_a_yaml_tree_skips_the_young_gc_generations() -> None:
    """The collector does not scan a large parsed tree twice as young objects (limits.paused_gc)."""
    config = parse_gateway_config(YAML.encode(), "krakend.yaml")
    assert config.root is not None
    young = {id(found) for generation in (0, 1) for found in gc.get_objects(generation)}
    assert not {id(node) for _path, node in walk(config.root)} & young


TOML = """
version = 3

[plugin]
folder = "/opt/krakend/plugins/"
pattern = ".so"

[[endpoints]]
endpoint = "/x"
[[endpoints.backend]]
host = ["h"]
[endpoints.backend.extra_config."plugin/http-client"]
name = "c"

[[endpoints]]
endpoint = "/y"
extra_config = { "plugin/req-resp-modifier" = { name = ["m"] } }
"""


def test_toml_keys_get_their_lines() -> None:
    config = parse(TOML, "krakend.toml")
    assert config.format == "toml" and not config.problems
    version = config.lookup("/version")
    assert version is not None and version.location == Location("krakend.toml", 1, 11)
    client = config.lookup("/endpoints/0/backend/0/extra_config/plugin~1http-client/name")
    assert client is not None and client.value == "c" and client.location.line == 12
    second = config.lookup("/endpoints/1/endpoint")
    assert second is not None and second.location.line == 15
    nested = config.lookup("/endpoints/1/extra_config/plugin~1req-resp-modifier/name")
    assert nested is not None and nested.kind == "array" and nested.location.line == 16


def test_invalid_toml_is_a_problem() -> None:
    config = parse_gateway_config(b"version = \n", "krakend.toml")
    assert config.root is None and config.problems[0].location.line == 1


TEMPLATE = """
{
  "version": 3,
  "name": "{{ env "NAME" }}",
  "plugin": {{ marshal .plugin }},
  "endpoints": [
    {{ range $i, $e := .endpoints }}{{ if $i }},{{ end }}
    {"endpoint": "/x", "extra_config": {"plugin/req-resp-modifier": {"name": ["m"]}}}
    {{ end }}
  ]
  {{ include "more.tmpl" }}
}
"""


def test_template_values_become_placeholders_and_the_rest_is_read() -> None:
    config = parse(TEMPLATE, "krakend.tmpl")
    assert config.is_template
    handling = [(a.location.line, a.handling) for a in config.template_actions]
    assert handling == [(3, "in-string"), (4, "placeholder"), (6, "skipped"), (6, "skipped"), (6, "skipped"),
                        (8, "skipped"), (10, "skipped")]
    assert [a.text for a in config.skipped][-1] == '{{ include "more.tmpl" }}'
    name, plugin = config.lookup("/name"), config.lookup("/plugin")
    assert name is not None and name.is_template and plugin is not None and plugin.is_template
    modifier = config.lookup("/endpoints/0/extra_config/plugin~1req-resp-modifier/name/0")
    assert modifier is not None and modifier.value == "m"
    notice = [p for p in config.problems if p.kind == "template"]
    assert len(notice) == 1 and notice[0].location == Location("krakend.tmpl", 3, 12)


def test_a_rendered_file_is_read_as_plain_json() -> None:
    config = parse('{"version": 3, "name": "{{ not a template here }}"}', rendered=True)
    assert not config.is_template and config.rendered and not config.problems
    name = config.lookup("/name")
    assert name is not None and name.value == "{{ not a template here }}"


def test_yaml_template_placeholder() -> None:
    config = parse("version: 3\nplugin: {{ marshal .plugin }}\nname: x\n", "krakend.yaml")
    plugin = config.lookup("/plugin")
    assert config.is_template and plugin is not None and plugin.is_template
    assert not [p for p in config.problems if p.kind != "template"]


def test_walk_yields_every_node_with_its_key_path() -> None:
    config = parse(JSON)
    assert config.root is not None
    paths = [path for path, _ in walk(config.root)]
    assert ("extra_config", "plugin/http-server", "name", "1") in paths
    assert paths[0] == ()


def test_format_comes_from_the_file_name() -> None:
    from linter.inputs.gateway_config import config_format

    assert [config_format(p) for p in ("krakend.json", "krakend.tmpl", "krakend.yaml.tmpl", "k.YML", "k.toml")] == [
        "json", "json", "yaml", "yaml", "toml"]
