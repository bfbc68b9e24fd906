"""Read every record of a catalog, collecting all problems instead of stopping at the first."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..errors import CatalogError, Problem
from ..fsio import decode_utf8
from ..layout import Layout
from ..memo import Memo, file_key, table
from ..parallel import map_items
from . import schema, yamlio
from .ids import ID_PATTERN, MAX_ID_LENGTH, normalise_title

MAX_RECORD_BYTES = 256 * 1024  # a record is a title, an abstract and a few links


@dataclass
class Record:
    """One paper as curated: its id (the file name), its fields, and where each field is."""

    id: str
    path: str  # relative to the catalog root, for messages and edit links
    data: dict
    doc: yamlio.Located
    digest: str = ""  # of the file's bytes: what later stages key their reusable results by (memo.py)

    # Cached: pages, exports and checks read them hundreds of thousands of times in a large catalog.
    @cached_property
    def title(self) -> str:
        return normalise_title(self.data["title"])

    @cached_property
    def abstract(self) -> str:
        return " ".join(self.data["abstract"].split())


def record_files(layout: Layout) -> list[Path]:
    if not layout.papers.is_dir():
        return []
    # Sorted by name: the same order as the paths, without comparing 20 000 Path objects.
    return sorted((p for p in layout.papers.iterdir() if p.suffix in (".yaml", ".yml")), key=lambda p: p.name)


def _read(path: Path, layout: Layout, name: str) -> bytes:
    """The bytes of one record file; a link out of data/papers/, a folder, a device or an unreadable
    file is a problem of that file, never a traceback (and never a read that blocks, as a FIFO would)."""
    def refuse(message: str) -> CatalogError:
        return CatalogError([Problem(name, message=message)])

    try:
        if path.is_symlink() and not path.resolve(strict=True).is_relative_to(layout.papers.resolve()):
            raise refuse("symbolic link to a file outside data/papers/ refused")
        if not path.is_file():
            raise refuse("not a regular file")
        size = path.stat().st_size
        if size > MAX_RECORD_BYTES:
            raise refuse(f"file is {size} bytes; a record may be at most {MAX_RECORD_BYTES} bytes")
        return path.read_bytes()
    except (OSError, RuntimeError) as exc:  # dangling or looping link, permissions, I/O
        raise refuse(f"cannot read file: {getattr(exc, 'strerror', None) or exc}") from None


def load_record(path: Path, layout: Layout) -> tuple[Record | None, list[Problem]]:
    name = layout.rel(path)
    problems: list[Problem] = []
    stem = path.stem
    if not ID_PATTERN.match(stem) or len(stem) > MAX_ID_LENGTH:
        problems.append(
            Problem(name, message=f"file name '{path.name}' is not a paper id: use lowercase letters, digits "
                    f"and '-', at most {MAX_ID_LENGTH} characters (e.g. 'catalog new \"Title\"' names it)")
        )
    if path.suffix != ".yaml":
        problems.append(Problem(name, message="records end in .yaml"))
    try:
        data = _read(path, layout, name)
        doc = yamlio.load(decode_utf8(data, name), name)
    except CatalogError as exc:
        return None, problems + exc.problems
    problems += schema.validate(doc, name)
    if problems:
        return None, problems
    return Record(stem, name, doc.data, doc, hashlib.blake2b(data, digest_size=16).hexdigest()), []


def load_records(layout: Layout, memo: Memo | None = None) -> tuple[list[Record], list[Problem]]:
    """All valid records sorted by id, and the problems of the others."""
    records, problems = [], []
    loaded = map_items(lambda path: load_record(path, layout), record_files(layout),
                       reuse=table(memo, "load", layout.root), key=file_key)
    for record, found in loaded:
        problems += found
        if record:
            records.append(record)
    return records, problems
