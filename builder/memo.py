"""What a long-running preview (`mkdocs serve`) keeps between builds, so an edit costs what it changed.

Each stage keeps a table of its per-record results by a key that changes whenever the result would
(the file's size and time, the record's bytes, the related papers' titles…). A table also records
what the whole stage depends on (the taxonomy, the site settings) and is emptied when that changes.
A build with a memo writes exactly what a build without one writes; only the work differs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class Memo:
    def __init__(self) -> None:
        self._tables: dict[str, tuple[tuple, dict]] = {}

    def table(self, stage: str, *depends: Hashable) -> dict:
        """The stage's table of results, empty if what the stage depends on changed since last time."""
        known, table = self._tables.get(stage, ((), None))
        if table is None or known != depends:
            table = {}
            self._tables[stage] = (depends, table)
        return table


def table(memo: Memo | None, stage: str, *depends: Hashable) -> dict | None:
    """``memo.table(…)``, or None (compute everything) when there is no memo."""
    return memo.table(stage, *depends) if memo is not None else None


def file_key(path: str | os.PathLike) -> tuple:
    """Changes whenever the file does, as far as the file system tells: a key for what is read from it.
    A link is followed (this repository's data/topics.yaml is one): an edit of the file it points to
    changes what is read, not the link. Another target has another inode.
    A path may be a string: a Path per record cost more than the look at its file (5 000 records)."""
    try:
        stat = os.stat(path)
    except OSError:
        return os.fspath(path), None
    return os.fspath(path), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


def reuse_one(memo: Memo | None, stage: str, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned last time for the same key."""
    if memo is None:
        return compute()
    last = memo.table(stage)
    if key not in last:
        value = compute()  # an exception leaves the table as it was
        last.clear()
        last[key] = value
    return last[key]
