"""Enrich every record at once: topics and code per paper, then related papers across the corpus."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..memo import Memo, table
from ..parallel import map_items
from ..records.store import Record
from . import code, per_record, related, topics
from .taxonomy import Taxonomy


@dataclass
class Paper:
    """A record plus everything derived from it; what the pages and exports are made of."""

    record: Record
    topics: list[topics.TopicMatch]
    code: code.CodeInfo
    related: list[related.Related]

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def title(self) -> str:
        return self.record.title

    @property
    def abstract(self) -> str:
        return self.record.abstract

    @cached_property  # sorting and feeds ask for it ~16 times per paper
    def listed(self) -> str | None:
        return self.record.data.get("listed")

    @cached_property  # topics are set once, and pages ask for their ids hundreds of thousands of times
    def topic_ids(self) -> list[str]:
        return [m.topic for m in self.topics]

    def get(self, field: str, default=None):
        return self.record.data.get(field, default)


def papers_by_topic(papers: list[Paper], taxonomy: Taxonomy) -> dict[str, list[Paper]]:
    """Every topic's papers, in the order given; a topic no paper has gets an empty list."""
    members: dict[str, list[Paper]] = {topic.id: [] for topic in taxonomy.topics}
    for paper in papers:
        for topic in paper.topic_ids:
            members[topic].append(paper)
    return members


def enrich(records: list[Record], taxonomy: Taxonomy, memo: Memo | None = None,
           derived: dict[str, per_record.Derived] | None = None) -> list[Paper]:
    """Papers sorted by id; related papers need the whole corpus, so they come last.

    ``derived``: each record's per-record enrichment by path, when the processes that read the
    records worked it out (per_record.start_reading); a map works out the others."""
    records = sorted(records, key=lambda r: r.id)
    known = dict(derived or {})
    missing = [record for record in records if record.path not in known]
    areas = per_record.areas_of(taxonomy)
    known.update(zip((record.path for record in missing),
                     map_items(lambda record: per_record.derive(record, taxonomy, areas), missing,
                               reuse=table(memo, "enrich", taxonomy), key=lambda r: (r.path, r.digest))))
    found = [known[record.path] for record in records]
    papers = [Paper(record, found_topics, found_code, [])
              for record, (found_topics, found_code, _, _) in zip(records, found)]
    similar = related.related_papers([r.id for r in records], [(r.title, r.abstract) for r in records],
                                     [areas for *_, areas in found], last=table(memo, "related"),
                                     tokens=[tokens for _, _, tokens, _ in found])
    for paper in papers:
        paper.related = similar[paper.id]
    return papers
