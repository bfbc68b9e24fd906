"""Write generated pages into docs/: only changed files are rewritten, stale ones removed last."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..fsio import write_if_changed

# What the builder owns inside docs/: these folders entirely, and these single files.
OWNED_DIRS = ("papers", "topics", "code")
OWNED_FILES = ("index.md", "catalog.json")


@dataclass
class WriteReport:
    written: int = 0
    unchanged: int = 0
    removed: int = 0

    def summary(self) -> str:
        return f"{self.written} written, {self.unchanged} unchanged, {self.removed} removed"


def owned(relative: str) -> bool:
    return relative in OWNED_FILES or relative.split("/", 1)[0] in OWNED_DIRS


def write_pages(docs: Path, pages: dict[str, str]) -> WriteReport:
    """Each file is written atomically; stale pages go only after every write succeeded."""
    report = WriteReport()
    for relative in sorted(pages):
        if not owned(relative):
            raise ValueError(f"generated path outside the builder's folders: {relative}")
        if write_if_changed(docs / relative, pages[relative]):
            report.written += 1
        else:
            report.unchanged += 1
    for folder in OWNED_DIRS:
        root = docs / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.relative_to(docs).as_posix() not in pages:
                path.unlink()
                report.removed += 1
    return report
