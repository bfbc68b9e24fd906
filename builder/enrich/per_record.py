"""Enrichment of one record alone: its topics (with their areas), its code and its terms.

None of it needs the rest of the catalog, so in a build it is worked out by the processes that read
the records, each record as soon as it is read (``start_reading``), beside the checks of the record
alone (records.checks); records read otherwise (`mkdocs serve`, `catalog export`) go through it in a
map of their own (catalog.enrich). Light on imports:
the reading processes start before numpy and scipy are loaded, and never need them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import CatalogError
from ..layout import Layout
from ..parallel import Started
from ..records.checks import record_problems
from ..records.store import Record, start_loading
from . import code, terms, topics
from .taxonomy import Taxonomy, load_taxonomy

Derived = tuple[list[topics.TopicMatch], code.CodeInfo, tuple[str, str], frozenset[str]]


def derive(records: list[Record], taxonomy: Taxonomy, areas_of: dict[str, frozenset[str]]) -> list[Derived]:
    """Each record's topics, code, terms (terms.tokenize) and the topics and areas it is in.

    One step at a time over all the records (a run of them, parallel.RUN): each step's code and
    tables (the taxonomy's automaton and regexes, the terms' memo) then stay in the processor's
    caches from one record to the next. Taking each record through every step cost a fifth more."""
    found = [topics.assign(r.title, r.abstract, taxonomy, r.data.get("topics")) for r in records]
    codes = [code.resolve(r.abstract, r.data.get("code"), r.data.get("code_status")) for r in records]
    tokens = [terms.tokenize((r.title, r.abstract)) for r in records]
    return [(matches, found_code, found_terms,
             frozenset().union(*[areas_of.get(m.topic) or (m.topic,) for m in matches]))
            for matches, found_code, found_terms in zip(found, codes, tokens)]


def areas_of(taxonomy: Taxonomy) -> dict[str, frozenset[str]]:
    """Each topic with its area, the same for every paper that has it."""
    return {t.id: frozenset((t.id, taxonomy.area(t.id))) for t in taxonomy.topics}


@dataclass
class Reading:
    """Records being read by worker processes, each derived by the process that read it."""

    started: Started
    taxonomy: Taxonomy | None  # what they were derived with; None: topics.yaml has a problem, reported later

    def __enter__(self) -> Reading:
        return self

    def __exit__(self, *exc_info) -> None:
        self.started.close()  # children still at work after an error are stopped


def start_reading(layout: Layout) -> Reading:
    """Start reading the records, and deriving and checking each one where it is read
    (records.store.start_loading): each valid record comes with (what ``derive`` made of it, its own
    problems)."""
    try:
        taxonomy = load_taxonomy(layout)
    except CatalogError:  # reported where the build loads it again, as without an early start
        return Reading(start_loading(layout), None)
    areas = areas_of(taxonomy)
    known = [t.id for t in taxonomy.topics]

    def then(records: list[Record]) -> list[tuple[Derived, list]]:
        return list(zip(derive(records, taxonomy, areas), [record_problems(record, known) for record in records]))

    return Reading(start_loading(layout, then), taxonomy)
