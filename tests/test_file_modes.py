"""Files the catalog writes get the permissions the user's umask gives, as any editor's or git's do:
a record, mkdocs.yml or page that only its creator could read broke shared checkouts and servers."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from conftest import SAMPLE, run_catalog


@pytest.fixture
def umask_027():
    """A umask unlike the usual 022, so that a mode the code sets itself cannot pass by chance."""
    old = os.umask(0o027)
    yield 0o640
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_init_import_new_and_build_create_files_as_the_umask_says(tmp_path, umask_027):
    root = tmp_path / "mine"
    assert run_catalog("init", str(root)).returncode == 0
    imported = run_catalog("import", "--root", str(root), str(SAMPLE))
    assert imported.returncode == 0, imported.stderr
    (tmp_path / "abstract.txt").write_text("We add a paper by hand to see its record's permissions.\n")
    added = run_catalog("new", "--root", str(root), "A Paper Added By Hand",
                        "--abstract-file", str(tmp_path / "abstract.txt"))
    assert added.returncode == 0, added.stderr
    built = run_catalog("build", "--root", str(root))
    assert built.returncode == 0, built.stderr

    files = [p for p in root.rglob("*") if p.is_file()]
    records = list((root / "data/papers").glob("*.yaml"))
    pages = list((root / "docs/papers").glob("*.md"))
    assert len(records) == 52 and len(pages) == 52
    wrong = {str(p.relative_to(root)): oct(mode(p)) for p in files if mode(p) != umask_027}
    assert wrong == {}


def test_a_page_a_later_build_rewrites_keeps_the_umask_mode(catalog, umask_027):
    assert run_catalog("build", "--root", str(catalog)).returncode == 0
    record = sorted((catalog / "data/papers").glob("*.yaml"))[0]
    page = catalog / "docs/papers" / f"{record.stem}.md"
    before = page.read_text()
    record.write_text(record.read_text().replace("title: ", "title: Edited ", 1))
    assert run_catalog("build", "--root", str(catalog)).returncode == 0
    assert page.read_text() != before  # rewritten, through a temporary file and a rename
    assert mode(page) == umask_027
