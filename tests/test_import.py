"""`catalog import`: the sample gives exactly its 51 papers, twice changes nothing, curated fields stay."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import SAMPLE, run_catalog

from builder.records.ids import slug_for, unique_id

ABSTRACT = "We study a problem that matters and report what we found in careful experiments. " * 4


def _empty_catalog(tmp_path: Path) -> Path:
    root = tmp_path / "cat"
    (root / "data" / "papers").mkdir(parents=True)
    return root


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
    listing = tmp_path / "2025-03-14-list.txt"
    listing.write_text(f"Mar 14\n\nIndex\n\n{ABSTRACT}\n\nIndex Paper\n\n{ABSTRACT}\n")
    result = run_catalog("import", str(listing), "--root", str(root))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (root / "data" / "papers").iterdir())
    assert names == ["index-e540cdd1.yaml", "index-paper.yaml"]  # the hash of the title, as for a taken slug
    assert unique_id("Index", set()) == unique_id("INDEX!", set()) == "index-e540cdd1"
