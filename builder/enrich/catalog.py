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
    """Papers sorted by id, with their topics, code and related papers (``derived``: see `tag`)."""
    return relate(tag(records, taxonomy, memo, derived), memo)


@dataclass
class Tagged:
    """Papers with their topics and code, not yet their related papers; and what relating them needs."""

    papers: list[Paper]  # sorted by id
    areas: list[frozenset[str]]  # each paper's topics with their areas
    tokens: list[tuple[str, str]]  # each paper's terms (terms.tokenize)


def tag(records: list[Record], taxonomy: Taxonomy, memo: Memo | None = None,
        derived: dict[str, per_record.Derived] | None = None) -> Tagged:
    """Each record's topics, code and terms. ``derived``: what the processes that read the records
    worked out already, by record path (per_record.start_reading); a map works out the others."""
    records = sorted(records, key=lambda r: r.id)
    known = dict(derived or {})
    missing = [record for record in records if record.path not in known]
    areas = per_record.areas_of(taxonomy)
    known.update(zip((record.path for record in missing),
                     map_items(lambda run: per_record.derive(run, taxonomy, areas), missing, in_runs=True,
                               reuse=table(memo, "enrich", taxonomy), key=lambda r: (r.path, r.digest))))
    found = [known[record.path] for record in records]
    return Tagged([Paper(record, found_topics, found_code, []) for record, (found_topics, found_code, _, _)
                   in zip(records, found)],
                  [areas for *_, areas in found], [tokens for _, _, tokens, _ in found])


def relate(tagged: Tagged, memo: Memo | None = None) -> list[Paper]:
    """The tagged papers, each given its related papers: these need the whole corpus, so they come last."""
    papers = tagged.papers
    similar = related.related_papers([p.id for p in papers], [(p.title, p.abstract) for p in papers],
                                     tagged.areas, last=table(memo, "related"), tokens=tagged.tokens)
    for paper in papers:
        paper.related = similar[paper.id]
    return papers
