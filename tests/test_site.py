"""The published site: `mkdocs build --strict` runs the catalog build itself and gives every page."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_catalog, run_catalog

DSEE = "dsee-dually-sparsity-embedded-efficient-tuning-of-pre-trained-language-models"


def mkdocs_build(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_catalog(tmp_path_factory.mktemp("site") / "catalog")
    hostile = root / "data" / "papers" / "script-title.yaml"
    hostile.write_text("title: '</title><script>alert(1)</script> Evil [x](javascript:alert(1))'\n"
                       "abstract: 'An abstract with <img src=x onerror=alert(1)> and {{ 7*7 }} inside.'\n")
    result = mkdocs_build(root)
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_every_page_kind_is_built(site):
    papers = [p for p in (site / "papers").iterdir() if (p / "index.html").is_file()]
    assert len(papers) == 52
    assert (site / "topics" / "index.html").is_file()
    assert (site / "topics" / "vision" / "index.html").is_file()
    for status in ("available", "announced", "none"):
        assert (site / "code" / status / "index.html").is_file()
    assert (site / "index.html").is_file() and (site / "catalog.json").is_file()


def test_the_site_ships_its_search_bundle(site):
    # Querying it needs a browser: tests/browser/test_search.py types an abstract-only word and
    # opens the paper it finds. Here: the bundle is there and holds one record per paper and topic.
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] >= 52
    assert (site / "pagefind" / "pagefind.js").is_file()


def test_paper_pages_are_not_in_the_navigation(site):
    html = (site / "papers" / DSEE / "index.html").read_text()
    # The page links to its related papers, never to all 51.
    assert html.count('href="../') < 40
    home = (site / "index.html").read_text()
    assert "md-nav" in home and "papers/dsee" not in home.split('class="md-content"')[0]


def test_untrusted_title_is_literal_text_everywhere(site):
    html = (site / "papers" / "script-title" / "index.html").read_text()
    assert "<script>alert(1)" not in html
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; Evil [x](javascript:alert(1)) - " in html
    assert "onerror=alert" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert "{{ 7*7 }}" in html and ">49<" not in html
    assert 'href="javascript:' not in html


def test_topic_page_lists_its_papers(site):
    html = (site / "topics" / "mixture-of-experts" / "index.html").read_text()
    # A list item each, not lines of the paragraph above the list.
    assert '<li><a href="../../papers/comet-learning-cardinality-constrained-mixture-of-experts-with-trees-and-local/"' in html


def _frame(html: str) -> str:
    """The page around its content: header, tabs, navigation sidebar."""
    return html[html.index('<nav class="md-tabs"'):html.index('<div class="md-content"')]


def test_paper_pages_share_the_site_frame_without_a_hidden_table_of_contents(site):
    # The tabs and navigation sidebar of a paper page are rendered once a build (overrides/main.html).
    one = (site / "papers" / DSEE / "index.html").read_text()
    other = (site / "papers" / "script-title" / "index.html").read_text()
    assert _frame(one) == _frame(other)
    assert 'data-md-type="navigation"' in one and 'href="../../topics/" class="md-nav__link"' in one
    assert 'data-md-type="toc"' not in one  # hidden by the page, so not rendered at all
    about = (site / "about" / "index.html").read_text()
    assert 'data-md-type="toc"' in about and 'href="../topics/" class="md-nav__link"' in about


def test_init_gives_a_catalog_that_builds_as_is(tmp_path):
    target = tmp_path / "new-catalog"
    result = run_catalog("init", str(target), "--name", "My <Papers>")
    assert result.returncode == 0, result.stderr
    assert mkdocs_build(target).returncode == 0
    assert "<title>My &lt;Papers&gt;</title>" in (target / "site" / "index.html").read_text()
    from conftest import SAMPLE

    assert run_catalog("import", str(SAMPLE), "--root", str(target)).returncode == 0
    built = mkdocs_build(target)
    assert built.returncode == 0, built.stderr
    assert len(list((target / "site" / "papers").iterdir())) == 51
    assert run_catalog("init", str(target)).returncode == 1


def test_a_record_warning_is_shown_but_passes_strict(catalog):
    # `catalog check` passes a follow-up paper sharing a repository: so must CI's `mkdocs build --strict`.
    for name in ("first", "second"):
        (catalog / "data" / "papers" / f"{name}.yaml").write_text(
            f"title: {name.title()} Paper\ncode: [https://github.com/shared/repo]\nabstract: An ordinary abstract.\n")
    result = mkdocs_build(catalog)
    assert result.returncode == 0, result.stderr
    assert ("data/papers/first.yaml:2:8: warning: code[0]: same code link as data/papers/second.yaml: "
            "the same paper twice?") in result.stderr
    assert "catalog build: 53 papers" in result.stderr  # the build's summary follows its warnings


def test_a_broken_link_still_fails_strict(catalog):
    about = catalog / "docs" / "about.md"
    about.write_text(about.read_text() + "\nSee [the missing page](missing.md).\n")
    result = mkdocs_build(catalog)
    assert result.returncode == 1
    assert "contains a link 'missing.md', but the target is not found" in result.stderr
    assert "Aborted with 1 warnings in strict mode!" in result.stdout
