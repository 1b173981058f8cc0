"""What the embedded references cost: bytes on disk and time to load, measured in one run.

Usage::

    python -m benchmarks.embedded_data [--runs 7]

Each run is a fresh interpreter (the data is read once per process and cached), timing inside it:
the load of ``data/references.json.gz`` (decompress and parse), one release's reference built
from it, and, for scale, the same release read the way a cache entry or a GitHub answer is read
(go.mod and go.sum text parsed, go.sum folded). The fastest of ``--runs`` is printed, with the
ratio of the embedded path to the text path.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Sequence

_PROBE = """
import json, time
from linter.krakend import embedded, releases
from linter.krakend.reference_texts import reference_from_texts
releases.all_releases()  # the release table is read by every source alike: not part of the cost
start = time.perf_counter()
data = embedded.load()
loaded = time.perf_counter()
ref = embedded.reference("2.7.0")
built = time.perf_counter()
texts = {"go.mod": "", "go.sum": ""}
pairs = sorted(ref.sum_versions.items())
texts["go.mod"] = "module %s\\n\\ngo 1.22\\n\\nrequire (\\n" % ref.main_module + "".join(
    "\\t%s %s\\n" % item for item in sorted(ref.modules.items())) + ")\\n"
texts["go.sum"] = "".join("%s %s h1:x=\\n%s %s/go.mod h1:y=\\n" % (m, v, m, v) for m, v in pairs)
again = time.perf_counter()
parsed = reference_from_texts("2.7.0", texts, source="cache", origin="x")
dict(parsed.sum_versions)
parsed_at = time.perf_counter()
print(json.dumps({"load": loaded - start, "reference": built - loaded, "text": parsed_at - again,
                  "releases": len(data.versions), "first": data.versions[0], "last": data.versions[-1]}))
"""


def measure(runs: int) -> dict[str, float | str]:
    best: dict[str, float | str] = {}
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True).stdout
        sample = json.loads(out)
        for key, value in sample.items():
            current = best.get(key)
            best[key] = min(value, current) if isinstance(value, float) and isinstance(current, float) else value
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.embedded_data")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    from linter.krakend import embedded

    facts = measure(max(args.runs, 1))
    load, ref, text = (float(facts[key]) for key in ("load", "reference", "text"))
    print(f"embedded references: {embedded.size_on_disk()} bytes on disk, {facts['releases']} releases "
          f"({facts['first']} to {facts['last']})")
    print(f"load (decompress + parse, once per process): {load * 1000:.1f} ms")
    print(f"one release's reference from it: {ref * 1000:.2f} ms")
    print(f"the same release read from go.mod/go.sum text (cache/GitHub path): {text * 1000:.2f} ms; "
          f"embedded load + build is {(load + ref) / text:.2f}x that")
    return 0


if __name__ == "__main__":
    sys.exit(main())
