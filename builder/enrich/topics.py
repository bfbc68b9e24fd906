"""Assign topics from the taxonomy's rules, keeping the evidence so every tag can be explained.

A topic matches when one of its title phrases is in the title, or when its phrases are mentioned at
least ``min_hits`` times in the title and abstract. Mentions are counted with two limits, so that a
single word repeated cannot carry a topic: a phrase counts at most ``MAX_PER_PHRASE`` times, and a
span of text counts once, for the longest phrase that covers it ("mixture of experts" is not also
"experts"). A subtopic stands for its area, so an area is dropped when one of its subtopics matched.
"""

from __future__ import annotations

from dataclasses import dataclass

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


# A phrase a topic uses, as (topic index, rank, phrase): the rank orders a topic's phrases (title
# phrases as listed, mention phrases longest first).
_Use = tuple[int, int, str]


@dataclass(frozen=True)
class _Compiled:
    topics: tuple[Topic, ...]
    phrases: PhraseSet  # every phrase of every rule
    exclude: tuple[tuple[str, ...], ...]  # by topic
    # By the key of a phrase group (see PhraseSet), each use of one of its phrases as a mention (once
    # per topic counting it), then the uses of phrases whose matches may start anywhere (no key),
    # looked for in every text. A key without a start in a text has no match there.
    mentions_by_key: tuple[tuple[_Use, ...], ...]
    mentions_anywhere: tuple[_Use, ...]
    titles_by_key: tuple[tuple[_Use, ...], ...]  # the same for title phrases
    titles_anywhere: tuple[_Use, ...]


_compiled: list[_Compiled] = []


def _compile(topics: tuple[Topic, ...]) -> _Compiled:
    """The taxonomy's phrases, compiled once. Kept by identity: hashing every frozen topic for a
    cache lookup, once per paper, cost more than the lookup saved."""
    if not _compiled or _compiled[0].topics is not topics:
        phrases = PhraseSet(p for t in topics for p in (*t.rules.exclude, *t.rules.title, *t.rules.phrases))
        # A phrase listed twice by a topic adds nothing the first did not: each is used once.
        mentions = [(i, rank, p) for i, t in enumerate(topics) for rank, p in
                    enumerate(sorted(dict.fromkeys(t.rules.phrases), key=lambda p: (-len(p), p)))]
        titles = [(i, rank, p) for i, t in enumerate(topics) for rank, p in enumerate(dict.fromkeys(t.rules.title))]
        _compiled[:] = [_Compiled(
            topics, phrases, tuple(t.rules.exclude for t in topics),
            *_by_key(phrases, mentions), *_by_key(phrases, titles),
        )]
    return _compiled[0]


def _by_key(phrases: PhraseSet, uses: list[_Use]) -> tuple[tuple[tuple[_Use, ...], ...], tuple[_Use, ...]]:
    """The uses by the key of their phrase, and those of phrases without one."""
    by_key: list[list[_Use]] = [[] for _ in phrases.groups]
    anywhere = []
    for use in uses:
        key = phrases.keys[use[2]]
        (anywhere if key is None else by_key[key]).append(use)
    return tuple(map(tuple, by_key)), tuple(anywhere)


def _may_match(compiled: _Compiled, text: TextMatches, title_end: int) -> list[tuple[int, list[str], list[str]]]:
    """The topics (indices, in order) that may match, each with its title phrases that may be in the
    title and its mention phrases that may be in the text, in order. Told by where the phrases'
    needles are: a phrase matches at most once per start of its needles, so it may give as many
    mentions as it has starts (at most ``MAX_PER_PHRASE``), and only a needle starting in the title
    can give a title phrase. No other topic can match, and most phrases are never matched in full."""
    at_most = [0] * len(compiled.topics)
    mentioned: dict[int, list[_Use]] = {}
    titled: dict[int, list[_Use]] = {}
    for use in compiled.mentions_anywhere:
        at_most[use[0]] += MAX_PER_PHRASE
        mentioned.setdefault(use[0], []).append(use)
    for use in compiled.titles_anywhere:
        titled.setdefault(use[0], []).append(use)
    mentions_by_key, titles_by_key = compiled.mentions_by_key, compiled.titles_by_key
    for key, starts in text.starts.items():
        hits = MAX_PER_PHRASE if len(starts) >= MAX_PER_PHRASE else len(starts)
        for use in mentions_by_key[key]:
            at_most[use[0]] += hits
            mentioned.setdefault(use[0], []).append(use)
        if starts[0] < title_end:
            for use in titles_by_key[key]:
                titled.setdefault(use[0], []).append(use)
    return [(i, _in_order(titled.get(i)), _in_order(mentioned.get(i)))
            for i, (topic, hits) in enumerate(zip(compiled.topics, at_most))
            if hits >= topic.rules.min_hits or i in titled]


def _in_order(uses: list[_Use] | None) -> list[str]:
    return [phrase for _, _, phrase in sorted(uses)] if uses else []


def _mentions(phrases: list[str], text: TextMatches) -> list[tuple[str, int]]:
    """(first matched text, count) per phrase, longest phrases first, overlapping spans counted once."""
    taken: list[tuple[int, int]] = []
    mentions = []
    for phrase in phrases:
        spans = []
        for match in text.find_all(phrase):
            start, end = match.span()
            for taken_start, taken_end in taken:
                if start < taken_end and taken_start < end:
                    break
            else:
                spans.append(match)
        if spans:
            taken += [m.span() for m in spans]
            mentions.append((spans[0].group(0), min(len(spans), MAX_PER_PHRASE)))
    return mentions


def _in_title(phrase: str, text: TextMatches, title_end: int) -> str | None:
    """The phrase's first match in the title alone, if any. The title is followed by a line break in
    the text, which ends a word as the end of the text does: a first match that ends within the title
    is what the title alone matches first; only one running on into the abstract is looked for again."""
    matches = text.find_all(phrase)
    if not matches:
        return None
    first = matches[0]
    if first.end() <= title_end:
        return first.group(0)
    if first.start() <= title_end and (matches := text.find_all_before(phrase, title_end)):
        return matches[0].group(0)
    return None


def _match_topic(topic: Topic, exclude: tuple[str, ...], title_phrases: list[str], mention_phrases: list[str],
                 text: TextMatches, title_end: int) -> TopicMatch | None:
    if exclude and any(text.may_occur(p) and text.find_all(p) for p in exclude):
        return None
    in_title = [t for p in title_phrases if (t := _in_title(p, text, title_end)) is not None]
    mentions = _mentions(mention_phrases, text) if mention_phrases else []
    hits = sum([count for _, count in mentions])
    if not in_title and hits < topic.rules.min_hits:
        return None
    evidence = [f"title: “{t}”" for t in dict.fromkeys(in_title)]
    evidence += [f"text: “{t}” ×{count}" if count > 1 else f"text: “{t}”" for t, count in mentions]
    return TopicMatch(topic.id, TITLE_WEIGHT * len(set(in_title)) + hits, tuple(evidence))


def assign(title: str, abstract: str, taxonomy: Taxonomy, manual: list[str] | None = None) -> list[TopicMatch]:
    """The paper's topics, best first; hand-set topics win; a paper always has at least one."""
    if manual:
        return [TopicMatch(t, 0, ("set by hand in the record",)) for t in manual]
    compiled = _compile(taxonomy.topics)
    text = compiled.phrases.scan(f"{title}\n{abstract}")
    title_end = len(title)
    matches = {i: m for i, in_title, mentioned in _may_match(compiled, text, title_end)  # by place in the taxonomy
               if (m := _match_topic(compiled.topics[i], compiled.exclude[i], in_title, mentioned, text, title_end))}
    parents = {compiled.topics[i].parent for i in matches}
    ranked = [m for i, m in sorted(matches.items(), key=lambda item: (-item[1].score, item[0]))
              if m.topic not in parents]
    if not ranked:
        return [TopicMatch(taxonomy.fallback, 0, ("no rule matched: fallback topic",))]
    return ranked[:MAX_TOPICS]
