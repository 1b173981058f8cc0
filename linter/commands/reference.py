"""`reference pull` and `reference show`: fill the reference cache, or say which reference a
check would use and where each fact came from."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from linter.commands.exits import EXIT_FINDINGS, EXIT_OK, UsageError
from linter.commands.options import settings_from_args
from linter.github.token import github_token
from linter.settings import Settings


def reference(args: argparse.Namespace) -> int:
    import json

    from linter.formats.reference import render_pull, render_reference
    from linter.resolver import Resolver

    if args.reference_command == "pull":
        token = github_token(args.github_token, os.environ)
        with Resolver(Settings(cache_dir=args.cache_dir, github_token=token), Path.cwd()) as resolver:
            pulled = resolver.pull(args.versions)
        print(render_pull(pulled))
        return EXIT_OK if pulled.ok else EXIT_FINDINGS
    version, version_source = _show_version(args)
    settings = settings_from_args(args)
    if not version and settings.krakend_version_source:
        version_source = settings.krakend_version_source
    with Resolver(settings, Path.cwd()) as resolver:
        shown = resolver.show(version or settings.krakend_version, version_source)
    print(json.dumps(shown.as_dict(), indent=2) if args.format == "json" else render_reference(shown))
    return EXIT_OK if shown.resolved.reference is not None else EXIT_FINDINGS


def _show_version(args: argparse.Namespace) -> tuple[str, str]:
    """`reference show [X.Y.Z]`: the release asked for (positional or --krakend-version), resolved
    when it floats (`latest` -> the newest release), and how the output labels it."""
    from linter.krakend.releases import UnknownReleaseError, check_requested, normalize

    if args.version and args.krakend_version and normalize(args.version) != normalize(args.krakend_version):
        raise UsageError(f"reference show: {args.version} and --krakend-version {args.krakend_version} disagree")
    written = args.version or args.krakend_version or ""
    args.krakend_version = written or None
    if not written:
        return "", "--krakend-version"
    try:
        version = check_requested(written)
    except UnknownReleaseError as err:
        raise UsageError(f"reference show: {err}") from None
    if normalize(written) == version:
        return version, "--krakend-version"
    return version, f"--krakend-version {written} (the newest release it means)"
