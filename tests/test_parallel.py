"""Large catalogs are built by several processes; the pages must not depend on how many."""

from __future__ import annotations

import filecmp
import os
import shutil
from pathlib import Path

import pytest

from bench.generate import generate
from conftest import run_catalog

PAPERS = 600  # enough for two workers (builder.parallel.MIN_PER_WORKER each)
ONE, TWO = ({**os.environ, "CATALOG_JOBS": jobs} for jobs in ("1", "2"))


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_one_process_and_two_write_the_same_pages_and_messages(tmp_path: Path):
    generate(tmp_path / "one", PAPERS)
    shutil.copytree(tmp_path / "one", tmp_path / "two")
    serial = run_catalog("build", cwd=tmp_path / "one", env=ONE)
    forked = run_catalog("build", cwd=tmp_path / "two", env=TWO)
    assert serial.returncode == forked.returncode == 0, serial.stderr + forked.stderr
    assert f"catalog build: {PAPERS} papers" in forked.stdout + forked.stderr
    assert forked.stdout.rstrip().endswith("s on 2 processes"), forked.stdout  # it did fork
    assert "processes" not in serial.stdout
    one, two = _tree(tmp_path / "one" / "docs"), _tree(tmp_path / "two" / "docs")
    assert len(one) > PAPERS and one == two

    # A broken record among hundreds is reported the same way, whichever process read it.
    for root in ("one", "two"):
        papers = sorted((tmp_path / root / "data" / "papers").glob("*.yaml"))
        papers[PAPERS // 2].write_text("title: [unclosed\n", encoding="utf-8")
        papers[-1].write_text("title: A title\nabstract: TODO\n", encoding="utf-8")
    serial = run_catalog("build", cwd=tmp_path / "one", env=ONE)
    forked = run_catalog("build", cwd=tmp_path / "two", env=TWO)
    assert serial.returncode == forked.returncode == 1
    assert "invalid YAML" in forked.stderr and "TODO placeholder" in forked.stderr
    assert serial.stderr == forked.stderr
    assert not filecmp.dircmp(tmp_path / "one" / "docs", tmp_path / "two" / "docs").diff_files


def _fails_in_the_child_share(item: int) -> int:
    if item == 450:  # in the second half: a forked child's share
        raise ValueError("record 450 is broken")
    return item * 2


def _dies_in_the_child_share(item: int) -> int:
    if item == 450:
        os._exit(3)  # a worker killed mid-map (out of memory, a signal)
    return item


def test_a_worker_error_reaches_the_caller(monkeypatch):
    from builder import parallel

    monkeypatch.setenv("CATALOG_JOBS", "2")
    items = list(range(600))
    assert parallel.map_items(lambda i: i * 2, items) == [i * 2 for i in items]
    assert parallel.used() == 2
    with pytest.raises(ValueError, match="record 450 is broken"):
        parallel.map_items(_fails_in_the_child_share, items)
    with pytest.raises(RuntimeError, match=r"stopped without its results \(exit code 3\)"):
        parallel.map_items(_dies_in_the_child_share, items)
