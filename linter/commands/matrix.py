"""`matrix` and `check --target-version`: wiring between the workspace, the cache and the matrix.

For each plugin root: which KrakenD releases it would load into (Go version and shared modules),
and the exact edits that move it to one release.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from linter.analysis.build import builder_images
from linter.commands.exits import EXIT_FINDINGS, EXIT_OK, UsageError
from linter.commands.options import settings_from_args
from linter.discovery import discover
from linter.formats.matrix import matrix_to_json, render_markdown, render_terminal
from linter.formats.upgrade import render_upgrade
from linter.inputs.text import Text
from linter.inputs.workspace import PluginRoot, Workspace
from linter.krakend import releases
from linter.krakend.matrix import Matrix, PluginBuild, compute_matrix, parse_range
from linter.krakend.reference import Reference
from linter.krakend.upgrade import DeploymentFile, UpgradePlan, plan_upgrade
from linter.load import load_workspace
from linter.resolver import Resolver
from linter.settings import Settings


def matrix(args: argparse.Namespace) -> int:
    """For each KrakenD release: would this plugin load (Go version and shared modules)."""
    return run_matrix(args, settings_from_args(args))


def run_matrix(args: argparse.Namespace, settings: Settings) -> int:
    loaded = load_workspace(discover(settings.paths, Path.cwd(), settings.exclude), Path.cwd())
    ws = loaded.workspace
    if not ws.plugins:
        print("krakend-plugin-lint: no plugin root (a go.mod with package main code) under the paths",
              file=sys.stderr)
        return EXIT_FINDINGS
    try:
        versions = parse_range(args.versions) if args.versions else v2_releases()
    except ValueError as err:
        raise UsageError(f"--versions: {err}") from None
    with Resolver(settings, Path.cwd()) as resolver:
        edition = resolver.target(ws).edition
        if edition == "ee":
            print(f"krakend-plugin-lint: {ENTERPRISE_MATRIX}", file=sys.stderr)
            return EXIT_FINDINGS
        reference_for = resolver.lookup(edition=edition, announce=_announce if sys.stderr.isatty() else None)
        build_for = plugin_build_factory(ws)
        matrices = [(plugin, compute_matrix(build_for(plugin), versions, reference_for))
                    for plugin in _with_gomod(ws)]
        print(render_matrices(matrices, args.format))
        if args.upgrade_to:
            for plan in upgrade_plans(ws, args.upgrade_to, reference_for, loaded.texts):
                print(render_upgrade(plan))
    return EXIT_OK if all(m.ranges() for _, m in matrices) else EXIT_FINDINGS


def _announce(version: str) -> None:
    """Progress of the references looked up, on a terminal."""
    print(f"\rreference {version} ...", end="", file=sys.stderr, flush=True)


def v2_releases() -> tuple[releases.Release, ...]:
    return tuple(r for r in releases.all_releases() if releases.version_key(r.version) >= (2,))


def _with_gomod(ws: Workspace) -> Iterator[PluginRoot]:
    return (plugin for plugin in ws.plugins if plugin.gomod is not None)


def render_matrices(matrices: list[tuple[PluginRoot, Matrix]], form: str) -> str:
    if form == "json":
        return json.dumps({"plugins": [{"root": p.dir, "module": p.module, **matrix_to_json(m)}
                                       for p, m in matrices]}, indent=2)
    render = render_markdown if form == "markdown" else render_terminal
    heading = "## {}" if form == "markdown" else "{}"
    return "\n\n".join(f"{heading.format(p.dir + ' (' + p.module + ')')}\n{render(m)}" for p, m in matrices)


ENTERPRISE_MATRIX = (
    "this plugin targets KrakenD Enterprise Edition, whose Go releases and module versions per release "
    "are not public; the matrix only knows the Community Edition's, so it compares nothing. Check against "
    "your EE image with `check --krakend-binary <krakend from the image>` or `--krakend-go-sum`"
)


def plugin_build_factory(ws: Workspace) -> Callable[[PluginRoot], PluginBuild]:
    """The plugin's Go comes from its builder: pinned by a golang tag, or following krakend/builder."""
    pinned, follows, source = "", False, ""
    for image in builder_images(ws):
        if image.info.role == "krakend-builder":
            follows, source = True, f"{image.path}:{image.location.line}"
        elif image.info.go_version and not pinned:
            pinned, source = image.info.go_version, f"{image.path}:{image.location.line}"

    def build(plugin: PluginRoot) -> PluginBuild:
        assert plugin.gomod is not None
        return PluginBuild.from_gomod(plugin.gomod, plugin.gosum, go_version=pinned, go_source=source,
                                      follows_builder=follows and not pinned)

    return build


def upgrade_plans(ws: Workspace, version: str, reference_for: Callable[[releases.Release], Reference | None],
                  texts: Mapping[str, Text] | None = None) -> Iterator[UpgradePlan]:
    """One plan per plugin root; ``version`` may be ``latest`` or ``2.13``. The deployment's other
    files (``texts`` by display path) get their image tags, variables and schema moved too; the
    first plan carries them so that no edit is listed twice."""
    release = target_release(version)
    reference = reference_for(release)
    if reference is None:
        raise UsageError(f"no reference for KrakenD {release.version}: run `krakend-plugin-lint reference pull "
                         f"{release.version}` where GitHub is reachable, or drop --offline")
    images = [(image.path, image.location.line, image.info.ref.raw) for image in builder_images(ws)]
    files = deployment_files(ws, texts or {})
    for plugin in _with_gomod(ws):
        assert plugin.gomod is not None
        yield plan_upgrade(plugin.gomod, reference, release, images, files=files)
        files = ()


def target_release(version: str) -> releases.Release:
    """The release ``--target-version``/``--upgrade-to`` names: exact, ``2.13`` or ``latest``."""
    try:
        found = releases.release(releases.check_requested(version))
    except releases.UnknownReleaseError as err:
        raise UsageError(str(err)) from None
    if found is None:
        raise UsageError(f"{version!r} is not a KrakenD release this linter knows (newest "
                         f"{releases.latest().version})")
    return found


def deployment_files(ws: Workspace, texts: Mapping[str, Text]) -> tuple[DeploymentFile, ...]:
    """Every file of the workspace whose version numbers an upgrade moves, with its lines."""
    kinds: dict[str, str] = {}
    kinds.update((d.path, "dockerfile") for d in ws.dockerfiles)
    kinds.update((c.path, "compose") for c in ws.compose_files)
    kinds.update((w.path, "workflow") for w in ws.workflows)
    kinds.update((b.path, b.kind) for b in ws.build_scripts)
    kinds.update((g.path, g.kind) for g in ws.go_version_files)
    kinds.update((c.path, "config") for c in ws.gateway_configs)
    return tuple(DeploymentFile(path, kind, texts[path].lines) for path, kind in sorted(kinds.items())
                 if path in texts)
