"""Output formats that render a Report to text (stdout or a file); the names are a contract.

``FORMATS[name](report, ctx)`` returns the whole output. Each format's module is imported when it
is first looked up, so a run pays only for the formats it writes. The GitHub channels live in
``linter.github.channels`` and render through these modules; they are wired by the CLI, not this table.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from linter.formats.base import RenderContext, Renderer

_MODULES = {"terminal": "terminal", "json": "json_report", "sarif": "sarif", "rdjson": "rdjson"}


class _Formats(Mapping[str, Renderer]):
    def __getitem__(self, name: str) -> Renderer:
        render: Renderer = importlib.import_module(f"{__name__}.{_MODULES[name]}").render
        return render

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


FORMATS: Mapping[str, Renderer] = _Formats()

__all__ = ["FORMATS", "RenderContext", "Renderer"]
