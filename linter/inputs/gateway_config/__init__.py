"""KrakenD gateway configurations (JSON, YAML, TOML) as one position-keeping node tree.

``parse_gateway_config(data, path)`` returns a ``GatewayConfig`` whose ``root`` is a
``ConfigNode`` tree: every value and every object key carries its ``Location``. JSON is read by a
small iterative parser of our own (no recursion, so 100,000 levels of nesting are fine) that
also reports duplicate keys (Go's encoding/json, which KrakenD uses, silently keeps the last).
YAML goes through PyYAML's composer (marks give positions; aliases are expanded within a budget
so an alias bomb is refused), TOML through ``tomllib`` with key positions found by scanning the
lines (best effort: a nested value without its own line gets its parent's position).

Flexible Configuration templates (Go ``text/template`` actions ``{{ ... }}``): a file with
actions is marked ``is_template``. An action that stands for a whole value becomes a
``template`` node (a placeholder, value unknown); an action elsewhere (``range``, ``if``,
``end``, an ``include`` between members) is skipped and listed in ``template_actions``, and
the JSON reader tolerates the stray or missing commas that skipping leaves. Linting the
rendered file (``rendered=True``) is exact.
"""

from __future__ import annotations

from linter.inputs.gateway_config.model import ConfigNode, GatewayConfig, TemplateAction, config_format, walk
from linter.inputs.gateway_config.parse import parse_gateway_config
from linter.inputs.gateway_config.templates import IN_STRING, PLACEHOLDER

__all__ = ["IN_STRING", "PLACEHOLDER", "ConfigNode", "GatewayConfig", "TemplateAction", "config_format",
           "parse_gateway_config", "walk"]
