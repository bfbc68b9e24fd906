"""Assign topics from the taxonomy's rules, keeping the evidence so every tag can be explained.

A topic matches when one of its title phrases is in the title, or when its phrases are mentioned at
least ``min_hits`` times in the title and abstract. Mentions are counted with two limits, so that a
single word repeated cannot carry a topic: a phrase counts at most ``MAX_PER_PHRASE`` times, and a
span of text counts once, for the longest phrase that covers it ("mixture of experts" is not also
"experts"). A subtopic stands for its area, so an area is dropped when one of its subtopics matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .phrases import PhraseSet
from .taxonomy import Taxonomy, Topic

MAX_TOPICS = 4
TITLE_WEIGHT = 3  # a title phrase weighs as much as three mentions in the abstract
MAX_PER_PHRASE = 2


@dataclass(frozen=True)
class TopicMatch:
    topic: str
    score: int
    evidence: tuple[str, ...]  # e.g. 'title: “Diffusion”', 'text: “mixture of experts” ×2'


@dataclass(frozen=True)
class _Compiled:
    topics: tuple[Topic, ...]
    phrases: PhraseSet  # every phrase of every rule
    longest_first: tuple[tuple[str, ...], ...]  # each topic's mention phrases, longest first
    counted_by: dict[str, tuple[int, ...]]  # a mention phrase → the topics (indices) counting it
    titled_by: dict[str, tuple[int, ...]]  # a title phrase → the topics (indices) it assigns


_compiled: list[_Compiled] = []


def _compile(topics: tuple[Topic, ...]) -> _Compiled:
    """The taxonomy's phrases, compiled once. Kept by identity: hashing every frozen topic for a
    cache lookup, once per paper, cost more than the lookup saved."""
    if not _compiled or _compiled[0].topics is not topics:
        counted_by: dict[str, list[int]] = {}
        titled_by: dict[str, list[int]] = {}
        for index, topic in enumerate(topics):
            for phrase in dict.fromkeys(topic.rules.phrases):
                counted_by.setdefault(phrase, []).append(index)
            for phrase in dict.fromkeys(topic.rules.title):
                titled_by.setdefault(phrase, []).append(index)
        _compiled[:] = [_Compiled(
            topics,
            PhraseSet(p for t in topics for p in (*t.rules.exclude, *t.rules.title, *t.rules.phrases)),
            tuple(tuple(sorted(t.rules.phrases, key=lambda p: (-len(p), p))) for t in topics),
            {phrase: tuple(indices) for phrase, indices in counted_by.items()},
            {phrase: tuple(indices) for phrase, indices in titled_by.items()},
        )]
    return _compiled[0]


@dataclass
class _Found:
    """One paper's phrase matches: in the title and abstract, and (for title phrases) in the title."""

    text: dict[str, list[re.Match]]  # the phrases that occur, with their matches
    in_title: dict[str, str]  # the title phrases in the title, with their first matched text


def _mentions(phrases: tuple[str, ...], found: dict[str, list[re.Match]]) -> list[tuple[str, int]]:
    """(first matched text, count) per phrase, longest phrases first, overlapping spans counted once."""
    taken: list[tuple[int, int]] = []
    mentions = []
    for phrase in phrases:
        matches = found.get(phrase)
        if not matches:
            continue
        spans = [m for m in matches if not any(m.start() < end and start < m.end() for start, end in taken)]
        if spans:
            taken += [m.span() for m in spans]
            mentions.append((spans[0].group(0), min(len(spans), MAX_PER_PHRASE)))
    return mentions


def _match_topic(topic: Topic, longest_first: tuple[str, ...], found: _Found) -> TopicMatch | None:
    rules = topic.rules
    if any(p in found.text for p in rules.exclude):
        return None
    in_title = [found.in_title[p] for p in rules.title if p in found.in_title]
    mentions = _mentions(longest_first, found.text)
    hits = sum(count for _, count in mentions)
    if not in_title and hits < rules.min_hits:
        return None
    evidence = tuple(f"title: “{t}”" for t in dict.fromkeys(in_title)) + tuple(
        f"text: “{t}”" + (f" ×{count}" if count > 1 else "") for t, count in mentions
    )
    return TopicMatch(topic.id, TITLE_WEIGHT * len(set(in_title)) + hits, evidence)


def _may_match(compiled: _Compiled, found: _Found) -> list[int]:
    """The topics (indices, in order) that may match: a title phrase is in the title, or their phrases
    occur often enough to reach ``min_hits`` before overlaps are taken out. No other topic can match."""
    at_most = [0] * len(compiled.topics)
    for phrase, matches in found.text.items():
        for index in compiled.counted_by.get(phrase, ()):
            at_most[index] += min(len(matches), MAX_PER_PHRASE)
    titled = {index for phrase in found.in_title for index in compiled.titled_by[phrase]}
    return [i for i, t in enumerate(compiled.topics) if i in titled or at_most[i] >= t.rules.min_hits]


def _find(compiled: _Compiled, title: str, abstract: str) -> _Found:
    text = compiled.phrases.scan(f"{title}\n{abstract}")
    found = {p: matches for p in text.candidates if (matches := text.find_all(p))}
    # A title phrase in the title also occurs in the text (the title is followed by a line break there).
    in_title = {}
    for phrase in found.keys() & compiled.titled_by:
        first = found[phrase][0]
        if first.end() <= len(title):  # what the title alone matches first, as the break ends a word too
            in_title[phrase] = first.group(0)
        elif first.start() <= len(title) and (matches := text.find_all_before(phrase, len(title))):
            in_title[phrase] = matches[0].group(0)  # a match running on into the abstract
    return _Found(found, in_title)


def assign(title: str, abstract: str, taxonomy: Taxonomy, manual: list[str] | None = None) -> list[TopicMatch]:
    """The paper's topics, best first; hand-set topics win; a paper always has at least one."""
    if manual:
        return [TopicMatch(t, 0, ("set by hand in the record",)) for t in manual]
    compiled = _compile(taxonomy.topics)
    found = _find(compiled, title, abstract)
    matches = {i: m for i in _may_match(compiled, found)  # by the topic's place in the taxonomy
               if (m := _match_topic(compiled.topics[i], compiled.longest_first[i], found))}
    parents = {compiled.topics[i].parent for i in matches}
    ranked = [m for i, m in sorted(matches.items(), key=lambda item: (-item[1].score, item[0]))
              if m.topic not in parents]
    if not ranked:
        return [TopicMatch(taxonomy.fallback, 0, ("no rule matched: fallback topic",))]
    return ranked[:MAX_TOPICS]
