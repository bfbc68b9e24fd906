"""The explore page filters the whole catalog by topic, code status and words, and keeps the
filter in the address bar so that opening that address shows the same list."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

from . import site_ui as ui

TOPIC, STATUS, WORDS = "language", "available", "spars"  # 11 papers, then 5, then 2 in the bundled catalog


def expected_ids(export, topic=None, status=None, words=None) -> set[str]:
    """What the filter should keep, worked out from the JSON export: each query word starts a
    word of the title or the abstract."""
    return {paper["id"] for paper in export
            if (topic is None or topic in paper["topics"])
            and (status is None or paper["code"]["status"] == status)
            and (words is None or re.search(rf"\b{re.escape(words)}", f"{paper['title']} {paper['abstract']}", re.I))}


def test_filters_narrow_the_list_and_round_trip_through_the_url(open_page, site_url):
    page = open_page()
    export = page.request.get(urljoin(site_url, "catalog.json")).json()
    ui.goto(page, site_url, "explore/")
    ui.wait_for_explore(page)
    assert ui.explore_results(page) == {paper["id"] for paper in export}

    ui.explore_topic(page, TOPIC)
    assert ui.explore_results(page) == expected_ids(export, TOPIC)
    ui.explore_code_status(page, STATUS)
    assert ui.explore_results(page) == expected_ids(export, TOPIC, STATUS)
    ui.explore_words(page, WORDS)
    shown = ui.explore_results(page)
    assert shown == expected_ids(export, TOPIC, STATUS, WORDS)
    assert "dsee-dually-sparsity-embedded-efficient-tuning-of-pre-trained-language-models" in shown
    assert len(expected_ids(export, TOPIC)) > len(expected_ids(export, TOPIC, STATUS)) > len(shown) > 0
    assert page.locator(ui.EXPLORE_COUNT).inner_text() == f"{len(shown)} of {len(export)} papers match"

    address = page.url
    assert parse_qs(urlsplit(address).query) == {"q": [WORDS], "topic": [TOPIC], "code": [STATUS]}
    shared = open_page()  # a reader opening a shared link
    ui.goto(shared, address)
    ui.wait_for_explore(shared)
    assert ui.explore_results(shared) == shown
    assert ui.explore_form(shared) == {"q": WORDS, "topics": [TOPIC], "code": STATUS}

    page.click(ui.EXPLORE_RESET)
    page.wait_for_function(f"document.querySelectorAll('{ui.EXPLORE_RESULT}').length === {len(export)}")
    assert urlsplit(page.url).query == ""


def test_a_result_opens_the_papers_page(page, site_url):
    ui.goto(page, site_url, "explore/?q=hyperpriors")
    ui.wait_for_explore(page)
    link = page.locator(f"{ui.EXPLORE_RESULT} a")
    assert link.all_inner_texts() == ["Unified Multivariate Gaussian Mixture for Efficient Neural Image Compression"]
    with page.expect_navigation(wait_until="networkidle"):
        link.click()
    assert page.url == site_url + "papers/unified-multivariate-gaussian-mixture-for-efficient-neural-image-compression/"


def test_the_header_search_leaves_the_filters_in_the_address_alone(open_page, site_url):
    page = open_page()
    export = page.request.get(urljoin(site_url, "catalog.json")).json()
    address = urljoin(site_url, f"explore/?topic={TOPIC}&code=announced&sort=title")
    ui.goto(page, address)
    ui.wait_for_explore(page)
    shown = ui.explore_results(page)
    assert shown == expected_ids(export, TOPIC, "announced")

    page.keyboard.press("/")
    page.keyboard.type("model", delay=20)
    # Its first ten results drawn, the "Show more" button after them: a reload while their fragments
    # are on their way aborts those requests, which the page's watch reports.
    page.locator(".catalog-search__more").wait_for()
    page.keyboard.press("Escape")
    assert page.url == address

    page.reload(wait_until="networkidle")
    ui.wait_for_explore(page)
    assert ui.explore_results(page) == shown
    assert ui.explore_form(page) == {"q": "", "topics": [TOPIC], "code": "announced"}
