"""Per-record work spread over the machine's cores.

Records are independent of each other until related papers are computed, so reading, checking,
tagging, rendering and writing them split into chunks that worker processes do side by side. The
workers are forked: they see the parent's data without it being copied or pickled, and only their
results travel back. Chunks come back in order, so the output never depends on how many workers ran.

``CATALOG_JOBS`` sets the number of processes (``1``: all in this process). Without ``fork`` (Windows)
or from a process that runs other threads (``mkdocs serve``: a forked child gets copies of their
locks, held or not), the work runs here.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_PER_WORKER = 250  # below this many items per process, starting one costs more than it saves
MAX_JOBS = 8

_task: tuple[Callable, Sequence] | None = None  # what the forked workers run, inherited at fork
most = 1  # the most processes one map has used since `used()` was last called


def jobs() -> int:
    """Worker processes to use: CATALOG_JOBS, else the cores this process may run on (at most 8)."""
    wanted = os.environ.get("CATALOG_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, MAX_JOBS))


def used() -> int:
    """How many processes the largest map since the last call ran on (for the build's summary)."""
    global most
    count, most = most, 1
    return count


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _run_chunk(bounds: tuple[int, int]) -> list:
    function, items = _task
    return [function(item) for item in items[bounds[0] : bounds[1]]]


def map_items(function: Callable[[T], R], items: Sequence[T], *, reuse: dict | None = None,
              key: Callable[[T], Hashable] | None = None, fork: bool = True,
              per_worker: int = MIN_PER_WORKER) -> list[R]:
    """``[function(item) for item in items]``, computed by up to ``jobs()`` processes.

    ``function`` may be any callable, a closure too: it is inherited by the fork, never pickled.
    Its results must pickle, and it should return problems rather than raise them.

    ``reuse`` is a table the caller keeps between builds (see memo.py): an item whose ``key`` is in
    it is not computed again. Afterwards the table holds exactly the keys of these items.
    ``fork=False`` keeps the work here, for results that cost more to pickle than to compute;
    ``per_worker`` is the fewest items worth a process (a few large items: 1).
    """
    if reuse is None:
        return _map(function, items, fork, per_worker)
    keys = [_Key(key(item)) for item in items]
    found = [reuse.get(k, _MISSING) for k in keys]
    missing: dict[_Key, int] = {}  # each key to compute, and the first item that has it
    for i, (k, value) in enumerate(zip(keys, found)):
        if value is _MISSING:
            missing.setdefault(k, i)
    computed = dict(zip(missing, _map(function, [items[i] for i in missing.values()], fork, per_worker)))
    results = [computed[k] if value is _MISSING else value for k, value in zip(keys, found)]
    reuse.clear()
    reuse.update(zip(keys, results))
    return results


_MISSING = object()


class _Key:
    """A key whose hash is computed once: keys are tuples of records' parts, and a tuple hashes all
    of its parts again on every dict lookup (5 000 pages × several lookups per `mkdocs serve` build)."""

    __slots__ = ("value", "hash")

    def __init__(self, value: Hashable):
        self.value = value
        self.hash = hash(value)

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and self.hash == other.hash and self.value == other.value


def _map(function: Callable[[T], R], items: Sequence[T], fork: bool, per_worker: int) -> list[R]:
    global _task, most
    count = min(jobs(), len(items) // per_worker)
    if count < 2 or not fork or not _can_fork():
        return [function(item) for item in items]
    # A few chunks per worker even out the load when some records take longer than others.
    size = -(-len(items) // (count * 4))
    chunks = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    most = max(most, count)
    _task = (function, items)
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            parts = pool.map(_run_chunk, chunks)
    finally:
        _task = None
    return [result for part in parts for result in part]
