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
from functools import cache


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


def find(phrase: str, text: str) -> re.Match | None:
    return compile_phrase(phrase).search(text)


def find_all(phrase: str, text: str) -> list[re.Match]:
    return list(compile_phrase(phrase).finditer(text))
