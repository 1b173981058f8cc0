"""One finding per root cause: findings that several rules report for the same mistake are folded
into one, the others kept as its related locations.

- A built plugin's Go release differing from KrakenD's is seen by KP802 (both binaries), KP205 (the
  plugin against the release table) and KP801 (the standard library's package hashes differ). It
  is one error on the plugin file: KP802 when there, else KP205, else KP801.
- A misspelt registerer symbol (KP406) also leaves the package with no registerer (KP402), and so
  every name the config asks for unregistered (KP508). It is one error: KP406, which carries the fix.

The engine calls ``merge_root_causes`` once, after its duplicate removal; rules stay independent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from linter.model import Finding, Location

GO_MISMATCH = ("KP802", "KP205", "KP801")  # the first one present stays
SYMBOL_TYPO, NO_REGISTERER, NAME_NOT_REGISTERED = "KP406", "KP402", "KP508"


def merge_root_causes(findings: Iterable[Finding]) -> list[Finding]:
    found = list(findings)
    found = _merge_go_mismatch(found)
    return _merge_symbol_typo(found)


def _merge_go_mismatch(findings: list[Finding]) -> list[Finding]:
    """Per built plugin file: its whole-file Go findings become one."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.rule in GO_MISMATCH and not finding.location.line:
            groups.setdefault(finding.location.path, []).append(finding)
    merged: dict[int, Finding] = {}
    dropped: set[int] = set()
    for group in groups.values():
        rules = {f.rule for f in group}
        if len(rules) < 2 or not rules & {"KP802", "KP205"}:
            continue  # KP801 alone (module hashes) is its own cause
        group.sort(key=lambda f: GO_MISMATCH.index(f.rule))
        keep, others = group[0], group[1:]
        merged[id(keep)] = _absorb(keep, others)
        dropped.update(id(f) for f in others)
    return [merged.get(id(f), f) for f in findings if id(f) not in dropped]


def _merge_symbol_typo(findings: list[Finding]) -> list[Finding]:
    typos = [f for f in findings if f.rule == SYMBOL_TYPO]
    if not typos:
        return findings
    merged: dict[int, Finding] = {}
    dropped: set[int] = set()
    for typo in typos:
        empty = [f for f in findings if f.rule == NO_REGISTERER and f.plugin == typo.plugin
                 and id(f) not in dropped]
        absorbed = list(empty)
        # With one plugin that registers nothing because of the typo, every unregistered name in
        # the config follows from it; with several, a name may belong to another plugin.
        if empty and len(typos) == 1:
            absorbed += [f for f in findings if f.rule == NAME_NOT_REGISTERED]
        if absorbed:
            merged[id(typo)] = _absorb(typo, absorbed)
            dropped.update(id(f) for f in absorbed)
    return [merged.get(id(f), f) for f in findings if id(f) not in dropped]


def _absorb(keep: Finding, others: Sequence[Finding]) -> Finding:
    """``keep`` with the others' locations (and theirs) as related locations, at the highest severity."""
    related: list[Location] = list(keep.related)
    for other in others:
        for location in (other.location, *other.related):
            if location != keep.location and location not in related:
                related.append(location)
    severity = max((keep.severity, *(f.severity for f in others)))
    seen_by = ", ".join(dict.fromkeys(f"{f.rule} {f.name}" for f in others))
    return replace(keep, related=tuple(related), severity=severity,
                   message=f"{keep.message} (the same cause as {seen_by}, folded into this finding)")
