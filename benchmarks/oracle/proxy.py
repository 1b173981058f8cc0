"""Write the synthetic modules as a GOPROXY directory served through ``file://``.

Layout per module (module path case-escaped, as the GOPROXY protocol requires):
``<escaped>/@v/list``, ``<escaped>/@v/<version>.info``, ``.mod`` and ``.zip``; the zip holds
every file under ``<module>@<version>/``. Zip entries carry a fixed timestamp and are sorted, so
the same definitions always give the same bytes (and the same go.sum hashes).
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from collections import defaultdict
from pathlib import Path

from benchmarks.oracle.modules import Module, all_modules

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
INFO_TIME = "2024-01-01T00:00:00Z"


def escape(text: str) -> str:
    """GOPROXY escaping: every capital letter becomes ``!`` plus its lower-case form."""
    return "".join(f"!{ch.lower()}" if ch.isupper() else ch for ch in text)


def zip_bytes(mod: Module) -> bytes:
    """The module zip: go.mod plus the files, under ``<path>@<version>/``, deterministic."""
    entries = dict(mod.files)
    entries["go.mod"] = mod.gomod()
    prefix = f"{mod.path}@{mod.version}/"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(prefix + name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, entries[name])
    return buf.getvalue()


def digest(mods: tuple[Module, ...] | None = None) -> str:
    """A short hash of every module definition; it names the proxy content in cache keys."""
    h = hashlib.sha256()
    for mod in mods or all_modules():
        h.update(json.dumps([mod.path, mod.version, mod.gomod(), sorted(mod.files.items())]).encode())
    return h.hexdigest()[:16]


def write_proxy(root: Path) -> Path:
    """(Re)create the proxy under root unless it already holds this exact content."""
    stamp = root / ".digest"
    want = digest()
    if stamp.is_file() and stamp.read_text() == want:
        return root
    shutil.rmtree(root, ignore_errors=True)
    versions: dict[str, list[str]] = defaultdict(list)
    for mod in all_modules():
        base = root / escape(mod.path) / "@v"
        base.mkdir(parents=True, exist_ok=True)
        ver = escape(mod.version)
        (base / f"{ver}.info").write_text(json.dumps({"Version": mod.version, "Time": INFO_TIME}) + "\n")
        (base / f"{ver}.mod").write_text(mod.gomod())
        (base / f"{ver}.zip").write_bytes(zip_bytes(mod))
        versions[mod.path].append(mod.version)
    for path, vers in versions.items():
        (root / escape(path) / "@v" / "list").write_text("\n".join(vers) + "\n")
    stamp.write_text(want)
    return root
