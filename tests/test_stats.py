"""The statistics page: its SVG charts parse, are accessible, and show the catalog's own counts."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from itertools import combinations

import pytest
import yaml

from reader_outputs import built_catalog, exported, write_record

S = "{http://www.w3.org/2000/svg}"
ODD_NAME = 'Vision <&> "q" *stars* _under_'


def _edit(root):
    topics_file = root / "data" / "topics.yaml"
    topics_file.write_text(topics_file.read_text(encoding="utf-8").replace(
        "name: Computer vision", f"name: {json.dumps(ODD_NAME)}", 1), encoding="utf-8")
    write_record(root, "an-older-paper", {"title": "An older paper", "abstract": "Listed months earlier.",
                                          "listed": "2024-11-02", "topics": ["vision", "language"]})
    write_record(root, "an-undated-paper", {"title": "An undated paper", "abstract": "No date.",
                                            "topics": ["vision"]})


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return built_catalog(tmp_path_factory.mktemp("stats") / "catalog", _edit)


@pytest.fixture(scope="module")
def charts(root):
    page = (root / "docs" / "stats.md").read_text(encoding="utf-8")
    return {svg.get("id"): svg for svg in map(ET.fromstring, re.findall(r"<svg .*?</svg>", page, re.DOTALL))}


def _counts(svg):
    return {row.get("data-key"): int(row.get("data-count")) for row in svg.iter(f"{S}g")}


def test_every_chart_is_an_accessible_image(root, charts):
    assert sorted(charts) == ["chart-code", "chart-listed", "chart-pairs", "chart-topics"]
    for svg in charts.values():
        assert svg.get("role") == "img"
        assert svg.get("aria-label") == svg.findtext(f"{S}title")
        desc = svg.find(f"{S}desc")
        assert svg.get("aria-describedby") == desc.get("id") and desc.text
    page = (root / "docs" / "stats.md").read_text(encoding="utf-8")
    assert "\n\n" not in "".join(re.findall(r"<figure .*?</figure>", page, re.DOTALL))  # one raw HTML block each


def test_papers_per_topic(root, charts):
    topics = yaml.safe_load((root / "data" / "topics.yaml").read_text(encoding="utf-8"))["topics"]
    per_topic = Counter(t for p in exported(root) for t in p["topics"])
    counts = _counts(charts["chart-topics"])
    assert list(counts) == [t["id"] for t in topics]  # taxonomy order, topics without papers too
    assert counts == {t["id"]: per_topic[t["id"]] for t in topics}
    assert f"{ODD_NAME}: {per_topic['vision']}" in charts["chart-topics"].findtext(f"{S}desc")
    labels = [t.text for t in charts["chart-topics"].iter(f"{S}text") if "catalog-chart__label" in t.get("class")]
    assert ODD_NAME in labels  # escaped for XML, nothing Markdown-escaped inside the raw block


def test_share_of_code_statuses(root, charts):
    papers = exported(root)
    per_status = Counter(p["code"]["status"] for p in papers)
    assert _counts(charts["chart-code"]) == {s: per_status[s] for s in ("available", "announced", "none")}
    assert f"{len(papers)} papers" in charts["chart-code"].findtext(f"{S}desc")


def test_papers_per_listing_month_with_empty_months(root, charts):
    # Listings span more than two months, so the axis counts months, empty ones included.
    listed = Counter(p["listed"][:7] for p in exported(root) if p["listed"])
    counts = _counts(charts["chart-listed"])
    assert list(counts) == ["2024-11", "2024-12", "2025-01", "2025-02", "2025-03"]
    assert counts == {month: listed[month] for month in counts}
    assert charts["chart-listed"].findtext(f"{S}title") == "Papers per listing month"
    assert charts["chart-listed"].findtext(f"{S}desc").endswith(" 1 paper has no listing date.")


def test_topics_that_occur_together(root, charts):
    pairs = Counter(frozenset(pair) for p in exported(root) for pair in combinations(p["topics"], 2))
    counts = _counts(charts["chart-pairs"])
    assert counts and len(counts) <= 20
    for key, count in counts.items():
        assert pairs[frozenset(key.split("+"))] == count, key
    assert list(counts.values()) == sorted(counts.values(), reverse=True)
    assert min(counts.values()) >= max((n for pair, n in pairs.items()
                                        if "+".join(sorted(pair)) not in {"+".join(sorted(k.split("+"))) for k in counts}),
                                       default=0)


def test_daily_axis_for_a_short_span(tmp_path):
    root = built_catalog(tmp_path / "catalog")
    page = (root / "docs" / "stats.md").read_text(encoding="utf-8")
    listed = ET.fromstring(re.search(r'<svg [^>]*id="chart-listed".*?</svg>', page, re.DOTALL).group(0))
    assert _counts(listed) == {"2025-03-13": len(exported(root))}
    assert listed.findtext(f"{S}title") == "Papers per listing day"
