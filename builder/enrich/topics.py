"""Assign topics from the taxonomy's rules, keeping the evidence so every tag can be explained.

A topic matches when one of its title phrases is in the title, or when its phrases are mentioned at
least ``min_hits`` times in the title and abstract. Mentions are counted with two limits, so that a
single word repeated cannot carry a topic: a phrase counts at most ``MAX_PER_PHRASE`` times, and a
span of text counts once, for the longest phrase that covers it ("mixture of experts" is not also
"experts"). A subtopic stands for its area, so an area is dropped when one of its subtopics matched.
"""

from __future__ import annotations

from collections.abc import Iterable
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


# A topic's phrases with the key of each (see PhraseSet; None for a phrase that may match anywhere).
_Keyed = tuple[tuple[int | None, str], ...]


@dataclass(frozen=True)
class _Rules:
    """A topic's rules as the phrase set knows them; each phrase once, in the order they are tried."""

    title: _Keyed  # as listed
    mentions: _Keyed  # longest first, so a span of text counts for the longest phrase that covers it
    exclude: _Keyed
    min_hits: int


@dataclass(frozen=True)
class _Compiled:
    topics: tuple[Topic, ...]
    phrases: PhraseSet  # every phrase of every rule
    rules: tuple[_Rules, ...]  # by topic
    # By phrase key, the topics counting a phrase of it as a mention (a topic once per phrase) and the
    # topics with a title phrase of it: where a paper's keys start tells which topics may match.
    counted_by: tuple[tuple[int, ...], ...]
    titled_by: tuple[tuple[int, ...], ...]
    # By topic, the mentions its phrases with a key must be found to give: min_hits less what its
    # phrases without a key may give (those are looked for in every paper). Topics that need none, and
    # those with a title phrase without a key, may match any paper.
    least_hits: tuple[int, ...]
    need_no_hits: frozenset[int]
    unkeyed_title: frozenset[int]


_compiled: list[_Compiled] = []


def _compile(topics: tuple[Topic, ...]) -> _Compiled:
    """The taxonomy's phrases, compiled once. Kept by identity: hashing every frozen topic for a
    cache lookup, once per paper, cost more than the lookup saved."""
    if not _compiled or _compiled[0].topics is not topics:
        phrases = PhraseSet(p for t in topics for p in (*t.rules.exclude, *t.rules.title, *t.rules.phrases))
        rules = tuple(_keyed_rules(t, phrases) for t in topics)
        counted_by: list[list[int]] = [[] for _ in phrases.groups]
        titled_by: list[list[int]] = [[] for _ in phrases.groups]
        for index, topic in enumerate(rules):
            for key, _ in topic.mentions:
                if key is not None:
                    counted_by[key].append(index)
            for key in dict.fromkeys(key for key, _ in topic.title if key is not None):
                titled_by[key].append(index)
        least_hits = [t.min_hits - MAX_PER_PHRASE * sum(key is None for key, _ in t.mentions) for t in rules]
        _compiled[:] = [_Compiled(
            topics, phrases, rules, tuple(map(tuple, counted_by)), tuple(map(tuple, titled_by)),
            tuple(least_hits), frozenset(i for i, least in enumerate(least_hits) if least <= 0),
            frozenset(i for i, t in enumerate(rules) if any(key is None for key, _ in t.title)),
        )]
    return _compiled[0]


def _keyed_rules(topic: Topic, phrases: PhraseSet) -> _Rules:
    # A phrase listed twice by a topic adds nothing the first did not: each is used once.
    def keyed(listed: Iterable[str]) -> _Keyed:
        return tuple((phrases.keys[p], p) for p in dict.fromkeys(listed))

    mentions = sorted(dict.fromkeys(topic.rules.phrases), key=lambda p: (-len(p), p))
    return _Rules(keyed(topic.rules.title), keyed(mentions), keyed(topic.rules.exclude), topic.rules.min_hits)


def _candidates(compiled: _Compiled, starts: dict[int, list[int]], title_end: int) -> tuple[list[int], set[int]]:
    """The topics (indices, in order) that may match, and those of them that may have a title phrase
    in the title, told by where the phrases' needles start: a phrase matches at most once per start of
    its needles, so it may give as many mentions as it has starts (at most ``MAX_PER_PHRASE``), and
    only a needle starting in the title can give a title phrase. No other topic can match, and most
    phrases are never matched in full."""
    at_most: dict[int, int] = {}  # mentions by topic, for the topics with a phrase in the text
    titled = set(compiled.unkeyed_title)
    counted_by, titled_by = compiled.counted_by, compiled.titled_by
    for key, where in starts.items():
        hits = MAX_PER_PHRASE if len(where) >= MAX_PER_PHRASE else len(where)
        for topic in counted_by[key]:
            at_most[topic] = at_most.get(topic, 0) + hits
        if where[0] < title_end:
            titled.update(titled_by[key])
    least = compiled.least_hits
    candidates = titled.union(compiled.need_no_hits, (t for t, hits in at_most.items() if hits >= least[t]))
    return sorted(candidates), titled


def _mentions(phrases: _Keyed, text: TextMatches) -> tuple[list[str], int]:
    """The evidence of the phrases mentioned (first matched text, and count if more than one), longest
    phrases first, overlapping spans counted once; and the number of mentions."""
    starts, taken, evidence, hits = text.starts, [], [], 0
    for key, phrase in phrases:
        if key is not None and key not in starts:
            continue  # certainly not in the text
        spans = []
        for match in text.find_all(phrase):
            start, end = span = match.span()
            for taken_start, taken_end in taken:
                if start < taken_end and taken_start < end:
                    break
            else:
                spans.append(span)
        if spans:
            taken += spans
            count = MAX_PER_PHRASE if len(spans) > MAX_PER_PHRASE else len(spans)
            first = text.text[spans[0][0]:spans[0][1]]
            evidence.append(f"text: “{first}” ×{count}" if count > 1 else f"text: “{first}”")
            hits += count
    return evidence, hits


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


def _match_topic(topic: str, rules: _Rules, text: TextMatches, title_end: int, titled: bool) -> TopicMatch | None:
    """The topic's match, if its rules match; ``titled`` is False where no title phrase can be in the title."""
    starts = text.starts
    if rules.exclude and any((key is None or key in starts) and text.find_all(p) for key, p in rules.exclude):
        return None
    in_title = []
    if titled:
        in_title = list(dict.fromkeys(t for key, p in rules.title
                                      if key is None or (key in starts and starts[key][0] < title_end)
                                      if (t := _in_title(p, text, title_end)) is not None))
    mentions, hits = _mentions(rules.mentions, text)
    if not in_title and hits < rules.min_hits:
        return None
    evidence = [f"title: “{t}”" for t in in_title] + mentions
    return TopicMatch(topic, TITLE_WEIGHT * len(in_title) + hits, tuple(evidence))


def assign(title: str, abstract: str, taxonomy: Taxonomy, manual: list[str] | None = None) -> list[TopicMatch]:
    """The paper's topics, best first; hand-set topics win; a paper always has at least one."""
    if manual:
        return [TopicMatch(t, 0, ("set by hand in the record",)) for t in manual]
    compiled = _compile(taxonomy.topics)
    text = compiled.phrases.scan(f"{title}\n{abstract}")
    title_end = len(title)
    topics, rules = compiled.topics, compiled.rules
    candidates, titled = _candidates(compiled, text.starts, title_end)
    matches = {i: m for i in candidates  # by place in the taxonomy
               if (m := _match_topic(topics[i].id, rules[i], text, title_end, i in titled))}
    parents = {topics[i].parent for i in matches}
    ranked = [m for i, m in sorted(matches.items(), key=lambda item: (-item[1].score, item[0]))
              if m.topic not in parents]
    if not ranked:
        return [TopicMatch(taxonomy.fallback, 0, ("no rule matched: fallback topic",))]
    return ranked[:MAX_TOPICS]
