"""Progress of long builds: a bar on a terminal, silence in CI logs and pipes (the one-line summary
that follows a build says the rest)."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

from tqdm import tqdm

# tqdm's monitor thread only nudges stalled bars; a process running it cannot fork its workers safely
# (builder/parallel.py), so a build with a bar would run on one core.
tqdm.monitor_interval = 0


def wanted(stream=None) -> bool:
    stream = stream or sys.stderr
    return stream.isatty() and not os.environ.get("CI")


@contextmanager
def stages(names: list[str], label: str):
    """A bar over the pipeline's stages; the caller calls `done()` as each stage finishes."""
    bar = tqdm(total=len(names), desc=f"{label}: {names[0]}", leave=False, disable=not wanted())

    def done() -> None:
        bar.update(1)
        if bar.n < len(names):
            bar.set_description_str(f"{label}: {names[bar.n]}")

    try:
        yield done
    finally:
        bar.close()
