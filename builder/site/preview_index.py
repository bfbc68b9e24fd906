"""The search index during `mkdocs serve`: rebuilt beside the preview instead of before it.

Pagefind indexes a 5 000-paper catalog in several seconds, longer than the whole rest of a preview
rebuild. While serving, the index is built in a thread after the pages are served: it is written to
a staging folder and moved into place when complete, so the site always serves a whole index, the
previous one until the new one is ready. One index is built at a time; edits made meanwhile are
indexed together, next. `mkdocs build` still writes the index before it finishes (plugin.py).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from ..errors import CatalogError
from .search import BUNDLE_DIR, FINGERPRINT, SearchRecord, fingerprint, prune_bundle, write_index

log = logging.getLogger("mkdocs.plugins.catalog")
STAGING_PREFIX = ".catalog-index-"  # hidden folders beside the bundle, inside the served folder


class PreviewIndex:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: tuple[Callable[[], list[SearchRecord]], Path] | None = None
        self._worker: threading.Thread | None = None

    def submit(self, records: Callable[[], list[SearchRecord]], site_dir: Path) -> None:
        """Index the records into site_dir when the thread is free; a later call replaces a waiting one.
        ``records`` makes them, in the thread: 5 000 of them take a while too."""
        with self._lock:
            self._pending = (records, site_dir)
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="catalog search index", daemon=True)
                self._worker.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                job, self._pending = self._pending, None
                if job is None:
                    self._worker = None
                    return
            try:
                _swap_in(*job)
            except (CatalogError, OSError) as exc:  # the preview goes on; the next edit tries again
                log.error(f"search index not updated: {exc}")


def _swap_in(make_records: Callable[[], list[SearchRecord]], site_dir: Path) -> None:
    records = make_records()
    live = site_dir / BUNDLE_DIR
    marker = live / FINGERPRINT
    if marker.is_file() and marker.read_text(encoding="utf-8") == fingerprint(records):
        return  # our own writes into docs/ woke the preview; the index is already this one
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=site_dir))
    try:
        report = write_index(records, staging)
        prune_bundle(staging)
        retired = staging / "retired"
        if live.exists():
            live.rename(retired)
        (staging / BUNDLE_DIR).rename(live)
        log.info(report.summary())
    finally:
        shutil.rmtree(staging, ignore_errors=True)
