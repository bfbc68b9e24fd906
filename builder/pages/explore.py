"""The explore page's data: one compact JSON file the browser filters without asking anything else.

Shape (arrays, not objects, so 20 000 papers stay small; documented for the script that reads it):

    {"version": 1,
     "topics": [[id, name, parent-index-or-null], ...],      # taxonomy order
     "statuses": ["available", "announced", "none"],
     "papers": [[id, title, listed-or-"", status-index, [topic-index, ...], words], ...]}

Papers come newest first (the page's default order). ``words`` holds each distinct search token of
the title and abstract once, lower-cased without accents, space-separated; the script normalises a
query the same way and matches every query token as the start of a word.
"""

from __future__ import annotations

import json
import re
import unicodedata
from json.encoder import encode_basestring

from ..enrich.catalog import Paper
from ..enrich.taxonomy import Taxonomy
from ..parallel import map_items

FORMAT_VERSION = 1
_TOKEN = re.compile(r"[^\W_]+")
# For ASCII text the tokens are the runs of letters and digits: every other character becomes a space
# and split finds them, several times faster than the regex (which is needed for other scripts); a
# bytes translate is a table lookup per byte, where str.translate looks each character up in a dict.
# The same table lower-cases the letters, which spares str.lower's pass and copy.
_ASCII_TO_WORDS = bytes(
    (c | 0x20 if chr(c).isupper() else c) if chr(c).isalnum() else ord(" ") if c < 128 else c for c in range(256)
)
_STRING = encode_basestring  # a JSON string as json.dumps(..., ensure_ascii=False) writes it


def search_tokens(text: str) -> list[str]:
    """Distinct tokens in first-seen order; mirrors `tokens()` in builder/site/assets/explore.js."""
    return search_words(text).split()


def search_words(text: str) -> str:
    """``search_tokens`` joined by spaces, as a paper's row holds them: letters and digits only."""
    if text.isascii():  # most abstracts are: no accents to remove either; bytes all the way (a tenth cheaper)
        return b" ".join(dict.fromkeys(text.encode().translate(_ASCII_TO_WORDS).split())).decode()
    folded = unicodedata.normalize("NFKD", text.lower())  # (the lower case of a few is ASCII: same tokens)
    folded = "".join(ch for ch in folded if not unicodedata.category(ch).startswith("M"))  # accents
    return " ".join(dict.fromkeys(_TOKEN.findall(folded)))


def explore_json(papers: list[Paper], taxonomy: Taxonomy, statuses: list[str], reuse: dict | None = None) -> str:
    """`papers` in the site's list order (newest first), which the page keeps as its default.

    ``reuse`` keeps each paper's line between builds (memo.py)."""
    topic_index = {t.id: i for i, t in enumerate(taxonomy.topics)}
    status_index = {s: i for i, s in enumerate(statuses)}
    data = {
        "version": FORMAT_VERSION,
        "topics": [[t.id, t.name, topic_index.get(t.parent)] for t in taxonomy.topics],
        "statuses": statuses,
    }

    def line(p: Paper) -> str:  # one paper per line: compact, yet a diff of two builds shows which changed
        # What json.dumps(row, ensure_ascii=False, separators=(",", ":")) writes, by its own string
        # encoder: encode() sets up an encoder for every call, which cost as much as the strings.
        topics = ",".join(map(str, sorted(map(topic_index.__getitem__, p.topic_ids))))
        title = p.title
        words = search_words(f"{title}\n{p.abstract}")
        # The words go in as they are: letters, digits and spaces stand for themselves in a JSON string,
        # and encoding them (a kilobyte or two a paper) was a fifth of this line's cost.
        return (f'[{_STRING(p.id)},{_STRING(" ".join(title.split()))},{_STRING(p.listed or "")},'
                f'{status_index[p.code.status]},[{topics}],"{words}"]')

    lines = map_items(line, papers, reuse=reuse,
                      key=lambda p: (p.id, p.record.digest, p.code.status, tuple(p.topic_ids)))
    head = json.dumps(data, ensure_ascii=False, separators=(",", ":"))[:-1] + ',"papers":[\n'
    if not lines:
        return head + "\n]}\n"
    # The head and the end go onto the first and last lines before the join, so that the file (7 MB for
    # 5 000 papers) is copied once: adding them to the joined text copied it twice more.
    lines[0] = head + lines[0]
    lines[-1] += "\n]}\n"
    return ",\n".join(lines)


def explore_page(papers: list[Paper], taxonomy: Taxonomy) -> dict:
    """What the template needs to draw the filters before the script runs."""
    counts = {t.id: 0 for t in taxonomy.topics}
    for paper in papers:
        for topic in paper.topic_ids:
            counts[topic] = counts.get(topic, 0) + 1
    dates = sorted(p.listed for p in papers if p.listed)
    return {
        "papers": papers,
        "topic_counts": counts,
        "first_date": dates[0] if dates else "",
        "last_date": dates[-1] if dates else "",
    }
