"""`mkdocs serve` keeps the last build's results (builder/memo.py): a build that reuses them must
write exactly what a build from nothing writes, whatever was edited in between."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

from conftest import copy_catalog

from builder.build import build
from builder.errors import CatalogError
from builder.layout import Layout
from builder.memo import Memo
from builder.pages.render import Settings

SETTINGS = Settings(site_url="https://example.org/catalog/", edit_base="https://github.com/o/r/edit/main/")
PAPER = "a-study-of-bayesian-neural-network-surrogates-for-bayesian-optimization"


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _fresh_build(catalog: Path, tmp_path: Path) -> dict[str, bytes]:
    """The same catalog built from nothing, in a folder of its own."""
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    copy_catalog(fresh)
    shutil.rmtree(fresh / "data")
    shutil.copytree(catalog / "data", fresh / "data")
    build(Layout(fresh), SETTINGS)
    return _tree(fresh / "docs")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_builds_reusing_the_memo_equal_fresh_builds_after_every_kind_of_edit(catalog: Path, tmp_path: Path):
    layout, memo = Layout(catalog), Memo()
    papers, topics = catalog / "data" / "papers", catalog / "data" / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8"), encoding="utf-8")  # a file of its own, not a link
    build(layout, SETTINGS, memo)
    record = papers / f"{PAPER}.yaml"
    other = sorted(papers.glob("*.yaml"))[0]
    edits = [
        ("an abstract", lambda: record.write_text(record.read_text(encoding="utf-8").rstrip("\n")
                                                  + " Quokkalogical surrogates.\n", encoding="utf-8")),
        ("a title", lambda: _edit(other, "title: ", "title: Renamed ")),
        ("a new record", lambda: (papers / "a-new-paper.yaml").write_text(
            "title: A new paper on Bayesian optimisation surrogates\nabstract: 'We study Bayesian neural network "
            "surrogates for Bayesian optimization. Code: https://github.com/o/new.'\n", encoding="utf-8")),
        ("a removed record", lambda: (papers / "a-new-paper.yaml").unlink()),
        ("the taxonomy", lambda: _edit(topics, "name: ", "name: Renamed ")),
        ("hand-set topics", lambda: record.write_text(record.read_text(encoding="utf-8")
                                                      + "topics: [optimization]\n", encoding="utf-8")),
    ]
    for what, edit in edits:
        edit()
        report = build(layout, SETTINGS, memo)
        assert _tree(catalog / "docs") == _fresh_build(catalog, tmp_path), f"after editing {what}"
        assert report.pages.written > 0, what


def test_an_edit_through_a_symbolic_link_is_seen(catalog: Path, tmp_path: Path):
    """This repository's data/topics.yaml is a link to the taxonomy `catalog init` copies: editing
    the file it points to must change the pages, as an editor following the link edits it."""
    layout, memo = Layout(catalog), Memo()
    topics = catalog / "data" / "topics.yaml"
    target = catalog / "taxonomy.yaml"
    topics.rename(target)
    topics.symlink_to(target)
    build(layout, SETTINGS, memo)
    _edit(target, "name: ", "name: Renamed ")
    report = build(layout, SETTINGS, memo)
    assert report.pages.written > 0
    assert _tree(catalog / "docs") == _fresh_build(catalog, tmp_path)


def test_a_broken_edit_fails_and_the_fix_builds_as_if_nothing_happened(catalog: Path, tmp_path: Path):
    layout, memo = Layout(catalog), Memo()
    build(layout, SETTINGS, memo)
    record = catalog / "data" / "papers" / f"{PAPER}.yaml"
    good = record.read_text(encoding="utf-8")
    record.write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="invalid YAML"):
        build(layout, SETTINGS, memo)
    record.write_text(good.rstrip("\n") + " Fixed.\n", encoding="utf-8")
    build(layout, SETTINGS, memo)
    assert _tree(catalog / "docs") == _fresh_build(catalog, tmp_path)
    assert build(layout, SETTINGS, memo).pages.written == 0


def test_a_preview_build_leaves_the_cycle_collector_on_even_when_it_fails(catalog: Path):
    """A build runs with the cycle collector off (builder/collector.py); `mkdocs serve` runs for
    hours and must get it back after each build, or its garbage cycles would pile up."""
    layout, memo = Layout(catalog), Memo()
    assert gc.isenabled()
    build(layout, SETTINGS, memo)
    assert gc.isenabled()
    (catalog / "data" / "papers" / f"{PAPER}.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogError):
        build(layout, SETTINGS, memo)
    assert gc.isenabled()

# In a fresh interpreter: mkdocs serve's first build runs before its server threads exist, so its
# stages fork; what they keep for the next build must still end up in this process's memo.
_FIRST_SERVE_BUILD = """
import sys
from pathlib import Path
from builder.build import build
from builder.layout import Layout
from builder.memo import Memo
from builder.pages.render import Settings

memo = Memo()
report = build(Layout(Path(sys.argv[1])), Settings(site_url="https://example.org/"), memo)
print(report.processes, sorted(stage for stage, (_, kept) in memo._tables.items() if kept))
"""


def test_the_first_build_of_a_preview_forks_and_keeps_every_stage_for_the_next(tmp_path: Path):
    import os
    import subprocess
    import sys

    from bench.generate import generate

    generate(tmp_path / "catalog", 600)  # enough for two processes (builder.parallel.MIN_PER_WORKER each)
    done = subprocess.run([sys.executable, "-c", _FIRST_SERVE_BUILD, str(tmp_path / "catalog")], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "CATALOG_JOBS": "2"})
    assert done.returncode == 0, done.stderr
    processes, kept = done.stdout.split(" ", 1)
    assert processes == "2"  # it forked
    for stage in ("load", "enrich", "related", "paper pages", "list pages", "explore", "feed entries", "exports",
                  "written"):
        assert f"'{stage}'" in kept, kept
