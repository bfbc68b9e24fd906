"""Paper pages link to their topics, code and related papers; code-status pages list the right papers."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from . import site_ui as ui

DSEE = "papers/dsee-dually-sparsity-embedded-efficient-tuning-of-pre-trained-language-models/"
DSEE_TITLE = "DSEE: Dually Sparsity-embedded Efficient Tuning of Pre-trained Language Models"
DSEE_CODE = "https://github.com/VITA-Group/DSEE"


def links_under(page, heading_id: str) -> list[str]:
    """Absolute hrefs of the list right after the heading with this id."""
    return page.locator(f"h2#{heading_id} + ul a").evaluate_all("links => links.map(a => a.href)")


def test_topics_are_links_and_each_topic_page_lists_the_paper(page, site_url):
    export = {paper["page"]: paper for paper in page.request.get(urljoin(site_url, "catalog.json")).json()}
    ui.goto(page, site_url, DSEE)
    topics = ui.fact_links(page, "Topics")
    hrefs = topics.evaluate_all("links => links.map(a => a.href)")
    assert hrefs == [f"{site_url}topics/{topic}/" for topic in export[DSEE]["topics"]]
    assert "Parameter-efficient fine-tuning" in topics.all_inner_texts()
    with page.expect_navigation(wait_until="networkidle"):
        topics.first.click()
    assert page.url == hrefs[0]
    listed = page.locator("article a", has_text=DSEE_TITLE)
    assert listed.count() == 1
    assert listed.evaluate("a => a.href") == site_url + DSEE


def test_code_link_points_at_the_papers_repository(page, site_url):
    ui.goto(page, site_url, DSEE)
    code = ui.fact_links(page, "Code")
    assert code.first.inner_text() == "Code available"
    assert code.first.evaluate("a => a.href") == site_url + "code/available/"
    assert code.evaluate_all("links => links.map(a => a.href)")[1:] == [DSEE_CODE]


def test_related_papers_are_links_that_resolve(page, site_url):
    ui.goto(page, site_url, DSEE)
    related = links_under(page, "related-papers")
    assert len(related) >= 1
    for href in related:
        assert href.startswith(site_url + "papers/") and href != site_url + DSEE
        assert page.request.get(href).status == 200, href
    with page.expect_navigation(wait_until="networkidle"):
        page.locator("h2#related-papers + ul a").first.click()
    assert page.url == related[0]


def listed_papers(page) -> set[str]:
    """Paths of the paper pages a listing page links to, relative to the site."""
    hrefs = page.locator("article li a[href*='papers/']").evaluate_all("links => links.map(a => a.href)")
    return {href.split("/papers/", 1)[1] for href in hrefs}


@pytest.mark.parametrize("status, example", [
    ("available", "dsee-dually-sparsity-embedded-efficient-tuning-of-pre-trained-language-models/"),
    ("announced", "predictable-scale-part-i-optimal-hyperparameter-scaling-law-in-large-language/"),
    ("none", "a-likelihood-approach-to-nonparametric-estimation-of-a-singular-distribution/"),
])
def test_code_status_pages_list_exactly_the_papers_with_that_status(page, site_url, status, example):
    export = page.request.get(urljoin(site_url, "catalog.json")).json()
    expected = {paper["page"].removeprefix("papers/") for paper in export if paper["code"]["status"] == status}
    ui.goto(page, site_url, f"code/{status}/")
    shown = listed_papers(page)
    assert example in shown
    assert shown == expected
    assert page.locator("article").inner_text().count(f"{len(expected)} papers.") == 1
