"""Long topic and code lists are split into pages of PAGE_SIZE papers, linked to each other."""

from __future__ import annotations

import json
import os
import posixpath
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bench.generate import generate
from conftest import run_catalog
from test_paper_page_html import Links, target

from builder.pages.paging import PAGE_SIZE, paginate
from builder.pages.urls import page_url

HREF = re.compile(r'href="([^"]+)"')


def test_pages_have_stable_paths_and_link_each_other():
    pages = paginate("topics", "vision", list(range(250)))
    assert [p.path for p in pages] == ["topics/vision.md", "topics/vision/2.md", "topics/vision/3.md"]
    assert [len(p.items) for p in pages] == [100, 100, 50] and pages[2].first == 201
    assert all(dict(p.pages) == {1: "topics/vision.md", 2: "topics/vision/2.md", 3: "topics/vision/3.md"} for p in pages)
    assert [p.path for p in paginate("code", "none", [])] == ["code/none.md"]  # an empty list is one page


def test_a_long_list_is_every_paper_once_on_linked_pages(tmp_path: Path):
    generate(tmp_path, 260)
    result = run_catalog("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    docs = tmp_path / "docs"
    catalog = json.loads((docs / "catalog.json").read_text(encoding="utf-8"))
    available = {p["id"] for p in catalog if p["code"]["status"] == "available"}
    assert len(available) > PAGE_SIZE  # the generated mix puts enough papers in this list

    pages = [docs / "code" / "available.md", *sorted((docs / "code" / "available").glob("*.md"))]
    assert len(pages) == -(-len(available) // PAGE_SIZE)
    listed = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert f"{len(available)} papers" in text
        # Links are the final URLs (papers/x/), relative to the page's own URL (code/available/2/).
        here = page_url(page.relative_to(docs).as_posix(), directory_urls=True)
        targets = {posixpath.normpath(posixpath.join(here, link)).removesuffix("/") + ".md"
                   for link in HREF.findall(text) if "://" not in link}
        assert all((docs / t).is_file() for t in targets), [t for t in targets if not (docs / t).is_file()]
        ids = [t.removeprefix("papers/").removesuffix(".md") for t in targets if t.startswith("papers/")]
        assert len(ids) <= PAGE_SIZE
        listed += ids
        assert {p.relative_to(docs).as_posix() for p in pages} <= targets | {page.relative_to(docs).as_posix()}
    assert sorted(listed) == sorted(available)


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "flat-urls"])
def test_every_link_of_a_built_list_page_leads_to_a_built_file(tmp_path: Path, directory_urls):
    """List pages are raw HTML below their title, like paper pages: MkDocs neither rewrites nor
    checks their links, so they must be the final URLs for either URL style."""
    generate(tmp_path, 260)
    if not directory_urls:
        with (tmp_path / "mkdocs.yml").open("a", encoding="utf-8") as config:
            config.write("\nuse_directory_urls: false\n")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=tmp_path, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    pages = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
             for folder in ("topics", "code") for p in (site / folder).rglob("*.html")}
    second = "code/available/2/index.html" if directory_urls else "code/available/2.html"
    assert second in pages  # a list long enough for a second page
    broken, papers = [], set()
    for page, text in pages.items():
        files = [f for url in Links(text).urls if (f := target(site, page, url)) is not None]
        broken += [(page, f) for f in files if f.startswith("..") or not (site / f).is_file()]
        papers.update(f for f in files if f.startswith("papers/"))
    assert broken == []
    assert len(papers) == 260
    first = "code/available/index.html" if directory_urls else "code/available.html"
    assert first in {target(site, second, url) for url in Links(pages[second]).urls}  # the pager
