"""What the header search fetches, and in what order results may appear: only the results on
screen are loaded, the filter menus need no filter index, and an older query that answers late
never replaces the results of the newer one (builder/site/overrides/assets/javascripts/catalog-search.js)."""

from __future__ import annotations

from . import site_ui as ui

BNN = "A Study of Bayesian Neural Network Surrogates for Bayesian Optimization"  # the one "hamiltonian" paper
COMPRESSION = "Unified Multivariate Gaussian Mixture for Efficient Neural Image Compression"  # the one "hyperpriors" paper
PAGE_SIZE = 10
RESULT_TITLES = f"{ui.SEARCH_RESULT} article h1"
FRAGMENTS = "**/pagefind/fragment/*"

# Every title the result list ever showed, in order, even for a moment.
RECORD_TITLES = """() => {
  window.drawnTitles = [];
  new MutationObserver(() => {
    for (const h of document.querySelectorAll("li.md-search-result__item article h1")) {
      if (window.drawnTitles.at(-1) !== h.textContent) window.drawnTitles.push(h.textContent);
    }
  }).observe(document.querySelector(".md-search-result__list"), { childList: true, subtree: true });
}"""


def requests_to(page, part: str) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url) if part in request.url else None)
    return seen


def test_a_broad_query_fetches_the_fragments_of_one_page_of_results_and_no_filter_index(page, site_url):
    fragments = requests_to(page, "/pagefind/fragment/")
    filter_index = requests_to(page, "/pagefind/filter/")
    ui.goto(page, site_url)
    page.keyboard.press("/")
    page.locator(ui.SEARCH_INPUT).fill("learning")  # one input event, as a paste: no search of a prefix
    more = page.locator("button.catalog-search__more")
    more.wait_for()
    found = int(page.inner_text(".md-search-result__meta").split()[0])
    assert found > 2 * PAGE_SIZE
    assert page.locator(ui.SEARCH_RESULT).count() == PAGE_SIZE
    assert len(fragments) == PAGE_SIZE
    # The menus list every topic and code status with its count, without Pagefind's filter index.
    page.locator("select[name=code] option", has_text="No code (").wait_for(state="attached")
    assert page.locator("select[name=topic] option").count() > 5
    assert filter_index == []
    more.click()
    page.wait_for_function(f"document.querySelectorAll('{ui.SEARCH_RESULT}').length === {2 * PAGE_SIZE}")
    assert len(fragments) == 2 * PAGE_SIZE


def test_an_older_query_answering_late_never_replaces_the_newer_results(page, site_url):
    held = []

    def hold_the_first(route):  # the older query's only fragment stays unanswered until released below
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route(FRAGMENTS, hold_the_first)
    ui.goto(page, site_url)
    page.evaluate(RECORD_TITLES)
    page.keyboard.press("/")
    field = page.locator(ui.SEARCH_INPUT)
    field.fill("hamiltonian")
    for _ in range(200):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the search for 'hamiltonian' never asked for its result"
    field.fill("hyperpriors")
    # The newer query is answered while the older one's result is still on its way.
    page.locator(RESULT_TITLES, has_text=COMPRESSION).wait_for()
    with page.expect_request_finished(lambda request: "/pagefind/fragment/" in request.url):
        held[0].continue_()
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 100)))")
    assert page.locator(RESULT_TITLES).all_inner_texts() == [COMPRESSION]
    assert BNN not in page.evaluate("window.drawnTitles")
    assert "?q=hyperpriors" in page.url


def test_the_engine_loads_once_the_page_is_idle_and_no_result_before_a_query(page, site_url):
    engine = requests_to(page, "/pagefind/")
    page.goto(site_url, wait_until="networkidle")  # the reader has not touched the search box
    assert any(url.endswith(".pf_meta") for url in engine), engine  # ready before the first key
    assert not [url for url in engine if "/fragment/" in url or "/filter/" in url]
    page.keyboard.press("/")
    page.locator(ui.SEARCH_INPUT).fill("hamiltonian")
    page.locator(RESULT_TITLES, has_text=BNN).wait_for()
