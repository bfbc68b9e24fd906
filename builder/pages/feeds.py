"""Atom feeds of newly listed papers: one for the whole catalog, one per topic.

Feeds need absolute URLs (readers fetch them outside the site), so they are written only when
mkdocs.yml sets `site_url`; without it the site has no feeds and no pages link to any. Dates are
the records' `listed` dates, never the clock, so the same catalog gives the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..enrich.catalog import Paper, papers_by_topic
from ..enrich.taxonomy import Taxonomy
from ..parallel import map_items
from ..records.ids import is_single_spaced

ATOM = "http://www.w3.org/2005/Atom"
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
    return text if is_single_spaced(text) else _NOT_XML.sub("\ufffd", " ".join(text.split()))


def _timestamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def newest_entries(papers: list[Paper]) -> list[Paper]:
    """The dated papers, newest first, cut after FEED_ENTRIES but never in the middle of a listing date."""
    dated = [p for p in papers if p.listed]
    if len(dated) <= FEED_ENTRIES:
        return dated
    last_day = dated[FEED_ENTRIES - 1].listed
    return [p for i, p in enumerate(dated) if i < FEED_ENTRIES or p.listed == last_day]


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _text(text)
    return element


def atom_feed(listed: list[Paper], taxonomy: Taxonomy, site_name: str, site_url: str, topic_id: str | None,
              fallback_day: str, entries: dict[str, str]) -> str:
    """A feed of `listed` (newest_entries of its papers); URLs are absolute, every text is escaped by ElementTree.

    ``entries`` holds each listed paper's <entry> as text (made once for all the feeds that list it)."""
    topic = taxonomy.by_id[topic_id] if topic_id else None
    self_url = site_url + feed_path(topic_id)
    page_url = site_url + (f"topics/{topic_id}/" if topic_id else "")

    feed = ET.Element("feed", {"xmlns": ATOM})
    _add(feed, "id", self_url)
    _add(feed, "title", f"{site_name}: {topic.name}" if topic else site_name)
    _add(feed, "subtitle", f"Newly listed papers on {topic.name}" if topic else "Newly listed papers")
    _add(feed, "updated", _timestamp(listed[0].listed if listed else fallback_day))
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=page_url)
    _add(_add(feed, "author"), "name", site_name)
    _add(feed, "generator", "Paper Catalog")
    ET.indent(feed, space=" ")
    head = ET.tostring(feed, encoding="unicode")
    if listed:  # the entries follow the head's last element, one space in like it
        end = "\n</feed>"
        assert head.endswith(end)
        head = head[: -len(end)] + "".join("\n " + entries[paper.id] for paper in listed) + end
    return '<?xml version="1.0" encoding="utf-8"?>\n' + head + "\n"


def _entry_text(paper: Paper, taxonomy: Taxonomy, site_url: str) -> str:
    """A paper's <entry>, indented as a child of <feed>, as ET.indent indents the whole feed."""
    url = f"{site_url}papers/{paper.id}/"
    entry = ET.Element("entry")
    _add(entry, "id", url)
    _add(entry, "title", paper.title, type="text")
    _add(entry, "link", rel="alternate", type="text/html", href=url)
    if paper.get("url"):
        _add(entry, "link", rel="related", href=paper.get("url"))
    _add(entry, "published", _timestamp(paper.listed))
    _add(entry, "updated", _timestamp(paper.listed))
    for name in paper.get("authors") or []:
        _add(_add(entry, "author"), "name", name)
    for tid in paper.topic_ids:
        _add(entry, "category", term=tid, label=taxonomy.by_id[tid].name, scheme=f"{site_url}topics/")
    _add(entry, "summary", paper.abstract, type="text")
    ET.indent(entry, space=" ", level=1)
    return ET.tostring(entry, encoding="unicode")


def feed_files(papers: list[Paper], taxonomy: Taxonomy, site_name: str, site_url: str,
               reuse: dict | None = None) -> dict[str, str]:
    """Every feed by path under docs/; none without a site_url. `papers` newest first.

    ``reuse`` keeps each paper's <entry> between builds (memo.py), for as long as its record and topics are
    the same (the table's owner empties it when the taxonomy or the site_url changes)."""
    if not site_url:
        return {}
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    fallback_day = max((p.listed for p in papers if p.listed), default=NO_DATE)
    members: dict[str | None, list[Paper]] = {None: papers} | papers_by_topic(papers, taxonomy)
    listed = {topic: newest_entries(members_of) for topic, members_of in members.items()}
    # A paper is in all.xml and in its topics' feeds: its entry is made once, and the entries (most of a
    # feed's work) are made in worker processes, the feeds around them here.
    shown = list({p.id: p for feed in listed.values() for p in feed}.values())
    texts = map_items(lambda paper: _entry_text(paper, taxonomy, site_url), shown, reuse=reuse,
                      key=lambda p: (p.id, p.record.digest, tuple(p.topic_ids)))
    entries = dict(zip((p.id for p in shown), texts))
    return {feed_path(topic): atom_feed(feed, taxonomy, site_name, site_url, topic, fallback_day, entries)
            for topic, feed in listed.items()}
