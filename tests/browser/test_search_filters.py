"""The header search of the bundled site: words that appear only in one abstract find that paper
with a highlighted excerpt, topics and code status; filters narrow the results and show only once a
search fills them; a query URL can be shared. Uses the browser suite's site and Chromium
(tests/browser/conftest.py)."""

from __future__ import annotations

from urllib.parse import quote

from playwright.sync_api import expect

from . import site_ui as ui

BNN = "A Study of Bayesian Neural Network Surrogates for Bayesian Optimization"
SINGULAR = "A likelihood approach to nonparametric estimation of a singular distribution using deep generative models"
RESULT_TITLES = "li.md-search-result__item article h1"


def titles(page) -> list[str]:
    page.wait_for_selector(RESULT_TITLES, timeout=30_000)
    return page.eval_on_selector_all(RESULT_TITLES, "hs => hs.map(h => h.textContent)")


def test_slash_opens_search_and_an_abstract_word_finds_its_paper_with_highlight_topics_and_code(site_url, browser):
    page = browser.new_page()
    page.goto(site_url)
    page.keyboard.press("/")
    page.keyboard.type("hamiltonian")
    assert titles(page) == [BNN]
    item = page.inner_html("li.md-search-result__item")
    assert "<mark>Hamiltonian</mark>" in item
    assert "No code" in item and "Gaussian processes" in item
    assert "?q=hamiltonian" in page.url  # the query is shareable as it stands
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/papers/a-study-of-bayesian-neural-network-surrogates-for-bayesian-optimization/")
    page.close()


def test_filters_narrow_by_code_status_and_topic(site_url, browser):
    page = browser.new_page()
    page.goto(f"{site_url}?q=hamiltonian&code={quote('Code available')}")
    page.wait_for_selector(".md-search-result__meta:has-text('No matching documents')", timeout=30_000)
    page.select_option("select[name=code]", "No code")
    assert titles(page) == [BNN]
    assert "code=No+code" in page.url
    page.select_option("select[name=topic]", "Computer vision")
    page.wait_for_selector(".md-search-result__meta:has-text('No matching documents')", timeout=30_000)
    page.close()


def test_a_shared_query_url_opens_the_search_with_results(site_url, browser):
    page = browser.new_page()
    page.goto(f"{site_url}topics/?q=singularity")  # a page below the root: the index is found from any page
    assert SINGULAR in titles(page)
    page.close()


def test_the_filter_menus_show_only_once_a_search_fills_them(page, site_url):
    ui.goto(page, site_url)
    page.keyboard.press("/")
    expect(page.locator(ui.SEARCH_PANEL)).to_be_visible()
    topic, code = page.locator(ui.SEARCH_TOPIC), page.locator(ui.SEARCH_CODE)
    expect(topic).to_be_hidden()  # it would offer only "All topics"
    expect(code).to_be_hidden()
    page.keyboard.type("hamiltonian")
    assert titles(page) == [BNN]
    expect(topic).to_be_visible()
    expect(code).to_be_visible()
    assert "Gaussian processes" in topic.inner_text()
    assert "No code" in code.inner_text()
