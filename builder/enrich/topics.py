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


@dataclass(frozen=True)
class _Compiled:
    topics: tuple[Topic, ...]
    phrases: PhraseSet  # every phrase of every rule
    per_topic: tuple[frozenset[str], ...]  # each topic's phrases, in taxonomy order


_compiled: list[_Compiled] = []


def _compile(topics: tuple[Topic, ...]) -> _Compiled:
    """The taxonomy's phrases, compiled once. Kept by identity: hashing every frozen topic for a
    cache lookup, twice per paper, cost more than the lookup saved."""
    if not _compiled or _compiled[0].topics is not topics:
        rules = [(*t.rules.exclude, *t.rules.title, *t.rules.phrases) for t in topics]
        _compiled[:] = [_Compiled(topics, PhraseSet(p for r in rules for p in r), tuple(map(frozenset, rules)))]
    return _compiled[0]


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
    compiled = _compile(taxonomy.topics)
    title_matches, text_matches = compiled.phrases.scan(title), compiled.phrases.scan(f"{title}\n{abstract}")
    # A topic none of whose phrases may occur cannot match (min_hits >= 1); the title is part of the text.
    maybe = [t for t, rules in zip(taxonomy.topics, compiled.per_topic)
             if t.rules.min_hits <= 0 or not rules.isdisjoint(text_matches.candidates)]
    matches = {m.topic: m for t in maybe if (m := match_topic(t, title_matches, text_matches))}
    by_id = taxonomy.by_id  # a property that builds the dict on each use
    parents = {by_id[t].parent for t in matches}
    ranked = sorted((m for t, m in matches.items() if t not in parents), key=lambda m: (-m.score, order[m.topic]))
    if not ranked:
        return [TopicMatch(taxonomy.fallback, 0, ("no rule matched: fallback topic",))]
    return ranked[:MAX_TOPICS]
