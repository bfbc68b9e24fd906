"""Checks across records and against the taxonomy, beyond what the schema of one record can say."""

from __future__ import annotations

import re
from collections import defaultdict

from ..enrich.taxonomy import Taxonomy, load_taxonomy
from ..errors import CatalogError, Problem
from ..layout import Layout
from ..memo import Memo, table
from ..parallel import map_items
from ..sources.listing import CHROME, CHROME_PIECES
from .store import Record, load_records

# What `catalog new` writes when it has no abstract; a record still holding it must not be published.
PLACEHOLDER = "TODO"
_PLACEHOLDER = re.compile(rf"^\s*{PLACEHOLDER}\b")
_SENTENCE_END = re.compile(r"([.!?])\s+")  # the mark is kept, and given back to its sentence
# Page furniture that is a phrase of this many words or more cannot be ordinary prose; shorter chrome
# ("New", "Subscribe") is only reported when it stands alone between sentences.
_PHRASE_WORDS = 3
_MAX_CHROME_WORDS = 10
_ARXIV_VERSION = re.compile(r"v\d+$")
# CHROME matches whole lines (^…$); its body is tried on spans of a sentence, and only at the words
# where one of its alternatives begins, instead of joining and matching every window of words.
# Words are found as what follows a space (a sentence is searched with one in front): a pattern that
# begins with a plain character lets the regex engine skip to the next space instead of trying the
# alternatives at every character.
assert CHROME.pattern.startswith("^") and CHROME.pattern.endswith("$"), "page_chrome expects an anchored CHROME"
_CHROME_BODY = re.compile(CHROME.pattern[1:-1], CHROME.flags)
_CHROME_STARTS = re.compile(rf" (?={CHROME.pattern[1:-1]})", CHROME.flags)
# On ASCII text, ignoring case is matching in lower case, which the regex engine does twice as fast;
# CHROME's letters are all lower case, so without IGNORECASE it finds the same starts in the lowered text.
assert CHROME.pattern == CHROME.pattern.lower(), "page_chrome expects CHROME written in lower case"
_CHROME_STARTS_LOWERED = re.compile(_CHROME_STARTS.pattern, CHROME.flags & ~re.IGNORECASE)

# Most abstracts hold no chrome, and a few searches of the whole text tell most of them, instead of
# splitting every sentence into words. Chrome is either a whole sentence, which begins the text or follows
# a sentence's end mark and ends where its sentence does, or a phrase of _PHRASE_WORDS words or more, which
# holds the required word of a piece that long.
assert all(re.fullmatch(r"(?:(?:[a-z0-9! ]|\\[sd])[?*+]?)+", piece) for piece in CHROME_PIECES), \
    "page_chrome expects CHROME's pieces written as listing.py says"


def _words_spanned(piece: str) -> int:
    """The most words a piece matches in single-spaced text: one more than the white space it writes."""
    return 1 + len(re.findall(r" |\\s", piece))


def _required_word(piece: str) -> str:
    """The longest run of letters and digits in every match of a piece (escapes and quantified characters
    are left out, so they cut runs)."""
    words = re.findall(r"[a-z0-9]+", re.sub(r"\\.|.[?*+]", " ", piece))
    assert words, f"page_chrome expects a word in every long piece of CHROME: {piece!r}"
    return max(words, key=len)


# A piece, the full stops page_chrome strips, then the white space after the sentence or the text's end.
_WHOLE_SENTENCE = rf"(?:{_CHROME_BODY.pattern})\.*(?:\s|$)"
_WHOLE_FIRST_SENTENCE = re.compile(rf"\s*{_WHOLE_SENTENCE}", CHROME.flags)
_WHOLE_NEXT_SENTENCE = re.compile(rf"[.!?]\s+{_WHOLE_SENTENCE}", CHROME.flags)
_LONG_PIECE_WORDS = tuple(_required_word(piece) for piece in CHROME_PIECES if _words_spanned(piece) >= _PHRASE_WORDS)
_LONG_PIECE_WORD = re.compile("|".join(map(re.escape, _LONG_PIECE_WORDS)), CHROME.flags)


def _where(record: Record, *path: object) -> tuple[int, int]:
    """Only for a problem: finding where fields are means reading the record's YAML again."""
    return record.location(tuple(path))


def _duplicates(records: list[Record], keyed, what: str, severity: str) -> list[Problem]:
    """Every record of a group sharing a key gets the problem, so it shows on whichever file a PR adds."""
    groups: dict[str, list[tuple[Record, tuple]]] = defaultdict(list)
    for record in records:
        for key, path in keyed(record):
            groups[key].append((record, path))
    problems = []
    for members in groups.values():
        if len(members) < 2:  # nearly every key: not worth a set and a sort
            continue
        paths = sorted({record.path for record, _ in members})
        if len(paths) < 2:
            continue
        for record, path in members:
            others = ", ".join(p for p in paths if p != record.path)
            line, col = _where(record, *path)
            label = path[0] + "".join(f"[{p}]" for p in path[1:])
            advice = "one paper, one record" if severity == "error" else "the same paper twice?"
            problems.append(Problem(record.path, line, col, label, f"same {what} as {others}: {advice}", severity))
    return problems


def _titles(record: Record):
    yield record.title_key, ("title",)


def _arxiv_ids(record: Record):
    if "arxiv" in record.data:
        yield _ARXIV_VERSION.sub("", record.data["arxiv"]), ("arxiv",)


def _code_links(record: Record):
    seen = set()
    for index, url in enumerate(record.data.get("code", [])):
        key = re.sub(r"^https?://(www\.)?", "", url.strip()).rstrip("/").removesuffix(".git").lower()
        if key not in seen:  # the same link twice in one record is the schema's uniqueItems business
            seen.add(key)
            yield key, ("code", index)


def _unknown_topics(record: Record, known: list[str]) -> list[Problem]:
    problems = []
    for index, topic in enumerate(record.data.get("topics", [])):
        if topic not in known:
            import difflib  # for this message only: not imported by every build

            close = difflib.get_close_matches(topic, known, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'? " if close else ""
            line, col = _where(record, "topics", index)
            problems.append(Problem(record.path, line, col, f"topics[{index}]",
                                    f"unknown topic '{topic}'; {hint}known topics: {', '.join(known)}"))
    return problems


def page_chrome(text: str) -> list[str]:
    """Pieces of a listing page's furniture (listing.CHROME) left in a text, in order of appearance."""
    if _may_hold_chrome(text):
        return _chrome_by_sentence(text)
    return []


def _may_hold_chrome(text: str) -> bool:
    """False for a text that page_chrome would find nothing in, at the cost of one pass or three."""
    if text.isascii():  # str.lower equals IGNORECASE matching on ASCII only; `in` is 15 times faster
        lowered = text.lower()
        long_phrase = any(word in lowered for word in _LONG_PIECE_WORDS)
    else:
        long_phrase = _LONG_PIECE_WORD.search(text) is not None
    return long_phrase or bool(_WHOLE_NEXT_SENTENCE.search(text) or _WHOLE_FIRST_SENTENCE.match(text))


def _chrome_by_sentence(text: str) -> list[str]:
    found: list[str] = []
    for sentence in _sentences(text.strip()):
        if CHROME.match(sentence.strip().rstrip(".")):
            found.append(sentence.strip())
            continue
        joined = " ".join(sentence.split())
        starts = _chrome_starts(joined)
        if starts:
            found += _chrome_phrases(joined, starts)
    return found


def _chrome_starts(joined: str) -> list[int]:
    """Where the words of single-spaced text that one of CHROME's alternatives begins with start."""
    spaced = " " + joined  # the match of " " + word in it starts where the word starts in joined
    if spaced.isascii():  # str.lower equals IGNORECASE matching on ASCII only
        return [match.start() for match in _CHROME_STARTS_LOWERED.finditer(spaced.lower())]
    return [match.start() for match in _CHROME_STARTS.finditer(spaced)]


def _sentences(text: str) -> list[str]:
    """The text split after each '.', '!' or '?' that white space follows (the white space dropped)."""
    parts = _SENTENCE_END.split(text)  # sentence, its mark, sentence, its mark, …, last sentence
    return [parts[i] + parts[i + 1] for i in range(0, len(parts) - 1, 2)] + [parts[-1]]


def _chrome_phrases(joined: str, starts: list[int]) -> list[str]:
    """Greedy, left to right: the longest run of words from a start that is a whole CHROME phrase."""
    found, taken = [], 0  # text before offset `taken` belongs to a phrase already found
    for begin in starts:
        if begin < taken:
            continue
        ends = _word_ends(joined, begin, _MAX_CHROME_WORDS)
        for end in reversed(ends[_PHRASE_WORDS - 1:]):
            if _CHROME_BODY.fullmatch(joined, begin, end):
                found.append(joined[begin:end])
                taken = end + 1
                break
    return found


def _word_ends(joined: str, begin: int, count: int) -> list[int]:
    """Where each of the (at most) ``count`` words from offset ``begin`` of single-spaced text ends."""
    ends: list[int] = []
    while len(ends) < count:
        space = joined.find(" ", begin)
        if space < 0:
            ends.append(len(joined))
            break
        ends.append(space)
        begin = space + 1
    return ends


def _abstract_problems(record: Record) -> list[Problem]:
    abstract = record.data["abstract"]
    if _PLACEHOLDER.match(abstract):
        return [Problem(record.path, *_where(record, "abstract"), "abstract",
                        f"still the {PLACEHOLDER} placeholder: paste the paper's abstract")]
    chrome = page_chrome(abstract)
    if chrome:
        quoted = ", ".join(f"'{c}'" for c in chrome)
        return [Problem(record.path, *_where(record, "abstract"), "abstract",
                        f"contains text of the listing page, not of the paper: {quoted}; remove it")]
    return []


def record_problems(record: Record, known: list[str]) -> list[Problem]:
    """What is wrong with one record alone, given the taxonomy's topic ids: unknown topics,
    placeholder or page text in its abstract."""
    return _unknown_topics(record, known) + _abstract_problems(record)


def check_records(records: list[Record], taxonomy: Taxonomy, memo: Memo | None = None,
                  checked: dict[str, list[Problem]] | None = None) -> list[Problem]:
    """Unknown topics, placeholder or page text in abstracts, and duplicate papers. ``checked``: each
    record's own problems (record_problems) by path, for the records whose reader found them."""
    records = sorted(records, key=lambda r: r.id)
    known = [t.id for t in taxonomy.topics]
    checked = checked or {}
    problems = [problem for record in records for problem in checked.get(record.path, ())]
    unchecked = [record for record in records if record.path not in checked]
    for found in map_items(lambda record: record_problems(record, known), unchecked,
                           reuse=table(memo, "check", tuple(known)), key=lambda r: (r.path, r.digest)):
        problems += found
    problems += _duplicates(records, _titles, "title", "error")
    problems += _duplicates(records, _arxiv_ids, "arXiv id", "error")
    # Two papers can share a repository (a paper and its follow-up), so this is only a warning.
    problems += _duplicates(records, _code_links, "code link", "warning")
    return sorted(problems)


def check_catalog(layout: Layout) -> tuple[int, int, list[Problem]]:
    """Every problem of every record and of the taxonomy, at once: (papers, topics, problems)."""
    records, problems = load_records(layout)
    try:
        taxonomy = load_taxonomy(layout)
    except CatalogError as exc:  # records are still reported; cross-checks need a taxonomy
        return len(records), 0, sorted(problems + exc.problems)
    problems += check_records(records, taxonomy)
    return len(records), len(taxonomy.topics), sorted(problems)
