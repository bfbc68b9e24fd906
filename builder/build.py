"""The pipeline: load records → check → enrich → render → write. One named stage per line."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .collector import collector_paused
from .enrich.catalog import Paper, enrich, relate, tag
from .enrich.per_record import Reading
from .enrich.taxonomy import Taxonomy, load_taxonomy
from .errors import CatalogError, Problem
from . import parallel
from .layout import Layout
from .memo import Memo, file_key, reuse_one
from .pages.export import site_exports
from .pages.render import PaperPageParts, Settings, paper_pages, site_pages
from .pages.writer import PageWriter, WriteReport
from .progress import stages
from .records.checks import check_records
from .records.store import Record, load_records
from .report import counted


@dataclass
class Loaded:
    papers: list[Paper]
    taxonomy: Taxonomy
    warnings: list[Problem]


@dataclass
class Checked:
    """Records read and checked, with their taxonomy: ready to enrich."""

    records: list[Record]
    taxonomy: Taxonomy
    warnings: list[Problem]
    derived: dict  # each record's per-record enrichment, by path, when its reader worked it out


def read_catalog(layout: Layout, memo: Memo | None = None, reading: Reading | None = None) -> Checked:
    """Read and validate; any error stops here, before a single file is written.

    ``memo`` (kept by `mkdocs serve` between builds) lets every stage reuse what did not change;
    ``reading``: the records' reading (and per-record enrichment) begun earlier (per_record.start_reading)."""
    read: dict = {}  # by path: what the reading made of each record (per_record.start_reading)
    records, problems = load_records(layout, memo, reading and reading.started, read)  # every record, every problem
    taxonomy = (reading and reading.taxonomy) or \
        reuse_one(memo, "taxonomy", file_key(layout.topics), lambda: load_taxonomy(layout))  # topics, rules
    checked = {path: found for path, (_, found) in read.items()}
    problems += check_records(records, taxonomy, memo, checked)  # duplicates, unknown topics
    derived = {path: made for path, (made, _) in read.items()}
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CatalogError(sorted(problems))
    return Checked(records, taxonomy, [p for p in problems if p.severity == "warning"], derived)


def load_catalog(layout: Layout, memo: Memo | None = None) -> Loaded:
    """Read, validate and enrich (read_catalog, then enrich.catalog)."""
    checked = read_catalog(layout, memo)
    return Loaded(enrich(checked.records, checked.taxonomy, memo), checked.taxonomy, checked.warnings)


@dataclass
class BuildReport:
    papers: int
    pages: WriteReport
    seconds: float
    warnings: list[Problem]
    catalog: Loaded | None = field(default=None, repr=False)  # what the site's search index is made of
    processes: int = 1  # the most worker processes a stage ran on (builder/parallel.py)

    def summary(self) -> str:
        on = f" on {self.processes} processes" if self.processes > 1 else ""
        papers = counted(self.papers, "paper")
        return f"catalog build: {papers}; pages {self.pages.summary()}; {self.seconds:.2f} s{on}"


def build(layout: Layout, settings: Settings, memo: Memo | None = None, reading: Reading | None = None
          ) -> BuildReport:
    start = reading.started.began if reading else time.perf_counter()
    parallel.used()  # counts from here
    with collector_paused(), stages(["records", "pages", "exports", "writing"], "catalog build") as done:
        checked = read_catalog(layout, memo, reading)  # records, read and checked
        taxonomy = checked.taxonomy
        tagged = tag(checked.records, taxonomy, memo, checked.derived)  # topics, code

        def listing():
            # What paper pages show of other papers, first: this process needs it once it has
            # related the papers, maybe before the worker is done. Not with a memo: `mkdocs serve`
            # makes it only when it renders a paper page.
            yield PaperPageParts.make(tagged.papers, taxonomy, settings) if memo is None else None
            yield writer.write(site_pages(tagged.papers, taxonomy, settings, memo))

        # Lists, home, explore, stats and feeds show no related papers: a worker process makes and
        # writes them while this one relates the papers, alone (the worker has the other core).
        # Not with a memo: the list pages it keeps for the next build would stay in the worker.
        with PageWriter(layout.docs, memo) as writer, parallel.background(listing, fork=memo is None) as listed:
            papers = relate(tagged, memo)  # related papers, across the catalog
            parts = listed.part()
            done()
            # The paper pages, most of the files, are rendered and written by a worker process while
            # this one makes the exports (forked once the list pages' worker is done); this one joins
            # in when it writes them (finish).
            writer.start(paper_pages(papers, taxonomy, settings, memo, parts))  # one page per paper
            done()
            exports = writer.write(site_exports(papers, taxonomy, memo))  # catalog.json, a JSON per topic
            done()
            written = writer.finish({}, exports + listed.part())  # changed files only, stale ones removed
        done()
    return BuildReport(len(papers), written, time.perf_counter() - start, checked.warnings,
                       Loaded(papers, taxonomy, checked.warnings), parallel.used())
