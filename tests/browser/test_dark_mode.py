"""The palette toggle switches to dark mode, and the choice survives a reload and other pages."""

from __future__ import annotations

from . import site_ui as ui


def test_dark_mode_toggle_is_remembered(open_page, site_url):
    page = open_page(color_scheme="light")
    ui.goto(page, site_url)
    assert ui.color_scheme(page) == "default"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    ui.switch_color_scheme(page, "slate")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != background
    page.reload(wait_until="networkidle")
    assert ui.color_scheme(page) == "slate"
    ui.goto(page, site_url, "topics/")
    assert ui.color_scheme(page) == "slate"
    ui.switch_color_scheme(page, "default")
