"""Folders a benchmark is done with are moved into its trash folder, deleted only when it ends.

Deleting thousands of files slows this machine's kernel (ext4 mounted with `discard`, in a VM) for
minutes after: cold 5 000-paper builds took 1.7–4.4 s of system time in the five minutes after
14 GB of old pages were deleted, 0.5–0.7 s before and after. A build in a fresh checkout follows no
such deletion, so nothing a benchmark times may follow one of its own."""

from __future__ import annotations

import tempfile
from pathlib import Path


def set_aside(path: Path, trash: Path) -> None:
    """Move ``path`` (a file or folder) into ``trash``, under a folder of its own."""
    trash.mkdir(parents=True, exist_ok=True)
    path.rename(Path(tempfile.mkdtemp(dir=trash)) / path.name)
