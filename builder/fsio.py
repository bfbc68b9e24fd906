"""All file reads and writes of the builder, so every write is atomic and every read error is clear."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import CatalogError, Problem

# Characters YAML refuses and no paper text needs: C0/C1 controls other than tab, newline, carriage
# return and NEL (a line break), unpaired surrogates and the two noncharacters U+FFFE/U+FFFF.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def read_text(path: Path, display: str | None = None) -> str:
    """Read UTF-8 text (a byte-order mark is accepted), naming the file, line and byte on bad bytes."""
    name = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError([Problem(name, message=f"cannot read file: {exc.strerror}")]) from None
    return decode_utf8(data, name)


def decode_utf8(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise CatalogError([Problem(name, message="binary file (contains NUL bytes), expected UTF-8 text")])
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0  # a byte-order mark is accepted and dropped
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = bom + exc.start  # counted in the file as saved, the way hex editors show it
        line = data[:offset].count(b"\n") + 1
        raise CatalogError([Problem(name, line=line, message=f"invalid UTF-8 at byte offset {offset} "
                                    f"(byte 0x{data[offset]:02x}); save the file as UTF-8")]) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise CatalogError([Problem(name, line, col, message=f"control character U+{ord(bad[0]):04X} is not "
                                    "allowed in text; remove it (a binary file or a bad copy and paste?)")])
    return text


@contextmanager
def _staged(path: Path, content: str) -> Iterator[str]:
    """A temporary file beside ``path`` holding ``content``; gone afterwards unless renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
        yield tmp
    finally:
        Path(tmp).unlink(missing_ok=True)


def write_atomic(path: Path, content: str) -> None:
    """Write via a temporary file in the same folder and rename: a crash never leaves half a file."""
    with _staged(path, content) as tmp:
        os.replace(tmp, path)


def write_if_changed(path: Path, content: str) -> bool:
    """Write only when the bytes differ, so unchanged pages keep their mtime; returns True if written."""
    try:
        if path.read_text(encoding="utf-8") == content:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    write_atomic(path, content)
    return True


def create_exclusive(path: Path, content: str) -> bool:
    """Create a new file, never replacing one that exists; returns False if it already existed."""
    with _staged(path, content) as tmp:
        try:
            os.link(tmp, path)  # fails if path exists: no race with another writer
        except FileExistsError:
            return False
    return True
