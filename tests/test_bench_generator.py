"""The benchmark's synthetic catalog: deterministic, valid, and shaped like the bundled one."""

from __future__ import annotations

from pathlib import Path

from bench.generate import generate, records
from conftest import REPO
from builder.build import load_catalog
from builder.layout import Layout


def test_same_size_and_seed_give_the_same_bytes():
    assert records(40, seed=3) == records(40, seed=3)
    assert records(40, seed=3) != records(40, seed=4)


def test_a_generated_catalog_loads_without_problems_and_mixes_topics_and_code(tmp_path: Path):
    generate(tmp_path, 120)
    assert len(list((tmp_path / "data" / "papers").glob("*.yaml"))) == 120
    loaded = load_catalog(Layout(tmp_path))  # raises CatalogError on any invalid record
    assert loaded.warnings == []
    statuses = {p.code.status for p in loaded.papers}
    assert statuses == {"available", "announced", "none"}
    topics = {t for p in loaded.papers for t in p.topic_ids}
    assert len(topics) >= 8, topics  # not one topic for everything
    assert (tmp_path / "mkdocs.yml").is_file() and (tmp_path / "docs" / "about.md").is_file()


def test_abstracts_are_recombined_sentences_of_the_bundled_abstracts():
    bundled = " ".join(Path(p).read_text(encoding="utf-8") for p in (REPO / "data" / "papers").glob("*.yaml"))
    text = next(iter(records(1).values()))
    first_sentence = text.split("abstract: >-\n", 1)[1].split(". ")[0].split()[:6]
    assert " ".join(first_sentence) in " ".join(bundled.split())
