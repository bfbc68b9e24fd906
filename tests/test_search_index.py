"""The Pagefind search index the catalog plugin writes: what it holds and when it is rebuilt."""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path

from builder.build import load_catalog
from builder.layout import Layout
from builder.pages.urls import page_url
from builder.site import search
from builder.site.search import BUNDLE_DIR, catalog_records, write_index

from conftest import run_catalog
from reader_outputs import CITED, write_record


def test_page_urls_follow_mkdocs():
    assert page_url("papers/a-b.md", True) == "papers/a-b/"
    assert page_url("papers/a-b.md", False) == "papers/a-b.html"
    assert page_url("topics/index.md", True) == "topics/"
    assert page_url("topics/index.md", False) == "topics/index.html"


def test_records_hold_title_abstract_byline_topics_and_code_status_only(catalog: Path):
    write_record(catalog, "a-cited-paper", {**CITED, "authors": ["Ada Lovelace", "Bob <Tables>"]})
    loaded = load_catalog(Layout(catalog))
    records = catalog_records(loaded.papers, loaded.taxonomy)
    cited = next(r for r in records if r.url == "papers/a-cited-paper/")
    # Searched text, not metadata: the year is not (the venue usually has it), nor the URL.
    assert cited.content == ("A Cited Paper.\nEverything a citation needs.\n"
                             "Ada Lovelace, Bob &lt;Tables&gt;. NeurIPS. arXiv 2403.01234")
    assert set(cited.meta) == {"title", "topics", "code", "kind"}
    paper = next(p for p in loaded.papers if not p.get("authors"))  # a record without them is as before
    record = next(r for r in records if r.url == f"papers/{paper.id}/")
    assert record.content == html.escape(f"{paper.title}.\n{paper.abstract}", quote=False)
    assert record.meta["title"] == html.escape(paper.title, quote=False)
    assert record.filters["code"] == [{"available": "Code available", "announced": "Code announced",
                                       "none": "No code"}[paper.code.status]]
    assert record.filters["topic"] == [loaded.taxonomy.by_id[t].name for t in paper.topic_ids]
    assert len(records) == len(loaded.papers) + len(loaded.taxonomy.topics)


def test_index_is_small_next_to_the_text_and_kept_when_nothing_changed(catalog: Path, tmp_path: Path):
    loaded = load_catalog(Layout(catalog))
    records = catalog_records(loaded.papers, loaded.taxonomy)
    site = tmp_path / "site"
    first = write_index(records, site)
    bundle = site / BUNDLE_DIR
    assert not first.reused and (bundle / "pagefind.js").is_file()
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == len(records)
    text = sum(len(r.content.encode()) for r in records)
    index = sum(p.stat().st_size for d in ("index", "fragment", "filter") for p in (bundle / d).iterdir())
    assert index <= 1.3 * text, (index, text)
    assert write_index(records, site).reused
    changed = [records[0].__class__(**{**records[0].__dict__, "content": "changed"})] + records[1:]
    assert not write_index(changed, site).reused


def test_the_pinned_pagefind_writes_the_index_and_another_one_writes_it_anew(catalog: Path, tmp_path: Path,
                                                                             monkeypatch):
    loaded = load_catalog(Layout(catalog))
    records = catalog_records(loaded.papers, loaded.taxonomy)
    site = tmp_path / "site"
    report = write_index(records, site)
    entry = json.loads((site / BUNDLE_DIR / "pagefind-entry.json").read_text())
    pinned = json.loads((Path(__file__).parents[1] / "package.json").read_text())["devDependencies"]["pagefind"]
    if search.NPM_BINARIES.is_dir():  # installed by `npm ci`; without npm, pagefind-bin's 1.5.2 writes it
        assert entry["version"] == pinned
    assert report.summary().endswith(f"(pagefind {entry['version']})")
    monkeypatch.setattr(search, "pagefind_version", lambda: "pagefind 0.0.1")
    assert not write_index(records, site).reused


def test_mkdocs_build_ships_the_search_bundle_and_no_lunr_index(catalog: Path):
    result = run_catalog("build", "--root", str(catalog))
    assert result.returncode == 0, result.stderr
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"], cwd=catalog,
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    site = catalog / "site"
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert not (site / "search" / "search_index.json").exists()
    assert not (site / "pagefind" / "pagefind-ui.js").exists()  # Pagefind's own UI is not shipped
    home = (site / "index.html").read_text()
    assert "data-catalog-search" in home and "catalog-search.js" in home


def test_cut_or_empty_bundle_files_are_found(catalog: Path, tmp_path: Path):
    from builder.site.search import incomplete_files

    loaded = load_catalog(Layout(catalog))
    site = tmp_path / "site"
    write_index(catalog_records(loaded.papers, loaded.taxonomy), site)
    bundle = site / BUNDLE_DIR
    assert incomplete_files(bundle) == []
    (bundle / "wasm.unknown.pagefind").write_bytes(b"")
    fragment = sorted((bundle / "fragment").iterdir())[0]
    fragment.write_bytes(fragment.read_bytes()[:20])
    assert incomplete_files(bundle) == sorted([fragment.name, "wasm.unknown.pagefind"])


def test_filter_menus_list_every_value_with_its_count_escaped_like_the_records(tmp_path: Path):
    from builder.site.search import FILTER_VALUES, SearchRecord

    records = [
        SearchRecord("papers/a/", "A", "A.", filters={"topic": ["Vision", "<b>Graphs</b>"], "code": ["No code"]}),
        SearchRecord("papers/b/", "B", "B.", filters={"topic": ["Vision"], "code": ["Code available"]}),
        SearchRecord("topics/vision/", "Vision", "Vision."),
    ]
    write_index(records, tmp_path / "site")
    menus = json.loads((tmp_path / "site" / BUNDLE_DIR / FILTER_VALUES).read_text(encoding="utf-8"))
    assert menus == {"code": [["Code available", 1], ["No code", 1]],
                     "topic": [["&lt;b&gt;Graphs&lt;/b&gt;", 1], ["Vision", 2]]}
