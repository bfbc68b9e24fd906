"""Paper ids: python-slugify slugs of the NFKC-folded title, bounded in length, stable, collision-free."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Container

MAX_ID_LENGTH = 80
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Ids a paper or a topic may not have: docs/papers/index.md and docs/topics/index.md are their folders'
# own pages (papers/, topics/ in the site), so a paper or topic of that id would take the folder's place
# and links to papers/index/ would lead nowhere. MkDocs takes README.md for an index too, but ids are
# lowercase (ID_PATTERN, topics.schema.json) and MkDocs compares 'README' case-sensitively.
RESERVED_IDS = frozenset({"index"})

# Zero-width and other invisible format characters that make two equal-looking titles differ.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[\W_]+")
_ASCII_NON_WORD = bytes(c for c in range(128) if not chr(c).isalnum())  # [\W_] in ASCII text
_ASCII_TO_SPACES = bytes.maketrans(_ASCII_NON_WORD, b" " * len(_ASCII_NON_WORD))
_ASCII_PRINTABLE = bytes(range(0x20, 0x7F))  # what str.isprintable accepts of ASCII


def normalise_title(title: str) -> str:
    """The title as displayed and written: the characters typed (composed, NFC), no invisible
    characters, single spaces. "O(n²) in ℝ³" stays so; compatibility folding is for ids and keys only."""
    if is_single_spaced(title) and unicodedata.is_normalized("NFC", title):
        return title  # most titles: two C-speed scans instead of three passes that copy it
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", title))
    return _SPACES.sub(" ", text).strip()


def _folded(shown: str) -> str:
    """A title as displayed, NFKC-folded ("n²" is "n2", "ℝ" is "R"): what ids and title keys are made
    from, as they were when titles were displayed folded, so no id or key changes."""
    if unicodedata.is_normalized("NFKC", shown):
        return shown
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", shown)).strip()  # "¨" folds to " ̈"


def title_key(title: str) -> str:
    """What makes two titles 'the same paper': case, punctuation, spacing and compatibility forms
    ("O(n²)", "O(n2)") do not count.

    A title of only emoji or punctuation has no words; it is then its own key (without spaces), so
    two such titles are neither "the same paper" nor given the same hash id."""
    return shown_title_key(normalise_title(title))


def shown_title_key(shown: str) -> str:
    """``title_key`` of a title already as displayed (``normalise_title``)."""
    text = _folded(shown).casefold()
    if text.isascii():  # the regex's word runs, found by a bytes translate and a split (four times faster)
        words = b" ".join(text.encode().translate(_ASCII_TO_SPACES).split()).decode()
    else:
        words = _NON_WORD.sub(" ", text).strip()
    return words or "".join(text.split())


def is_single_spaced(text: str) -> bool:
    """Whether ``" ".join(text.split())`` is the text itself, and it holds no invisible character.
    Every whitespace character but the space is unprintable for ``str.isprintable``, and so is every
    invisible (format) character: only spaces need a look."""
    return _is_printable(text) and "  " not in text and text[:1] != " " and text[-1:] != " "


def _is_printable(text: str) -> bool:
    """``str.isprintable``, by a bytes translate on ASCII text (three times faster than looking each
    character up in Unicode's tables)."""
    if text.isascii():
        return not text.encode().translate(None, _ASCII_PRINTABLE)
    return text.isprintable()


def _digest(title: str) -> str:
    return hashlib.sha1(title_key(title).encode("utf-8")).hexdigest()[:8]


def slug_for(title: str) -> str:
    """The base id of a title; a title with no letters or digits gets a stable hash id."""
    # Imported here: only new records need it, and importing it took 20 ms of every build's start.
    from slugify import slugify

    slug = slugify(_folded(normalise_title(title)), max_length=MAX_ID_LENGTH, word_boundary=True)
    return slug or f"paper-{_digest(title)}"


def unique_id(title: str, taken: Container[str]) -> str:
    """The id for a new paper: its slug, or slug + hash of the title when another paper holds the slug.

    The suffix depends only on the title, never on import order, so ids are deterministic.
    A reserved slug counts as held (by the folder's own page): "Index" becomes index-<hash>, the same
    rule as for any taken slug, rather than a fixed name such as index-paper that a paper titled
    "Index Paper" could hold in its turn.
    """
    base = slug_for(title)
    if base not in taken and base not in RESERVED_IDS:
        return base
    suffix = _digest(title)
    return f"{base[: MAX_ID_LENGTH - len(suffix) - 1].rstrip('-')}-{suffix}"
