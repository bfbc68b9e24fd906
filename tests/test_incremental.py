"""Editing one record rewrites only the pages that show it; `mkdocs serve` skips a catalog rebuild
when no record changed (its own writes into docs/ wake it a second time)."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from conftest import run_catalog

from builder.layout import Layout
from builder.pages.render import Settings
from builder.site.plugin import input_signature

PAPER = "a-study-of-bayesian-neural-network-surrogates-for-bayesian-optimization"


def written(result) -> int:
    assert result.returncode == 0, result.stderr
    return int(re.search(r"pages (\d+) written", result.stdout + result.stderr).group(1))


def test_a_second_build_writes_nothing_and_one_edit_writes_only_the_pages_that_show_the_paper(catalog: Path):
    written(run_catalog("build", "--root", str(catalog)))
    assert written(run_catalog("build", "--root", str(catalog))) == 0
    docs = catalog / "docs"
    before = {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}
    time.sleep(0.05)
    record = catalog / "data" / "papers" / f"{PAPER}.yaml"
    record.write_text(record.read_text(encoding="utf-8").rstrip("\n") + " Quokkalogical.\n", encoding="utf-8")
    count = written(run_catalog("build", "--root", str(catalog)))
    changed = sorted(p.relative_to(docs).as_posix() for p, t in before.items() if p.stat().st_mtime_ns != t)
    assert len(changed) == count
    assert f"papers/{PAPER}.md" in changed
    for path in changed:  # every rewritten page shows the edited paper
        assert PAPER in (docs / path).read_text(encoding="utf-8"), path
    assert count <= 15, changed  # of ~150 generated files


def test_serve_signature_changes_with_a_record_and_only_then(catalog: Path):
    layout, settings = Layout(catalog), Settings()
    first = input_signature(layout, settings)
    assert input_signature(layout, settings) == first
    record = next((catalog / "data" / "papers").glob("*.yaml"))
    stat = record.stat()
    os.utime(record, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert input_signature(layout, settings) != first
