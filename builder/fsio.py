"""All file reads and writes of the builder, so every write is atomic and every read error is clear."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import CatalogError, Problem


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
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        offset = exc.start - (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(
            [
                Problem(
                    name,
                    line=line,
                    message=f"invalid UTF-8 at byte offset {offset} (byte 0x{data[exc.start]:02x}); "
                    "save the file as UTF-8",
                )
            ]
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def write_atomic(path: Path, content: str) -> None:
    """Write via a temporary file in the same folder and rename: a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
        os.link(tmp, path)  # fails if path exists: no race with another writer
        return True
    except FileExistsError:
        return False
    finally:
        Path(tmp).unlink(missing_ok=True)
