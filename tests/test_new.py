"""`catalog new`: a correctly named record that passes `catalog check`, never replacing a file."""

from __future__ import annotations

import resource
import subprocess
import sys

from conftest import run_catalog

ABSTRACT = "We study how\nto add papers by hand.\n\nA second paragraph, joined to the first.\n"


def new(catalog, *args: str):
    return run_catalog("new", "--root", str(catalog), *args)


def test_a_record_from_an_abstract_file_is_named_by_its_title_and_passes_check(catalog, tmp_path):
    (tmp_path / "abstract.txt").write_text(ABSTRACT)
    result = new(catalog, "Adding Papers: By Hand, 100%", "--abstract-file", str(tmp_path / "abstract.txt"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "created data/papers/adding-papers-by-hand-100.yaml"
    text = (catalog / "data/papers/adding-papers-by-hand-100.yaml").read_text()
    lines = text.splitlines()
    assert lines[:2] == ["# yaml-language-server: $schema=../../schema/paper.schema.json",
                         "title: 'Adding Papers: By Hand, 100%'"]
    assert "# topics: [topic-id]  # ids from data/topics.yaml" in lines
    assert lines[-1] == "abstract: We study how to add papers by hand. A second paragraph, joined to the first."
    check = run_catalog("check", "--root", str(catalog))
    assert (check.returncode, check.stdout, check.stderr) == (0, "", "ok: 52 papers, 30 topics\n")


def test_without_an_abstract_the_todo_placeholder_fails_check(catalog):
    result = new(catalog, "An Unfinished Paper")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "created data/papers/an-unfinished-paper.yaml",
        "next: replace the TODO abstract in data/papers/an-unfinished-paper.yaml "
        "(catalog check fails until you do), then run catalog check",
    ]
    text = (catalog / "data/papers/an-unfinished-paper.yaml").read_text()
    assert text.endswith("abstract: >-\n  TODO: replace this paragraph with the paper's abstract, as plain text "
                         "indented by two spaces like this\n  one, then run catalog check.\n")
    check = run_catalog("check", "--root", str(catalog))
    assert check.returncode == 1
    assert check.stdout == ("data/papers/an-unfinished-paper.yaml:12:11: abstract: "
                            "still the TODO placeholder: paste the paper's abstract\n")


def test_replacing_the_placeholder_makes_the_record_pass(catalog):
    new(catalog, "An Unfinished Paper")
    path = catalog / "data/papers/an-unfinished-paper.yaml"
    head, _ = path.read_text().split("abstract: >-\n")
    path.write_text(head + "abstract: >-\n  The abstract, pasted over the placeholder.\n")
    assert run_catalog("check", "--root", str(catalog)).returncode == 0


def test_a_title_already_in_the_catalog_is_refused(catalog):
    result = new(catalog, "towards exact computation of INDUCTIVE bias")
    assert result.returncode == 1
    assert result.stderr == ("data/papers/towards-exact-computation-of-inductive-bias.yaml: 'towards exact computation "
                             "of INDUCTIVE bias' is already in the catalog: edit this record instead\n")


def test_an_existing_file_is_never_overwritten(catalog):
    taken = catalog / "data/papers/uber-models.yaml"
    taken.write_text("title: Uber Models\nabstract: The first paper.\n")
    result = new(catalog, "Über Models")
    assert result.returncode == 0
    created = result.stdout.splitlines()[0].removeprefix("created ")
    assert created.startswith("data/papers/uber-models-") and created != "data/papers/uber-models.yaml"
    assert taken.read_text() == "title: Uber Models\nabstract: The first paper.\n"


def test_the_abstract_can_come_from_standard_input(catalog):
    result = subprocess.run([sys.executable, "-m", "builder", "new", "--root", str(catalog), "Piped",
                             "--abstract-file", "-"], input="Pasted from the clipboard.",
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (catalog / "data/papers/piped.yaml").read_text().endswith("abstract: Pasted from the clipboard.\n")


def test_unusable_input_is_refused_with_a_message_and_no_file(catalog, tmp_path):
    before = sorted((catalog / "data/papers").iterdir())
    missing = new(catalog, "A Paper", "--abstract-file", str(tmp_path / "nope.txt"))
    assert (missing.returncode, missing.stderr) == (1, f"{tmp_path}/nope.txt: no such file (--abstract-file)\n")

    (tmp_path / "empty.txt").write_text("  \n")
    empty = new(catalog, "A Paper", "--abstract-file", str(tmp_path / "empty.txt"))
    assert (empty.returncode, empty.stderr) == (1, f"{tmp_path}/empty.txt: abstract: must not be empty\n")

    (tmp_path / "scraped.txt").write_text("We study things.\n\nSubscribe\n")
    scraped = new(catalog, "A Paper", "--abstract-file", str(tmp_path / "scraped.txt"))
    assert scraped.returncode == 1
    assert scraped.stderr == (f"{tmp_path}/scraped.txt: abstract: contains text of the listing page, "
                              "not of the paper: 'Subscribe'; remove it\n")

    blank = new(catalog, "   ")
    assert (blank.returncode, blank.stderr) == (1, "title: must not be empty\n")
    assert "Traceback" not in missing.stderr + empty.stderr + scraped.stderr + blank.stderr
    assert sorted((catalog / "data/papers").iterdir()) == before


def test_a_paper_titled_index_gets_an_id_apart_from_the_folder_page_and_builds(catalog, tmp_path):
    (tmp_path / "abstract.txt").write_text(ABSTRACT)
    result = new(catalog, "Index", "--abstract-file", str(tmp_path / "abstract.txt"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "created data/papers/index-e540cdd1.yaml"
    build = run_catalog("build", "--root", str(catalog))
    assert build.returncode == 0, build.stderr
    papers = catalog / "docs" / "papers"
    assert "\n# Index\n" in (papers / "index-e540cdd1.md").read_text()
    assert not (papers / "index.md").exists()


def test_run_inside_the_papers_folder_it_refuses_instead_of_writing_a_catalog_of_its_own(catalog):
    papers = catalog / "data/papers"
    before = sorted(papers.iterdir())
    result = run_catalog("new", "Attention Is All You Need", cwd=papers)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (f"{papers}: not a catalog folder (it has neither mkdocs.yml nor data/topics.yaml): "
                             "run catalog in the catalog's top folder, or pass --root DIR\n")
    assert sorted(papers.iterdir()) == before  # no data/papers/data/papers/


def test_a_file_where_the_papers_folder_belongs_is_named_not_a_traceback(catalog):
    papers = catalog / "data/papers"
    for record in papers.iterdir():
        record.unlink()
    papers.rmdir()
    papers.write_text("notes\n")
    result = new(catalog, "A Paper")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == ("data/papers: is a file, but records are written into a folder of that name: "
                             "move the file away\n")
    assert papers.read_text() == "notes\n"


def test_a_write_that_fails_names_the_file_and_the_reason(catalog, tmp_path):
    (tmp_path / "abstract.txt").write_text("We measure everything twice to be sure. " * 300)  # a 12 KB record
    result = subprocess.run([sys.executable, "-m", "builder", "new", "--root", str(catalog), "Too Long",
                             "--abstract-file", str(tmp_path / "abstract.txt")], capture_output=True, text=True,
                            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192)))
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "data/papers/too-long.yaml: cannot write: File too large\n"
    assert not [p for p in (catalog / "data/papers").iterdir() if "too-long" in p.name]
