"""Read every record of a catalog, collecting all problems instead of stopping at the first."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import CatalogError, Problem
from ..fsio import decode_utf8
from ..layout import Layout
from ..memo import Memo, file_key, table
from ..parallel import Started, map_items, start
from . import schema, yamlio
from .ids import ID_PATTERN, MAX_ID_LENGTH, RESERVED_IDS, is_single_spaced, normalise_title, shown_title_key

MAX_RECORD_BYTES = 256 * 1024  # a record is a title, an abstract and a few links


@dataclass
class Record:
    """One paper as curated: its id (the file name), its fields, and the file they were read from."""

    id: str
    path: str  # relative to the catalog root, for messages and edit links
    data: dict
    file: str = ""  # as this process opens it: read again for a message that names a field's line
    digest: str = ""  # of the file's bytes: what later stages key their reusable results by (memo.py)

    # Pages, exports and checks read these hundreds of thousands of times in a large catalog: worked
    # out where the record is read (a worker process) and pickled with it. A text that is already as
    # shown stays the same object, so pickling sends it once.
    title: str = field(init=False, repr=False)
    abstract: str = field(init=False, repr=False)
    title_key: str = field(init=False, repr=False)  # what the duplicate check compares (ids.title_key)

    def __post_init__(self) -> None:
        self.title = _same_if_equal(self.data["title"], normalise_title(self.data["title"]))
        self.abstract = _shown_abstract(self.data["abstract"])
        self.title_key = shown_title_key(self.title)

    def location(self, field_path: tuple) -> yamlio.Location:
        """Where a field (e.g. ``("code", 1)``) starts in the file; (1, 1) when that is unknown.

        A record keeps no copy of its YAML: it would double what a record pickles to (records come
        back from the worker processes), and only a message needs it. The file is read again, and
        only the bytes that were read count: an edited file's lines are another text's."""
        return self._located.location(field_path)

    @cached_property
    def _located(self) -> yamlio.Located:
        return yamlio.Located(self.data, _text_again(self.file, self.digest))


def _shown_abstract(text: str) -> str:
    return text if is_single_spaced(text) else _same_if_equal(text, " ".join(text.split()))


def _same_if_equal(text: str, shown: str) -> str:
    return text if shown == text else shown


def _text_again(file: str, digest: str) -> str | None:
    if not file:  # a record made in memory
        return None
    folder, _, file_name = file.rpartition("/")
    try:
        data = _read(folder, file_name, file, regular=True)
    except CatalogError:
        return None
    return decode_utf8(data, file) if _digest(data) == digest else None


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def record_files(layout: Layout) -> list[Path]:
    return [layout.papers / name for name, _ in _listing(layout)]


def record_bytes(layout: Layout) -> Iterator[tuple[str, bytes | None]]:
    """Each record file's name and bytes, read as a build reads them (a FIFO or a device named *.yaml
    is passed over, never waited on); None for a file that cannot be read."""
    folder = os.fspath(layout.papers)
    for name, regular in _listing(layout):
        try:
            yield name, _read(folder, name, name, regular)
        except CatalogError:
            yield name, None


def _listing(layout: Layout) -> list[tuple[str, bool]]:
    """Names of the record files, sorted, each with whether the folder's listing says it is a regular
    file (neither a link nor anything else): that costs no system call per file. Names, not paths:
    20 000 Path objects cost more than reading the folder; the workers make the ones they need."""
    papers = layout.papers
    if not papers.is_dir():
        return []
    with os.scandir(papers) as entries:
        found = sorted((entry.name, _is_regular(entry)) for entry in entries)
    return [(name, regular) for name, regular in found if _has_record_suffix(name)]


def _has_record_suffix(name: str) -> bool:
    """``Path(name).suffix in (".yaml", ".yml")``: a name that is only the suffix has none."""
    return name.endswith((".yaml", ".yml")) and name not in (".yaml", ".yml")


def _is_regular(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file(follow_symlinks=False)
    except OSError:
        return False  # _read finds out why


def _read(folder: str, file_name: str, name: str, regular: bool) -> bytes:
    """The bytes of one record file; a link out of data/papers/, a folder, a device or an unreadable
    file is a problem of that file, never a traceback (and never a read that blocks, as a FIFO would)."""
    if regular and (data := _read_regular(f"{folder}/{file_name}")) is not None:
        return data
    path = Path(folder, file_name)

    def refuse(message: str) -> CatalogError:
        return CatalogError([Problem(name, message=message)])

    try:
        if path.is_symlink() and not path.resolve(strict=True).is_relative_to(Path(folder).resolve()):
            raise refuse("symbolic link to a file outside data/papers/ refused")
        if not path.is_file():
            raise refuse("not a regular file")
        size = path.stat().st_size
        if size > MAX_RECORD_BYTES:
            raise refuse(f"file is {size} bytes; a record may be at most {MAX_RECORD_BYTES} bytes")
        return path.read_bytes()
    except (OSError, RuntimeError) as exc:  # dangling or looping link, permissions, I/O
        raise refuse(f"cannot read file: {getattr(exc, 'strerror', None) or exc}") from None


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def _read_regular(path: str) -> bytes | None:
    """The bytes of a file listed as regular, by one open and one fstat instead of a stat per check;
    None for anything unexpected (it was replaced meanwhile, it is too large, it cannot be read):
    _read then looks again and words the problem."""
    if not (hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_NONBLOCK")):  # (Windows) no open that is sure not to block
        return None
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_RECORD_BYTES:
            return None
        data = os.read(fd, info.st_size + 1)  # one read: a byte more than expected tells a file that grew
        return data if len(data) == info.st_size else None  # grown, or a short read: _read reads it whole
    except OSError:
        return None
    finally:
        os.close(fd)


def load_record(folder: str, file_name: str, name: str, regular: bool) -> tuple[Record | None, list[Problem]]:
    """One record of the folder and its problems; ``name`` is the path as shown, ``regular`` what the
    listing said. Paths are strings: a Path per record cost more than reading the record's file."""
    problems: list[Problem] = []
    stem, _, suffix = file_name.rpartition(".")  # Path's stem and suffix: the listing has only *.yaml, *.yml
    if not ID_PATTERN.match(stem) or len(stem) > MAX_ID_LENGTH:
        problems.append(
            Problem(name, message=f"file name '{file_name}' is not a paper id: use lowercase letters, digits "
                    f"and '-', at most {MAX_ID_LENGTH} characters (e.g. 'catalog new \"Title\"' names it)")
        )
    elif stem in RESERVED_IDS:
        problems.append(
            Problem(name, message=f"file name '{file_name}' is reserved: docs/papers/{stem}.md is the papers "
                    f"folder's own page; rename the file (e.g. '{stem}-paper.yaml')")
        )
    if suffix != "yaml":
        problems.append(Problem(name, message="records end in .yaml"))
    try:
        data = _read(folder, file_name, name, regular)
        doc = yamlio.load(decode_utf8(data, name), name)
    except CatalogError as exc:
        return None, problems + exc.problems
    problems += schema.validate(doc, name)
    if problems:
        return None, problems
    return Record(stem, name, doc.data, f"{folder}/{file_name}", _digest(data)), []


def load_records(layout: Layout, memo: Memo | None = None, started: Started | None = None,
                 made: dict[str, object] | None = None) -> tuple[list[Record], list[Problem]]:
    """All valid records sorted by id, and the problems of the others (``started``: by start_loading;
    ``made`` receives what start_loading's ``then`` made of each valid record, by the record's path)."""
    if started is not None:
        loaded = started.results()
    else:
        folder = os.fspath(layout.papers)
        loaded = map_items(_loader(layout), _listing(layout), reuse=table(memo, "load", layout.root),
                           key=lambda listed: file_key(f"{folder}/{listed[0]}"))
    records, problems = [], []
    for record, found, *after in loaded:
        problems += found
        if record:
            records.append(record)
            if after and made is not None:
                made[record.path] = after[0]
    return records, problems


def start_loading(layout: Layout, then: Callable[[list[Record]], list] | None = None) -> Started:
    """Worker processes start reading the records now, for ``load_records`` to collect: a process that
    has other work first (imports, settings) takes fewer of them.

    ``then``: work on valid records that needs nothing else (enrichment's per-record pass), done
    by the process that read them, while they are at hand: no second map over the records, and
    no record sent to a process only to be read there again. It is given each run's valid records
    at once (parallel.RUN), and returns what it made of each, in order."""
    load = _loader(layout)
    if then is None:
        return start(load, _listing(layout))
    return start(lambda run: _and_then([load(listed) for listed in run], then), _listing(layout), in_runs=True)


def _and_then(loaded: list[tuple[Record | None, list[Problem]]], then: Callable[[list[Record]], list]
              ) -> list[tuple]:
    made = iter(then([record for record, _ in loaded if record]))
    return [(record, problems, next(made) if record else None) for record, problems in loaded]


def _loader(layout: Layout) -> Callable[[tuple[str, bool]], tuple[Record | None, list[Problem]]]:
    folder = os.fspath(layout.papers)
    shown = layout.rel(layout.papers)  # each file is shown as shown/name, as layout.rel would show it
    return lambda listed: load_record(folder, listed[0], f"{shown}/{listed[0]}", listed[1])
