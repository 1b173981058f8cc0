"""``parse_gateway_config``: decode, neutralise template actions, hand the text to its format's reader."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from linter.inputs.gateway_config.json_reader import parse_json
from linter.inputs.gateway_config.model import ConfigNode, GatewayConfig, TemplateAction, config_format
from linter.inputs.gateway_config.positions import Lines
from linter.inputs.gateway_config.templates import neutralise_templates
from linter.inputs.text import decode
from linter.model import Location, Problem

# A format's reader: (text, line index, lenient about template actions) -> (root, problems).
Reader = Callable[[str, Lines, bool], tuple[ConfigNode | None, tuple[Problem, ...]]]


def parse_gateway_config(data: bytes, path: str, rendered: bool = False) -> GatewayConfig:
    """Parse a gateway config; the format comes from the file name (JSON by default)."""
    fmt = config_format(path)
    text, problems = decode(data, path)
    if text is None:
        return GatewayConfig(path, fmt, None, problems, rendered=rendered)
    lines = Lines(path, text.text)
    source = text.text
    actions: tuple[TemplateAction, ...] = ()
    if "{{" in source and not rendered:
        source, actions = neutralise_templates(source, fmt, lines)
    # `lenient` (a template was neutralised) matters to JSON only: the other readers take it and ignore it.
    root, found = _reader(fmt)(source, lines, bool(actions))
    if actions and _unreadable(found):
        root, found, fmt = _read_template(source, lines, fmt, root, found)
    if actions:
        found = (Problem(Location(path, actions[0].location.line, actions[0].location.column), _template_note(actions),
                         "template"), *found)
    return GatewayConfig(path, fmt, root, problems + tuple(found), bool(actions), actions, rendered, text.lines)


def _reader(fmt: str) -> Reader:
    """The reader of one format; YAML's and TOML's are imported only for a file in that format."""
    if fmt == "yaml":
        from linter.inputs.gateway_config.yaml_reader import parse_yaml

        return parse_yaml
    if fmt == "toml":
        from linter.inputs.gateway_config.toml_reader import parse_toml

        return parse_toml
    return parse_json


def _unreadable(found: tuple[Problem, ...]) -> bool:
    return any(problem.kind == "unparsable" for problem in found)


def _read_template(source: str, lines: Lines, fmt: str, root: ConfigNode | None, found: tuple[Problem, ...]
                   ) -> tuple[ConfigNode | None, tuple[Problem, ...], str]:
    """A template that its format's reader refused. A `.tmpl` may hold YAML; an action may stand
    where a key or a whole member goes (`{{ include "cors.tmpl" }},`), which only rendering
    resolves. Either way this is not a broken config: say that the rendered file must be linted."""
    if fmt == "json":
        yaml_root, yaml_found = _reader("yaml")(source, lines, True)
        if yaml_root is not None and not _unreadable(yaml_found):
            return yaml_root, yaml_found, "yaml"
    notes = tuple(
        replace(problem, kind="template", message=f"the template cannot be read before it is rendered "
                f"({problem.message}); lint the rendered file with --gateway-config-rendered")
        if problem.kind == "unparsable" else problem
        for problem in found
    )
    return root, notes, fmt


def _template_note(actions: tuple[TemplateAction, ...]) -> str:
    skipped = sum(1 for a in actions if a.handling == "skipped")
    values = len(actions) - skipped
    return (f"file is a Flexible Configuration template: {values} template value(s) were read as unknown "
            f"and {skipped} template action(s) were skipped; lint the rendered file for exact results")
