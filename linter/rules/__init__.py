"""The rule registry: every module in this package that declares a ``RULE`` is a rule.

Built by walking the package once, so there is no second list to keep in step (yamllint's
import list plus dict is what we avoid).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

from linter.model import Finding, RuleDoc, RuleMeta

if TYPE_CHECKING:
    from linter.inputs.workspace import Workspace
    from linter.rules.base import RuleContext

CheckFunction = Callable[["Workspace", "RuleContext"], Iterator[Finding]]
_NOT_RULES = {"base"}


@dataclass(frozen=True)
class Rule:
    meta: RuleMeta
    doc: str
    check: CheckFunction
    module: str  # the module's short name, e.g. "shared_module_version"

    @property
    def info(self) -> RuleDoc:
        return RuleDoc(self.meta, self.doc)


def _load(module: ModuleType) -> Rule | None:
    meta = getattr(module, "RULE", None)
    if not isinstance(meta, RuleMeta):
        return None
    return Rule(meta, module.__doc__ or "", module.check, module.__name__.rsplit(".", 1)[-1])


@cache
def all_rules() -> tuple[Rule, ...]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name in _NOT_RULES or info.name.startswith("_"):
            continue
        rule = _load(importlib.import_module(f"{__name__}.{info.name}"))
        if rule is not None:
            found.append(rule)
    return tuple(sorted(found, key=lambda r: r.meta.id))


def by_id(rule_id: str) -> Rule | None:
    wanted = rule_id.strip().upper()
    for rule in all_rules():
        if rule.meta.id == wanted or rule.meta.name == rule_id.strip().lower():
            return rule
    return None


def rule_docs() -> tuple[RuleDoc, ...]:
    return tuple(rule.info for rule in all_rules())
