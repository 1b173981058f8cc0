"""Regenerate ``linter/krakend/data/releases.json`` from the maintainers' release table, a CSV of
every KrakenD CE release with its Go, libc and builder facts (``--csv``; by default
``$KPL_SHARED_DIR/krakend/releases.csv``).

Maintainers only: ``python -m scripts.refresh_releases [--csv PATH] [--output PATH] [--check]``.
It does not ship in the package, and the linter never runs it.

Most facts follow from a few era rules (which module path, which builder image, which Debian
suffix), written once below; each derived value is then checked against the CSV's own text so a
rule that stops matching the research fails the refresh instead of shipping a wrong table.
The krakend-cobra version (check-plugin behaviour) and CE's `go`/`toolchain` lines come from the
tag's go.mod saved beside the CSV (``v<tag>/go.mod``) when it is there.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linter.inputs.gomod import compare_semver, parse_gomod
from linter.krakend.releases import BuilderImage, CheckPlugin, Release, release_to_dict, version_key

DATA_PATH = Path(__file__).resolve().parent.parent / "linter" / "krakend" / "data" / "releases.json"
GENERATOR = "python -m scripts.refresh_releases"


class RefreshError(Exception):
    """The CSV disagrees with a rule; the message names the row and the fact."""


def default_csv() -> Path:
    """``$KPL_SHARED_DIR/krakend/releases.csv``, else ``shared/`` beside the repository."""
    shared = os.environ.get("KPL_SHARED_DIR")
    base = Path(shared) if shared else Path(__file__).resolve().parents[2] / "shared"
    return base / "krakend" / "releases.csv"


@dataclass(frozen=True)
class _GoModFacts:
    module: str
    go: str
    toolchain: str
    cobra_path: str
    cobra_version: str
    lura_version: str


# --- era rules ---------------------------------------------------------------------------------


def _at_least(version: str, floor: str) -> bool:
    return version_key(version) >= version_key(floor)


def ce_module(version: str) -> str:
    if not _at_least(version, "2.0.0"):
        return "github.com/devopsfaith/krakend-ce"
    return f"{component_owner(version)}/krakend-ce/v2"


def component_owner(version: str) -> str:
    if _at_least(version, "2.11.0"):
        return "github.com/krakend"
    if _at_least(version, "2.0.5"):
        return "github.com/krakendio"
    return "github.com/devopsfaith"


def lura_module(version: str) -> str:
    if _at_least(version, "2.0.0"):
        return "github.com/luraproject/lura/v2"
    if _at_least(version, "1.4.0"):
        return "github.com/luraproject/lura"
    return "github.com/devopsfaith/krakend"  # the framework before its rename to lura


def glibc_suffix(version: str) -> str:
    """Debian suffix of the golang image the glibc binaries and -linux-generic builder use."""
    if _at_least(version, "2.11.1"):
        return "-bookworm"  # golang stopped publishing bullseye images (CE commit d967759)
    if _at_least(version, "2.4.3"):
        return "-bullseye"
    return ""


# 1.0.0's Docker binary came from builder/alpine/Dockerfile, which pinned a patch release the
# Makefile's GOLANG_VERSION (1.13) did not.
_DOCKER_BUILD_EXCEPTIONS = {"1.0.0": "golang:1.13.1-alpine3.10"}


def docker_build_image(version: str, go: str, runtime_image: str) -> str:
    if version in _DOCKER_BUILD_EXCEPTIONS:
        return _DOCKER_BUILD_EXCEPTIONS[version]
    if runtime_image.startswith("alpine:"):
        return f"golang:{go}-alpine{runtime_image.removeprefix('alpine:')}"
    return f"golang:{go}"  # 1.1-1.4: plain golang image, binary copied into debian:buster-slim


def builders(version: str, go: str, alpine: str) -> tuple[BuilderImage, ...]:
    musl_base = f"golang:{go}-alpine{alpine}"
    if _at_least(version, "2.1.3"):
        glibc_base = f"golang:{go}{glibc_suffix(version)}"
        return (
            BuilderImage(f"krakend/builder:{version}", musl_base, go, "musl", "alpine", alpine, "alpine"),
            BuilderImage(f"krakend/builder:{version}-linux-generic", glibc_base, go, "glibc", "debian",
                         glibc_suffix(version).removeprefix("-"), "linux-generic"),
        )
    if version in ("2.1.1", "2.1.2"):
        # The Makefile built this (now deprecated) image before release.yml published krakend/builder.
        return (BuilderImage(f"devopsfaith/krakend-plugin-builder:{version}", musl_base, go, "musl", "alpine",
                             alpine, "alpine"),)
    return ()


def check_plugin(version: str, cobra: str) -> CheckPlugin:
    if not cobra:
        return CheckPlugin(available=False)

    def since(floor: str) -> bool:
        return compare_semver(cobra, floor) >= 0

    if since("v2.4.1"):
        style, code = "trailer", 1
    elif since("v2.4.0"):
        style, code = "cobra-error", 255  # RunE error: cobra prints it, KrakenD exits with -1
    else:
        style, code = "header", 1
    return CheckPlugin(
        available=True,
        cobra_version=cobra,
        output_style=style,
        failure_exit_code=code,
        fix_flag=since("v2.0.4"),
        semver_max=since("v2.0.4"),
        skips_short_lines=since("v2.0.6"),
        drops_last_module_diff=not since("v2.0.1"),
        indirect_fix_uses_replace=since("v2.4.0"),
        libc_format=_libc_format(version),
    )


def _libc_format(version: str) -> str:
    if _at_least(version, "2.1.2"):
        return "<LIBC>-<ver>_(<ID>-<VERSION_ID>)"
    if version == "2.1.1":
        return "uncertain: script needed bash, absent in the Alpine build stage"
    return "<LIBC>-<ver>"


# --- CSV text ---------------------------------------------------------------------------------


def _find(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    return match.group(1) if match else ""


def _require_mention(row: Mapping[str, str], value: str, what: str) -> None:
    if value and value not in row["libc"] + " " + row["source_note"]:
        raise RefreshError(f"{row['version']}: derived {what} {value!r} is not mentioned in the CSV row")


def _gomod_facts(csv_dir: Path, version: str) -> _GoModFacts | None:
    path = csv_dir / f"v{version}" / "go.mod"
    if not path.is_file():
        return None
    gomod = parse_gomod(path.read_bytes(), f"v{version}/go.mod")
    cobra = [r for r in gomod.requires if r.path.endswith("/krakend-cobra/v2") or r.path.endswith("/krakend-cobra")]
    lura = gomod.require_for(lura_module(version))
    return _GoModFacts(
        module=gomod.module.path if gomod.module else "",
        go=gomod.go.value if gomod.go else "",
        toolchain=gomod.toolchain.value if gomod.toolchain else "",
        cobra_path=cobra[0].path if cobra else "",
        cobra_version=cobra[0].version if cobra else "",
        lura_version=lura.version if lura else "",
    )


def _check_gomod(version: str, facts: _GoModFacts, row: Mapping[str, str], gomod_go: str, toolchain: str) -> None:
    expected = {
        "module": (facts.module, ce_module(version)),
        "krakend-cobra owner": (facts.cobra_path.rsplit("/krakend-cobra", 1)[0], component_owner(version)),
        "lura version": (facts.lura_version, row["lura_version"]),
        "go line": (facts.go, gomod_go or facts.go),
        "toolchain line": (facts.toolchain, toolchain or facts.toolchain),
    }
    for what, (found, wanted) in expected.items():
        if found != wanted:
            raise RefreshError(f"{version}: go.mod {what} is {found!r}, the table says {wanted!r}")


# --- rows -------------------------------------------------------------------------------------


def build_release(row: Mapping[str, str], csv_dir: Path) -> Release:
    version = row["version"]
    note = row["source_note"]
    makefile_go = row["go_version"]
    runtime_image = row["alpine_or_base_image"]
    runtime_os, _, runtime_tag = runtime_image.partition(":")
    os_version = runtime_tag.removesuffix("-slim")
    build_image = docker_build_image(version, makefile_go, runtime_image)
    # The Docker build image may pin a fuller Go than the Makefile (1.0.0: 1.13 vs 1.13.1).
    go = build_image.removeprefix("golang:").split("-")[0]
    if not go.startswith(makefile_go):
        raise RefreshError(f"{version}: Docker build image {build_image} does not use Go {makefile_go}")
    glibc_image = f"golang:{makefile_go}{glibc_suffix(version)}"
    images = builders(version, go, os_version) if runtime_os == "alpine" else ()
    for value, what in [(build_image, "docker build image"), (glibc_image, "glibc build image")] + [
        (b.image, "builder image") for b in images
    ] + [(b.base_image, "builder base image") for b in images]:
        _require_mention(row, value, what)
    _require_mention(row, ce_module(version), "CE module")
    if not _at_least(version, "2.0.0"):
        _require_mention(row, lura_module(version), "framework module")
    gomod_go = _find(r"go\.mod `([^`]+)`", note)
    toolchain = _find(r"toolchain (go[0-9.]+)", note)
    facts = _gomod_facts(csv_dir, version)
    if facts is not None:
        _check_gomod(version, facts, row, gomod_go, toolchain)
    libc = {"alpine": "musl", "debian": "glibc"}[runtime_os]
    if libc.upper() not in row["libc"].split(" ")[0]:
        raise RefreshError(f"{version}: image libc {libc} does not match the CSV libc column")
    alpine_variant = _find(r"Dockerfile\.alpine golang:\S+ -> (alpine:[0-9.]+)", row["libc"])
    return Release(
        version=version,
        go_version=go,
        makefile_go_version=makefile_go,
        release_date=row["release_date"],
        date_source=_find(r"date=(tag|commit) date", note),
        runtime_image=runtime_image,
        runtime_os=runtime_os,
        runtime_os_version=os_version,
        libc=libc,
        docker_build_image=build_image,
        glibc_build_image=glibc_image,
        alpine_variant_image=alpine_variant,
        builders=images,
        lura_module=lura_module(version),
        lura_version=row["lura_version"],
        ce_module=ce_module(version),
        component_owner=component_owner(version),
        config_version=3 if _at_least(version, "2.0.0") else 2,
        gomod_go=gomod_go or (facts.go if facts else ""),
        gomod_toolchain=toolchain or (facts.toolchain if facts else ""),
        reported_version=_find(r"Makefile VERSION=(\S+) differs", note) or version,
        go_version_injected="GoVersion injected" in note,
        check_plugin=check_plugin(version, facts.cobra_version if facts else ""),
        provenance=_provenance(row, go, makefile_go, facts is not None),
    )


def _provenance(row: Mapping[str, str], go: str, makefile_go: str, from_gomod: bool) -> str:
    parts = [f"releases.csv: {row['source_note']}"]
    if go != makefile_go:
        parts.append(f"go_version {go} from the Docker build image (Makefile GOLANG_VERSION {makefile_go})")
    parts.append(
        f"krakend-cobra and go.mod lines from v{row['version']}/go.mod"
        if from_gomod
        else "no go.mod saved for this tag: no check-plugin (1.x) facts"
    )
    return "; ".join(parts)


def read_rows(csv_path: Path) -> list[dict[str, str]]:
    with csv_path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def generate(csv_path: Path, generated_at: str | None = None) -> dict[str, Any]:
    """The full JSON document for the CSV (``generated_at`` defaults to now, UTC)."""
    rows = read_rows(csv_path)
    releases = sorted((build_release(row, csv_path.parent) for row in rows), key=lambda r: r.key)
    _check_unique(r.version for r in releases)
    stamp = generated_at or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    return {
        "_meta": {
            "source": "each KrakenD CE release's notes and its tag's go.mod (github.com/krakend/krakend-ce), "
            "and the Go and Alpine versions of the krakend/builder and krakend images it published",
            "generator": GENERATOR,
            "generated_at": stamp,
            "releases": len(releases),
        },
        "releases": [release_to_dict(r) for r in releases],
    }


def _check_unique(versions: Iterable[str]) -> None:
    seen: set[str] = set()
    for version in versions:
        if version in seen:
            raise RefreshError(f"{version}: listed twice")
        seen.add(version)


def dumps(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=GENERATOR, description=__doc__.split("\n")[0])
    parser.add_argument("--csv", type=Path, default=None, help="releases.csv (default: shared/krakend/releases.csv)")
    parser.add_argument("--output", type=Path, default=DATA_PATH)
    parser.add_argument("--check", action="store_true", help="exit 1 when the data file is out of date")
    args = parser.parse_args(argv)
    csv_path = args.csv or default_csv()
    try:
        document = generate(csv_path)
    except (OSError, RefreshError, KeyError) as err:
        sys.stderr.write(f"refresh: {err}\n")
        return 2
    if args.check:
        current = json.loads(args.output.read_text(encoding="utf-8")) if args.output.is_file() else {}
        document["_meta"]["generated_at"] = current.get("_meta", {}).get("generated_at", "")
        if current != document:
            sys.stderr.write(f"refresh: {args.output} is out of date; run {GENERATOR}\n")
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.output.with_suffix(".tmp")
    tmp.write_text(dumps(document), encoding="utf-8")
    tmp.replace(args.output)
    sys.stdout.write(f"wrote {len(document['releases'])} releases to {args.output}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
