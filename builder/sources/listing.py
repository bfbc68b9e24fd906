"""Parse a text scrape of a "trending papers" page.

The shape: page chrome, a date line (``Mar 13``), then title / abstract pairs, blocks separated by
blank lines; a file may hold several date sections. The scrape carries no year, so the caller
supplies the listing date and we place each section's month and day in the right year.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
DATE_LINE = re.compile(r"^(?P<month>[A-Za-z]{3})[a-z]*\.?\s+(?P<day>\d{1,2})(?:,\s*(?P<year>\d{4}))?$")

# Pieces of page furniture seen on trending-paper pages, a regular expression each, written in lower case
# from letters, digits, spaces, '!', \s and \d, each maybe followed by '?', '*' or '+' (the abstract check
# reads them); CHROME matches a whole line that is one of them, ignoring case.
CHROME_PIECES = (
    "new", "subscribe", "get trending papers in your email inbox!?", r"by\s*ak and the research community",
    "trending papers", "daily papers", "load more", "show more", "submit", "sign in", "log in", "upvote",
    r"\d+ upvotes?", "view all", "previous", "next", "search", "papers",
)
CHROME = re.compile("^(" + "|".join(CHROME_PIECES) + ")$", re.IGNORECASE)
MAX_TITLE_CHARS = 300


@dataclass
class Entry:
    title: str
    abstract: str
    listed: dt.date
    line: int  # line of the title


@dataclass
class Skipped:
    line: int
    text: str
    reason: str


@dataclass
class Listing:
    entries: list[Entry] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass
class _Block:
    line: int
    text: str


def _blocks(text: str) -> list[_Block]:
    """Runs of non-blank lines, each joined into one line of text, with its first line number.

    A line of page chrome that starts or ends a run is a block of its own, as if a blank line parted
    it: scrapes put a 'Subscribe' right under an abstract, and joined to it, it became part of the
    paper's text. Inside a run, such a line is a wrapped line of the text ("we predict the / next /
    token"): it stays."""
    blocks: list[_Block] = []
    run: list[tuple[int, str]] = []  # (line number, the line with its spaces collapsed)
    for number, line in enumerate([*text.split("\n"), ""], start=1):  # a last blank line ends the last run
        stripped = " ".join(line.split())
        if stripped:
            run.append((number, stripped))
            continue
        first, last = 0, len(run)
        while first < last and CHROME.match(run[first][1]):
            first += 1
        while last > first and CHROME.match(run[last - 1][1]):
            last -= 1
        blocks += [_Block(*chrome) for chrome in run[:first]]
        if first < last:
            blocks.append(_Block(run[first][0], " ".join(joined for _, joined in run[first:last])))
        blocks += [_Block(*chrome) for chrome in run[last:]]
        run = []
    return blocks


def section_date(match: re.Match, listing_date: dt.date) -> dt.date | None:
    """The date of a ``Mar 13`` line: in the listing's year, or the year before if it would be later."""
    month = _MONTHS.index(match["month"].lower()) + 1 if match["month"].lower() in _MONTHS else 0
    if not month:
        return None
    year = int(match["year"]) if match["year"] else listing_date.year
    try:
        date = dt.date(year, month, int(match["day"]))
    except ValueError:
        return None
    if not match["year"] and date > listing_date:
        date = date.replace(year=year - 1)
    return date


def looks_like_abstract(text: str) -> bool:
    """Abstracts are long prose; titles are short lines that rarely end in a full stop."""
    words = len(text.split())
    return len(text) > MAX_TITLE_CHARS or (words >= 25 and text.endswith((".", ")")))


def parse(text: str, listing_date: dt.date) -> Listing:
    result = Listing()
    current_date: dt.date | None = None
    pending: _Block | None = None  # a title waiting for its abstract

    def drop_pending(reason: str) -> None:
        nonlocal pending
        if pending:
            result.skipped.append(Skipped(pending.line, pending.text, reason))
            pending = None

    for block in _blocks(text):
        match = DATE_LINE.match(block.text)
        if match and (date := section_date(match, listing_date)):
            drop_pending("title without abstract")
            current_date = date
        elif CHROME.match(block.text):
            drop_pending("title without abstract")
        elif current_date is None:
            result.skipped.append(Skipped(block.line, block.text, "before the first date line (page chrome)"))
        elif looks_like_abstract(block.text):
            if pending:
                result.entries.append(Entry(pending.text, block.text, current_date, pending.line))
                pending = None
            else:
                result.skipped.append(Skipped(block.line, block.text, "abstract without a title"))
        else:
            drop_pending("title without abstract")
            pending = block
    drop_pending("title without abstract")
    return result
