"""`rules` and `explain`: what the rules say about themselves (from the precomputed index, so
neither imports a rule)."""

from __future__ import annotations

import argparse
import sys

from linter.commands.exits import EXIT_OK, EXIT_USAGE
from linter.rule_index import find_rule, indexed_rules
from linter.settings import did_you_mean


def explain(args: argparse.Namespace) -> int:
    rule = find_rule(args.rule)
    if rule is None:
        keys = [key for known in indexed_rules() for key in (known.meta.id, known.meta.name)]
        print(f"krakend-plugin-lint: error: no rule {args.rule!r}{did_you_mean(args.rule, keys)}; "
              "`krakend-plugin-lint rules` lists them", file=sys.stderr)
        return EXIT_USAGE
    print(f"{rule.meta.id} {rule.meta.name} ({rule.meta.default_severity.label})\n")
    print(rule.doc.strip())
    return EXIT_OK


def list_rules(args: argparse.Namespace) -> int:
    for rule in indexed_rules():
        meta = rule.meta
        print(f"{meta.id}  {meta.name:<32} {meta.default_severity.label:<8} {meta.summary}")
    return EXIT_OK
