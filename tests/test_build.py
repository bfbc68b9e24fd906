"""`catalog build` and `catalog export`: the pages a reader gets, written only when they change."""

from __future__ import annotations

import json

from conftest import run_catalog

DSEE = "dsee-dually-sparsity-embedded-efficient-tuning-of-pre-trained-language-models"


def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_writes_every_page_kind(catalog):
    result = run_catalog("build", "--root", str(catalog))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("catalog build: 51 papers; pages ")
    docs = catalog / "docs"
    assert len(list((docs / "papers").glob("*.md"))) == 51
    assert {p.name for p in (docs / "code").iterdir()} == {"available.md", "announced.md", "none.md"}
    assert (docs / "topics" / "index.md").is_file() and (docs / "index.md").is_file()
    page = (docs / "papers" / f"{DSEE}.md").read_text()
    assert "# DSEE: Dually Sparsity\\-embedded Efficient Tuning of Pre\\-trained Language Models" in page
    assert '<a href="https://github.com/VITA-Group/DSEE">https://github.com/VITA-Group/DSEE</a>' in page
    assert '<a href="../../topics/parameter-efficient-fine-tuning/">' in page  # the final URL: raw HTML
    assert "data/papers/" + DSEE + ".yaml" in page  # edit link to the record


def _catalog_of(root, papers: dict[str, str]):
    """A new catalog (`catalog init`) holding the given papers (title: abstract), added with `catalog new`."""
    assert run_catalog("init", str(root)).returncode == 0
    for number, (title, abstract) in enumerate(papers.items()):
        (root / f"abstract-{number}.txt").write_text(abstract + "\n")
        added = run_catalog("new", "--root", str(root), title, "--abstract-file", str(root / f"abstract-{number}.txt"))
        assert added.returncode == 0, added.stderr
    return root


def test_a_catalog_of_a_few_short_abstracts_builds(tmp_path):
    """Two one-line abstracts share no two-word term: the related papers' scoring once failed on that."""
    root = _catalog_of(tmp_path / "small", {"Attention Is All You Need": "We propose the Transformer.",
                                            "BERT": "We propose BERT."})
    result = run_catalog("build", "--root", str(root))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("catalog build: 2 papers; pages ")
    assert sorted(p.name for p in (root / "docs/papers").iterdir()) == ["attention-is-all-you-need.md", "bert.md"]
    explained = run_catalog("explain", "--root", str(root), "bert")
    assert explained.returncode == 0 and "Related papers" in explained.stdout


def test_a_catalog_of_one_paper_says_paper(tmp_path):
    root = _catalog_of(tmp_path / "one", {"Attention Is All You Need": "We propose the Transformer."})
    result = run_catalog("build", "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("catalog build: 1 paper; pages ")
    checked = run_catalog("check", "--root", str(root))
    assert (checked.returncode, checked.stderr) == (0, "ok: 1 paper, 30 topics\n")


def test_second_build_rewrites_nothing(catalog):
    run_catalog("build", "--root", str(catalog))
    before = {p: p.stat().st_mtime_ns for p in (catalog / "docs").rglob("*") if p.is_file()}
    contents = _tree(catalog / "docs")
    result = run_catalog("build", "--root", str(catalog))
    assert " 0 written, " in result.stdout and " 0 removed" in result.stdout
    assert {p: p.stat().st_mtime_ns for p in (catalog / "docs").rglob("*") if p.is_file()} == before
    assert _tree(catalog / "docs") == contents


def test_pages_a_later_build_no_longer_writes_leave_no_empty_folder(catalog):
    assert run_catalog("build", "--root", str(catalog)).returncode == 0
    assert (catalog / "docs" / "feeds" / "topics").is_dir()
    config = catalog / "mkdocs.yml"
    config.write_text("".join(line for line in config.read_text().splitlines(keepends=True)
                              if not line.startswith("site_url:")))  # no site_url: no feeds
    result = run_catalog("build", "--root", str(catalog))
    assert result.returncode == 0, result.stderr
    assert not (catalog / "docs" / "feeds").exists()  # as in a build from nothing


def test_removing_a_record_removes_its_page(catalog):
    run_catalog("build", "--root", str(catalog))
    (catalog / "data" / "papers" / f"{DSEE}.yaml").unlink()
    result = run_catalog("build", "--root", str(catalog))
    assert result.returncode == 0
    assert "1 removed" in result.stdout
    assert not (catalog / "docs" / "papers" / f"{DSEE}.md").exists()
    assert DSEE not in (catalog / "docs" / "catalog.json").read_text()


def test_a_broken_record_stops_the_build_and_keeps_the_pages(catalog):
    run_catalog("build", "--root", str(catalog))
    before = _tree(catalog / "docs")
    (catalog / "data" / "papers" / "broken.yaml").write_text("title: only a title\n")
    result = run_catalog("build", "--root", str(catalog))
    assert result.returncode == 1
    assert result.stderr.strip() == "data/papers/broken.yaml:1:1: abstract: missing required field 'abstract'"
    assert _tree(catalog / "docs") == before


def test_export_is_the_enriched_catalog_sorted_by_id(catalog):
    result = run_catalog("export", "--root", str(catalog))
    assert result.returncode == 0
    papers = json.loads(result.stdout)
    assert len(papers) == 51
    assert [p["id"] for p in papers] == sorted(p["id"] for p in papers)
    dsee = next(p for p in papers if p["id"] == DSEE)
    assert set(dsee) == {"id", "title", "abstract", "listed", "topics", "code", "related", "page"}
    assert dsee["code"] == {"status": "available", "urls": ["https://github.com/VITA-Group/DSEE"]}
    assert dsee["page"] == f"papers/{DSEE}/"
    assert dsee["listed"] == "2025-03-13"
    assert all(1 <= len(p["topics"]) <= 4 for p in papers)
    ids = {p["id"] for p in papers}
    assert all(set(p["related"]) <= ids - {p["id"]} and len(p["related"]) <= 5 for p in papers)
    assert run_catalog("export", "--root", str(catalog)).stdout == result.stdout


def test_hand_set_fields_win(catalog):
    record = catalog / "data" / "papers" / f"{DSEE}.yaml"
    record.write_text(record.read_text() + "topics: [vision]\ncode: [https://gitlab.com/a/b]\ncode_status: announced\n")
    dsee = next(p for p in json.loads(run_catalog("export", "--root", str(catalog)).stdout) if p["id"] == DSEE)
    assert dsee["topics"] == ["vision"]
    assert dsee["code"] == {"status": "announced", "urls": ["https://gitlab.com/a/b"]}
