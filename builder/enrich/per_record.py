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


def derive(record: Record, taxonomy: Taxonomy, areas_of: dict[str, frozenset[str]]) -> Derived:
    """A record's topics, code, terms (terms.tokenize) and the topics and areas it is in."""
    found = topics.assign(record.title, record.abstract, taxonomy, record.data.get("topics"))
    return (found,
            code.resolve(record.abstract, record.data.get("code"), record.data.get("code_status")),
            terms.tokenize((record.title, record.abstract)),
            frozenset().union(*[areas_of.get(m.topic) or (m.topic,) for m in found]))


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
    (records.store.start_loading): each valid record comes with (``derive``, its own problems)."""
    try:
        taxonomy = load_taxonomy(layout)
    except CatalogError:  # reported where the build loads it again, as without an early start
        return Reading(start_loading(layout), None)
    areas = areas_of(taxonomy)
    known = [t.id for t in taxonomy.topics]
    return Reading(start_loading(layout, lambda record: (derive(record, taxonomy, areas),
                                                         record_problems(record, known))), taxonomy)
