"""Long topic and code lists are split into pages of PAGE_SIZE papers, linked to each other."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

from bench.generate import generate
from conftest import run_catalog

from builder.pages.paging import PAGE_SIZE, paginate

LINK = re.compile(r"\]\(([^)\s]+\.md)\)")


def test_pages_have_stable_paths_and_link_each_other():
    pages = paginate("topics", "vision", list(range(250)))
    assert [p.path for p in pages] == ["topics/vision.md", "topics/vision/2.md", "topics/vision/3.md"]
    assert [len(p.items) for p in pages] == [100, 100, 50] and pages[2].first == 201
    assert dict(pages[0].links) == {1: "vision.md", 2: "vision/2.md", 3: "vision/3.md"}
    assert dict(pages[1].links) == {1: "../vision.md", 2: "2.md", 3: "3.md"}
    assert (pages[0].root, pages[1].root) == ("../", "../../")
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
        here = posixpath.dirname(page.relative_to(docs).as_posix())
        targets = {posixpath.normpath(posixpath.join(here, link)) for link in LINK.findall(text)}
        assert all((docs / t).is_file() for t in targets), [t for t in targets if not (docs / t).is_file()]
        ids = [t.removeprefix("papers/").removesuffix(".md") for t in targets if t.startswith("papers/")]
        assert len(ids) <= PAGE_SIZE
        listed += ids
        assert {p.relative_to(docs).as_posix() for p in pages} <= targets | {page.relative_to(docs).as_posix()}
    assert sorted(listed) == sorted(available)
