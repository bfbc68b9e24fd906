"""Search as a reader meets it: headless Chromium, cold cache, the site served on 127.0.0.1.

For each query, a fresh browser context (empty cache) opens the home page, the reader presses `/`
and enters the query; we time from the keystroke to the first result on screen, count the bytes the
search fetched (index chunks, fragments, workers, wasm: every request under pagefind/ or
search/, or the search worker), then time a second query in the same page. Both are also timed
from the last key: Playwright's typing alone takes 6-40 ms a key on this machine, depending on its
load, which is most of a 16-letter second query.

Each query is typed twice, in fresh contexts: the instant the page has loaded (the worst case: the
engine loads while the reader types), and once the page is idle (network quiet for 500 ms), as a
reader who reads the page before searching; then ``ready_ms`` is how long after the load event the
engine had its index metadata (Material's search: its whole index), the "search ready" of the issue.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .browser import chromium, serve

QUERIES = (("bayesian", "gaussian process"), ("diffusion", "sampling"), ("reinforcement learning", "policy"))
RESULT = "li.md-search-result__item"
SEARCH_PATHS = ("/pagefind/", "/search/", "workers/search", "lunr")


@dataclass
class QueryTiming:
    query: str
    first_ms: float
    first_bytes: int
    second_ms: float
    first_after_keys_ms: float  # from the last key typed
    second_after_keys_ms: float
    typed: str = "at load"  # or "when idle"
    ready_ms: float = float("nan")  # from the load event until the engine's index (metadata) arrived


# What makes an engine ready: Pagefind's index metadata, or the built-in search's whole index. Both
# are fetched by a worker, whose requests the page's own performance entries do not list.
INDEX_FILES = (".pf_meta", "search_index.json")


def _first_title(page) -> str:
    return page.eval_on_selector(f"{RESULT} h1", "h => h.textContent") if page.query_selector(RESULT) else ""


def _since(*starts: float) -> list[float]:
    now = time.perf_counter()
    return [max(0.0, now - start) * 1000 for start in starts]


def _requests_in_flight(page) -> set:
    """The page's requests not yet finished, kept up to date."""
    in_flight: set = set()
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))
    return in_flight


def _settle(page, in_flight: set, limit_ms: int = 5_000) -> None:
    """Let the results still being drawn arrive (closing the page would cut their responses short)."""
    for _ in range(limit_ms // 50):
        if not in_flight:
            return
        page.wait_for_timeout(50)


def measure(site: Path, timeout_ms: int = 120_000) -> list[QueryTiming]:
    timings = []
    with serve(site) as url, chromium() as browser:
        for (first, second), typed_when in ((q, when) for q in QUERIES for when in ("at load", "when idle")):
            context = browser.new_context()
            page = context.new_page()
            fetched: list[int] = [0]
            marks: dict[str, float] = {}

            def count(request, fetched=fetched, marks=marks):
                if any(part in request.url for part in SEARCH_PATHS):
                    sizes = request.sizes()
                    fetched[0] += sizes["responseBodySize"] + sizes["responseHeadersSize"]
                if any(name in request.url for name in INDEX_FILES):
                    marks["index"] = time.perf_counter()

            page.on("load", lambda _page, marks=marks: marks.setdefault("load", time.perf_counter()))

            page.on("requestfinished", count)
            in_flight = _requests_in_flight(page)
            page.goto(url, wait_until="load" if typed_when == "at load" else "networkidle")
            page.keyboard.press("/")
            start = time.perf_counter()
            page.keyboard.type(first)
            typed = time.perf_counter()
            # Checked on every animation frame: wait_for_selector retries at up to 500 ms intervals,
            # which would add up to half a second to what the reader waited.
            page.wait_for_function("sel => document.querySelector(sel) !== null", arg=RESULT,
                                   polling="raf", timeout=timeout_ms)
            first_ms, first_after_keys_ms = _since(start, typed)
            first_bytes = fetched[0]
            before = _first_title(page)
            start = time.perf_counter()
            page.keyboard.press("Control+A")
            page.keyboard.type(second)
            typed = time.perf_counter()
            # Results of the whole second query, not of a prefix drawn while it was typed: the
            # catalog's search box names the query its results answer (the built-in one does not).
            page.wait_for_function(
                "([sel, before, query]) => { const h = document.querySelector(sel + ' h1');"
                " const answers = document.querySelector('.md-search-result__list')?.dataset.query;"
                " return h && h.textContent !== before && (answers === undefined || answers === query); }",
                arg=[RESULT, before, second], polling="raf", timeout=timeout_ms,
            )
            second_ms, second_after_keys_ms = _since(start, typed)
            timings.append(QueryTiming(first, first_ms, first_bytes, second_ms, first_after_keys_ms,
                                       second_after_keys_ms, typed_when,
                                       (marks["index"] - marks["load"]) * 1000 if len(marks) == 2 else float("nan")))
            _settle(page, in_flight)
            page.remove_listener("requestfinished", count)
            context.close()
    return timings
