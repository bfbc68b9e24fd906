"""Site search finds a paper by its authors, venue and arXiv id, as a reader types them: the index the
build writes, searched by Pagefind's own script in Chromium, as the header search does."""

from __future__ import annotations

import pytest

from bench.browser import serve
from builder.build import load_catalog
from builder.layout import Layout
from builder.site.search import BUNDLE_DIR, catalog_records, write_index
from conftest import copy_catalog
from reader_outputs import write_record

ATTENTION = {
    "title": "Attention Is All You Need",
    "authors": ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit"],
    "year": 2017,
    "venue": "NeurIPS 2017",
    "arxiv": "1706.03762",
    "abstract": "The dominant sequence transduction models are based on complex recurrent or convolutional neural "
                "networks. We propose a new simple network architecture, the Transformer, based solely on "
                "attention mechanisms, dispensing with recurrence and convolutions entirely.",
}
ADAM = {
    "title": "Adam: A Method for Stochastic Optimization",
    "authors": ["Diederik P. Kingma", "Jimmy Ba"],
    "venue": "ICLR 2015",
    "arxiv": "1412.6980",
    "abstract": "We introduce Adam, an algorithm for first-order gradient-based optimization of stochastic "
                "objective functions, based on adaptive estimates of lower-order moments.",
}
# Written by an Adam: "adam" is in its authors, not in its title.
PYTORCH = {
    "title": "PyTorch: An Imperative Style, High-Performance Deep Learning Library",
    "authors": ["Adam Paszke", "Sam Gross", "Francisco Massa"],
    "venue": "NeurIPS 2019",
    "arxiv": "1912.01703",
    "abstract": "Deep learning frameworks have often focused on either usability or speed, but not both. "
                "PyTorch is a machine learning library that shows that these two goals are in fact compatible.",
}

# What the header search asks Pagefind (catalog-search.js): its results in order, with their excerpts.
SEARCH = """async (query) => {
  const pagefind = await import("/pagefind/pagefind.js");
  await pagefind.options({ baseUrl: "/", excerptLength: 30 });
  const found = await pagefind.search(query);
  return Promise.all(found.results.map(async (result) => {
    const data = await result.data();
    return [data.meta.title, data.excerpt];
  }));
}"""


@pytest.fixture(scope="module")
def search(tmp_path_factory, browser):
    """`search(query)` → [(title, excerpt), ...] as the site's search lists them (in the session's
    Chromium: Playwright's synchronous API runs one instance at a time)."""
    root = copy_catalog(tmp_path_factory.mktemp("search-fields") / "catalog")
    for paper_id, fields in (("attention-is-all-you-need", ATTENTION), ("adam", ADAM), ("pytorch", PYTORCH)):
        write_record(root, paper_id, fields)
    loaded = load_catalog(Layout(root))
    site = root / "site"
    write_index(catalog_records(loaded.papers, loaded.taxonomy), site)
    (site / "index.html").write_text("<!doctype html><title>search</title>", encoding="utf-8")
    with serve(site) as url:
        page = browser.new_page()
        page.goto(url)
        yield lambda query: [tuple(row) for row in page.evaluate(SEARCH, query)]
        page.close()


def titles(results):
    return [title for title, _ in results]


def test_an_authors_surname_finds_the_paper_and_the_excerpt_shows_the_name(search):
    results = search("Vaswani")
    assert titles(results) == [ATTENTION["title"]]
    assert "<mark>Vaswani" in results[0][1], results[0][1]  # the reader sees why it matched
    assert titles(search("Uszkoreit")) == [ATTENTION["title"]]  # the last author too
    assert titles(search("Ashish Vaswani")) == [ATTENTION["title"]]


def test_a_venue_finds_its_papers(search):
    assert ADAM["title"] in titles(search("ICLR"))  # (a bundled abstract says ICLR too)
    assert set(titles(search("NeurIPS"))) == {ATTENTION["title"], PYTORCH["title"]}
    assert titles(search("NeurIPS 2017")) == [ATTENTION["title"]]


@pytest.mark.parametrize("query", ["1706.03762", "arXiv 1706.03762", "1706.03762v7"])
def test_an_arxiv_id_finds_the_paper(search, query):
    assert titles(search(query))[:1] == [ATTENTION["title"]]


def test_a_title_match_ranks_above_an_author_match(search):
    found = titles(search("Adam"))
    assert found[:2] == [ADAM["title"], PYTORCH["title"]], found


def test_the_index_stays_small_next_to_the_text_when_every_paper_has_authors_venue_and_id(tmp_path):
    root = copy_catalog(tmp_path / "catalog")
    for number, path in enumerate(sorted((root / "data" / "papers").glob("*.yaml"))):
        path.write_text(path.read_text(encoding="utf-8") + (
            f"authors: [Ada Lovelace{number}, Alan Turing, Grace Hopper, Edsger Dijkstra, Barbara Liskov]\n"
            f"venue: NeurIPS 20{number % 25:02d}\narxiv: \"2403.{number:05d}\"\n"), encoding="utf-8")
    loaded = load_catalog(Layout(root))
    records = catalog_records(loaded.papers, loaded.taxonomy)
    assert all("Barbara Liskov" in r.content for r in records if r.url.startswith("papers/"))
    write_index(records, root / "site")
    bundle = root / "site" / BUNDLE_DIR
    text = sum(len(r.content.encode()) for r in records)
    index = sum(p.stat().st_size for d in ("index", "fragment", "filter") for p in (bundle / d).iterdir())
    assert index <= 1.3 * text, (index, text)
