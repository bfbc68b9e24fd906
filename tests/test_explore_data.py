"""The explore page and its data file: the same papers, facts and order as the catalog, in the compact shape
the page's script reads, with the stable ids and data- attributes the browser tests rely on."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import yaml

from builder.pages.explore import search_tokens, search_words
from conftest import REPO
from reader_outputs import built_catalog, exported, write_record

SCRIPT = REPO / "builder" / "site" / "assets" / "explore.js"
ACCENTED = {"title": "Café crème: naïve Schrödinger-style ÉTUDES", "abstract": "Ünïcode façade; x_y and 3D-scenes.",
            "listed": "2025-03-14", "topics": ["vision", "language"]}


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    def edit(root):
        write_record(root, "cafe-creme-naive-schrodinger-style-etudes", ACCENTED)
        write_record(root, "an-undated-paper", {"title": "An undated paper", "abstract": "No date.",
                                                "topics": ["language"]})
    return built_catalog(tmp_path_factory.mktemp("explore") / "catalog", edit)


@pytest.fixture(scope="module")
def data(root):
    return json.loads((root / "docs" / "explore.json").read_text(encoding="utf-8"))


def test_the_data_holds_every_paper_with_its_facts(root, data):
    topics = yaml.safe_load((root / "data" / "topics.yaml").read_text(encoding="utf-8"))["topics"]
    parents = [t.get("parent") for t in topics]
    ids = [t["id"] for t in topics]
    assert data["version"] == 1
    assert data["topics"] == [[t["id"], t["name"], ids.index(p) if p else None] for t, p in zip(topics, parents)]
    assert data["statuses"] == ["available", "announced", "none"]
    papers = {p["id"]: p for p in exported(root)}
    assert sorted(row[0] for row in data["papers"]) == sorted(papers)
    for pid, title, listed, status, topic_indexes, words in data["papers"]:
        paper = papers[pid]
        assert title == " ".join(paper["title"].split())
        assert listed == (paper["listed"] or "")
        assert data["statuses"][status] == paper["code"]["status"]
        assert sorted(ids[i] for i in topic_indexes) == sorted(paper["topics"])
        assert words.split() == search_tokens(f"{paper['title']}\n{paper['abstract']}")


def test_papers_come_newest_first_then_by_title(data):
    rows = data["papers"]
    assert rows[0][0] == "cafe-creme-naive-schrodinger-style-etudes"
    assert rows[-1][0] == "an-undated-paper"
    keys = [(row[2], row[1].casefold(), row[0]) for row in rows]
    newest_first = sorted(sorted(keys, key=lambda k: (k[1], k[2])), key=lambda k: k[0], reverse=True)
    assert keys == newest_first


def test_search_words_are_folded_and_distinct(data):
    words = next(row[5] for row in data["papers"] if row[0] == "cafe-creme-naive-schrodinger-style-etudes")
    assert words == "cafe creme naive schrodinger style etudes unicode facade x y and 3d scenes"


def test_the_data_is_compact(root, data):
    size = (root / "docs" / "explore.json").stat().st_size
    assert size < 0.7 * (root / "docs" / "catalog.json").stat().st_size
    assert (root / "docs" / "explore.json").read_text(encoding="utf-8").count("\n") == len(data["papers"]) + 2


def test_the_page_has_the_controls_the_script_and_browser_tests_use(root, data):
    page = (root / "docs" / "explore.md").read_text(encoding="utf-8")
    for element_id in ("catalog-explore", "explore-filters", "explore-q", "explore-code", "explore-from", "explore-to",
                       "explore-sort", "explore-match", "explore-topics", "explore-reset", "explore-count",
                       "explore-results", "explore-more"):
        assert page.count(f'id="{element_id}"') == 1, element_id
    assert re.findall(r'data-topic="([^"]+)"', page) == [t[0] for t in data["topics"]]
    def options(select_id):
        select = re.search(rf'<select id="{select_id}".*?</select>', page, re.DOTALL).group(0)
        return re.findall(r'<option value="([a-z]*)">', select)

    assert options("explore-code") == ["", *data["statuses"]]
    assert options("explore-sort") == ["newest", "title"]
    assert options("explore-match") == ["any", "all"]
    dates = sorted(row[2] for row in data["papers"] if row[2])
    assert f'id="explore-from" name="from" min="{dates[0]}" max="{dates[-1]}"' in page
    assert f'<p id="explore-count" class="catalog-explore__count" role="status" aria-live="polite">' \
           f'{len(data["papers"])} papers</p>' in page
    raw_block = page[page.index('<div id="catalog-explore"'):page.index("</div>")]
    assert "\n\n" not in raw_block  # Python-Markdown keeps it one raw HTML block


@pytest.mark.skipif(not shutil.which("node"), reason="needs Node.js to run the page's script")
def test_the_script_folds_queries_like_the_build():
    script = SCRIPT.read_text(encoding="utf-8")
    tokens_js = re.search(r"  function tokens\(text\) \{.*?\n  \}\n", script, re.DOTALL).group(0)
    samples = ["Café crème: naïve Schrödinger", "ÉTUDES x_y 3D-scenes", "Straße İstanbul Ωmega", "a  a A", ""]
    program = tokens_js + f"console.log(JSON.stringify({json.dumps(samples)}.map(tokens)));"
    result = subprocess.run(["node", "-e", program], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [search_tokens(s) for s in samples]


def test_ascii_text_is_cut_into_the_same_tokens_as_any_other_text():
    # ASCII text takes a faster path (translate and split); it must find what the general rule finds.
    every_ascii = "".join(chr(c) for c in range(128))
    for text in (every_ascii, every_ascii[::-1], "x_y 3D-scenes, GPT-4o's K-means++ (a/b)\tTab\nLine"):
        assert search_tokens(text) == list(dict.fromkeys(re.findall(r"[^\W_]+", text.lower())))


def test_search_words_need_no_json_escaping():
    # A paper's row puts its words into the JSON as they are (explore_json): they must be what the encoder writes.
    every_char = "".join(chr(c) for c in range(0x3000) if not 0xD800 <= c <= 0xDFFF)
    for text in (every_char, every_char[::-1], 'Quote " back\\slash \u2028 line\x00 Café 3D'):
        words = search_words(text)
        assert json.dumps(words, ensure_ascii=False) == f'"{words}"'
        assert words.split() == search_tokens(text)
