"""Parsing without the cycle collector.

Composing a large YAML file or a large Go source creates millions of objects and no reference
cycles; the cycle collector, triggered over and over by those allocations, made a 4 MiB config ten
times slower. ``paused_gc`` turns it off while a parser builds its tree (memory is still freed as
usual). It sits apart from the YAML limits so that reading Go or JSON never imports PyYAML.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside the block (it was running before: it runs again)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
