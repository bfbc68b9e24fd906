"""Phrase matching for rules written by maintainers: whole words, simple inflections, no substrings.

A phrase is matched case-insensitively unless it contains a capital letter (``CV``, ``MoE``), then
exactly, so acronyms do not match ordinary words. Spaces and hyphens are interchangeable, the last
word may take a plural ending, and a trailing ``*`` matches any word ending (``optimi*``).
"""

from __future__ import annotations

import re
from functools import cache


@cache
def compile_phrase(phrase: str) -> re.Pattern:
    words = re.split(r"[\s\-]+", phrase.strip())
    parts = []
    for index, word in enumerate(words):
        star = word.endswith("*")
        body = re.escape(word.rstrip("*"))
        if star:
            body += r"\w*"
        elif index == len(words) - 1 and word[-1:].isalpha():
            body += r"(?:s|es|'s)?"
        parts.append(body)
    pattern = r"(?<![\w-])" + r"[\s\-]+".join(parts) + r"(?![\w])"
    flags = 0 if any(ch.isupper() for ch in phrase) else re.IGNORECASE
    return re.compile(pattern, flags)


def find(phrase: str, text: str) -> re.Match | None:
    return compile_phrase(phrase).search(text)
