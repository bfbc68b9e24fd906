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
