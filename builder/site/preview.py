"""What `mkdocs serve --dirty` (`make serve`) does differently, so that an edit shows in seconds.

A rebuild while serving re-renders only what changed (memo.py), but MkDocs still does work for every
page and every watched file. Here: unchanged generated pages are left out of the rebuild, the pages
the build writes are not polled, and garbage is collected between rebuilds rather than during them.
"""

from __future__ import annotations

import gc
import logging
import re
import threading
from pathlib import Path

from mkdocs.structure.files import InclusionLevel

from ..pages.writer import OWNED_DIRS

COLLECT_AFTER_S = 1.0  # after a rebuild, once the browser has reloaded its page


def _nav_files(nav) -> set[str]:
    """Every page path the `nav` setting names."""
    if isinstance(nav, str):
        return {nav}
    items = nav.values() if isinstance(nav, dict) else nav or []
    return {path for item in items for path in _nav_files(item)}


def keep_unchanged_pages(files, config) -> None:
    """`mkdocs serve --dirty` keeps the HTML of every page whose Markdown did not change, yet makes a
    page object for each of them on every rebuild (its URLs, edit link and date: 0.6 s for 5 000
    papers). A generated page outside the navigation whose HTML is newer than its Markdown is left
    out of the rebuild altogether: its HTML stays as it is and links to it still resolve."""
    in_nav = _nav_files(config.nav)
    kept = set()
    for file in files.documentation_pages():
        if file.src_uri.split("/", 1)[0] in OWNED_DIRS and file.src_uri not in in_nav and not file.is_modified():
            file.inclusion = InclusionLevel.EXCLUDED
            kept.add(file.src_uri)
    QUIET_KEPT_LINKS.kept = kept


class _QuietKeptLinks(logging.Filter):
    """MkDocs notes each link to a page left out of a build; a page kept from the last build is not
    left out of the site, so those notes would only mislead."""

    kept: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        found = re.search(r"contains a link to '(.+)' which is excluded from the built site", record.getMessage())
        return not (found and found.group(1) in self.kept)


QUIET_KEPT_LINKS = _QuietKeptLinks()  # on MkDocs' page logger while serving dirty (plugin.py)


def watch_sources(server, docs_dir: str, watched: set[str]) -> None:
    """Watch docs/ for what people write, not for the thousands of pages the catalog build writes
    there: `mkdocs serve` polls every watched file twice a second (0.06 s of CPU per poll at 5 000
    papers, taken from the rebuild that runs beside it), and the build rewrites those pages itself.
    Top-level files stay watched; a folder made while serving is watched from the next rebuild on."""
    folders = [str(c) for c in sorted(Path(docs_dir).iterdir()) if c.is_dir() and c.name not in OWNED_DIRS]
    for path, recursive in [(docs_dir, False), *((f, True) for f in folders)]:
        if path not in watched:
            server.watch(path, recursive=recursive)
            watched.add(path)


_collector: list[threading.Timer] = []  # the collection waiting to run, if any


def collect_between_rebuilds(start: bool) -> None:
    """Python's full garbage collections scan every object the preview keeps (the memo, MkDocs'
    files): two or three per rebuild, 0.1 s each at 5 000 papers. Between rebuilds, once the page is
    served, the garbage of the last rebuild is collected and what survives is frozen out of later
    collections, which then look only at what the next rebuild makes. ``start=False`` (a rebuild is
    starting) cancels a collection not yet begun."""
    while _collector:
        _collector.pop().cancel()
    if start:
        def collect() -> None:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
        timer = threading.Timer(COLLECT_AFTER_S, collect)
        timer.daemon = True
        timer.start()
        _collector.append(timer)
