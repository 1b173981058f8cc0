"""discover -> parse once -> target and reference -> run rules -> suppress/remap -> sorted Report."""

from __future__ import annotations

import gc
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from linter import __version__
from linter.discovery import discover
from linter.inputs.workspace import Workspace
from linter.krakend.deployment import Deployment, split
from linter.krakend.target import Target
from linter.load import Loaded, load_workspace
from linter.model import Fact, Finding, Location, PluginSummary, Report, RuleMeta, Severity
from linter.resolver import Resolver
from linter.rootcause import merge_root_causes
from linter.rules import Rule, all_rules
from linter.rules.base import UNAVAILABLE_KINDS, RuleContext
from linter.settings import Settings
from linter.suppression import all_directives, config_ignored, inline_ignored

INTERNAL_ERROR = RuleMeta(
    "KP999", "internal-error", "the linter failed while checking; other findings are still reported", Severity.ERROR
)


@dataclass(frozen=True)
class DeploymentRun:
    """One deployment as it was checked: its files, its target KrakenD and reference."""

    deployment: Deployment
    context: RuleContext
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class Run:
    """What one `check` produced: the report, plus what the CLI needs to render excerpts."""

    report: Report
    loaded: Loaded
    crashed: bool  # a rule raised: exit code 3, but every other finding is still reported
    deployments: tuple[DeploymentRun, ...]

    @property
    def context(self) -> RuleContext:
        """The main deployment's (see ``main_deployment``)."""
        return main_deployment(self.deployments).context


def main_deployment(checked: Iterable[DeploymentRun]) -> DeploymentRun:
    """The first deployment that has plugins (the only one in a single-plugin repository), else
    the first one: its KrakenD facts head the report."""
    runs = tuple(checked)
    return next((d for d in runs if d.deployment.plugins), runs[0])


def run(settings: Settings, cwd: Path, resolver: Resolver | None = None) -> Run:
    """Check the paths of ``settings``; references come from ``resolver`` (one built from the
    settings, and closed at the end, when none is given)."""
    found = discover(settings.paths, cwd, settings.exclude)
    loaded = load_workspace(
        found, cwd,
        plugin_sos=settings.plugin_sos,
        krakend_binary=settings.krakend_binary,
        extra_configs=settings.gateway_configs,
        rendered_configs=settings.rendered_configs,
    )
    # The parsed tree lives as long as the run: collections need not rescan it each time rules
    # allocate (on a 50,000-line go.mod that rescanning made 10x input cost 13x the time).
    gc.freeze()
    try:
        if resolver is not None:
            return _check(loaded, settings, resolver)
        with Resolver(settings, cwd) as own:
            return _check(loaded, settings, own)
    finally:
        gc.unfreeze()


def _check(loaded: Loaded, settings: Settings, resolver: Resolver) -> Run:
    rules = selected_rules(settings)
    findings: list[Finding] = []
    crashed = False
    checked = []
    for deployment in split(loaded.workspace):
        ws = deployment.workspace
        facts_here = resolver.deployment(ws)
        target, reference, notices = facts_here.target, facts_here.reference, facts_here.notices
        ctx = RuleContext(
            target=target,
            reference=reference,
            mode=settings.mode,
            provided_names=settings.provided_names,
            reference_notes=tuple(n.message for n in notices if n.kind in UNAVAILABLE_KINDS),
            notices=notices,
            fitting_releases=MappingProxyType(fitting(ws) if not target.version and reference is None else {}),
        )
        found_here, failed = run_rules(ws, ctx, rules if builds_plugins(ws) else tuple(
            rule for rule in rules if rule.meta.family in PLUGINLESS_FAMILIES))
        findings.extend(as_policy_says(found_here, target))
        crashed = crashed or failed
        checked.append(DeploymentRun(deployment, ctx, merge_facts(target_facts(target), facts_here.facts)))
    findings = apply_settings(merge_root_causes(_dedupe(findings)), settings, loaded)
    report = Report(
        findings=tuple(sorted(findings, key=Finding.sort_key)),
        plugins=tuple(summary for d in checked for summary in plugin_summaries(d)),
        krakend=main_deployment(checked).facts,
        tool_version=__version__,
    )
    return Run(report, loaded, crashed, tuple(checked))


def fitting(ws: Workspace) -> dict[str, tuple[str, ...]]:
    """For a deployment that pins no KrakenD: which embedded releases each plugin's modules fit."""
    from linter.krakend import embedded
    from linter.krakend.linking import linked_by_krakend
    from linter.krakend.matrix import PluginBuild, fitting_releases

    references = [(version, ref) for version in embedded.covered() if (ref := embedded.reference(version))]
    found = {}
    for plugin in ws.plugins:
        if plugin.gomod is None:
            continue
        build = PluginBuild.from_gomod(plugin.gomod, plugin.gosum)
        shared = {module: version for module, version in build.modules.items() if linked_by_krakend(plugin, module)}
        found[plugin.dir] = fitting_releases(replace(build, modules=shared), references)
    return found


def builds_plugins(ws: Workspace) -> bool:
    """Plugin source, a plugin build (of source kept elsewhere) or a built plugin."""
    from linter.analysis.build import plugin_builds

    return bool(ws.plugins or ws.built_plugins or next(plugin_builds(ws), None))


# A deployment that builds no plugin (a config-only gateway, a KrakenD host, a library) is checked
# for its configs only: builds, Go versions and modules concern plugins.
PLUGINLESS_FAMILIES = frozenset({"KP5xx", "KP8xx", "KP9xx"})
# Findings that compare the plugin with one exact release. When that release was only assumed
# (a floating tag or an unpinned clone means the newest one), the plugin may load into what is
# really deployed: such errors are warnings.
RELEASE_BOUND_FAMILIES = frozenset({"KP1xx", "KP2xx"})
RELEASE_BOUND_RULES = frozenset({"KP605"})


def as_policy_says(findings: Iterable[Finding], target: Target) -> list[Finding]:
    """The severity policy (README): an error only where the deployment found will not load."""
    if not target.floating:
        return list(findings)
    return [replace(f, severity=Severity.WARNING) if f.severity == Severity.ERROR and _release_bound(f) else f
            for f in findings]


def _release_bound(finding: Finding) -> bool:
    return finding.rule[:3] + "xx" in RELEASE_BOUND_FAMILIES or finding.rule in RELEASE_BOUND_RULES


def selected_rules(settings: Settings) -> tuple[Rule, ...]:
    chosen = []
    for rule in all_rules():
        if settings.rule(rule.meta.id).disable:
            continue
        if settings.select and not any(_selects(pattern, rule.meta) for pattern in settings.select):
            continue
        chosen.append(rule)
    return tuple(chosen)


def _selects(pattern: str, meta: RuleMeta) -> bool:
    pattern = pattern.upper()
    return meta.id == pattern or (pattern.endswith("XX") and meta.id.startswith(pattern[:-2]))


def run_rules(ws: Workspace, ctx: RuleContext, rules: Iterable[Rule]) -> tuple[list[Finding], bool]:
    findings: list[Finding] = []
    crashed = False
    for rule in rules:
        try:
            findings.extend(rule.check(ws, ctx))
        except Exception as err:
            crashed = True
            where = traceback.extract_tb(err.__traceback__)[-1]
            findings.append(INTERNAL_ERROR.finding(
                Location(""),
                f"rule {rule.meta.id} {rule.meta.name} failed: {type(err).__name__}: {err}",
                hint=f"please report this bug (at {Path(where.filename).name}:{where.lineno})",
            ))
    return _dedupe(findings), crashed


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    seen: dict[tuple[str, int, int, str, str], Finding] = {}
    for finding in findings:
        key = (*finding.position_key(), finding.message)
        seen.setdefault(key, finding)
    return list(seen.values())


def apply_settings(findings: Iterable[Finding], settings: Settings, loaded: Loaded) -> list[Finding]:
    """Severity remaps, config ignores and inline directives, in one place (rules never see them)."""
    findings = list(findings)
    paths = {finding.location.path for finding in findings}
    directives = all_directives(loaded.texts, loaded.comments, paths)
    ignores = {rule_id: rs.ignore for rule_id, rs in settings.rules.items() if rs.ignore}
    result = []
    for finding in findings:
        rule_settings = settings.rule(finding.rule)
        if rule_settings.severity is not None:
            finding = replace(finding, severity=rule_settings.severity)
        loc = finding.location
        if inline_ignored(finding.rule, loc.line, directives.get(loc.path, {})):
            finding = replace(finding, suppressed_by="inline")
        elif config_ignored(finding.rule, loc.path, loc.line, ignores):
            finding = replace(finding, suppressed_by="config")
        result.append(finding)
    return result


def plugin_summaries(checked: DeploymentRun) -> tuple[PluginSummary, ...]:
    """Each plugin with the deployment it was checked in: its files and the target's facts."""
    from linter.krakend.contracts.source import plugin_types

    deployment = checked.deployment
    return tuple(
        PluginSummary(p.dir, p.module, plugin_types(p.sources), deployment.files, checked.facts)
        for p in deployment.plugins
    )


def target_facts(target: Target) -> tuple[Fact, ...]:
    if not target.version:
        facts = [Fact("version", "", target.source or "not detected")]
        if target.go_override:
            facts.append(Fact("go_version", target.go_override, "the KrakenD binary or --krakend-go-version"))
        return tuple(facts)
    facts = [Fact("version", target.version, target.source)]
    if target.go_override:
        facts.append(Fact("go_version", target.go_override, "the KrakenD binary or --krakend-go-version"))
    elif target.release is not None:
        facts.append(Fact("go_version", target.release.go_version, "release table"))
    if target.flavour:
        facts.append(Fact("flavour", target.flavour, target.source))
    return tuple(facts)


def merge_facts(first: tuple[Fact, ...], second: tuple[Fact, ...]) -> tuple[Fact, ...]:
    """The target's facts, then the reference's; a name already given is not repeated."""
    names = {fact.name for fact in first}
    aliases = {"krakend_version": "version"}
    return first + tuple(f for f in second if aliases.get(f.name, f.name) not in names and f.name not in names)
