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
import string
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from functools import cache, cached_property, lru_cache
from operator import itemgetter

import ahocorasick_rs


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


def _split(phrase: str) -> tuple[list[str], list[str]]:
    """The phrase's words and the separators between them (runs of spaces, or a hyphen)."""
    parts = re.split(r"(\s+|-)", phrase.strip())
    return parts[::2], parts[1::2]


@cache
def compile_phrase(phrase: str) -> re.Pattern:
    words, seps = _split(phrase)
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


_MAX_NEEDLES = 4  # per phrase: a hyphen doubles them (with and without a separator)


def _needles(phrase: str) -> tuple[tuple[str, ...], str | None] | None:
    """What every match of ``compile_phrase(phrase)`` starts with, read off the same words: texts in
    lower case where a space stands for a run of spaces and hyphens, and the acronym that must start
    it in this case. A needle stops where the phrase stops being fixed text (a plural, a ``*``, a
    non-ASCII word). None where the first word has no such text: the phrase is searched in full."""
    words, seps = _split(phrase)
    needles = [""]
    for index, word in enumerate(words):
        last = index == len(words) - 1
        literal = word.rstrip("*")
        if last and literal == word and literal[-1:] == "y" and not _is_acronym(literal):
            literal = literal[:-1]  # study → studies
        if not literal or not literal.isascii():
            break
        needles = [n + literal.lower() for n in needles]
        if last or literal != word:
            break
        if seps[index] != "-":
            needles = [n + " " for n in needles]
        elif len(needles) * 2 <= _MAX_NEEDLES:
            needles += [n + " " for n in needles]  # "fine-tuning" is also "finetuning"
        else:
            break
    if not needles[0]:
        return None
    first = words[0].rstrip("*")
    return tuple(needles), (first if _is_acronym(first) else None)


class PhraseSet:
    """Many phrases searched in one text with a single pass over it, so a paper costs a regex match
    only where a phrase may start instead of a full scan per phrase (20k papers × hundreds of
    phrases). Finds exactly what ``find_all`` finds.

    On ASCII text an Aho-Corasick automaton finds every needle (see ``_needles``) in one linear pass
    over the text in lower case with each run of separators one space (what a needle's space stands
    for), and those at a word start are kept. On other text a regex looks, at every word start, for
    the longest needle there, so it finds the needles that are its prefixes at the same time. A needle
    is looked for in lower case; where its phrase starts with an acronym, the acronym's case is checked
    where the needle was found.

    Phrases with the same needles share a key (a number): ``groups[key]`` are its phrases, and a
    scan tells where each key's needles start.
    """

    def __init__(self, phrases: Iterable[str]):
        needles_of = {phrase: _needles(phrase) for phrase in dict.fromkeys(phrases)}
        self.anywhere = frozenset(p for p, key in needles_of.items() if key is None)  # no key: searched in full
        grouped: dict[tuple[tuple[str, ...], str | None], list[str]] = {}
        for phrase, key in needles_of.items():
            if key:
                grouped.setdefault(key, []).append(phrase)
        keys = list(grouped)
        number = {key: index for index, key in enumerate(keys)}
        self.keys = {phrase: number.get(key) for phrase, key in needles_of.items()}
        self.groups = [tuple(phrases) for phrases in grouped.values()]
        self._needle_keys = keys
        self._needles = needles = sorted({n for key_needles, _ in keys for n in key_needles})
        # The keys of each needle alone, by the needle's number: the automaton finds every needle at a
        # start (each as (key, acronym or None), the case-insensitive ones first).
        own = [({}, {}) for _ in needles]
        for index, (key_needles, acronym) in enumerate(keys):
            for needle in key_needles:
                own[bisect_left(needles, needle)][acronym is not None][index] = acronym
        self._keys_of = [(*folded.items(), *acronyms.items()) for folded, acronyms in own]
        self._automaton = ahocorasick_rs.BytesAhoCorasick(
            [n.encode() for n in needles], implementation=ahocorasick_rs.Implementation.DFA) if needles else None

    # What texts that are not plain ASCII need (made when the first comes): none of the bench's do, and
    # making it cost each process that reads records 0.01 s.

    @cached_property
    def _keys_at(self) -> dict[str, tuple[tuple[int, str | None], ...]]:
        """The keys a needle found at a word start stands for: those of its prefixes (itself included),
        the case-insensitive ones, then those starting with an acronym."""
        needles = self._needles
        keys_at: dict[str, tuple[dict, dict]] = {n: ({}, {}) for n in needles}
        for index, (key_needles, acronym) in enumerate(self._needle_keys):
            for needle in key_needles:
                for longer in needles[bisect_left(needles, needle):]:
                    if not longer.startswith(needle):
                        break
                    keys_at[longer][acronym is not None][index] = acronym
        return {n: (*folded.items(), *acronyms.items()) for n, (folded, acronyms) in keys_at.items()}

    @cached_property
    def _unicode_scanner(self) -> re.Pattern:
        # A word starts after a character that is neither a word character nor a hyphen; the texts are
        # scanned with a space in front, so the first word too has one.
        return re.compile(r"[^\w-](?=(?i:(" + _trie_pattern(self._needles) + ")))")

    def scan(self, text: str) -> "TextMatches":
        starts: dict[int, list[int]] = {}  # where each key's needles are, in order
        if self._needles:
            for start, keys in self._keys_at_word_starts(text):
                for key, acronym in keys:
                    if acronym is None or text.startswith(acronym, start):
                        if key in starts:
                            starts[key].append(start)
                        else:
                            starts[key] = [start]
        return TextMatches(text, starts, self.keys)

    def _keys_at_word_starts(self, text: str) -> list[tuple[int, tuple[tuple[int, str | None], ...]]]:
        """(start, keys) for the needles at each word start of the text, by start."""
        if text.isascii():
            return self._keys_by_automaton(text)
        keys_at = self._keys_at
        return [(found.start(), keys_at.get(needle := found.group(1)) or keys_at[self._needle_in(needle)])
                for found in self._unicode_scanner.finditer(" " + text)]

    def _keys_by_automaton(self, text: str) -> list[tuple[int, tuple[tuple[int, str | None], ...]]]:
        """The needles found anywhere in the ASCII ``text`` folded (see ``_single_spaced``), kept where
        a word starts."""
        keys_of = self._keys_of
        folded = text.encode("ascii").translate(_FOLD)
        if b"  " in folded:  # a run of separators (" -- ", "first- and"), which one needle space stands for
            folded, moved = _single_spaced(folded)
            found = [(index, moved(start), end) for index, start, end in
                     self._automaton.find_matches_as_indexes(folded, overlapping=True)]
        else:
            found = self._automaton.find_matches_as_indexes(folded, overlapping=True)  # by end
        found.sort(key=_START)
        return [(start, keys_of[index]) for index, start, _ in found
                if start == 0 or text[start - 1] not in _IN_WORDS]

    def _needle_in(self, found: str) -> str:
        """The needle a match of the scanner found: its lower case with one space for each run of
        spaces and hyphens, or failing that (a character such as the long s of "ſ" folds to an ASCII
        letter without lowering to it) the needle it matches case-insensitively."""
        needle = _SEPARATORS.sub(" ", found).lower()
        if needle in self._keys_at:
            return needle
        return next(n for n in self._keys_at if re.fullmatch(f"(?i:{_trie_pattern([n])})", found))


_SEPARATORS = re.compile(r"[\s\-]+")
# ASCII in lower case with every character of a separator (\s or a hyphen) a space, keeping each in place.
_WHITESPACE = "".join(c for c in map(chr, range(128)) if c.isspace())
_FOLD = bytes.maketrans((string.ascii_uppercase + _WHITESPACE + "-").encode(),
                        (string.ascii_lowercase + " " * (len(_WHITESPACE) + 1)).encode())
_IN_WORDS = frozenset(string.ascii_letters + string.digits + "_-")  # no word starts after these
_START = itemgetter(1)  # of an automaton's match: (needle, start, end)
_SPACE_RUN = re.compile(rb"  +")


def _single_spaced(folded: bytes) -> tuple[bytes, Callable[[int], int]]:
    """``folded`` with each run of spaces one space, and where a position of it was in ``folded``."""
    pieces, firsts, shifts, last, removed = [], [0], [0], 0, 0
    for run in _SPACE_RUN.finditer(folded):
        pieces.append(folded[last:run.start() + 1])
        last = run.end()
        removed += last - run.start() - 1
        firsts.append(last - removed)  # from here on the text moved left by `removed`
        shifts.append(removed)
    pieces.append(folded[last:])
    return b"".join(pieces), lambda position: position + shifts[bisect_right(firsts, position) - 1]


def _trie_pattern(needles: list[str]) -> str:
    """An alternation of ``needles`` as a prefix tree: one branch per first character instead of one
    per needle, and, being greedy, it captures the longest needle that matches."""
    branches: dict[str, list[str]] = {}
    for needle in needles:
        branches.setdefault(needle[:1], []).append(needle[1:])
    ends = "" in branches
    alternatives = [_char(head) + _trie_pattern(rest) for head, rest in branches.items() if head]
    if not alternatives:
        return ""
    if len(alternatives) == 1 and not ends:
        return alternatives[0]  # a chain of single characters needs no group
    return f"(?:{'|'.join(alternatives)})" + ("?" if ends else "")


def _char(char: str) -> str:
    return _SEPARATORS.pattern if char == " " else re.escape(char)


def _matches_from(pattern: re.Pattern, text: str, starts: Iterable[int], end: int) -> list[re.Match]:
    """``pattern``'s matches in ``text`` up to ``end``, as ``finditer`` finds them, where every match
    is known to start at one of ``starts`` (in order): each is tried, from where the last match ended."""
    found, after = [], 0
    for start in starts:
        if start >= end:
            break
        if start >= after and (m := pattern.match(text, start, end)):
            found.append(m)
            after = m.end()
    return found


class TextMatches:
    """The matches of a ``PhraseSet``'s phrases in one text, each phrase looked up at most once.
    A phrase's regex is compiled when a text first holds its needle: the bench's 5 000 papers need
    260 of the bundled taxonomy's 424 phrases (compiling all cost 0.1 s of CPU per process)."""

    def __init__(self, text: str, starts: dict[int, list[int]], keys: dict[str, int | None]):
        self.text = text
        self.starts = starts  # where each key's needles are at a word start, in order; no other key matches
        self._keys = keys  # each phrase's key; None where its matches may start anywhere, or not in the set
        self._found: dict[str, list[re.Match]] = {}

    def may_occur(self, phrase: str) -> bool:
        """False only for a phrase that is certainly not in the text."""
        key = self._keys.get(phrase)
        return key is None or key in self.starts

    def find_all(self, phrase: str) -> list[re.Match]:
        found = self._found.get(phrase)
        if found is None:
            key = self._keys.get(phrase)
            if key is None:  # where its matches may start is not known
                found = find_all(phrase, self.text)
            else:
                found = _matches_from(compile_phrase(phrase), self.text, self.starts.get(key, ()), len(self.text))
            self._found[phrase] = found
        return found

    def find_all_before(self, phrase: str, end: int) -> list[re.Match]:
        """The matches in the text up to ``end``, as if it ended there."""
        key = self._keys.get(phrase)
        if key is None:  # where its matches may start is not known
            return find_all(phrase, self.text[:end])
        # finditer without the scan: every match starts where the needle is
        return _matches_from(compile_phrase(phrase), self.text, self.starts.get(key, ()), end)
