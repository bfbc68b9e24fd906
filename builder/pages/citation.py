"""A BibTeX entry for each paper, built only from what its record says.

Every field is one line and every contributor character that means something to BibTeX or LaTeX
is escaped, so a pasted entry compiles and a title cannot end the entry (or the page's code fence).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from urllib.parse import quote

from ..enrich.catalog import Paper

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_ESCAPES = str.maketrans(_SPECIAL)  # every character at once: nothing an escape adds is escaped again
_NEW_ARXIV = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}")
_SPECIAL_CHAR = re.compile("[" + re.escape("".join(_SPECIAL)) + "]")
_AND = re.compile(r"\band\b", re.IGNORECASE)
_LONG_WORD = re.compile(r"[^\W_]{4,}")  # the first word of four letters or more, found by one search
_NOT_KEY = re.compile(r"[^a-z0-9]")


def bibtex_text(value: str) -> str:
    """Contributor text as the literal content of a braced BibTeX field, on one line."""
    text = str(value)
    if text.isascii() and not text.encode().translate(None, _INERT_ASCII) and "  " not in text \
            and text[:1] != " " and text[-1:] != " ":  # most texts: left as they are, found at C speed
        return text
    text = " ".join(text.split())
    return text.translate(_ESCAPES) if _SPECIAL_CHAR.search(text) else text  # a search is 10× a translate


# Printable ASCII that needs no escape; with no other whitespace than single spaces, a text made of it is
# its own BibTeX text.
_INERT_ASCII = bytes(c for c in range(0x20, 0x7F) if chr(c) not in _SPECIAL)


def bibtex_author(name: str) -> str:
    """One author; a name containing the word "and" is braced so BibTeX keeps it one person."""
    text = bibtex_text(name)
    return f"{{{text}}}" if _AND.search(text) else text


def bibtex_url(url: str) -> str:
    """URLs are printed verbatim by LaTeX; braces and backslashes are percent-encoded instead."""
    return quote(" ".join(url.split()), safe=":/?#[]@!$&'()*+,;=%~-._")


def citation_year(fields: dict) -> int | None:
    """The record's year, else the year of a new-style arXiv id (YYMM.NNNNN, from 2007 on)."""
    if fields.get("year"):
        return fields["year"]
    match = _NEW_ARXIV.match(fields.get("arxiv") or "")
    return 2000 + int(match.group(1)) if match else None


def citation_key(paper: Paper, year: int | None) -> str:
    """`lastname` + year + first title word, ASCII: the convention of Google Scholar and DBLP. Papers
    may share it: citation_keys tells them apart."""
    authors = paper.get("authors") or []
    last = authors[0].split()[-1] if authors and authors[0].split() else ""
    first_word = match.group() if (match := _LONG_WORD.search(paper.title)) else ""
    key = _key_text(f"{last}{year or ''}{first_word}")
    return key if key[:1].isalpha() else paper.id.replace("-", "")


def _key_text(text: str) -> str:
    """Text as a key's ASCII letters and digits, lower case."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return text.lower() if text.isalnum() else _NOT_KEY.sub("", text.lower())  # ASCII letters and digits: kept


def citation_keys(papers: list[Paper]) -> dict[str, str]:
    """Each paper's key, by id, unique across the catalog: a .bib file with a key twice is an error.

    Papers sharing a key each add the next long words of their ids (their titles' slugs), as few as
    tell them apart ("towards" becomes "towardsexact" and "towardsartificial"): still readable, and a
    key changes only when a paper with the same key and words comes or goes, never for an unrelated
    one. Papers still alike (titles differing in short words only) are numbered in id order ("-2",
    "-3"); no other key has a hyphen."""
    shared: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        shared[citation_key(paper, citation_year(paper.record.data))].append(paper)
    keys: dict[str, str] = {}
    for key, group in shared.items():
        if len(group) == 1:
            keys[group[0].id] = key
            continue
        words = sorted((_id_words(p.id), p.id) for p in group)
        # In this order, a paper shares the most words with a neighbour: with the one before or after.
        alike = [0, *(_common(a, b) for (a, _), (b, _) in zip(words, words[1:])), 0]
        for i, (own, paper_id) in enumerate(words):
            keys[paper_id] = key + "".join(own[:max(alike[i], alike[i + 1]) + 1])
    if len(set(keys.values())) < len(keys):  # papers still alike, rare: each taken in id order
        taken: Counter[str] = Counter()
        for paper_id in sorted(keys):
            taken[key := keys[paper_id]] += 1
            if taken[key] > 1:
                keys[paper_id] = f"{key}-{taken[key]}"
    return keys


def _id_words(paper_id: str) -> tuple[str, ...]:
    """The id's words of four characters or more but the first, which the key has already."""
    return tuple(word for word in paper_id.split("-") if len(word) > 3)[1:]


def _common(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """How many words two sequences start with alike."""
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def bibtex(paper: Paper, key: str) -> str:
    """The paper's entry, under its key from citation_keys."""
    record = paper.record.data  # the record's own fields, looked up once each (a paper page's citation)
    fields = [("title", bibtex_text(paper.title))]
    if authors := record.get("authors"):
        fields.append(("author", " and ".join(bibtex_author(a) for a in authors)))
    year = citation_year(record)
    if year:
        fields.append(("year", str(year)))
    if venue := record.get("venue"):
        fields.append(("howpublished", bibtex_text(venue)))
    if arxiv := record.get("arxiv"):
        fields += [("eprint", bibtex_text(arxiv)), ("archivePrefix", "arXiv")]
    url = record.get("url") or (f"https://arxiv.org/abs/{arxiv}" if arxiv else "")
    if url:
        fields.append(("url", bibtex_url(url)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"
