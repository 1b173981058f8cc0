"""Open a Go binary; the ELF reader (and pyelftools) is imported only when one is read."""

from __future__ import annotations

import mmap
from pathlib import Path

from linter.inputs.gobinary.model import Buffer, GoBinary, problem


def open_go_binary(fs_path: Path, display: str) -> GoBinary:
    """Map ``fs_path`` read-only and read it; an unreadable file is a ``Problem``, not an error."""
    try:
        with fs_path.open("rb") as handle:
            if fs_path.stat().st_size == 0:
                return read_go_binary(b"", display)
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
                return read_go_binary(mapped, display)
    except (OSError, ValueError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        return GoBinary(path=display, problems=(problem(display, f"cannot read {display}: {reason}"),))


def read_go_binary(buffer: Buffer, path: str) -> GoBinary:
    """Read a Go ELF executable or shared object from ``buffer`` (bytes or an mmap)."""
    from linter.inputs.gobinary.reader import Reader

    reader = Reader(buffer, path)
    try:
        return reader.read()
    except Exception as err:  # a last guard: an unforeseen corruption must not stop the lint
        reader.problem(f"{path} could not be read as an ELF file: {type(err).__name__}: {err}")
        return GoBinary(path=path, problems=tuple(reader.problems))
