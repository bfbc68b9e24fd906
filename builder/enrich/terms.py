"""A paper's terms for related papers: words and two-word phrases of its title and abstract, stop
words and links left out, plurals folded. Per paper and free of numpy, so that the process that reads
a record can work them out at once (related.py weighs and compares them across the catalog)."""

from __future__ import annotations

import re
import string
from itertools import compress

TITLE_WEIGHT = 2

STOP_WORDS = frozenset(
    """a about above across after again against all almost also although always among an and another any are
    as at be because been before being below between both but by can could did do does doing done due during
    each either else enough etc even ever every few for from further given had has have having here how however
    i ie eg if in into is it its itself just less like made make makes making many may more most much must
    neither no nor not now of off often on once one only onto or other others otherwise our ours out over own
    per rather same several shall should show shows shown showed since so some such than that the their theirs
    them then there these they this those though through throughout thus to too under until up upon us use used
    uses using various very via was we were what when where whether which while who whom whose why will with
    within without would yet you your
    paper papers propose proposed proposes approach approaches method methods novel new result results
    experiment experiments experimental extensive demonstrate demonstrates demonstrated state art
    state-of-the-art sota performance performs improve improves improved improvement improvements existing
    prior previous work works recent recently present presents introduce introduces introduced achieve
    achieves achieved effective effectively efficient efficiently significant significantly framework
    frameworks problem problems task tasks study studies studied based first second third finally furthermore
    moreover specifically particular particularly well outperform outperforms outperformed outperforming
    superior benchmark benchmarks compared comparison compare analysis analyze analyse available code codes
    github https http com www url able provide provides provided key important different large small high
    low better best wide range real world two three main simple simply model models data dataset datasets
    learning learn learns learned training train trained network networks neural deep algorithm algorithms
    technique techniques strategy strategies issue issues aim aims aiming address addresses addressing
    challenge challenges challenging surprisingly surprising interesting notably remarkable remarkably
    consistently consistent crucial essential fundamental general generally common commonly typically
    usually often widely however thereby therefore hence toward towards order enable enables enabling
    allow allows allowing obtain obtains obtained case cases help helps solution solutions solve solving
    evidence example examples alternative application applications property properties sufficiently
    separate level levels effect effects concern concerns source sources factor factors end system systems
    generated generate generates emerging promising potential practical practice novelty insight insights
    investigate investigates investigated explore explores explored observe observed observation find finds
    found finding findings show demonstrating validate validates verify verified conduct conducted
    comprehensive thorough empirical empirically theoretical theoretically evaluate evaluated evaluation
    despite although achieving leading leads lead field fields domain domains area areas term terms way ways
    number numbers set sets value values time times step steps process processes scale large-scale
    larger smaller beyond ability abilities benefit benefits success successful principled structure
    structures
    """.split()
)
_TOKEN = re.compile(r"[a-z][a-z0-9]+(?:-[a-z0-9]+)*")
# Every byte a word cannot hold becomes a space: bytes.translate, then split(), cuts a text in lower
# case into chunks that each hold the words of _TOKEN in it, at C speed. Most chunks are one word as
# they stand; the others are looked at alone (_Chunks). A non-ASCII character is never in a word, and
# each byte of its UTF-8 becomes a space (a lone surrogate's too, which no record holds).
_WORD_BYTES = frozenset((string.ascii_lowercase + string.digits + "-").encode())
_NOT_IN_WORDS = bytes(byte if byte in _WORD_BYTES else ord(" ") for byte in range(256))
_LINK_MARK = re.compile(r"://|www\.|\.(?:com|org|io|net|science|co|ai)/")


def _stem(word: str) -> str:
    """Fold the plurals that matter for matching (models → model, studies → study)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "as")):
        return word[:-1]
    return word


class _Terms(dict):
    """word → the term it counts as: its stem, or "" for stop words and very short words (memoised)."""

    def __missing__(self, word: str) -> str:
        term = self[word] = "" if word in STOP_WORDS or len(word) < 3 else _stem(word)
        return term


_TERMS = _Terms()
_MIXED = "\0"  # a chunk whose words are not the chunk itself (see _Chunks); never a term


class _Chunks(dict):
    """chunk → the term of the word it is (as ``_TERMS``), None when it holds no word ("a", "2",
    "--"), or ``_MIXED`` when its words are not the chunk ("r-cnn" is "cnn", "10th" is "th") (memoised)."""

    def __missing__(self, chunk: str) -> str | None:
        if _TOKEN.fullmatch(chunk):
            term = _TERMS[chunk]
        else:
            term = _MIXED if _TOKEN.search(chunk) else None
        self[chunk] = term
        return term


_CHUNKS = _Chunks()


def _without_links(text: str) -> str:
    """The text with every link blanked out: a link's words (github, an owner's name) are not a subject."""
    if "/" not in text and "www." not in text:  # each link mark has one: two quick tests, no regex search
        return text
    start = 0
    # A mark holds no space, so none runs across a cut: the next is after the text already searched.
    while mark := _LINK_MARK.search(text, start):
        start = max(text.rfind(" ", 0, mark.start()), text.rfind("\n", 0, mark.start())) + 1
        end = min((i for i in (text.find(" ", mark.end()), text.find("\n", mark.end())) if i >= 0), default=len(text))
        text = text[:start] + text[end:]
    return text


def terms(title: str, abstract: str, seen: list[str] | None = None) -> list[str]:
    """Words and adjacent word pairs (stop words break a pair) of a paper; the title counts twice.

    ``seen`` collects the words as written that count as terms, to show a stem as the word papers
    use most (a stop word is never shown).
    """
    out: list[str] = []
    for part, weight in ((title, TITLE_WEIGHT), (abstract, 1)):
        words, stems = _words(_without_links(part.lower()))  # stem "" for a stop word: it breaks a pair
        if seen is not None:
            seen += compress(words, stems)
        found = list(filter(None, stems))
        if None in stems:  # chunks that hold no word: they are not there for pairs either
            stems = [stem for stem in stems if stem is not None]
        found += [f"{a} {b}" for a, b in zip(stems, stems[1:]) if a and b]
        out += found * weight
    return out


def _words(text: str) -> tuple[list[str], list[str | None]]:
    """The chunks of ``text`` in lower case (see _NOT_IN_WORDS) with the term of each, None for a
    chunk without a word, the chunks made of other words than themselves replaced by those words:
    the words of ``_TOKEN.findall(text)``, in order, with None between them."""
    words = text.encode("utf-8", "surrogatepass").translate(_NOT_IN_WORDS).decode().split()
    stems = list(map(_CHUNKS.__getitem__, words))
    at = 0
    for _ in range(stems.count(_MIXED)):  # rare (one paper in six): each is replaced in place
        at = stems.index(_MIXED, at)
        found = _TOKEN.findall(words[at])
        words[at:at + 1] = found
        stems[at:at + 1] = map(_TERMS.__getitem__, found)
        at += len(found)
    return words, stems


def tokenize(text: tuple[str, str]) -> tuple[str, str]:
    """A paper's terms ("\n"-separated) and its words as written that count as terms (" "-separated),
    from its (title, abstract): two strings are quick to pickle back from a worker process, lists of
    hundreds of strings are not. A caller with other per-paper work may compute them beside it
    (``tokens``)."""
    seen: list[str] = []
    return "\n".join(terms(*text, seen)), " ".join(seen)
