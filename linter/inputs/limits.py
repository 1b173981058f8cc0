"""What every YAML parser of ours does before PyYAML sees the text, so hostile files stay harmless.

PyYAML follows YAML 1.1, which also breaks lines at NEL (U+0085), LINE SEPARATOR (U+2028) and
PARAGRAPH SEPARATOR (U+2029). Our line numbers (``linter.inputs.text``), GitHub's and YAML 1.2's
break only at LF, so one such character in a comment moved every later finding down a line, past
the end of the file. They are swapped for private-use characters of the same length: offsets,
lines and columns stay exact, and no real value a rule reads contains them.

PyYAML's composer recurses once per nesting level; ``RecursionError`` from ``yaml.compose`` is
caught by each parser and reported as nesting too deep (``YAML_TOO_DEEP``).

``compose_yaml`` composes with libyaml (``CSafeLoader``) when PyYAML was built with it: ten to
forty times faster on large files, with the same nodes, tags and marks (line, column). Its plain
scalars have style ``""`` where the pure-Python composer says ``None``: readers test ``not
node.style``. On any YAML error the text is composed again by the pure-Python loader, so an error
is reported with exactly the message and position it always had; without libyaml that loader is
the only one.

Every parser pauses the cycle collector while it builds its tree (``linter.inputs.gcpause``).
"""

from __future__ import annotations

import yaml

_FAST_LOADER: type[yaml.SafeLoader] | None = getattr(yaml, "CSafeLoader", None)

_YAML_11_BREAKS = str.maketrans({"\x85": "\ue085", "\u2028": "\ue028", "\u2029": "\ue029"})

YAML_TOO_DEEP = "invalid YAML: nesting is too deep"


def yaml_text(text: str) -> str:
    """``text`` with the YAML 1.1-only line breaks made ordinary characters."""
    if "\x85" not in text and "\u2028" not in text and "\u2029" not in text:
        return text  # the usual case, without copying a large file
    return text.translate(_YAML_11_BREAKS)


def compose_yaml(text: str, fast: bool = True) -> yaml.Node | None:
    """The node tree of the first document of ``text`` (prepared by ``yaml_text`` here). Raises
    what ``yaml.compose`` with the pure-Python ``SafeLoader`` raises, for the same texts."""
    text = yaml_text(text)
    if fast and _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass  # the pure-Python loader says where and why, as it always did
    return yaml.compose(text, Loader=yaml.SafeLoader)
