"""The header search, as a reader uses it: type a word, see the paper, open it; Tab through it and
out of it."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import expect

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


def test_tab_goes_through_the_search_and_closes_it_once_focus_leaves(page, site_url):
    ui.goto(page, site_url)
    ui.search(page, WORD, TITLE)  # one result: no "Show more" button
    panel = page.locator(ui.SEARCH_PANEL)
    page.keyboard.press("Tab")  # the scrollable results area
    page.keyboard.press("Tab")
    expect(page.locator(ui.SEARCH_TOPIC)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator(ui.SEARCH_CODE)).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.locator(ui.SEARCH_TOPIC)).to_be_focused()
    expect(panel).to_be_visible()

    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past the last control of the search
    expect(panel).to_be_hidden()
    ui.wait_until_focus_is_uncovered(page)


def test_shift_tab_from_the_search_box_closes_the_search(page, site_url):
    ui.goto(page, site_url)
    page.keyboard.press("/")
    panel = page.locator(ui.SEARCH_PANEL)
    expect(panel).to_be_visible()
    page.keyboard.press("Shift+Tab")
    expect(panel).to_be_hidden()
    ui.wait_until_focus_is_uncovered(page)
