"""Titles keep the characters their contributor typed (superscripts, ℝ, 𝔽, ½) in records, pages,
exports, citations and feeds; only ids and the duplicate check fold them ("O(n²)" is "O(n2)")."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from conftest import run_catalog

from builder.records.ids import normalise_title, slug_for, title_key

SQUARED = "Breaking the O(n²) Barrier of Attention in ℝ³"
FOLDED = "Breaking the O(n2) Barrier of Attention in R3"  # what NFKC made of it
TYPED = "Solving x³ = y in 𝔽₂ with ½ the Effort"
ABSTRACT = ("We study the problem in depth and propose a method that works well across many settings and "
            "benchmarks, as our experiments on real and synthetic data sets show.")


def test_a_typed_title_is_shown_as_typed_on_every_output(catalog):
    (catalog / "data/papers/breaking-the-o-n2-barrier.yaml").write_text(
        f'title: "{SQUARED}"\nlisted: 2025-03-20\ntopics: [machine-learning]\nabstract: {ABSTRACT}\n',
        encoding="utf-8")
    result = run_catalog("build", "--root", str(catalog))
    assert result.returncode == 0, result.stderr
    docs = catalog / "docs"
    page = (docs / "papers/breaking-the-o-n2-barrier.md").read_text(encoding="utf-8")
    assert f"title = {{{SQUARED}}}" in page  # the BibTeX entry
    assert FOLDED not in page
    exported = {p["id"]: p for p in json.loads((docs / "catalog.json").read_text(encoding="utf-8"))}
    assert exported["breaking-the-o-n2-barrier"]["title"] == SQUARED
    feed = ET.parse(docs / "feeds/all.xml").getroot()
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert SQUARED in titles and FOLDED not in titles


def test_catalog_new_writes_the_title_as_typed_under_the_same_id(catalog, tmp_path):
    (tmp_path / "abstract.txt").write_text(ABSTRACT)
    result = run_catalog("new", "--root", str(catalog), TYPED, "--abstract-file", str(tmp_path / "abstract.txt"))
    assert result.returncode == 0, result.stderr
    # The id is the one NFKC-folded titles always had: existing links and files stay valid.
    assert result.stdout.splitlines()[0] == "created data/papers/solving-x3-y-in-f2-with-1-2-the-effort.yaml"
    record = (catalog / "data/papers/solving-x3-y-in-f2-with-1-2-the-effort.yaml").read_text(encoding="utf-8")
    assert f"title: {TYPED}" in record.splitlines()
    again = run_catalog("new", "--root", str(catalog), "Solving x3 = y in F2 with 1⁄2 the effort",
                        "--abstract-file", str(tmp_path / "abstract.txt"))
    assert again.returncode == 1
    assert "is already in the catalog" in again.stderr


def test_import_writes_titles_as_typed_and_folded_forms_are_already_present(tmp_path):
    listing = tmp_path / "2025-03-13-trending.txt"
    listing.write_text(f"Mar 13\n\n{SQUARED}\n\n{ABSTRACT}\n\n{FOLDED}\n\n{ABSTRACT}\n", encoding="utf-8")
    root = tmp_path / "new-catalog"
    assert run_catalog("init", str(root)).returncode == 0
    result = run_catalog("import", "--root", str(root), str(listing))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "added 1, already present 1, skipped 0",
        "  added: data/papers/breaking-the-o-n2-barrier-of-attention-in-r3.yaml",
        f"  already present: {listing}:7: {FOLDED}",
    ]
    record = (root / "data/papers/breaking-the-o-n2-barrier-of-attention-in-r3.yaml").read_text(encoding="utf-8")
    assert f"title: {SQUARED}" in record.splitlines()


def test_check_still_finds_a_title_and_its_folded_form_the_same_paper(catalog):
    papers = catalog / "data/papers"
    (papers / "squared.yaml").write_text(f'title: "{SQUARED}"\nabstract: {ABSTRACT}\n', encoding="utf-8")
    (papers / "folded.yaml").write_text(f"title: {FOLDED}\nabstract: {ABSTRACT}\n", encoding="utf-8")
    result = run_catalog("check", "--root", str(catalog))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "data/papers/folded.yaml:1:8: title: same title as data/papers/squared.yaml: one paper, one record",
        "data/papers/squared.yaml:1:8: title: same title as data/papers/folded.yaml: one paper, one record",
    ]


def test_only_spacing_invisibles_and_composition_change_a_shown_title():
    assert normalise_title(" Cafe\u0301 O(n²)\u200b\tin  ℝ³ ") == "Café O(n²) in ℝ³"


def test_ids_and_title_keys_fold_compatibility_forms():
    assert slug_for(SQUARED) == slug_for(FOLDED) == "breaking-the-o-n2-barrier-of-attention-in-r3"
    assert title_key(" Ｏ(n²)\u200b\tin ℝ³ ") == title_key("o(N2) in r3")
