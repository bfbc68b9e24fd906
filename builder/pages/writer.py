"""Write generated pages into docs/: only changed files are rewritten, stale ones removed last."""

from __future__ import annotations

import os
import shutil
from collections import ChainMap
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import CatalogError, Problem
from ..fsio import write_if_changed, write_new
from ..memo import Memo, table
from ..parallel import MIN_PER_WORKER, Started, map_items

# What the builder owns inside docs/: these folders entirely, and these single files.
OWNED_DIRS = ("papers", "topics", "code", "feeds")
OWNED_FILES = ("index.md", "catalog.json", "catalog.schema.json", "paper.schema.json", "explore.md", "explore.json",
               "stats.md")


@dataclass
class WriteReport:
    written: int = 0
    unchanged: int = 0
    removed: int = 0

    def summary(self) -> str:
        return f"{self.written} written, {self.unchanged} unchanged, {self.removed} removed"


def owned(relative: str) -> bool:
    return relative in OWNED_FILES or relative.split("/", 1)[0] in OWNED_DIRS


def _target(docs: Path, relative: str, inside: dict[str, str | None]) -> str:
    """Where a generated file goes; nothing derived from data may address a path outside docs/,
    whether by '..' or by a folder that is a symbolic link to elsewhere (``inside``: folders seen)."""
    segments = relative.split("/")
    if not owned(relative) or "\\" in relative or any(s in ("", ".", "..") for s in segments):
        raise ValueError(f"generated path outside the builder's folders: {relative!r}")
    folder, _, name = relative.rpartition("/")
    if folder not in inside:
        parent = docs / folder
        inside[folder] = str(parent) if parent.resolve().is_relative_to(docs.resolve()) else None
    if inside[folder] is None:
        raise CatalogError([Problem(f"{docs.name}/{segments[0]}", message="is a symbolic link out of "
                                    f"{docs.name}/; the build writes only inside {docs.name}/")])
    return os.path.join(inside[folder], name)  # a string: 5 000 Path objects per build cost more than the rest


def _files(folder: Path, relative: str) -> Iterator[tuple[str, str]]:
    """(path, path relative to docs/) of every file under a folder; links to folders are not followed."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from _files(Path(entry.path), f"{relative}/{entry.name}")
            elif entry.is_file(follow_symlinks=False) or entry.is_symlink():
                yield entry.path, f"{relative}/{entry.name}"


def _remove_empty_folders(root: Path) -> None:
    """The folders under ``root``, and ``root``, that removing stale pages left empty (the feeds once
    site_url is gone, a topic's last list page): a build from nothing has none of them."""
    for folder, _, _ in os.walk(root, topdown=False):
        try:
            os.rmdir(folder)  # only an empty folder goes
        except OSError:
            pass


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _staging(docs: Path) -> dict[str, str]:
    """A hidden folder for each of the builder's folders that docs/ does not have yet (a first build, a
    CI checkout): written whole, then renamed into place, its pages need no atomic write of their own.
    What a killed build staged is removed first."""
    if docs.is_dir():
        with os.scandir(docs) as entries:
            for entry in entries:
                if entry.name.startswith(tuple(f".{f}." for f in OWNED_DIRS)) and entry.name.endswith(".tmp") \
                        and entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
    return {folder: str(docs / f".{folder}.{os.urandom(5).hex()}.tmp") for folder in OWNED_DIRS
            if not os.path.lexists(docs / folder)}


def write_pages(docs: Path, pages: dict[str, str], memo: Memo | None = None) -> WriteReport:
    """Each file is written atomically (or its folder, when docs/ has none yet); stale pages go only after
    every write succeeded, so a build that fails half-way leaves every page either as it was or as it
    should be, never half written.

    With a memo, a page the last build wrote with the same text, untouched since, is not even read."""
    with PageWriter(docs, memo) as writer:
        return writer.finish(pages)


# What writing a page came to: True (written), False (unchanged), or why it could not be written.
Outcome = bool | str


class PageWriter:
    """``write_pages`` in steps: ``start(pages)`` has a worker process begin writing some pages (the
    5 000 paper pages of a large catalog, each rendered by the process that writes it) while this
    process makes the others, which ``finish`` writes, taking its share of the started pages too,
    before it moves new folders into place and removes stale pages. ``write(pages)`` writes pages at
    once, in a background job's process too (parallel.background): what it returns is all ``finish``
    needs of them, so their text never travels back (53 MB of list, explore and feed pages at 5 000
    papers)."""

    def __init__(self, docs: Path, memo: Memo | None = None):
        self.docs = docs
        self.pages: ChainMap[str, str] = ChainMap()  # each start's, write's and finish's pages, read when written
        self.names: set[str] = set()  # every page of this build, written here or not: the others are stale
        self.inside: dict[str, str | None] = {}
        self.last = table(memo, "written", str(docs))
        self.stamps = dict(self.last or {})
        self.staging = _staging(docs)
        self.started: list[tuple[list[tuple[str, str]], Started]] = []

    def start(self, pages: Mapping[str, str]) -> None:
        targets = self._targets(pages)
        self.started.append((targets, Started(self._write_run, targets, self.last is None, MIN_PER_WORKER)))

    def write(self, pages: Mapping[str, str]) -> list[tuple[str, Outcome]]:
        """Write these pages now; (page, outcome) of each, for ``finish``."""
        targets = self._targets(pages)
        return [(relative, outcome) for (relative, _), outcome in
                zip(targets, map_items(self._write_run, targets, fork=self.last is None, in_runs=True))]

    def finish(self, pages: Mapping[str, str], written: Sequence[tuple[str, Outcome]] = ()) -> WriteReport:
        """Write the last pages; ``written``: what ``write`` returned, here or in another process."""
        report = WriteReport()
        outcomes = list(written)
        self.names.update(relative for relative, _ in written)
        for started_targets, started in self.started:
            outcomes += [(relative, outcome) for (relative, _), outcome in zip(started_targets, started.results())]
        outcomes += self.write(pages)
        failed = []
        for relative, outcome in sorted(outcomes):
            if isinstance(outcome, str):
                failed.append(Problem(f"{self.docs.name}/{relative}", message=outcome))
            elif outcome:
                report.written += 1
            else:
                report.unchanged += 1
        if failed:
            raise CatalogError(failed)
        for folder, staged in self.staging.items():
            if os.path.isdir(staged):
                try:
                    os.rename(staged, self.docs / folder)
                except OSError as exc:
                    raise CatalogError([Problem(f"{self.docs.name}/{folder}", message=f"cannot write: "
                                                f"{exc.strerror or exc}")]) from None
        # A staged folder holds this build's pages only: none of them is stale.
        if self.last is not None:
            self.last.clear()
            self.last.update((relative, self.stamps[relative]) for relative in self.names if relative in self.stamps)
        for folder in OWNED_DIRS:
            root = self.docs / folder
            if folder in self.staging or not root.is_dir():
                continue
            stale = [path for path, relative in sorted(_files(root, folder)) if relative not in self.names]
            for path in stale:
                os.unlink(path)
            report.removed += len(stale)
            if stale:
                _remove_empty_folders(root)
        return report

    def _targets(self, pages: Mapping[str, str]) -> list[tuple[str, str]]:
        """(page, file) of each page, every path checked before any is written."""
        targets = [(relative, _target(self.docs, relative, self.inside)) for relative in sorted(pages)]
        self.pages.maps.append(pages)
        self.names.update(pages)
        return targets

    def _write_run(self, targets: list[tuple[str, str]]) -> list[Outcome]:
        """A run of pages (parallel.RUN), all rendered first if they are rendered only now (render.paper_pages),
        then written: rendering and the kernel's file writes each keep their code and data in the
        processor's caches from one page to the next (a fifth less CPU than a page at a time)."""
        texts = [self.pages[relative] for relative, _ in targets]
        return [self._write(target, text) for target, text in zip(targets, texts)]

    def _write(self, target: tuple[str, str], text: str) -> Outcome:
        relative, path = target
        last = self.last
        if last is not None and relative in last and last[relative][0] == text:
            if last[relative][1] == _stamp(path):
                return False
        top, _, rest = relative.partition("/")
        try:
            if top in self.staging:
                path = os.path.join(self.staging[top], rest)  # the same file once the folder is renamed
                write_new(path, text)
                written = True
            else:
                written = write_if_changed(path, text)
        except OSError as exc:
            return f"cannot write: {exc.strerror or exc}"
        if last is not None:
            self.stamps[relative] = text, _stamp(path)
        return written

    def __enter__(self) -> PageWriter:
        return self

    def __exit__(self, *exc_info) -> None:
        for _, started in self.started:
            started.close()  # a worker still writing after an error stops before its folder goes
        for staged in self.staging.values():
            shutil.rmtree(staged, ignore_errors=True)  # what a failed build staged; gone once renamed
