"""A phone-sized viewport (390×844): nothing scrolls sideways, the navigation drawer works, search works."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from . import site_ui as ui

PAGES = ["", "topics/", "topics/vision/", "code/available/",
         "papers/dsee-dually-sparsity-embedded-efficient-tuning-of-pre-trained-language-models/"]


@pytest.fixture
def phone(open_page):
    return open_page(mobile=True)


def test_no_page_scrolls_sideways(phone, site_url):
    wide = []
    for path in PAGES:
        ui.goto(phone, site_url, path)
        if ui.has_horizontal_scroll(phone):
            wide.append(path or "home")
    assert wide == []


def test_navigation_drawer_opens_and_leads_to_a_section(phone, site_url):
    ui.goto(phone, site_url)
    drawer_link = ui.drawer_link(phone, "Topics")
    expect(drawer_link).not_to_be_in_viewport()  # the drawer waits off-screen, to the left
    phone.click(ui.DRAWER_BUTTON)
    expect(drawer_link).to_be_in_viewport()
    with phone.expect_navigation(wait_until="networkidle"):
        drawer_link.click()
    assert phone.url == site_url + "topics/"
    assert phone.locator("article h1").first.inner_text() == "Topics"


def test_search_works_on_a_phone(phone, site_url):
    ui.goto(phone, site_url)
    title = "Unified Multivariate Gaussian Mixture for Efficient Neural Image Compression"
    assert title in ui.search(phone, "hyperpriors", title)
