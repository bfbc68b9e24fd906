"""Nothing lost: a failing build leaves records and pages as they were, a killed write never leaves
half a file, import never overwrites, and the same catalog always gives the same bytes."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, run_catalog

from builder.errors import CatalogError
from builder.fsio import write_if_changed
from builder.pages.writer import write_pages


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_failing_build_leaves_records_and_generated_pages_untouched(catalog):
    assert run_catalog("build", "--root", str(catalog)).returncode == 0
    docs, data = snapshot(catalog / "docs"), snapshot(catalog / "data")
    mtimes = {p: p.stat().st_mtime_ns for p in (catalog / "docs").rglob("*.md")}
    victim = next(iter(sorted((catalog / "data" / "papers").iterdir())))
    victim.write_text(victim.read_text() + "titel: a typo that fails the build\n")
    result = run_catalog("build", "--root", str(catalog))
    assert result.returncode == 1 and "titel" in result.stderr
    assert snapshot(catalog / "docs") == docs
    assert {p: p.stat().st_mtime_ns for p in (catalog / "docs").rglob("*.md")} == mtimes
    after = snapshot(catalog / "data")
    assert {k: v for k, v in after.items() if not k.endswith(victim.name)} == \
           {k: v for k, v in data.items() if not k.endswith(victim.name)}


def test_removing_a_record_removes_its_page_and_two_builds_give_the_same_bytes(catalog):
    assert run_catalog("build", "--root", str(catalog)).returncode == 0
    first = snapshot(catalog / "docs")
    assert run_catalog("build", "--root", str(catalog)).returncode == 0
    assert snapshot(catalog / "docs") == first
    gone = sorted((catalog / "data" / "papers").iterdir())[-1]
    gone.unlink()
    assert run_catalog("build", "--root", str(catalog)).returncode == 0
    assert not (catalog / "docs" / "papers" / f"{gone.stem}.md").exists()
    assert f"papers/{gone.stem}.md" in first


def test_a_leftover_temporary_file_is_cleaned_up_by_the_next_build(catalog):
    assert run_catalog("build", "--root", str(catalog)).returncode == 0
    leftover = catalog / "docs" / "papers" / ".some-page.md.x1y2z3.tmp"  # what a kill mid-write leaves
    leftover.write_text("half a page")
    assert run_catalog("build", "--root", str(catalog)).returncode == 0
    assert not leftover.exists()


def test_a_first_build_that_fails_half_way_leaves_no_folder_of_pages(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / ".papers.0a1b2c3d4e.tmp").mkdir()  # what a build killed while staging left
    (docs / ".papers.0a1b2c3d4e.tmp" / "half.md").write_text("half a folder")
    pages = {"papers/a.md": "a\n", "papers/a.md/b.md": "b\n", "topics/t.md": "t\n"}  # the second cannot be written
    with pytest.raises(CatalogError) as failed:
        write_pages(docs, pages)
    assert [p.path for p in failed.value.problems] == ["docs/papers/a.md/b.md"]
    assert sorted(p.name for p in docs.iterdir()) == []  # no papers/ or topics/, half written or whole
    del pages["papers/a.md/b.md"]
    assert write_pages(docs, pages).written == 2
    assert snapshot(docs) == {"papers/a.md": b"a\n", "topics/t.md": b"t\n"}


WRITER = """
import sys
from pathlib import Path
sys.path.insert(0, {repo!r})
from builder.fsio import write_atomic
target = Path(sys.argv[1])
pages = [("A" * 4_000_000) + "\\n", ("B" * 6_000_000) + "\\n"]
print("ready", flush=True)
i = 0
while True:
    write_atomic(target, pages[i % 2])
    i += 1
"""


def test_killing_a_write_at_any_moment_never_leaves_half_a_file(tmp_path):
    target = tmp_path / "docs" / "papers" / "page.md"
    whole = {("A" * 4_000_000) + "\n", ("B" * 6_000_000) + "\n"}
    for delay in (0.0, 0.013, 0.031, 0.057, 0.089, 0.12):
        child = subprocess.Popen([sys.executable, "-c", WRITER.format(repo=str(REPO)), str(target)],
                                 stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "ready"
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        if target.exists():
            assert target.read_text() in whole, f"half-written page after a kill at {delay} s"


def test_a_page_in_a_missing_folder_is_written_whole_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "docs" / "topics" / "vision" / "2.md"
    assert write_if_changed(target, "é\n" * 3000) is True
    assert target.read_bytes() == ("é\n" * 3000).encode("utf-8")
    assert [p.name for p in target.parent.iterdir()] == ["2.md"]


def test_an_unchanged_page_keeps_its_file_and_a_change_of_one_byte_replaces_it(tmp_path):
    target = tmp_path / "page.md"
    write_if_changed(target, "same size\n")
    first = target.stat()
    assert write_if_changed(target, "same size\n") is False
    assert target.stat().st_ino == first.st_ino and target.stat().st_mtime_ns == first.st_mtime_ns
    assert write_if_changed(target, "same sizE\n") is True
    assert target.read_text(encoding="utf-8") == "same sizE\n"
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]


def test_a_page_that_cannot_replace_what_is_there_leaves_it_and_no_temporary_file(tmp_path):
    (tmp_path / "page.md").mkdir()  # a folder where the page should go
    with pytest.raises(OSError):
        write_if_changed(tmp_path / "page.md", "text\n")
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"] and (tmp_path / "page.md").is_dir()


def test_import_never_overwrites_an_existing_record(catalog):
    listing = REPO / "data" / "sources" / "2025-03-13-trending.txt"
    papers = catalog / "data" / "papers"
    for record in papers.iterdir():
        record.unlink()
    assert run_catalog("import", str(listing), "--root", str(catalog)).returncode == 0
    victim = sorted(papers.iterdir())[0]
    victim.write_text(victim.read_text().replace("abstract:", "venue: Hand-edited\nabstract:", 1))
    edited = snapshot(papers)
    result = run_catalog("import", str(listing), "--root", str(catalog))
    assert result.returncode == 0 and "added 0," in result.stdout
    assert snapshot(papers) == edited
