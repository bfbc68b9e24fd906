"""Assign topics from the taxonomy's rules, keeping the evidence so every tag can be explained.

A topic matches when one of its title phrases is in the title, or when its phrases are mentioned at
least ``min_hits`` times in the title and abstract. Mentions are counted with two limits, so that a
single word repeated cannot carry a topic: a phrase counts at most ``MAX_PER_PHRASE`` times, and a
span of text counts once, for the longest phrase that covers it ("mixture of experts" is not also
"experts"). A subtopic stands for its area, so an area is dropped when one of its subtopics matched.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .phrases import PhraseSet, TextMatches
from .taxonomy import Taxonomy, Topic

MAX_TOPICS = 4
TITLE_WEIGHT = 3  # a title phrase weighs as much as three mentions in the abstract
MAX_PER_PHRASE = 2


@dataclass(frozen=True)
class TopicMatch:
    topic: str
    score: int
    evidence: tuple[str, ...]  # e.g. 'title: “Diffusion”', 'text: “mixture of experts” ×2'


@cache
def _longest_first(phrases: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(phrases, key=lambda p: (-len(p), p)))


@cache
def _phrase_set(topics: tuple[Topic, ...]) -> PhraseSet:
    return PhraseSet(p for t in topics for p in (*t.rules.exclude, *t.rules.title, *t.rules.phrases))


def _mentions(phrases: tuple[str, ...], text: TextMatches) -> list[tuple[str, int]]:
    """(first matched text, count) per phrase, longest phrases first, overlapping spans counted once."""
    taken: list[tuple[int, int]] = []
    found = []
    for phrase in _longest_first(phrases):
        if phrase not in text.candidates:
            continue
        spans = [m for m in text.find_all(phrase)
                 if not any(m.start() < end and start < m.end() for start, end in taken)]
        if spans:
            taken += [m.span() for m in spans]
            found.append((spans[0].group(0), min(len(spans), MAX_PER_PHRASE)))
    return found


def match_topic(topic: Topic, title: TextMatches, text: TextMatches) -> TopicMatch | None:
    rules = topic.rules
    veto = next((m for p in rules.exclude if p in text.candidates and (m := text.find(p))), None)
    if veto:
        return None
    in_title = [m.group(0) for p in rules.title if p in title.candidates and (m := title.find(p))]
    mentions = _mentions(rules.phrases, text)
    hits = sum(count for _, count in mentions)
    if not in_title and hits < rules.min_hits:
        return None
    evidence = tuple(f"title: “{t}”" for t in dict.fromkeys(in_title)) + tuple(
        f"text: “{t}”" + (f" ×{count}" if count > 1 else "") for t, count in mentions
    )
    return TopicMatch(topic.id, TITLE_WEIGHT * len(set(in_title)) + hits, evidence)


def assign(title: str, abstract: str, taxonomy: Taxonomy, manual: list[str] | None = None) -> list[TopicMatch]:
    """The paper's topics, best first; hand-set topics win; a paper always has at least one."""
    if manual:
        return [TopicMatch(t, 0, ("set by hand in the record",)) for t in manual]
    order = {t.id: i for i, t in enumerate(taxonomy.topics)}
    phrases = _phrase_set(taxonomy.topics)
    title_matches, text_matches = phrases.scan(title), phrases.scan(f"{title}\n{abstract}")
    matches = {m.topic: m for t in taxonomy.topics if (m := match_topic(t, title_matches, text_matches))}
    parents = {taxonomy.by_id[t].parent for t in matches}
    ranked = sorted((m for t, m in matches.items() if t not in parents), key=lambda m: (-m.score, order[m.topic]))
    if not ranked:
        return [TopicMatch(taxonomy.fallback, 0, ("no rule matched: fallback topic",))]
    return ranked[:MAX_TOPICS]
