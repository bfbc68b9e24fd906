"""`catalog import`: the sample gives exactly its 51 papers, twice changes nothing, curated fields stay."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, SAMPLE, run_catalog

from builder.records.ids import slug_for, unique_id

ABSTRACT = "We study a problem that matters and report what we found in careful experiments. " * 4


def _empty_catalog(tmp_path: Path) -> Path:
    """A catalog without records: its taxonomy is what tells the command the folder is a catalog."""
    root = tmp_path / "cat"
    (root / "data" / "papers").mkdir(parents=True)
    shutil.copy(REPO / "data" / "topics.yaml", root / "data" / "topics.yaml")
    return root


def _import_listing(tmp_path: Path, root: Path, text: str):
    """`catalog import` of a listing holding ``text``, dated by its file name: (the listing, the result)."""
    listing = tmp_path / "2025-03-14-list.txt"
    listing.write_text(text)
    return listing, run_catalog("import", str(listing), "--root", str(root))


def _sample_titles() -> list[str]:
    lines = SAMPLE.read_text(encoding="utf-8").split("\n\n")
    return [b for b in lines[5::2]]  # after 4 chrome blocks and the date line: title, abstract, ...


def test_sample_gives_exactly_its_51_titles(tmp_path):
    root = _empty_catalog(tmp_path)
    result = run_catalog("import", str(SAMPLE), "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "added 51, already present 0, skipped 0"
    files = sorted((root / "data" / "papers").glob("*.yaml"))
    assert len(files) == 51
    import yaml

    titles = sorted(yaml.safe_load(f.read_text())["title"] for f in files)
    assert titles == sorted(_sample_titles())
    assert all(yaml.safe_load(f.read_text())["listed"].isoformat() == "2025-03-13" for f in files)


def test_import_twice_changes_nothing(tmp_path):
    root = _empty_catalog(tmp_path)
    run_catalog("import", str(SAMPLE), "--root", str(root))
    before = {p.name: p.read_bytes() for p in (root / "data" / "papers").iterdir()}
    result = run_catalog("import", str(SAMPLE), "--root", str(root))
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "added 0, already present 51, skipped 0"
    assert {p.name: p.read_bytes() for p in (root / "data" / "papers").iterdir()} == before


def test_curated_fields_are_never_clobbered(tmp_path):
    root = _empty_catalog(tmp_path)
    run_catalog("import", str(SAMPLE), "--root", str(root))
    record = root / "data" / "papers" / "cascade-r-cnn-delving-into-high-quality-object-detection.yaml"
    curated = record.read_text().replace("title: Cascade R-CNN", "topics: [vision]\ntitle: Cascade R-CNN")
    record.write_text(curated)
    run_catalog("import", str(SAMPLE), "--root", str(root))
    assert record.read_text() == curated


def test_a_differently_cased_title_is_already_present(tmp_path):
    root = _empty_catalog(tmp_path)
    listing = tmp_path / "2025-03-14-list.txt"
    listing.write_text(f"Mar 14\n\nGenerative  MARGINALIZATION models\n\n{ABSTRACT}\n")
    run_catalog("import", str(SAMPLE), "--root", str(root))
    result = run_catalog("import", str(listing), "--root", str(root))
    assert result.stdout.splitlines()[0] == "added 0, already present 1, skipped 0"


def test_crlf_listing_imports_like_lf(tmp_path):
    lf, crlf = _empty_catalog(tmp_path / "lf"), _empty_catalog(tmp_path / "crlf")
    crlf_file = tmp_path / "2025-03-13-crlf.txt"
    crlf_file.write_bytes(SAMPLE.read_bytes().replace(b"\n", b"\r\n"))
    run_catalog("import", str(SAMPLE), "--root", str(lf))
    result = run_catalog("import", str(crlf_file), "--root", str(crlf))
    assert result.stdout.splitlines()[0] == "added 51, already present 0, skipped 0"
    read = lambda root: {p.name: p.read_text().replace("crlf", "trending") for p in (root / "data" / "papers").iterdir()}  # noqa: E731
    assert read(crlf) == read(lf)


def test_summary_names_skipped_titles_with_line(tmp_path):
    root = _empty_catalog(tmp_path)
    listing = tmp_path / "list.txt"
    listing.write_text(f"Mar 13\n\nOrphan Title\n\nReal Title\n\n{ABSTRACT}\n")
    result = run_catalog("import", str(listing), "--date", "2025-03-13", "--root", str(root))
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "added 1, already present 0, skipped 1",
        "  added: data/papers/real-title.yaml",
        f"  skipped: {listing}:3: title without abstract: 'Orphan Title'",
    ]


def test_a_listing_without_year_is_refused(tmp_path):
    root = _empty_catalog(tmp_path)
    listing = tmp_path / "trending-mar-13.txt"
    shutil.copy(SAMPLE, listing)
    result = run_catalog("import", str(listing), "--root", str(root))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"{listing}: the listing has no year: pass --date YYYY-MM-DD or put the date in the file name "
        "(e.g. 2025-03-13-trending.txt)")
    assert "Traceback" not in result.stderr
    result = run_catalog("import", str(listing), "--date", "2025-03-13", "--root", str(root))
    assert result.returncode == 0 and "added 51" in result.stdout


def test_ids_are_bounded_stable_and_collision_free():
    long_title = "A " + "very long title " * 20
    assert len(slug_for(long_title)) <= 80
    assert slug_for("🙂🙂 !!!") == slug_for("🙂🙂 !!!") and slug_for("🙂🙂 !!!").startswith("paper-")
    taken = {slug_for("Same Title")}
    other = unique_id("Same Title?", taken)
    assert other != "same-title" and other.startswith("same-title-") and len(other) <= 80
    assert unique_id("Same Title?", taken) == other
    assert slug_for("Zero\u200bWidth") == "zerowidth"


def test_a_paper_titled_index_gets_an_id_apart_from_the_folder_page(tmp_path):
    root = _empty_catalog(tmp_path)
    _, result = _import_listing(tmp_path, root, f"Mar 14\n\nIndex\n\n{ABSTRACT}\n\nIndex Paper\n\n{ABSTRACT}\n")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (root / "data" / "papers").iterdir())
    assert names == ["index-e540cdd1.yaml", "index-paper.yaml"]  # the hash of the title, as for a taken slug
    assert unique_id("Index", set()) == unique_id("INDEX!", set()) == "index-e540cdd1"


def _papers(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "data" / "papers").iterdir())


def test_one_bad_listing_of_several_imports_nothing_and_every_bad_one_is_named(tmp_path):
    root = _empty_catalog(tmp_path)
    undated = tmp_path / "trending-mar-13.txt"
    shutil.copy(SAMPLE, undated)
    empty = tmp_path / "2025-03-14-empty.txt"
    empty.write_text("Subscribe\n")
    result = run_catalog("import", str(SAMPLE), str(undated), str(empty), "--root", str(root))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{undated}: the listing has no year: pass --date YYYY-MM-DD or put the date in the file name "
        "(e.g. 2025-03-13-trending.txt)",
        f"{empty}: no papers found: expected a date line such as 'Mar 13' followed by title and abstract paragraphs",
    ]
    assert _papers(root) == []  # not even the good listing's 51 papers


def test_a_folder_is_not_taken_for_a_listing(tmp_path):
    root = _empty_catalog(tmp_path)
    result = run_catalog("import", str(tmp_path), "--root", str(root))
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (f"{tmp_path}: is a folder, not a listing file: name the listing files in it "
                             "(e.g. FOLDER/*.txt)\n")


def test_page_chrome_on_the_line_after_an_abstract_is_left_out(tmp_path):
    root = _empty_catalog(tmp_path)
    _, result = _import_listing(tmp_path, root, f"Mar 14\n\nA Title\n\n{ABSTRACT.strip()}\nSubscribe\n\n"
                                f"Next Title\n\n{ABSTRACT}\nLoad more\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "added 2, already present 0, skipped 0"
    import yaml

    assert yaml.safe_load((root / "data/papers/a-title.yaml").read_text())["abstract"] == ABSTRACT.strip()
    check = run_catalog("check", "--root", str(root))
    assert (check.returncode, check.stdout) == (0, ""), check.stdout


def test_a_wrapped_abstract_keeps_a_line_that_reads_like_page_chrome(tmp_path):
    root = _empty_catalog(tmp_path)
    _, result = _import_listing(tmp_path, root, f"Mar 14\n\nA Title\n\n{ABSTRACT.strip()} We predict the\n"
                                "next\ntoken of a sequence.\n")
    assert result.stdout.splitlines()[0] == "added 1, already present 0, skipped 0", result.stdout
    import yaml

    abstract = yaml.safe_load((root / "data/papers/a-title.yaml").read_text())["abstract"]
    assert abstract == f"{ABSTRACT.strip()} We predict the next token of a sequence."


def test_page_chrome_inside_an_abstract_line_skips_the_paper_with_its_line(tmp_path):
    root = _empty_catalog(tmp_path)
    listing, result = _import_listing(tmp_path, root, f"Mar 14\n\nA Title\n\n{ABSTRACT}Subscribe\n\n"
                                      f"Clean Title\n\n{ABSTRACT}\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "added 1, already present 0, skipped 1",
        "  added: data/papers/clean-title.yaml",
        f"  skipped: {listing}:3: abstract contains text of the listing page, not of the paper: 'Subscribe'; "
        "remove it from the listing and import again",
    ]
    assert _papers(root) == ["clean-title.yaml"]
    assert run_catalog("check", "--root", str(root)).returncode == 0


def test_a_fifo_among_the_records_is_passed_over_not_waited_on(tmp_path):
    root = _empty_catalog(tmp_path)
    os.mkfifo(root / "data" / "papers" / "stuck.yaml")
    result = subprocess.run([sys.executable, "-m", "builder", "import", str(SAMPLE), "--root", str(root)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "added 51, already present 0, skipped 0"


def test_a_file_where_the_papers_folder_belongs_is_named_and_left_alone(tmp_path):
    root = _empty_catalog(tmp_path)
    papers = root / "data" / "papers"
    papers.rmdir()
    papers.write_text("notes\n")
    result = run_catalog("import", str(SAMPLE), "--root", str(root))
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == ("data/papers: is a file, but records are written into a folder of that name: "
                             "move the file away\n")
    assert papers.read_text() == "notes\n"


def _file_size_limit(limit: int):
    """Files of at most `limit` bytes, as on a full disk, and for root too (a quota, unlike permissions,
    binds it); Python ignores SIGXFSZ, so a write past the limit fails with EFBIG."""
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_write_failing_midway_says_what_was_written_and_leaves_no_partial_file(tmp_path):
    root = _empty_catalog(tmp_path)
    long_abstract = "We measure everything twice to be sure. " * 300  # a record of 12 KB
    listing = tmp_path / "2025-03-14-list.txt"
    listing.write_text(f"Mar 14\n\nFirst\n\n{ABSTRACT}\n\nSecond\n\n{ABSTRACT}\n\nToo Long\n\n{long_abstract}\n\n"
                       f"Never Reached\n\n{ABSTRACT}\n")
    result = subprocess.run([sys.executable, "-m", "builder", "import", str(listing), "--root", str(root)],
                            capture_output=True, text=True, preexec_fn=_file_size_limit(8192))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines() == ["added 2, already present 0, skipped 0",
                                          "  added: data/papers/first.yaml", "  added: data/papers/second.yaml"]
    assert result.stderr == ("data/papers/too-long.yaml: cannot write: File too large; import stopped, only the 2 "
                             "record(s) listed as added were written; fix this and import again (papers already "
                             "in the catalog are left as they are)\n")
    assert _papers(root) == ["first.yaml", "second.yaml"]  # no half record, no temporary file
    again = run_catalog("import", str(listing), "--root", str(root))
    assert again.stdout.splitlines()[0] == "added 2, already present 2, skipped 0"
