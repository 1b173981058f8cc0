"""Write ``linter/rule_index_data.py`` from the rule modules (run after adding or changing a rule)."""

from __future__ import annotations

from pathlib import Path

from linter.rule_index import index_source
from linter.rules import rule_docs

TARGET = Path(__file__).resolve().parent.parent / "linter" / "rule_index_data.py"


def main() -> None:
    TARGET.write_text(index_source(rule_docs()), encoding="utf-8")
    print(f"wrote {TARGET} ({len(rule_docs())} rules)")


if __name__ == "__main__":
    main()
