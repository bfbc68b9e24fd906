"""A catalog whose records carry script-injection attempts: in the browser, none of them runs.

The records are tests/fixtures/hostile/ (script tags, event handlers, javascript: links, frames,
entity tricks) and one more of our own whose payloads leave a trace even without a dialog: a
console message and a global variable. Every page showing them is opened, the header search and
the explore page are made to render them, and any dialog, any console message, the global, a
`javascript:` link or a request to another host (the `open_page` watch) fails the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from . import site_ui as ui
from .served_site import build_site, serve

HOSTILE = Path(__file__).resolve().parent.parent / "fixtures" / "hostile"
MARKER = "tracer-payloads"
TRACE = "window.__injected = 1; console.log('INJECTED')"
MARKER_RECORD = f"""\
title: "</title><script>{TRACE}</script> Tracer <img src=x onerror=\\"{TRACE}\\">"
listed: 2025-03-14
authors: ["<svg onload=\\"{TRACE}\\">"]
abstract: >-
  Tracer payloads: <img src=x onerror="{TRACE}"> <svg onload="{TRACE}"> [x](javascript:{TRACE})
  <script>{TRACE}</script> <iframe srcdoc="<script>parent.__injected = 1</script>"></iframe>
"""


def hostile_records() -> dict[str, str]:
    records = {path.name: path.read_text(encoding="utf-8") for path in sorted(HOSTILE.glob("*.yaml"))}
    assert records, f"no hostile records in {HOSTILE}"
    return {**records, f"{MARKER}.yaml": MARKER_RECORD}


@pytest.fixture(scope="module")
def hostile_site_url(tmp_path_factory):
    site = build_site(tmp_path_factory.mktemp("hostile-site") / "catalog", hostile_records())
    with serve(site) as url:
        yield url


@pytest.fixture
def watched(open_page):
    """A page that also records every dialog and every console message, of any kind."""
    page = open_page()
    page.traces = []
    page.on("dialog", lambda dialog: (page.traces.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("console", lambda message: page.traces.append(f"console.{message.type}: {message.text}"))
    return page


def assert_nothing_ran(page, where: str) -> None:
    injected = page.evaluate("typeof window.__injected !== 'undefined'")
    scripted = page.locator("a[href^='javascript:' i], a[href^='vbscript:' i], a[href^='data:' i]").count()
    assert (page.traces, injected, scripted) == ([], False, 0), f"on {where}"


def test_hostile_record_pages_run_nothing(watched, hostile_site_url):
    pages = ["", "code/none/", "explore/?q=tracer", "stats/"] + [f"papers/{name.removesuffix('.yaml')}/"
                                                                for name in hostile_records()]
    for path in pages:
        ui.goto(watched, hostile_site_url, path)
        if path.startswith("explore/"):
            ui.wait_for_explore(watched)
            assert ui.explore_results(watched) == {MARKER}
        assert_nothing_ran(watched, path or "home")
    # The payloads reached the reader, as text.
    assert watched.locator("article h1").inner_text().startswith("</title><script>window.__injected")


def test_hostile_titles_in_search_results_run_nothing(watched, hostile_site_url):
    ui.goto(watched, hostile_site_url)
    titles = ui.search(watched, "Tracer payloads", "Tracer")
    assert any("Tracer" in title for title in titles), titles
    watched.locator(ui.SEARCH_RESULT).first.hover()
    assert_nothing_ran(watched, "the search results")
