"""Paths stay inside the catalog: ids are validated slugs of bounded length, record links out of
data/papers/ and special files are refused, and the writer never writes outside docs/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_catalog

from builder.errors import CatalogError
from builder.layout import Layout
from builder.pages.writer import write_pages
from builder.records.ids import ID_PATTERN, MAX_ID_LENGTH, slug_for, unique_id
from builder.records.store import load_records

RECORD = "title: A fine paper\nabstract: Nothing wrong with it.\n"


def test_symlink_to_a_file_outside_the_catalog_is_refused(catalog, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text(RECORD)
    (catalog / "data" / "papers" / "leak.yaml").symlink_to(secret)
    result = run_catalog("check", "--root", str(catalog))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "data/papers/leak.yaml: symbolic link to a file outside data/papers/ refused" in result.stdout.splitlines()


def test_symlink_inside_data_papers_is_read(catalog):
    papers = catalog / "data" / "papers"
    (papers / "original.yaml").symlink_to(next(p for p in sorted(papers.iterdir())))
    records, problems = load_records(Layout(catalog))
    assert "original" in {r.id for r in records}  # (a duplicate title, which check reports separately)
    assert not [p for p in problems if p.path.endswith("original.yaml")]


@pytest.mark.parametrize("make, message", [
    (lambda p: p.mkdir(), "not a regular file"),
    (lambda p: os.mkfifo(p), "not a regular file"),  # reading a FIFO would block forever
    (lambda p: p.symlink_to(p.parent / "missing.yaml"), "cannot read file: No such file or directory"),
])
def test_special_files_named_like_records_are_problems_not_crashes(tmp_path, make, message):
    layout = Layout(tmp_path)
    layout.papers.mkdir(parents=True)
    make(layout.papers / "odd.yaml")
    records, problems = load_records(layout)
    assert records == [] and [p.format() for p in problems] == [f"data/papers/odd.yaml: {message}"]


@pytest.mark.parametrize("title", ["🚀🔥", "!!!", "  ", "\u200b", "日本語のタイトル"])
def test_a_title_without_latin_letters_or_digits_gets_a_stable_valid_id(title):
    slug = slug_for(title)
    assert ID_PATTERN.match(slug) and len(slug) <= MAX_ID_LENGTH
    assert slug == slug_for(title)  # stable: the same title, the same id, on every machine


def test_emoji_titles_get_a_hash_id():
    assert slug_for("🚀🔥").startswith("paper-") and slug_for("🚀🔥") != slug_for("🧪")


@pytest.mark.parametrize("title", ["word " * 500, "x" * 5000, "a-" * 3000, "Ünïcödé " * 300])
def test_very_long_titles_give_ids_of_bounded_length(title):
    for paper_id in (slug_for(title), unique_id(title, {slug_for(title)})):
        assert ID_PATTERN.match(paper_id) and len(paper_id) <= MAX_ID_LENGTH


@pytest.mark.parametrize("relative", ["papers/../../escape.md", "../escape.md", "/etc/passwd", "papers//x.md",
                                      "papers/./x.md", "papers\\..\\x.md", "elsewhere/x.md"])
def test_the_writer_refuses_paths_outside_its_folders(tmp_path, relative):
    docs = tmp_path / "docs"
    with pytest.raises(ValueError):
        write_pages(docs, {relative: "x"})
    assert not any(tmp_path.rglob("*.md"))


def test_the_writer_refuses_a_docs_folder_that_links_out(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "papers").symlink_to(outside)
    with pytest.raises(CatalogError) as caught:
        write_pages(docs, {"papers/x.md": "x"})
    assert str(caught.value) == "docs/papers: is a symbolic link out of docs/; the build writes only inside docs/"
    assert list(outside.iterdir()) == []
