"""All file reads and writes of the builder, so every write is atomic and every read error is clear."""

from __future__ import annotations

import os
import re
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


_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n"


def decode_utf8(data: bytes, name: str) -> str:
    if data.isascii() and not data.translate(None, _PLAIN_ASCII):
        # Printable ASCII, tabs and line feeds (most files): nothing below can find fault with it or
        # change it, and a bytes translate looks at each byte five times faster than CONTROL.search.
        return data.decode("ascii")
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


# A new file: created, never opened if it exists, never a symbolic link followed, binary on Windows
# (text mode would write CRLF).
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
# What open() gives: the user's umask decides (0644 with the usual 022). A temporary file holds what
# the file it becomes will, so it needs no 0600 of its own, and the rename keeps its mode.
_MODE = 0o666
_READ = os.O_RDONLY | getattr(os, "O_BINARY", 0)


def _stage(path: Path | str, data: bytes) -> str:
    """A temporary file beside ``path`` holding ``data``: its name, for the caller to rename or remove.

    A few os calls: tempfile.mkstemp, a text-mode file object and a mkdir per file cost as much CPU
    as the kernel's own work for a 5 KB page (5 000 pages a build). The folder is made when missing."""
    folder, name = os.path.split(os.fspath(path))
    for _ in range(100):  # a random name, like mkstemp's: a leftover of a killed build is never reused
        tmp = os.path.join(folder, f".{name}.{os.urandom(5).hex()}.tmp")
        try:
            fd = os.open(tmp, _CREATE, _MODE)
        except FileExistsError:
            continue
        except FileNotFoundError:
            if not folder or os.path.isdir(folder):
                raise
            os.makedirs(folder, exist_ok=True)
            continue
        try:
            try:
                _write_all(fd, data)
            finally:
                os.close(fd)
        except BaseException:
            _discard(tmp)
            raise
        return tmp
    raise FileExistsError(f"no free temporary name beside {path}")


def _write_all(fd: int, data: bytes) -> None:
    written = os.write(fd, data)
    while written < len(data):  # a regular file takes all at once, but for a signal or a full disk
        written += os.write(fd, memoryview(data)[written:])


def _discard(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass


def write_atomic(path: Path | str, content: str) -> None:
    """Write via a temporary file in the same folder and rename: a crash never leaves half a file."""
    _replace_with(path, content.encode("utf-8"))


def _replace_with(path: Path | str, data: bytes) -> None:
    tmp = _stage(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        _discard(tmp)
        raise


def _holds(path: Path | str, data: bytes) -> bool:
    """Whether the file holds exactly these bytes; a file of another size is not even read."""
    try:
        fd = os.open(path, _READ)
    except OSError:
        return False
    try:
        # One byte more than expected tells a file that grew meanwhile; a short read costs a needless write.
        return os.fstat(fd).st_size == len(data) and os.read(fd, len(data) + 1) == data
    except OSError:  # a folder by that name, a read error: write, and let that report the problem
        return False
    finally:
        os.close(fd)


def write_if_changed(path: Path | str, content: str) -> bool:
    """Write only when the bytes differ, so unchanged pages keep their mtime; returns True if written."""
    data = content.encode("utf-8")
    if _holds(path, data):
        return False
    _replace_with(path, data)
    return True


def write_new(path: str, content: str) -> None:
    """Create a file in a folder nobody reads yet (a staging folder, renamed into place once whole):
    no temporary file and rename per file, which cost a third of writing 5 000 fresh pages."""
    try:
        fd = os.open(path, _CREATE, _MODE)
    except FileNotFoundError:  # the first page of its folder: no look for the folder before every page
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, _CREATE, _MODE)
    try:
        _write_all(fd, content.encode("utf-8"))
    finally:
        os.close(fd)


def create_exclusive(path: Path, content: str) -> bool:
    """Create a new file, never replacing one that exists; returns False if it already existed."""
    tmp = _stage(path, content.encode("utf-8"))
    try:
        os.link(tmp, path)  # fails if path exists: no race with another writer
    except FileExistsError:
        return False
    finally:
        _discard(tmp)
    return True
