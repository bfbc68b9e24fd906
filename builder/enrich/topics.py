"""Assign topics from the taxonomy's rules, keeping the evidence so every tag can be explained."""

from __future__ import annotations

from dataclasses import dataclass

from .phrases import find
from .taxonomy import Taxonomy, Topic

MAX_TOPICS = 4
TITLE_WEIGHT = 3


@dataclass(frozen=True)
class TopicMatch:
    topic: str
    score: int
    evidence: tuple[str, ...]  # e.g. 'title: "diffusion model"', 'abstract: "sampler"'


def _match(topic: Topic, title: str, text: str) -> TopicMatch | None:
    rules = topic.rules
    if any(find(p, text) for p in rules.exclude):
        return None
    in_title = [p for p in rules.title if find(p, title)]
    hits = [p for p in rules.phrases if find(p, text)]
    if not in_title and len(hits) < rules.min_hits:
        return None
    evidence = tuple(f'title: "{p}"' for p in in_title) + tuple(f'text: "{p}"' for p in hits)
    return TopicMatch(topic.id, TITLE_WEIGHT * len(in_title) + len(hits), evidence)


def assign(title: str, abstract: str, taxonomy: Taxonomy, manual: list[str] | None = None) -> list[TopicMatch]:
    """The paper's topics, best first; hand-set topics win; a paper always has at least one."""
    if manual:
        return [TopicMatch(t, 0, ("set by hand in the record",)) for t in manual]
    text = f"{title}\n{abstract}"
    order = {t.id: i for i, t in enumerate(taxonomy.topics)}
    matches = [m for t in taxonomy.topics if (m := _match(t, title, text))]
    matches.sort(key=lambda m: (-m.score, order[m.topic]))
    if not matches:
        return [TopicMatch(taxonomy.fallback, 0, ("no rule matched: fallback topic",))]
    return matches[:MAX_TOPICS]
