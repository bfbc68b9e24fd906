"""Atom feeds of newly listed papers: one for the whole catalog, one per topic.

Feeds need absolute URLs (readers fetch them outside the site), so they are written only when
mkdocs.yml sets `site_url`; without it the site has no feeds and no pages link to any. Dates are
the records' `listed` dates, never the clock, so the same catalog gives the same bytes.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from jinja2 import Environment, Template
from markupsafe import Markup

from ..enrich.catalog import Paper, papers_by_topic
from ..enrich.taxonomy import Taxonomy
from ..parallel import map_items
from .jinja_env import package_environment
from .markdown import is_plain, markup

FEED_ENTRIES = 100  # at least the newest 100 papers, completed to the end of their last listing date
NO_DATE = "1970-01-01"  # `updated` of a feed whose catalog has no dated paper yet (Atom requires one)
# Characters XML 1.0 cannot carry at all; YAML escapes ("\x01") could put them in a record.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def feed_path(topic_id: str | None = None) -> str:
    """Where a feed lives, relative to the site root."""
    return f"feeds/topics/{topic_id}.xml" if topic_id else "feeds/all.xml"


def _text(value: str) -> str:
    """One line of text XML can carry. Most texts already are: one printable line, single-spaced (no
    character _NOT_XML names is printable), which one C-speed check tells (an abstract: 4 µs, not 30)."""
    text = str(value)
    return text if is_plain(text) else _NOT_XML.sub("\ufffd", " ".join(text.split()))


def _timestamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def xml_text(value: str) -> Markup:
    """Element content, escaped as ElementTree escapes it."""
    return _escape(_text(value), _TEXT_ESCAPES)


@lru_cache(maxsize=1024)  # topic ids and names, the site's URL: the same few on every entry
def xml_attr(value: str) -> Markup:
    """An attribute value (between double quotes), escaped as ElementTree escapes it; the line breaks
    and tabs it would write as character references are gone already (_text)."""
    return _escape(_text(value), _ATTR_ESCAPES)


_TEXT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))  # '&' first: nothing is escaped twice
_ATTR_ESCAPES = (*_TEXT_ESCAPES, ('"', "&quot;"))


def _escape(text: str, escapes: tuple[tuple[str, str], ...]) -> Markup:
    for char, escaped in escapes:
        if char in text:
            text = text.replace(char, escaped)
    return markup(text)


def _escaped_only(value: object) -> Markup:
    """What a feed template prints must have been escaped for its place, by ``text`` or ``attr``."""
    if isinstance(value, Markup):
        return value
    raise TypeError(f"a feed template printed an unescaped value: {value!r}")


@cache  # compiled once per process (`mkdocs serve` builds many times)
def _environment() -> Environment:
    env = package_environment(finalize=_escaped_only)
    env.filters.update(text=xml_text, attr=xml_attr)
    return env


def newest_entries(papers: list[Paper]) -> list[Paper]:
    """The dated papers, newest first, cut after FEED_ENTRIES but never in the middle of a listing date."""
    dated = [p for p in papers if p.listed]
    if len(dated) <= FEED_ENTRIES:
        return dated
    last_day = dated[FEED_ENTRIES - 1].listed
    return [p for i, p in enumerate(dated) if i < FEED_ENTRIES or p.listed == last_day]


def atom_feed(listed: list[Paper], taxonomy: Taxonomy, site_name: str, site_url: str, topic_id: str | None,
              fallback_day: str, entries: dict[str, str]) -> str:
    """A feed of `listed` (newest_entries of its papers); URLs are absolute, every text is escaped.

    ``entries`` holds each listed paper's <entry> as text (made once for all the feeds that list it)."""
    topic = taxonomy.by_id[topic_id] if topic_id else None
    return _environment().get_template("atom.xml.j2").render(
        self_url=site_url + feed_path(topic_id),
        page_url=site_url + (f"topics/{topic_id}/" if topic_id else ""),
        title=f"{site_name}: {topic.name}" if topic else site_name,
        subtitle=f"Newly listed papers on {topic.name}" if topic else "Newly listed papers",
        updated=_timestamp(listed[0].listed if listed else fallback_day),
        author=site_name,
        entries=[markup(entries[paper.id]) for paper in listed],
    )


def _entry_text(paper: Paper, taxonomy: Taxonomy, site_url: str, template: Template) -> str:
    """A paper's <entry> (``template``: atom-entry.xml.j2), indented as a child of <feed>."""
    url = f"{site_url}papers/{paper.id}/"
    return template.render(
        url=url, title=paper.title, related=paper.get("url"), updated=_timestamp(paper.listed),
        authors=paper.get("authors") or [], summary=paper.abstract, scheme=f"{site_url}topics/",
        categories=[(tid, taxonomy.by_id[tid].name) for tid in paper.topic_ids],
    )


def feed_files(papers: list[Paper], taxonomy: Taxonomy, site_name: str, site_url: str,
               reuse: dict | None = None, by_topic: dict[str, list[Paper]] | None = None) -> dict[str, str]:
    """Every feed by path under docs/; none without a site_url. `papers` newest first; ``by_topic``:
    their papers_by_topic, when the caller has it already.

    ``reuse`` keeps each paper's <entry> between builds (memo.py), for as long as its record and topics are
    the same (the table's owner empties it when the taxonomy or the site_url changes)."""
    if not site_url:
        return {}
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    fallback_day = max((p.listed for p in papers if p.listed), default=NO_DATE)
    members: dict[str | None, list[Paper]] = {None: papers} | (by_topic or papers_by_topic(papers, taxonomy))
    listed = {topic: newest_entries(members_of) for topic, members_of in members.items()}
    # A paper is in all.xml and in its topics' feeds: its entry is made once, and the entries (most of a
    # feed's work) are made in worker processes, the feeds around them here.
    shown = list({p.id: p for feed in listed.values() for p in feed}.values())
    template = _environment().get_template("atom-entry.xml.j2")
    texts = map_items(lambda paper: _entry_text(paper, taxonomy, site_url, template), shown, reuse=reuse,
                      key=lambda p: (p.id, p.record.digest, tuple(p.topic_ids)))
    entries = dict(zip((p.id for p in shown), texts))
    return {feed_path(topic): atom_feed(feed, taxonomy, site_name, site_url, topic, fallback_day, entries)
            for topic, feed in listed.items()}
