"""Output formats that render a Report to text (stdout or a file); the names are a contract.

``FORMATS[name](report, ctx)`` returns the whole output. The GitHub channels live in
``linter.github.channels`` and render through these modules; they are wired by the CLI, not this table.
"""

from __future__ import annotations

from linter.formats import json_report, rdjson, sarif, terminal
from linter.formats.base import RenderContext, Renderer

FORMATS: dict[str, Renderer] = {
    "terminal": terminal.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "rdjson": rdjson.render,
}

__all__ = ["FORMATS", "RenderContext", "Renderer"]
