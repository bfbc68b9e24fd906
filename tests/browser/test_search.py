"""The header search, as a reader uses it: type a word, see the paper, open it."""

from __future__ import annotations

from urllib.parse import urlsplit

from . import site_ui as ui

# "hyperpriors" appears in this one paper's abstract and in no other record.
WORD = "hyperpriors"
TITLE = "Unified Multivariate Gaussian Mixture for Efficient Neural Image Compression"
PAGE = "papers/unified-multivariate-gaussian-mixture-for-efficient-neural-image-compression/"


def test_a_word_only_one_abstract_has_finds_that_paper_and_opens_it(page, site_url):
    ui.goto(page, site_url)
    titles = ui.search(page, WORD, TITLE)
    assert TITLE in titles
    ui.open_search_result(page, TITLE)
    assert urlsplit(page.url).path == urlsplit(site_url + PAGE).path
    assert page.locator("article h1").first.inner_text() == TITLE
