"""KrakenD CE's build lists, shipped with the linter: the reference source that needs no network.

``data/references.json.gz`` holds, for every KrakenD CE release whose go.mod and go.sum are known
(2.0.0 onwards), exactly what a ``Reference`` read from those two files holds: the go.mod build
list (highest version per module), its `// indirect` marks, its replace directives, the main
module, and the highest version per module over every go.sum line (what `krakend check-plugin`
compares). Go version and libc come from the release table (``releases.py``) as for any source.

The file is written by the maintainer script ``scripts/build_references.py`` (not shipped) and
never edited by hand. Its layout keeps it small: one sorted table of the unique
``module version`` pairs of all releases, and per release lists of indexes into that table. Each
index list is sorted and stored as the differences between neighbours (mostly 1s), which gzip
shrinks to almost nothing.

1.x releases are not in it: their go.mod/go.sum are not in the data the script reads, so they
keep the release table's facts and take their module list from the cache or GitHub.

The file is read once, on first use, and a release's reference is built only when asked for.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from linter.krakend import releases
from linter.krakend.reference import Reference, Replacement

DATA_FILE = "references.json.gz"
FORMAT = 1
SOURCE = "embedded"
CE_REPO = "krakend/krakend-ce"


class EmbeddedDataError(Exception):
    """The packaged references file cannot be read (a broken installation)."""


@dataclass(frozen=True)
class Embedded:
    """The decoded file: the pair table and one raw record per release (oldest first)."""

    pairs: tuple[str, ...]  # "module version", sorted
    records: Mapping[str, Mapping[str, Any]]  # version -> record
    meta: Mapping[str, Any]

    @property
    def versions(self) -> tuple[str, ...]:
        return tuple(self.records)


def undelta(steps: Sequence[int]) -> list[int]:
    """[3, 1, 2] -> [3, 4, 6]: the running sum of a delta-encoded sorted index list."""
    total = 0
    out = []
    for step in steps:
        total += step
        out.append(total)
    return out


def delta(indexes: Sequence[int]) -> list[int]:
    """The inverse of ``undelta`` for an ascending list."""
    previous = 0
    out = []
    for index in indexes:
        out.append(index - previous)
        previous = index
    return out


def decode(raw: bytes) -> Embedded:
    """Parse the gzip-compressed JSON document (EmbeddedDataError when it is not one)."""
    try:
        doc = json.loads(gzip.decompress(raw).decode("utf-8"))
    except (OSError, EOFError, UnicodeDecodeError, ValueError) as err:
        raise EmbeddedDataError(f"{DATA_FILE} is not gzip-compressed JSON: {err}") from err
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise EmbeddedDataError(f"{DATA_FILE} has an unknown format")
    pairs, items = doc.get("pairs"), doc.get("releases")
    if not isinstance(pairs, list) or not isinstance(items, list):
        raise EmbeddedDataError(f"{DATA_FILE} has no pair table or no releases")
    records = {str(item["version"]): item for item in items if isinstance(item, dict) and "version" in item}
    return Embedded(tuple(pairs), records, doc.get("meta") or {})


@lru_cache(maxsize=1)
def load() -> Embedded:
    """The packaged data (EmbeddedDataError when the installation lacks it or it is damaged)."""
    try:
        raw = releases.data_file(DATA_FILE)
    except OSError as err:
        raise EmbeddedDataError(f"cannot read the embedded references {DATA_FILE}: {err}") from err
    return decode(raw)


def covered() -> tuple[str, ...]:
    """The releases with an embedded build list, oldest first."""
    return load().versions


def newest() -> str:
    found = covered()
    return found[-1] if found else ""


def has(version: str) -> bool:
    return releases.normalize(version) in load().records


def newer_than_data(version: str) -> bool:
    """True for a plain x.y.z above the newest embedded release."""
    key = releases.version_key(version)
    top = newest()
    return len(key) == 3 and bool(top) and key > releases.version_key(top)


def origin_of(version: str) -> str:
    return f"{CE_REPO}@v{releases.normalize(version)}"


@lru_cache(maxsize=64)
def reference(version: str) -> Reference | None:
    """The reference of one release, or None when it is not embedded."""
    data = load()
    record = data.records.get(releases.normalize(version))
    if record is None:
        return None
    try:
        return reference_from_record(data.pairs, record)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as err:
        raise EmbeddedDataError(f"{DATA_FILE}: the record of {version} is damaged ({type(err).__name__})") from err


def _pairs_of(table: Sequence[str], steps: Sequence[int]) -> dict[str, str]:
    found = {}
    for index in undelta(steps):
        module, _, version = table[index].partition(" ")
        found[module] = version
    return found


def reference_from_record(table: Sequence[str], record: Mapping[str, Any]) -> Reference:
    version = str(record["version"])
    modules = _pairs_of(table, record["modules"])
    paths = list(modules)
    known = releases.release(version)
    return Reference(
        krakend_version=version,
        source=SOURCE,
        origin=origin_of(version),
        go_version=known.go_version if known else "",
        modules=modules,
        sum_versions=_pairs_of(table, record["sums"]),
        indirect=frozenset(paths[i] for i in undelta(record["indirect"])),
        replacements=tuple(Replacement(*item) for item in record["replaces"]),
        main_module=str(record["main"]),
    )


def size_on_disk() -> int:
    """Bytes of the packaged file (for `reference show` and the docs)."""
    return len(releases.data_file(DATA_FILE))
