"""Write generated pages into docs/: only changed files are rewritten, stale ones removed last."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import CatalogError, Problem
from ..fsio import write_if_changed
from ..parallel import map_items

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


def _target(docs: Path, relative: str, inside: dict[Path, bool]) -> Path:
    """Where a generated file goes; nothing derived from data may address a path outside docs/,
    whether by '..' or by a folder that is a symbolic link to elsewhere (``inside``: folders seen)."""
    segments = relative.split("/")
    if not owned(relative) or "\\" in relative or any(s in ("", ".", "..") for s in segments):
        raise ValueError(f"generated path outside the builder's folders: {relative!r}")
    path = docs / relative
    if path.parent not in inside:
        inside[path.parent] = path.parent.resolve().is_relative_to(docs.resolve())
    if not inside[path.parent]:
        raise CatalogError([Problem(f"{docs.name}/{segments[0]}", message="is a symbolic link out of "
                                    f"{docs.name}/; the build writes only inside {docs.name}/")])
    return path


def write_pages(docs: Path, pages: dict[str, str]) -> WriteReport:
    """Each file is written atomically; stale pages go only after every write succeeded, so a build
    that fails half-way leaves every page either as it was or as it should be, never half written."""
    report = WriteReport()
    inside: dict[Path, bool] = {}
    targets = [(relative, _target(docs, relative, inside)) for relative in sorted(pages)]  # all checked first

    def write(target: tuple[str, Path]) -> bool | str:
        try:
            return write_if_changed(target[1], pages[target[0]])
        except OSError as exc:
            return f"cannot write: {exc.strerror or exc}"

    failed = []
    for (relative, _), outcome in zip(targets, map_items(write, targets)):
        if isinstance(outcome, str):
            failed.append(Problem(f"{docs.name}/{relative}", message=outcome))
        elif outcome:
            report.written += 1
        else:
            report.unchanged += 1
    if failed:
        raise CatalogError(failed)
    for folder in OWNED_DIRS:
        root = docs / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.relative_to(docs).as_posix() not in pages:
                path.unlink()
                report.removed += 1
    return report
