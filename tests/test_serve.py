"""`mkdocs serve --dirty` (`make serve`) shows an edited record, then serves a search index built
from the edited catalog, without rebuilding in a loop on its own writes."""

from __future__ import annotations

from pathlib import Path

from bench.run import measure_serve

PAPER = "a-study-of-bayesian-neural-network-surrogates-for-bayesian-optimization"


def test_an_edit_shows_in_the_preview_and_then_in_its_search_index(catalog: Path):
    result = measure_serve(catalog, catalog / "data" / "papers" / f"{PAPER}.yaml")
    assert result["seconds"] < 60, result  # NaN (never shown) fails too
    assert result["seconds"] <= result["index_seconds"] < 120, result
    assert result["rebuilds"] <= 2, result  # the edit, and at most one woken by the build's own writes
