"""What every YAML parser of ours does before PyYAML sees the text, so hostile files stay harmless.

PyYAML follows YAML 1.1, which also breaks lines at NEL (U+0085), LINE SEPARATOR (U+2028) and
PARAGRAPH SEPARATOR (U+2029). Our line numbers (``linter.inputs.text``), GitHub's and YAML 1.2's
break only at LF, so one such character in a comment moved every later finding down a line, past
the end of the file. They are swapped for private-use characters of the same length: offsets,
lines and columns stay exact, and no real value a rule reads contains them.

PyYAML's composer recurses once per nesting level; ``RecursionError`` from ``yaml.compose`` is
caught by each parser and reported as nesting too deep (``YAML_TOO_DEEP``).
"""

from __future__ import annotations

_YAML_11_BREAKS = str.maketrans({"\x85": "\ue085", "\u2028": "\ue028", "\u2029": "\ue029"})

YAML_TOO_DEEP = "invalid YAML: nesting is too deep"


def yaml_text(text: str) -> str:
    """``text`` with the YAML 1.1-only line breaks made ordinary characters."""
    if "\x85" not in text and "\u2028" not in text and "\u2029" not in text:
        return text  # the usual case, without copying a large file
    return text.translate(_YAML_11_BREAKS)
