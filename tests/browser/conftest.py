"""Fixtures for the browser tests: the bundled catalog built once and served on 127.0.0.1, and
Debian's Chromium driven by Playwright.

Every page a test opens is watched: a console error, an uncaught exception, a failed or 4xx/5xx
request, or any request to a host other than 127.0.0.1 fails the test. When a test fails, each of
its pages is saved as a desktop and a mobile screenshot in ``test-artifacts/``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .served_site import LOCAL_HOST, REPO, build_site, serve

ARTIFACTS = REPO / "test-artifacts"  # git-ignored
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def site_url(tmp_path_factory):
    """Base URL (ending in '/') of the bundled catalog's site."""
    site = build_site(tmp_path_factory.mktemp("browser-site") / "catalog")
    with serve(site) as url:
        yield url


# -- the browser ------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(f"the browser tests need Debian's Chromium at {CHROMIUM}; install it with "
                    "`apt-get update && apt-get install -y chromium` (never `playwright install`)",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watch:
    """What went wrong on one page, as lines a test failure can print."""

    problems: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        page.on("requestfailed", lambda request: self.problems.append(
            f"request failed ({request.failure}): {request.url}"))
        page.on("response", self._response)
        page.on("request", self._request)

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text} ({message.location.get('url')})")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("data", "blob", "about") and parts.hostname != LOCAL_HOST:
            self.problems.append(f"request to another host: {request.url}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)  # read by `open_page` at teardown
    return report


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:120]


def save_screenshots(pages, test_name: str) -> None:
    """Each page as it was, at desktop and at mobile width, for a failure to be seen."""
    ARTIFACTS.mkdir(exist_ok=True)
    for number, page in enumerate(pages):
        if page.is_closed():
            continue
        for label, size in (("desktop", DESKTOP), ("mobile", MOBILE)):
            try:
                page.set_viewport_size(size)
                page.screenshot(path=ARTIFACTS / f"{_safe_name(test_name)}-{number}-{label}.png", full_page=True)
            except Exception as error:  # a screenshot must never hide the real failure
                print(f"screenshot of {page.url} failed: {error}", file=sys.stderr)


@pytest.fixture
def open_page(browser, request):
    """`open_page(mobile=False, **context_options)` → a watched Page in a fresh browser context."""
    opened: list[tuple[object, Watch]] = []
    contexts = []

    def new_page(mobile: bool = False, **options):
        if mobile:
            options = {"viewport": MOBILE, "is_mobile": True, "has_touch": True, **options}
        context = browser.new_context(**{"viewport": DESKTOP, **options})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        watch = Watch()
        watch.attach(page)
        opened.append((page, watch))
        return page

    yield new_page

    problems = [f"{page.url}: {problem}" for page, watch in opened for problem in watch.problems]
    call = getattr(request.node, "report_call", None)
    if problems or (call is not None and call.failed):
        save_screenshots([page for page, _ in opened], request.node.name)
    for context in contexts:
        context.close()
    if problems:
        pytest.fail("the browser saw problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def page(open_page):
    """A watched desktop page."""
    return open_page()
