"""What every rule receives besides the workspace: the target KrakenD and the run's options.

``ctx.target`` is the one object that describes the KrakenD a deployment's plugins load into, its
reference's facts folded in; messages name it with ``ctx.target.label`` (or a variant of it)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from linter.inputs.workspace import Workspace
from linter.krakend.reference import Reference
from linter.krakend.sources import Notice
from linter.krakend.target import Target
from linter.model import Problem

# Notice kinds that mean "no reference at all" (KP106 says it once); the rest are KP904.
UNAVAILABLE_KINDS = frozenset({"unavailable", "no-version", "bad-version", "offline"})


@dataclass(frozen=True)
class RuleContext:
    target: Target = field(default_factory=Target)
    reference: Reference | None = None
    mode: str = "precise"  # "precise" or "check-plugin" (reproduce `krakend check-plugin` exactly)
    provided_names: frozenset[str] = frozenset()  # plugin names registered outside this repo
    reference_notes: tuple[str, ...] = ()  # why no reference could be had (for KP106)
    notices: tuple[Notice, ...] = ()  # what happened while resolving the reference (KP904)
    # With no target release: per plugin folder, the embedded releases its shared modules agree with
    fitting_releases: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        object.__setattr__(self, "target", self.target.with_reference(self.reference))


def problems_of_kind(ws: Workspace, kind: str) -> Iterator[Problem]:
    """The parse problems the loader collected that one KP9xx rule reports."""
    return (problem for problem in ws.problems if problem.kind == kind)
