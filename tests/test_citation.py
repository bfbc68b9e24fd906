"""Citation blocks on paper pages, and what the built site's pages tell other tools: link previews,
feed links, sitemap, the 404 page and the explore/stats assets (one `mkdocs build`)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html import escape, unescape
from html.parser import HTMLParser

import markdown
import pytest

from reader_outputs import CITED, built_catalog, site_url, write_record

from builder.build import build
from builder.layout import Layout
from builder.memo import Memo
from builder.pages.render import Settings, snippet

CITED_BLOCK = """<h2 id="cite">Cite</h2>
<pre><code class="language-bibtex">@misc{lovelace2024cited,
  title = {A Cited Paper},
  author = {Ada Lovelace and Alan Turing},
  year = {2024},
  howpublished = {NeurIPS},
  eprint = {2403.01234},
  archivePrefix = {arXiv},
  url = {https://arxiv.org/abs/2403.01234}
}
</code></pre>
"""
ODD_TITLE = "Close ``` the fence ```` early? 50% {x} & $y$ #1 \\z _u_ ^v ~w </code>"
ODD = {
    "title": ODD_TITLE,
    "abstract": "```\nA line of backticks, then\n~~~\ntildes.",
    "authors": ["Smith and Sons Ltd", "Jane Q. Doe"],
    "arxiv": "2311.05678",
}
ODD_ENTRY = r"""@misc{ltd2023close,
  title = {Close ``` the fence ```` early? 50\% \{x\} \& \$y\$ \#1 \textbackslash{}z \_u\_ \textasciicircum{}v \textasciitilde{}w </code>},
  author = {{Smith and Sons Ltd} and Jane Q. Doe},
  year = {2023},
  eprint = {2311.05678},
  archivePrefix = {arXiv},
  url = {https://arxiv.org/abs/2311.05678}
}"""


def _records(root):
    write_record(root, "a-cited-paper", CITED)
    write_record(root, "close-the-fence-early", ODD)
    write_record(root, "a-bare-paper", {"title": "A bare paper", "abstract": "Only a title and an abstract."})
    # Ids with the same long words: their keys can only be told apart by number.
    write_record(root, "deep-nets-for-vision", {"title": "Deep Nets for Vision", "abstract": "One."})
    write_record(root, "deep-nets-in-vision", {"title": "Deep Nets in Vision", "abstract": "Two."})


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return built_catalog(tmp_path_factory.mktemp("citation") / "catalog", _records)


@pytest.fixture(scope="module")
def site(root):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return root / "site"


def _page(root, paper_id):
    return (root / "docs" / "papers" / f"{paper_id}.md").read_text(encoding="utf-8")


def _code_blocks(page_markdown):
    body = page_markdown.split("\n---\n", 1)[1]
    html = markdown.markdown(body, extensions=["tables", "attr_list", "admonition", "pymdownx.details", "toc",
                                               "fenced_code"])
    return [unescape(code) for code in re.findall(r"<pre><code[^>]*>(.*?)</code></pre>", html, re.DOTALL)]


def test_a_full_record_gives_a_full_entry(root):
    assert CITED_BLOCK in _page(root, "a-cited-paper")


def test_bibtex_specials_are_escaped_and_the_fence_holds(root):
    page = _page(root, "close-the-fence-early")
    assert f'<pre><code class="language-bibtex">{escape(ODD_ENTRY, quote=False)}\n</code></pre>\n' in page
    assert _code_blocks(page) == [ODD_ENTRY + "\n"]  # one code block: neither title nor abstract closed it


def test_a_bare_record_cites_its_title(root):
    assert "<pre><code class=\"language-bibtex\">@misc{bare,\n  title = {A bare paper}\n}\n</code></pre>\n" in _page(
        root, "a-bare-paper")


def _keys(root):
    """Each paper page's BibTeX key, by paper id."""
    return {page.stem: re.search(r'<code class="language-bibtex">@misc\{([^,]*),', page.read_text(encoding="utf-8"))[1]
            for page in (root / "docs" / "papers").glob("*.md")}


def test_every_paper_has_a_key_of_its_own(root):
    keys = _keys(root)
    assert len(set(keys.values())) == len(keys) == len(list((root / "data" / "papers").glob("*.yaml")))
    # Papers whose keys would be alike: each key takes as many more id words as tell them apart.
    assert {paper_id: key for paper_id, key in keys.items() if key.startswith(("towards", "learning", "deep"))} == {
        "towards-an-end-to-end-artificial-intelligence-driven-global-weather-forecasting": "towardsartificial",
        "towards-exact-computation-of-inductive-bias": "towardsexact",
        "towards-squeezing-averse-virtual-try-on-via-sequential-deformation": "towardssqueezing",
        "learning-from-aggregate-responses-instance-level-versus-bag-level-loss-functions": "learningfrom",
        "learning-rates-as-a-function-of-batch-size-a-random-matrix-theory-approach-to": "learningrates",
        "deep-nets-for-vision": "deepnetsvision",
        "deep-nets-in-vision": "deepnetsvision-2",
    }
    assert keys["colide-concomitant-linear-dag-estimation"] == "colide"  # a key no other paper has stays short


def test_a_key_changes_only_when_another_paper_comes_to_share_it(catalog):
    memo = Memo()  # as `mkdocs serve` rebuilds: a page it keeps must not keep a key another paper now shares
    build(Layout(catalog), Settings(), memo)
    before = _keys(catalog)
    # Related to no paper, as the paper whose key it shares: only the key tells that page to change.
    write_record(catalog, "window-boxes-for-quokkas", {"title": "Window Boxes for Quokkas", "abstract": "Leaves."})
    write_record(catalog, "an-unrelated-paper", {"title": "An Unrelated Paper", "abstract": "Other."})
    build(Layout(catalog), Settings(), memo)
    after = _keys(catalog)
    assert {paper_id: key for paper_id, key in after.items() if before.get(paper_id) != key} == {
        "window-based-early-exit-cascades-for-uncertainty-estimation-when-deep-ensembles": "windowbased",
        "window-boxes-for-quokkas": "windowboxes", "an-unrelated-paper": "unrelated"}


@pytest.mark.parametrize("first", [
    "Recently, Ainsworth et al. showed that it works.",
    "Smith et al. (2023) found it.",
    "Finding biases (e.g. CNNs, i.e. priors) helps.",
    "As in Fig. 2 and Eq. 3, cf. Sec. 4, it holds vs. chance.",
    "Work by A. Turing on U.S. data is cited.",
    "A model (see Table 1. It is big) works.",
    "We use CNNs, RNNs, etc. and they work.",
    "We use CNNs, RNNs, etc.",  # "etc." ends a sentence when no lower-case word follows
])
def test_a_summary_is_the_whole_first_sentence(first):
    assert snippet(f"{first} Then a second sentence.") == first


def test_paper_and_topic_pages_summarise_a_paper_by_its_whole_first_sentence(root, site):
    summaries = {
        "analysis-of-linear-mode-connectivity-via-permutation-based-weight-matching":
            "Recently, Ainsworth et al. showed that using weight matching (WM) to minimize the L_2 distance in a "
            "permutation search of model parameters effectively identifies permutations that…",
        "towards-exact-computation-of-inductive-bias":
            "Much research in machine learning involves finding appropriate inductive biases (e.g. convolutional "
            "neural networks, momentum-based optimizers, transformers) to promote…",
    }
    topic = (root / "docs" / "topics" / "deep-learning-theory.md").read_text(encoding="utf-8")
    for paper_id, summary in summaries.items():
        head = _Head(_html(site, f"papers/{paper_id}"))
        assert head.meta["description"] == head.meta["og:description"] == head.meta["twitter:description"] == summary
        row = rf'<li><a href="[^"]*papers/{paper_id}/">.*</a> · <em>.*</em>\n{re.escape(summary)}</li>'
        assert re.search(row, topic)


class _Head(HTMLParser):
    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.meta, self.links, self.scripts, self.styles = {}, [], [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content")
        elif tag == "link" and "alternate" in (attrs.get("rel") or "").split():
            self.links.append(attrs)
        elif tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        elif tag == "link" and attrs.get("rel") == "stylesheet":
            self.styles.append(attrs["href"])


def _html(site, path):
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_the_paper_page_shows_the_entry_as_literal_code(site):
    html = _html(site, "papers/close-the-fence-early")
    code = re.search(r'<pre><code class="language-bibtex">(.*?)</code></pre>', html, re.DOTALL).group(1)
    assert unescape(code) == ODD_ENTRY + "\n"


def test_link_previews_carry_the_literal_title_and_description(root, site):
    head = _Head(_html(site, "papers/close-the-fence-early"))
    assert head.meta["og:title"] == head.meta["twitter:title"] == ODD_TITLE
    assert head.meta["og:type"] == "article"
    assert head.meta["og:url"] == site_url(root) + "papers/close-the-fence-early/"
    assert head.meta["og:description"] == head.meta["twitter:description"] == "``` A line of backticks, then ~~~ tildes."
    assert head.meta["twitter:card"] == "summary"
    home = _Head((site / "index.html").read_text(encoding="utf-8"))
    assert home.meta["og:type"] == "website" and home.meta["og:title"] == "Paper Catalog"


def test_home_and_topic_pages_link_their_feeds(root, site):
    base = site_url(root)
    home = _Head((site / "index.html").read_text(encoding="utf-8"))
    topic = _Head(_html(site, "topics/vision"))
    assert [(link["type"], link["href"]) for link in home.links] == [("application/atom+xml", base + "feeds/all.xml")]
    assert [(link["type"], link["href"]) for link in topic.links] == [
        ("application/atom+xml", base + "feeds/topics/vision.xml")]
    assert not _Head(_html(site, "papers/a-cited-paper")).links
    assert (site / "feeds" / "all.xml").is_file() and (site / "feeds" / "topics" / "vision.xml").is_file()


def test_sitemap_lists_the_reader_pages(root, site):
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for page in ("", "explore/", "stats/", "papers/a-cited-paper/", "topics/vision/"):
        assert f"<loc>{site_url(root)}{page}</loc>" in sitemap, page


def test_the_404_page_offers_a_way_on(site):
    html = (site / "404.html").read_text(encoding="utf-8")
    assert "<h1>Page not found</h1>" in html
    base = "/paper-catalog/"  # site_url's path: the 404 page is served at any address, so links are absolute
    assert f'<a id="notfound-explore" href="{base}explore/">' in html
    assert f'<a id="notfound-topics" href="{base}topics/">' in html
    assert f'<a id="notfound-home" href="{base}' in html
    assert '<label id="notfound-search" class="catalog-notfound-search" for="__search"' in html


def test_explore_and_stats_pages_get_their_script_styles_and_markup(site):
    explore = _html(site, "explore")
    head = _Head(explore)
    assert "../assets/catalog/explore.js" in head.scripts and "../assets/catalog/catalog.css" in head.styles
    assert (site / "assets" / "catalog" / "explore.js").is_file() and (site / "assets" / "catalog" / "catalog.css").is_file()
    assert '<div id="catalog-explore" class="catalog-explore"' in explore
    assert (site / "explore.json").is_file()
    stats = _html(site, "stats")
    assert stats.count('role="img"') == 4 and stats.count("<figure") == 4
    assert "<p><svg" not in stats  # kept as raw HTML, not wrapped or Markdown-processed
