"""Enrich every record at once: topics and code per paper, then related papers across the corpus."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..memo import Memo, table
from ..parallel import map_items
from ..records.store import Record
from . import code, related, terms, topics
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


def enrich(records: list[Record], taxonomy: Taxonomy, memo: Memo | None = None) -> list[Paper]:
    """Papers sorted by id; related papers need the whole corpus, so they come last."""
    records = sorted(records, key=lambda r: r.id)
    areas_of = _areas_of(taxonomy)
    # One pass over the records, in worker processes: their topics (with their areas, which related
    # papers share), code and the terms related papers weigh.
    derived = map_items(lambda record: _derive(record, taxonomy, areas_of), records,
                        reuse=table(memo, "enrich", taxonomy), key=lambda r: (r.path, r.digest))
    papers = [Paper(record, found_topics, found_code, [])
              for record, (found_topics, found_code, _, _) in zip(records, derived)]
    similar = related.related_papers([r.id for r in records], [(r.title, r.abstract) for r in records],
                                     [areas for *_, areas in derived], last=table(memo, "related"),
                                     tokens=[tokens for _, _, tokens, _ in derived])
    for paper in papers:
        paper.related = similar[paper.id]
    return papers


def _derive(record: Record, taxonomy: Taxonomy, areas_of: dict[str, frozenset[str]]
            ) -> tuple[list[topics.TopicMatch], code.CodeInfo, tuple[str, str], frozenset[str]]:
    found = topics.assign(record.title, record.abstract, taxonomy, record.data.get("topics"))
    return (found,
            code.resolve(record.abstract, record.data.get("code"), record.data.get("code_status")),
            terms.tokenize((record.title, record.abstract)),
            frozenset().union(*[areas_of.get(m.topic) or (m.topic,) for m in found]))


def _areas_of(taxonomy: Taxonomy) -> dict[str, frozenset[str]]:
    """Each topic with its area, the same for every paper that has it."""
    return {t.id: frozenset((t.id, taxonomy.area(t.id))) for t in taxonomy.topics}
