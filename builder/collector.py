"""Python's cycle collector, kept out of a build."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """A build makes millions of objects that live until it ends (records, papers, pages) and almost
    no garbage cycles: some 15 000 objects at 5 000 papers. Even run fifty times less often than by
    default, the cycle collector walked the young objects for 0.1–0.2 s of CPU to free next to
    nothing, so it is off during a build, in the records' reading processes too (they fork inside
    and inherit it). When the build ends, what it made is frozen out of later collections: switched
    back on, the collector would walk all of it at the next allocation, 0.1 s at 5 000 papers, the
    last thing a build did. `mkdocs serve` collects between rebuilds (site/preview.py)."""
    if not gc.isenabled():  # paused already, by a caller, or off by the program's own choice
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
