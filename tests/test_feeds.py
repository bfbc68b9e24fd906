"""Atom feeds: one for the catalog, one per topic, parsed as a feed reader would and compared with the catalog."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
import yaml

from builder.pages.feeds import FEED_ENTRIES, newest_entries
from reader_outputs import built_catalog, exported, site_url, write_record

A = "{http://www.w3.org/2005/Atom}"
HOSTILE_TITLE = 'Q&A: <b>bold</b> "quoted" ]]> and <script>alert(1)</script>'
HOSTILE = {
    "title": HOSTILE_TITLE,
    "abstract": "Uses <img src=x onerror=alert(1)> & keeps   spacing tidy.",
    "listed": "2025-03-14",
    "authors": ["Ada Lovelace", "Alan <Turing>"],
    "url": "https://example.org/paper?a=1&b=2",
    "topics": ["vision"],
}


def _add_records(root):
    write_record(root, "q-a-bold-quoted-and-script-alert-1-script", HOSTILE)
    write_record(root, "an-undated-paper", {"title": "An undated paper", "abstract": "No listing date.",
                                            "topics": ["vision"]})


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return built_catalog(tmp_path_factory.mktemp("feeds") / "catalog", _add_records)


def _feed(root, name):
    return ET.parse(root / "docs" / "feeds" / name).getroot()


def _expected_order(papers):
    """Newest listing first, then title (case-insensitive), then id; undated papers are not in feeds."""
    dated = sorted((p for p in papers if p["listed"]), key=lambda p: (p["title"].casefold(), p["id"]))
    return [p["id"] for p in sorted(dated, key=lambda p: p["listed"], reverse=True)]


def _entry_ids(feed, base):
    return [e.findtext(f"{A}id").removeprefix(base + "papers/").rstrip("/") for e in feed.iter(f"{A}entry")]


def test_catalog_feed_lists_every_dated_paper_newest_first(root):
    base = site_url(root)
    feed = _feed(root, "all.xml")
    assert feed.tag == f"{A}feed"
    assert feed.findtext(f"{A}id") == base + "feeds/all.xml"
    assert feed.findtext(f"{A}title") == "Paper Catalog"
    assert feed.findtext(f"{A}updated") == "2025-03-14T00:00:00Z"  # the newest listing, not the clock
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{A}link")}
    assert links == {"self": base + "feeds/all.xml", "alternate": base}
    assert feed.find(f"{A}author/{A}name").text == "Paper Catalog"
    papers = exported(root)
    assert len(papers) == 53
    assert _entry_ids(feed, base) == _expected_order(papers)
    assert "an-undated-paper" not in _entry_ids(feed, base)


def test_every_entry_has_what_atom_requires(root):
    base = site_url(root)
    for entry in _feed(root, "all.xml").iter(f"{A}entry"):
        paper_url = entry.findtext(f"{A}id")
        assert paper_url.startswith(base + "papers/") and paper_url.endswith("/")
        assert entry.findtext(f"{A}title").strip()
        assert entry.find(f"{A}link[@rel='alternate']").get("href") == paper_url
        assert entry.findtext(f"{A}updated").endswith("T00:00:00Z")
        assert entry.find(f"{A}summary").get("type") == "text"


def test_contributor_text_arrives_literally(root):
    feed_file = root / "docs" / "feeds" / "all.xml"
    raw = feed_file.read_text(encoding="utf-8")
    assert "<script>" not in raw and "<b>" not in raw and "<img" not in raw
    entry = next(e for e in _feed(root, "all.xml").iter(f"{A}entry") if e.findtext(f"{A}title") == HOSTILE_TITLE)
    assert entry.findtext(f"{A}summary") == "Uses <img src=x onerror=alert(1)> & keeps spacing tidy."
    assert [a.findtext(f"{A}name") for a in entry.findall(f"{A}author")] == ["Ada Lovelace", "Alan <Turing>"]
    assert entry.find(f"{A}link[@rel='related']").get("href") == "https://example.org/paper?a=1&b=2"
    assert entry.findtext(f"{A}published") == "2025-03-14T00:00:00Z"
    assert [c.get("term") for c in entry.findall(f"{A}category")] == ["vision"]
    assert entry.find(f"{A}category").get("label") == "Computer vision"


def test_one_feed_per_topic_with_that_topic_papers(root):
    base = site_url(root)
    topics = yaml.safe_load((root / "data" / "topics.yaml").read_text(encoding="utf-8"))["topics"]
    papers = exported(root)
    files = sorted(p.name for p in (root / "docs" / "feeds" / "topics").iterdir())
    assert files == sorted(f"{t['id']}.xml" for t in topics)
    for topic in topics:
        feed = _feed(root, f"topics/{topic['id']}.xml")
        assert feed.findtext(f"{A}title") == f"Paper Catalog: {topic['name']}"
        assert feed.find(f"{A}link[@rel='alternate']").get("href") == f"{base}topics/{topic['id']}/"
        members = [p for p in papers if topic["id"] in p["topics"]]
        assert _entry_ids(feed, base) == _expected_order(members), topic["id"]
        # A topic without dated papers still has a valid feed, dated by the catalog's newest listing.
        expected_updated = max((p["listed"] for p in members if p["listed"]), default="2025-03-14")
        assert feed.findtext(f"{A}updated") == f"{expected_updated}T00:00:00Z"


def test_home_and_topic_pages_name_their_feed(root):
    base = site_url(root)
    home = (root / "docs" / "index.md").read_text(encoding="utf-8")
    assert f'\nfeed: "{base}feeds/all.xml"\n' in home.split("\n---\n")[0] + "\n"
    assert "[Atom](feeds/all.xml)" in home
    topic = (root / "docs" / "topics" / "vision.md").read_text(encoding="utf-8")
    assert f'\nfeed: "{base}feeds/topics/vision.xml"\n' in topic.split("\n---\n")[0] + "\n"
    assert '<a href="../../feeds/topics/vision.xml">Atom</a>' in topic  # raw HTML: from the page's URL, topics/vision/


def test_without_site_url_there_are_no_feeds_and_no_links(root, tmp_path):
    def drop_site_url(copy):
        config = copy / "mkdocs.yml"
        config.write_text("".join(line for line in config.read_text().splitlines(keepends=True)
                                  if not line.startswith("site_url:")))
        (copy / "docs" / "feeds" / "topics").mkdir(parents=True)  # left over from a build that had one
        (copy / "docs" / "feeds" / "topics" / "vision.xml").write_text("stale")

    copy = built_catalog(tmp_path / "catalog", drop_site_url)
    assert not [p for p in (copy / "docs" / "feeds").rglob("*") if p.is_file()]
    assert "feed:" not in (copy / "docs" / "index.md").read_text()
    assert "Atom" not in (copy / "docs" / "topics" / "vision.md").read_text()


def test_feeds_are_byte_identical_on_rebuild(root, tmp_path):
    again = built_catalog(tmp_path / "catalog", _add_records)
    for feed in sorted((root / "docs" / "feeds").rglob("*.xml")):
        assert (again / feed.relative_to(root)).read_bytes() == feed.read_bytes(), feed.name


def _papers(*days):
    return [SimpleNamespace(listed=day) for day in days]


def test_a_long_feed_stops_at_the_end_of_a_listing_date():
    papers = _papers(*(["2025-03-05"] * (FEED_ENTRIES - 1) + ["2025-03-04"] * 10 + ["2025-03-03"] * 5))
    kept = newest_entries(papers)
    assert len(kept) == FEED_ENTRIES - 1 + 10
    assert {p.listed for p in kept} == {"2025-03-05", "2025-03-04"}


def test_a_short_feed_keeps_every_dated_paper():
    papers = _papers("2025-03-05", None, "2025-03-04")
    assert [p.listed for p in newest_entries(papers)] == ["2025-03-05", "2025-03-04"]
