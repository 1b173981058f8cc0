"""Output formats that render a Report to text (stdout or a file); the names are a contract.

``FORMATS[name](report, ctx)`` returns the whole output. GitHub channels live beside these in
``gh_*.py`` modules and are wired by the CLI, not through this table.
"""

from __future__ import annotations

from linter.reporters import json_report, rdjson, sarif, terminal
from linter.reporters.base import RenderContext, Renderer

FORMATS: dict[str, Renderer] = {
    "terminal": terminal.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "rdjson": rdjson.render,
}

__all__ = ["FORMATS", "RenderContext", "Renderer"]
