"""How a reader works the site's controls, in one place: when the theme or the search engine
changes, only these selectors change."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# The header search: its button, the text field, one result and the title inside a result.
SEARCH_BUTTON = "label.md-header__button[for='__search']"
SEARCH_INPUT = "input.md-search__input"
SEARCH_RESULT = "li.md-search-result__item"
SEARCH_RESULT_TITLE = ":is(article h1, article h2)"  # one selector: a bare comma would also match the page's own headings
SEARCH_RESULT_LINK = "a.md-search-result__link"
SEARCH = ".md-search"  # the whole search dialog
SEARCH_OVERLAY = ".md-search__overlay"  # dims the page behind the open search
SEARCH_PANEL = ".md-search__output"  # under the box while the search is open: filter menus, results
SEARCH_TOPIC = "select[name=topic]"  # the search's filter menus
SEARCH_CODE = "select[name=code]"

DRAWER_BUTTON = "label.md-header__button[for='__drawer']"
DRAWER = "nav.md-nav--primary"
PALETTE_TOGGLE = "form[data-md-component='palette'] label.md-header__button:visible"


def goto(page, base: str, path: str = ""):
    """Open a page of the site and wait until its scripts have run and requests settled."""
    response = page.goto(urljoin(base, path), wait_until="networkidle")
    assert response is not None and response.status == 200, f"{path}: HTTP {response and response.status}"
    return response


def search(page, query: str, expected: str) -> list[str]:
    """Open the header search, type `query` as a reader would, wait for a result whose title
    contains `expected` (results arrive in steps), and return the titles of all results shown."""
    page.keyboard.press("/") if page.viewport_size["width"] > 960 else page.click(SEARCH_BUTTON)
    field = page.locator(SEARCH_INPUT)
    field.wait_for(state="visible")
    field.press_sequentially(query, delay=20)
    titles = page.locator(f"{SEARCH_RESULT} {SEARCH_RESULT_TITLE}")
    try:
        titles.filter(has_text=expected).first.wait_for(state="visible")
    except PlaywrightTimeoutError:
        pass  # the caller's assertion names what was shown instead
    return [title.strip() for title in titles.all_inner_texts()]


def wait_until_focus_is_uncovered(page) -> None:
    """Wait until a control outside the search has the focus and the search's dimming overlay no
    longer lies over it (the overlay takes a moment to fade out)."""
    page.wait_for_function("""([search, overlay]) => {
      const focused = document.activeElement, box = focused.getBoundingClientRect();
      const shown = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
      return focused !== document.body && !focused.closest(search) && !shown?.closest(overlay);
    }""", arg=[SEARCH, SEARCH_OVERLAY])


def open_search_result(page, title: str) -> None:
    """Follow the search result with this exact title."""
    result = page.locator(SEARCH_RESULT_LINK).filter(has=page.get_by_text(title, exact=True)).first
    with page.expect_navigation(wait_until="networkidle"):
        result.click()


def drawer_link(page, name: str):
    """A section link of the navigation drawer (not one of the page's own headings listed there)."""
    return page.locator(f"{DRAWER} a.md-nav__link:not([href^='#'])", has_text=re.compile(rf"^\s*{re.escape(name)}\s*$"))


def color_scheme(page) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


def switch_color_scheme(page, scheme: str) -> None:
    """Click the palette toggle in the header until the page shows `scheme` ("default" or "slate")."""
    page.click(PALETTE_TOGGLE)
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{scheme}'")


def has_horizontal_scroll(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth > window.innerWidth")


def fact_links(page, label: str):
    """The links of one fact of a paper page ("Code", "Topics"): a list item or table row whose
    label reads `label`."""
    name = page.locator("strong, th, td:first-child", has_text=re.compile(rf"^\s*{re.escape(label)}:?\s*$"))
    return page.locator("article li, article tr").filter(has=name).locator("a")


# The explore page: its form, its result list and the line that counts the results.
EXPLORE_RESULT = "#explore-results > li"
EXPLORE_COUNT = "#explore-count"
EXPLORE_RESET = "#explore-reset"


def wait_for_explore(page) -> None:
    page.wait_for_selector("#explore-results[data-state='ready']")


def explore_results(page) -> set[str]:
    """Ids of the papers the list shows (every page of it: the list grows by "Show more")."""
    more = page.locator("#explore-more")
    for _ in range(1000):  # bounded: a "Show more" that never goes away must fail, not hang
        if not more.is_visible():
            break
        more.click()
    else:
        raise AssertionError("the explore page's 'Show more' button never disappears")
    return set(page.locator(EXPLORE_RESULT).evaluate_all("items => items.map(li => li.dataset.id)"))


def _after_update(page, change) -> None:
    """Run `change` and wait until the list has been redrawn for it."""
    page.evaluate("document.querySelector('#explore-results').dataset.state = 'stale'")
    change()
    wait_for_explore(page)


def explore_topic(page, topic_id: str) -> None:
    _after_update(page, lambda: page.check(f"#explore-topics input[value='{topic_id}']"))


def explore_code_status(page, status: str) -> None:
    _after_update(page, lambda: page.select_option("#explore-code", status))


def explore_words(page, words: str) -> None:
    _after_update(page, lambda: page.locator("#explore-q").press_sequentially(words, delay=20))


def explore_form(page) -> dict:
    """What the filter form shows: words, checked topics, code status."""
    return {"q": page.input_value("#explore-q"),
            "topics": page.locator("#explore-topics input:checked").evaluate_all("boxes => boxes.map(b => b.value)"),
            "code": page.input_value("#explore-code")}
