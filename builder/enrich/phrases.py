"""Phrase matching for rules written by maintainers: whole words, simple inflections, no substrings.

- Whole words only: ``CV`` never matches inside ``CVPR``, ``convex`` never inside ``non-convex``.
- Acronyms (words with two or more capitals: ``MoE``, ``LLM``, ``DAG``) match exactly; every other
  word matches in any case, so ``Gaussian process`` also finds ``Gaussian Processes`` in a title.
- A space matches a space or a hyphen (``mixture of experts`` finds ``mixture-of-experts``); a hyphen
  also matches the closed form (``fine-tuning`` finds ``fine tuning`` and ``finetuning``).
- The last word may take a plural (``diffusion model`` finds ``diffusion models``, ``study`` finds
  ``studies``); a trailing ``*`` matches any word ending (``optimi*``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache


def _is_acronym(word: str) -> bool:
    return sum(ch.isupper() for ch in word) >= 2


def _word(word: str, last: bool) -> str:
    star = word.endswith("*")
    word = word.rstrip("*")
    body = re.escape(word)
    if star:
        body += r"\w*"
    elif last and word[-1:].isalpha():
        if word[-1:] == "y" and not _is_acronym(word):
            body = re.escape(word[:-1]) + r"(?:y|ies)"
        else:
            body += r"(?:s|es|'s)?"
    return body if _is_acronym(word) else f"(?i:{body})"


@cache
def compile_phrase(phrase: str) -> re.Pattern:
    parts = re.split(r"(\s+|-)", phrase.strip())
    words, seps = parts[::2], parts[1::2]
    pattern = _word(words[0], len(words) == 1)
    for index, (sep, word) in enumerate(zip(seps, words[1:]), start=1):
        pattern += (r"[\s\-]?" if sep == "-" else r"[\s\-]+") + _word(word, index == len(words) - 1)
    return re.compile(r"(?<![\w-])" + pattern + r"(?![\w])")


@cache
def _needle(phrase: str) -> tuple[str, bool]:
    """Text every match contains (the first word's stem) and whether its case must match."""
    words = re.split(r"\s+|-", phrase.strip())
    core = words[0].rstrip("*")
    acronym = _is_acronym(core)
    if len(words) == 1 and not words[0].endswith("*") and core.endswith("y") and not acronym:
        core = core[:-1]  # study → studies
    return (core if acronym else core.lower()), acronym


@lru_cache(maxsize=8)
def _ascii_lower(text: str) -> str | None:
    return text.lower() if text.isascii() else None  # str.lower equals (?i:) matching on ASCII only


def _may_match(phrase: str, text: str) -> bool:
    """A substring test that rules most phrases out before the regex scans the text (20k papers ×
    hundreds of phrases); exact, so it never changes what matches."""
    needle, exact = _needle(phrase)
    if exact:
        return needle in text
    lower = _ascii_lower(text)
    return lower is None or needle in lower


def find(phrase: str, text: str) -> re.Match | None:
    return compile_phrase(phrase).search(text) if _may_match(phrase, text) else None


def find_all(phrase: str, text: str) -> list[re.Match]:
    return list(compile_phrase(phrase).finditer(text)) if _may_match(phrase, text) else []


class PhraseSet:
    """Many phrases searched in one text with a single pass of their needles (one per case rule),
    so a paper costs a regex match only where a phrase may start instead of a full scan per phrase
    (20k papers × hundreds of phrases). Finds exactly what ``find``/``find_all`` find."""

    def __init__(self, phrases: Iterable[str]):
        phrases = tuple(dict.fromkeys(phrases))
        by_case: dict[bool, set[str]] = {True: set(), False: set()}
        for phrase in phrases:
            needle, exact = _needle(phrase)
            if needle:
                by_case[exact].add(needle)
        # A regex match starts at a word start with its needle, so the needles found there are the
        # longest one matching and the needles that are its prefixes: one lookahead finds them all.
        self._scanners = {exact: _needle_scanner(needles) for exact, needles in by_case.items() if needles}
        self._prefixes = {(n, exact): [(m, exact) for m in needles if n.startswith(m)]
                          for exact, needles in by_case.items() for n in needles}
        # The needle positions a phrase's matches start at; None where they are not known (no needle,
        # or one whose lower case is not plain ASCII), so the phrase is searched in full.
        self._keys = {p: (k if k[0] and k[0].isascii() else None) for p in phrases if (k := _needle(p))}
        self._by_key: dict[tuple[str, bool] | None, list[str]] = {}
        for phrase, key in self._keys.items():
            self._by_key.setdefault(key, []).append(phrase)

    def scan(self, text: str) -> "TextMatches":
        starts: dict[tuple[str, bool], list[int]] = {}
        unknown = [None]  # phrases whose matches may start anywhere
        for exact, scanner in self._scanners.items():
            source = text if exact else _ascii_lower(text)
            if source is None:  # non-ASCII text: case-insensitive phrases are searched in full
                unknown += [key for key in self._by_key if key and not key[1]]
                continue
            for found in scanner.finditer(source):
                for key in self._prefixes[(found.group(1), exact)]:
                    starts.setdefault(key, []).append(found.start())
        candidates = frozenset(p for key in (*starts, *unknown) for p in self._by_key.get(key, ()))
        return TextMatches(text, starts, self._keys, candidates)


def _needle_scanner(needles: set[str]) -> re.Pattern:
    return re.compile(r"(?<![\w-])(?=(" + _trie_pattern(sorted(needles)) + "))")


def _trie_pattern(needles: list[str]) -> str:
    """An alternation of ``needles`` as a prefix tree: one branch per first character instead of one
    per needle, and, being greedy, it captures the longest needle that matches."""
    branches: dict[str, list[str]] = {}
    for needle in needles:
        branches.setdefault(needle[:1], []).append(needle[1:])
    ends = "" in branches
    alternation = "|".join(re.escape(head) + _trie_pattern(rest) for head, rest in branches.items() if head)
    if not alternation:
        return ""
    return f"(?:{alternation})?" if ends else f"(?:{alternation})"


class TextMatches:
    """The matches of a ``PhraseSet``'s phrases in one text, each phrase looked up at most once."""

    def __init__(self, text: str, starts: dict[tuple[str, bool], list[int]],
                 keys: dict[str, tuple[str, bool] | None], candidates: frozenset[str]):
        self.text = text
        self.candidates = candidates  # the phrases that may occur; any other finds nothing
        self._starts = starts  # where each needle is at a word start, in order
        self._keys = keys
        self._ascii = text.isascii()
        self._found: dict[str, list[re.Match]] = {}

    def find_all(self, phrase: str) -> list[re.Match]:
        found = self._found.get(phrase)
        if found is None:
            key = self._keys.get(phrase)
            if key is None or not (key[1] or self._ascii):
                found = find_all(phrase, self.text)  # where its matches may start is not known
            else:
                found = self._match_at(compile_phrase(phrase), self._starts.get(key, ()))
            self._found[phrase] = found
        return found

    def _match_at(self, pattern: re.Pattern, starts: Iterable[int]) -> list[re.Match]:
        """finditer without the scan: every match starts at one of the needle's positions, and the
        next match is searched from where the last one ended."""
        found, end = [], 0
        for start in starts:
            if start >= end and (m := pattern.match(self.text, start)):
                found.append(m)
                end = m.end()
        return found

    def find(self, phrase: str) -> re.Match | None:
        found = self.find_all(phrase)
        return found[0] if found else None
