"""The site's search index: Pagefind, fed from the enriched catalog rather than from the built HTML.

Pagefind splits the index into small chunks that the browser fetches per query, so a reader of a
10 000-paper catalog downloads a few hundred kilobytes to search, not the whole index. The records
come straight from the papers (title, abstract, authors, venue, arXiv id; topics and code status),
so the index holds what a reader searches and nothing else (no related lists, badges or navigation),
it costs no HTML parsing, and it stays correct when MkDocs re-renders only the changed pages
(`mkdocs serve --dirty`).

We speak Pagefind's service protocol (base64 JSON messages separated by commas on stdin/stdout)
directly: the `pagefind` Python wrapper polls for each reply with a 0.1 s sleep, which makes
10 000 records take 17 minutes instead of seconds.
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import html
import json
import shutil
import subprocess
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..enrich.catalog import Paper
from ..enrich.taxonomy import Taxonomy
from ..errors import CatalogError, Problem
from ..pages.render import CODE_STATUSES
from ..pages.urls import page_url

BUNDLE_DIR = "pagefind"  # inside the site folder; the theme's search partial loads it from there
FINGERPRINT = "catalog-fingerprint.txt"  # what the bundle was built from, so an unchanged index is kept
# Every filter value and its number of records, for the search box's filter menus: reading them from
# Pagefind's filter index would load that index, after which every query also counts filter values.
FILTER_VALUES = "catalog-filters.json"
LANGUAGE = "en"
# Pagefind's ready-made UIs; the theme's search partial draws results itself, so they are not shipped.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
          "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")


@dataclass(frozen=True)
class SearchRecord:
    url: str  # relative to the site root, e.g. papers/some-id/
    title: str
    content: str  # the searchable text; excerpts are cut from it
    meta: dict[str, str] = field(default_factory=dict)
    filters: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class IndexReport:
    records: int
    files: int
    bytes: int
    seconds: float
    reused: bool = False

    def summary(self) -> str:
        verb = "kept (catalog unchanged)" if self.reused else f"built in {self.seconds:.2f} s"
        return (f"search index: {self.records} records, {self.files} files, {self.bytes / 1e6:.2f} MB, {verb}"
                f" ({pagefind_version()})")


def _text(value: str) -> str:
    """Contributor text as HTML text: Pagefind stores records as given, and its fragments are
    served files, so markup in a title must arrive as characters (the search script decodes them)."""
    return html.escape(value, quote=False)


def byline(data: dict) -> str:
    """The record's authors, venue and arXiv id as searched: "Ashish Vaswani, Noam Shazeer. NeurIPS 2017.
    arXiv 1706.03762"; "" when it has none of them.

    They go into the searched text, after the abstract, rather than into Pagefind metadata: an excerpt
    then shows the matched name marked, and the excerpt of a title or abstract match is as before. A
    title match still ranks first: Pagefind (1.5 and later) also matches the title metadata, weighted 5.
    "arXiv" stays a word of its own, so that "1706.03762" finds the paper and so does "arXiv 1706.03762"."""
    arxiv = data.get("arxiv")
    parts = (", ".join(data.get("authors", ())), data.get("venue", ""), f"arXiv {arxiv}" if arxiv else "")
    return ". ".join(part for part in parts if part)


def catalog_records(papers: list[Paper], taxonomy: Taxonomy, directory_urls: bool = True) -> list[SearchRecord]:
    """One record per paper (title, abstract and byline; topics and code status as filters) and per topic page."""
    records = []
    for paper in papers:
        topics = [taxonomy.by_id[t].name for t in paper.topic_ids]
        code = CODE_STATUSES[paper.code.status][0]
        text = f"{paper.title}.\n{paper.abstract}"
        facts = byline(paper.record.data)
        records.append(
            SearchRecord(
                url=page_url(f"papers/{paper.id}.md", directory_urls),
                title=_text(paper.title),
                content=_text(f"{text}\n{facts}" if facts else text),
                meta={"title": _text(paper.title), "topics": _text(" · ".join(topics)), "code": code, "kind": "paper"},
                filters={"topic": topics, "code": [code]},
            )
        )
    for topic in taxonomy.topics:
        records.append(
            SearchRecord(
                url=page_url(f"topics/{topic.id}.md", directory_urls),
                title=_text(topic.name),
                content=_text(f"{topic.name}.\n{topic.description}"),
                meta={"title": _text(topic.name), "kind": "topic"},
            )
        )
    return records


def filter_values(records: list[SearchRecord]) -> dict[str, list[tuple[str, int]]]:
    """{filter: [(value, records having it), ...]}, values sorted and HTML-escaped as the records'
    text is (a list, not an object: a browser lists an object's number-like keys first)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for record in records:
        for name, values in record.filters.items():
            counts[name].update(values)
    return {name: [(_text(value), count) for value, count in sorted(counts[name].items())] for name in sorted(counts)}


def fingerprint(records: list[SearchRecord]) -> str:
    """What the index is made from: the records and the Pagefind that indexes them."""
    digest = hashlib.sha256(pagefind_version().encode("utf-8"))
    for record in records:
        digest.update(json.dumps(record.__dict__, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def write_index(records: list[SearchRecord], site_dir: Path) -> IndexReport:
    """Write the Pagefind bundle into site_dir/pagefind/, unless the one there was built from the same records."""
    start = time.perf_counter()
    bundle = site_dir / BUNDLE_DIR
    stamp = fingerprint(records)
    marker = bundle / FINGERPRINT
    if marker.is_file() and marker.read_text(encoding="utf-8") == stamp:
        return _report(records, bundle, start, reused=True)
    for _attempt in range(3):
        if bundle.exists():
            shutil.rmtree(bundle)  # stale chunks of an older index would otherwise pile up
        _run_pagefind(records, bundle)
        broken = incomplete_files(bundle)
        if not broken:
            break
    else:
        raise CatalogError([Problem("search", message=f"pagefind left incomplete files: {', '.join(broken)}")])
    (bundle / FILTER_VALUES).write_text(json.dumps(filter_values(records), ensure_ascii=False), encoding="utf-8")
    marker.write_text(stamp, encoding="utf-8")
    return _report(records, bundle, start, reused=False)


_GZIPPED = (".pagefind", ".pf_meta", ".pf_fragment", ".pf_index", ".pf_filter")


def incomplete_files(bundle: Path) -> list[str]:
    """Bundle files that are empty or cut short. Pagefind 1.5.2 can exit before its last writes reach
    the disk (seen: an empty wasm.unknown.pagefind), and a cut file breaks search for every reader."""
    broken = []
    for path in sorted(p for p in bundle.rglob("*") if p.is_file()):
        data = path.read_bytes()
        try:
            if not data or (path.suffix in _GZIPPED and not gzip.decompress(data)):
                broken.append(path.name)
        except (OSError, EOFError):
            broken.append(path.name)
    return broken


def _report(records: list[SearchRecord], bundle: Path, start: float, reused: bool) -> IndexReport:
    files = [p for p in bundle.rglob("*") if p.is_file()]
    return IndexReport(len(records), len(files), sum(p.stat().st_size for p in files),
                       time.perf_counter() - start, reused)


def prune_bundle(site_dir: Path) -> None:
    for name in UNUSED:
        (site_dir / BUNDLE_DIR / name).unlink(missing_ok=True)


# Pagefind 1.6.0, pinned in package-lock.json and installed by `npm ci` (`make` runs it): its search
# of a word in half of 10 000 papers takes 65-165 ms in the browser where 1.5.2's takes 270-390 ms,
# which kept a second query over 300 ms (docs/scaling.md). PyPI's newest is pagefind-bin 1.5.2, the
# fallback when npm is not there.
NPM_BINARIES = Path(__file__).resolve().parents[2] / "node_modules" / "@pagefind"


def pagefind_executable() -> Path:
    # npm installs only the package of this platform (linux-x64, darwin-arm64, ...).
    for name in ("pagefind_extended", "pagefind_extended.exe", "pagefind", "pagefind.exe"):
        for found in sorted(NPM_BINARIES.glob(f"*/bin/{name}")):
            return found
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise CatalogError([Problem("search", message="Pagefind is not installed; run `make` (`npm ci` and "
                                    "`pip install -e .`), or set `search: false` for the catalog plugin")]) from None
    return Path(get_executable())


@functools.cache
def pagefind_version() -> str:
    """`pagefind 1.6.0`: part of the index's fingerprint, so another Pagefind writes the index anew."""
    executable = pagefind_executable()
    try:
        return subprocess.run([str(executable), "--version"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as exc:
        raise CatalogError([Problem("search", message=f"{executable} does not run: {exc}")]) from None


def _encode(message_id: int, payload: dict) -> bytes:
    return base64.b64encode(json.dumps({"message_id": message_id, "payload": payload}).encode("utf-8")) + b","


class _Service:
    """One `pagefind --service` process: requests are written by a thread while replies are read."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [str(pagefind_executable()), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.buffer = b""
        self.next_id = 0

    def send_all(self, payloads: list[dict]) -> list[dict]:
        """Send every payload, then return their replies in order; any error reply stops the build."""
        first = self.next_id
        self.next_id += len(payloads)
        data = b"".join(_encode(first + i, p) for i, p in enumerate(payloads))
        writer = threading.Thread(target=self._write, args=(data,), daemon=True)
        writer.start()
        replies: dict[int, dict] = {}
        while len(replies) < len(payloads):
            reply = self._read()
            if reply["payload"].get("type") == "Error":
                raise CatalogError([Problem("search", message=f"pagefind: {reply['payload'].get('message')}")])
            replies[reply["message_id"]] = reply["payload"]
        writer.join()
        return [replies[first + i] for i in range(len(payloads))]

    def _write(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def _read(self) -> dict:
        assert self.process.stdout is not None
        while b"," not in self.buffer:
            chunk = self.process.stdout.read1(1 << 16)
            if not chunk:
                raise CatalogError([Problem("search", message="pagefind stopped before finishing the index")])
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b",", 1)
        return json.loads(base64.b64decode(message))

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait()  # it may still be flushing files after its last reply


def _run_pagefind(records: list[SearchRecord], bundle: Path) -> None:
    service = _Service()
    try:
        (created,) = service.send_all([{"type": "NewIndex", "config": {"force_language": LANGUAGE}}])
        index_id = created["index_id"]
        service.send_all([
            {"type": "AddRecord", "index_id": index_id, "url": r.url, "content": r.content,
             "language": LANGUAGE, "meta": r.meta, "filters": r.filters, "sort": None}
            for r in records
        ])
        service.send_all([{"type": "WriteFiles", "index_id": index_id, "output_path": str(bundle)}])
    finally:
        service.close()
