"""Regenerate ``linter/krakend/data/references.json.gz`` from KrakenD CE's go.mod/go.sum per tag.

Maintainers only, from the repository root::

    python -m scripts.build_references [--shared DIR] [--output FILE] [--check]

``DIR`` holds ``releases.csv`` and one ``v<tag>/`` folder with ``go.mod`` and ``go.sum`` per CE
tag (default: ``$KPL_SHARED_DIR/krakend``, else ``shared/krakend`` beside the repository). Every
release from 2.0.0 on in ``releases.csv`` must have its folder: a missing one fails the build
instead of shipping a hole. Each release is read with the same function that reads a release
fetched from GitHub (``reference_from_texts``), so an embedded reference holds exactly what a
fetched one holds. The result must agree with the release table (``data/releases.json``, from
``python -m scripts.refresh_releases``): lura, krakend-cobra, the CE module and go.mod's `go` line
per release; otherwise nothing is written. ``--check`` compares with the committed file and
exits 1 when it is stale.

The output is deterministic (sorted tables, gzip without a timestamp): the same input gives the
same bytes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from linter.inputs.gomod import parse_gomod
from linter.krakend import releases
from linter.krakend.embedded import DATA_FILE, FORMAT, Embedded, decode, delta, reference_from_record
from linter.krakend.reference import Reference
from linter.krakend.reference_texts import reference_from_texts
from linter.krakend.releases import all_releases, version_key

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "linter" / "krakend" / "data" / DATA_FILE
GENERATOR = "python -m scripts.build_references"
FIRST = (2, 0, 0)


class BuildError(Exception):
    """The input is incomplete or unreadable; the message names the file."""


def default_shared() -> Path:
    env = os.environ.get("KPL_SHARED_DIR")
    return (Path(env) if env else REPO.parent / "shared") / "krakend"


def csv_versions(shared: Path) -> list[str]:
    """Versions in releases.csv from 2.0.0 on, oldest first."""
    path = shared / "releases.csv"
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as err:
        raise BuildError(f"{path}: cannot read: {err.strerror}") from None
    found = [row.get("version", "").strip() for row in rows]
    bad = [v for v in found if len(version_key(v)) != 3]
    if bad:
        raise BuildError(f"{path}: not a release number: {bad[0]!r}")
    return sorted((v for v in found if version_key(v) >= FIRST), key=version_key)


def read_release(shared: Path, version: str) -> tuple[Reference, Mapping[str, str]]:
    """The reference of one tag, and its go.mod `go`/`toolchain` lines."""
    folder = shared / f"v{version}"
    files = {}
    for name in ("go.mod", "go.sum"):
        try:
            files[name] = (folder / name).read_text(encoding="utf-8")
        except OSError as err:
            raise BuildError(f"{folder / name}: release {version} is in releases.csv but its {name} cannot be "
                             f"read: {err.strerror}") from None
    origin = f"krakend/krakend-ce@v{version}"
    ref = reference_from_texts(version, files, source="embedded", origin=origin)
    gomod = parse_gomod(files["go.mod"].encode("utf-8"), str(folder / "go.mod"))
    if gomod.problems:
        first = gomod.problems[0]
        raise BuildError(f"{first.location.path}:{first.location.line}: {first.message}")
    lines = {"go": gomod.go.value if gomod.go else "", "toolchain": gomod.toolchain.value if gomod.toolchain else ""}
    return ref, lines


def encode(items: Sequence[tuple[Reference, Mapping[str, str]]], source: str) -> dict[str, Any]:
    """The JSON document: a sorted pair table and per-release delta-encoded index lists."""
    table = sorted({f"{m} {v}" for ref, _ in items for m, v in [*ref.modules.items(), *ref.sum_versions.items()]})
    index = {pair: number for number, pair in enumerate(table)}
    records = []
    for ref, lines in items:
        modules = sorted(index[f"{m} {v}"] for m, v in ref.modules.items())
        paths = [table[i].partition(" ")[0] for i in modules]
        records.append({
            "version": ref.krakend_version,
            "main": ref.main_module,
            "go": lines["go"],
            "toolchain": lines["toolchain"],
            "modules": delta(modules),
            "indirect": delta([pos for pos, path in enumerate(paths) if path in ref.indirect]),
            "sums": delta(sorted(index[f"{m} {v}"] for m, v in ref.sum_versions.items())),
            "replaces": [[r.old_path, r.old_version, r.new_path, r.new_version] for r in ref.replacements],
        })
    meta = {"source": source, "generator": GENERATOR, "releases": len(records),
            "first": records[0]["version"] if records else "", "last": records[-1]["version"] if records else ""}
    return {"format": FORMAT, "meta": meta, "pairs": table, "releases": records}


def build(shared: Path) -> bytes:
    items = [read_release(shared, version) for version in csv_versions(shared)]
    document = encode(items, "krakend/krakend-ce go.mod and go.sum at each tag (shared/krakend/v<tag>/)")
    text = json.dumps(document, separators=(",", ":"), sort_keys=True)
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=GENERATOR, description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=None, help="folder with releases.csv and v<tag>/")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="exit 1 when the committed file is stale")
    args = parser.parse_args(argv)
    try:
        data = build(args.shared or default_shared())
    except BuildError as err:
        print(f"build_references: {err}", file=sys.stderr)
        return 2
    embedded = decode(data)
    disagreements = table_disagreements(embedded, all_releases())
    if disagreements:
        print("\n".join(f"build_references: {line}" for line in disagreements), file=sys.stderr)
        print("build_references: the release table disagrees; run `python -m scripts.refresh_releases` first",
              file=sys.stderr)
        return 1
    if args.check:
        current = args.output.read_bytes() if args.output.is_file() else b""
        stale = not current or decode(current) != embedded
        print(f"{args.output}: {'stale, run ' + GENERATOR if stale else 'up to date'}")
        return 1 if stale else 0
    args.output.write_bytes(data)
    print(f"{args.output}: {len(data)} bytes, {len(embedded.records)} releases "
          f"({embedded.versions[0]} to {embedded.versions[-1]}), {len(embedded.pairs)} module versions")
    return 0


def table_disagreements(data: Embedded, table: Sequence[releases.Release]) -> list[str]:
    """Where the embedded references and the release table say different things (empty when they
    agree): a 2.x release in one and not the other, the CE module path, lura's version, the
    krakend-cobra version (check-plugin's behaviour) and go.mod's `go`/`toolchain` lines."""
    problems = []
    tabled = {item.version: item for item in table if item.key >= (2, 0, 0)}
    problems += [f"{v}: in the release table but has no embedded references" for v in tabled if v not in data.records]
    problems += [f"{v}: has embedded references but is not in the release table" for v in data.records
                 if v not in tabled]
    for version, item in tabled.items():
        record = data.records.get(version)
        if record is not None:
            problems += _release_disagreements(item, record, reference_from_record(data.pairs, record))
    return problems


def _release_disagreements(item: releases.Release, record: Mapping[str, Any], ref: Reference) -> list[str]:
    cobra = f"{item.component_owner}/krakend-cobra/v2"
    checks = [
        ("CE module", item.ce_module, ref.main_module),
        (item.lura_module, item.lura_version, ref.modules.get(item.lura_module, "")),
        (cobra, item.cobra_version, ref.modules.get(cobra, "") if item.cobra_version else ""),
        ("go.mod go line", item.gomod_go, str(record.get("go", ""))),
        ("go.mod toolchain line", item.gomod_toolchain, str(record.get("toolchain", ""))),
    ]
    return [f"{item.version}: {what}: release table says {table!r}, embedded references say {data!r}"
            for what, table, data in checks if table != data]


if __name__ == "__main__":
    sys.exit(main())
