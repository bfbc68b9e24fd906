"""`catalog check` beyond one record's schema: duplicates, page chrome, placeholders, GitHub annotations."""

from __future__ import annotations

import pickle
import re

import pytest
from conftest import REPO, run_catalog

from builder.errors import Problem
from builder.enrich.taxonomy import load_taxonomy
from builder.layout import Layout
from builder.records.checks import check_records, page_chrome
from builder.records.ids import slug_for
from builder.records.store import load_records
from builder.report import escape_data, escape_property, github_annotation

PAPERS = "data/papers"
EXISTING = "towards-exact-computation-of-inductive-bias"  # a bundled record


def record(title: str, abstract: str = "A perfectly ordinary abstract about a new method.", **fields) -> str:
    lines = [f"title: {title}"] + [f"{key}: {value}" for key, value in fields.items()]
    return "\n".join(lines + [f"abstract: {abstract}", ""])


def check(catalog, *args: str, env: dict | None = None):
    return run_catalog("check", "--root", str(catalog), *args, env=env)


def test_annotation_escapes_per_the_workflow_command_spec():
    problem = Problem("data/papers/a,b:c.yaml", 3, 7, "abstract", "100% wrong\r\nsecond line")
    assert github_annotation(problem) == (
        "::error file=data/papers/a%2Cb%3Ac.yaml,line=3,col=7,title=abstract::abstract: 100%25 wrong%0D%0Asecond line"
    )
    assert escape_data("a:b,c") == "a:b,c"  # ':' and ',' only matter inside properties
    assert escape_property("50%,x:y\n") == "50%25%2Cx%3Ay%0A"


def test_a_whole_file_problem_has_no_line_and_a_warning_is_a_warning():
    assert github_annotation(Problem("data/topics.yaml", message="taxonomy file missing")) == (
        "::error file=data/topics.yaml::taxonomy file missing")
    assert github_annotation(Problem("x.yaml", 2, 0, "code[0]", "same code link", "warning")) == (
        "::warning file=x.yaml,line=2,title=code[0]::code[0]: same code link")


def test_under_github_actions_problems_are_annotations_on_their_line(catalog, monkeypatch):
    (catalog / PAPERS / "broken.yaml").write_text(record("Broken", listed="2025-02-30", year='"2020"'))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = check(catalog)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=data/papers/broken.yaml,line=2,col=9,title=listed::"
        "listed: not a valid date (YYYY-MM-DD): '2025-02-30'",
        "::error file=data/papers/broken.yaml,line=3,col=7,title=year::year: must be a whole number, not text",
    ]
    assert result.stderr == "2 error(s), 0 warning(s) found\n"
    assert check(catalog, "--format", "text").stdout.startswith("data/papers/broken.yaml:2:9: listed: not a valid")


def test_format_github_works_anywhere_and_paths_are_relative_to_the_current_folder(catalog):
    (catalog / PAPERS / "broken.yaml").write_text("title: Broken\n")
    result = run_catalog("check", "--root", "catalog", "--format", "github", cwd=catalog.parent)
    assert result.stdout == (
        "::error file=catalog/data/papers/broken.yaml,line=1,col=1,title=abstract::"
        "abstract: missing required field 'abstract'\n")


def test_same_title_is_an_error_on_both_records(catalog):
    (catalog / PAPERS / "copy.yaml").write_text(record("TOWARDS exact computation of inductive bias!"))
    result = check(catalog)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{PAPERS}/copy.yaml:1:8: title: same title as {PAPERS}/{EXISTING}.yaml: one paper, one record",
        f"{PAPERS}/{EXISTING}.yaml:2:8: title: same title as {PAPERS}/copy.yaml: one paper, one record",
    ]


def test_a_record_keeps_no_yaml_and_finds_a_line_in_its_file_only_as_it_was_read(catalog):
    # Records come back from the worker processes pickled: without a copy of their YAML, half the size.
    # A message that needs the line of a field reads the file again, if it still holds the bytes read.
    path = catalog / PAPERS / "copy.yaml"
    path.write_text("# a comment\n" + record("TOWARDS exact computation of inductive bias!"))
    records, _ = load_records(Layout(catalog))
    sent = pickle.dumps(records)
    assert b"a comment" not in sent
    before, after = pickle.loads(sent), pickle.loads(sent)
    assert [p.format() for p in check_records(before, load_taxonomy(Layout(catalog)))] == [
        f"{PAPERS}/copy.yaml:2:8: title: same title as {PAPERS}/{EXISTING}.yaml: one paper, one record",
        f"{PAPERS}/{EXISTING}.yaml:2:8: title: same title as {PAPERS}/copy.yaml: one paper, one record",
    ]
    path.write_text("\n" + path.read_text())  # edited since: line 3 now, of a text that was not read
    assert next(r for r in after if r.id == "copy").location(("title",)) == (1, 1)


def test_same_arxiv_id_in_another_version_is_an_error(catalog):
    (catalog / PAPERS / "first.yaml").write_text(record("First", arxiv='"2403.01234"'))
    (catalog / PAPERS / "second.yaml").write_text(record("Second", arxiv='"2403.01234v3"'))
    result = check(catalog)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{PAPERS}/first.yaml:2:8: arxiv: same arXiv id as {PAPERS}/second.yaml: one paper, one record",
        f"{PAPERS}/second.yaml:2:8: arxiv: same arXiv id as {PAPERS}/first.yaml: one paper, one record",
    ]


def test_same_code_link_is_only_a_warning(catalog):
    (catalog / PAPERS / "first.yaml").write_text(record("First", code="[https://github.com/Owner/Repo]"))
    (catalog / PAPERS / "second.yaml").write_text(record("Second", code="[http://www.github.com/owner/repo.git/]"))
    result = check(catalog)
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        f"{PAPERS}/first.yaml:2:8: warning: code[0]: same code link as {PAPERS}/second.yaml: the same paper twice?",
        f"{PAPERS}/second.yaml:2:8: warning: code[0]: same code link as {PAPERS}/first.yaml: the same paper twice?",
    ]
    assert result.stderr == "ok: 53 papers, 30 topics, 2 warning(s)\n"


def test_an_abstract_with_page_chrome_is_an_error(catalog):
    chrome = ("Get trending papers in your email inbox! Subscribe byAK and the research community "
              "We study sparse models. Subscribe")
    (catalog / PAPERS / "scraped.yaml").write_text(record("Scraped", chrome))
    result = check(catalog)
    assert result.returncode == 1
    assert result.stdout == (
        f"{PAPERS}/scraped.yaml:2:11: abstract: contains text of the listing page, not of the paper: "
        "'Get trending papers in your email inbox!', 'byAK and the research community', 'Subscribe'; remove it\n")


def test_words_of_the_page_chrome_in_ordinary_prose_are_fine(catalog):
    prose = "New users subscribe to search results. Next, we load more papers and show more gains."
    (catalog / PAPERS / "prose.yaml").write_text(record("Prose", prose))
    assert check(catalog).returncode == 0


def test_the_todo_placeholder_is_an_error(catalog):
    (catalog / PAPERS / "unfinished.yaml").write_text(record("Unfinished", "TODO paste it"))
    result = check(catalog)
    assert result.returncode == 1
    assert result.stdout == (f"{PAPERS}/unfinished.yaml:2:11: abstract: "
                             "still the TODO placeholder: paste the paper's abstract\n")


def test_records_are_reported_even_when_the_taxonomy_is_broken(catalog):
    (catalog / "data" / "topics.yaml").unlink()
    (catalog / PAPERS / "broken.yaml").write_text("title: Broken\n")
    result = check(catalog)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{PAPERS}/broken.yaml:1:1: abstract: missing required field 'abstract'",
        "data/topics.yaml: taxonomy file missing (catalog init writes a default one)",
    ]


def test_the_worked_example_of_contributing_passes_and_its_error_is_what_check_prints(catalog):
    text = (REPO / "CONTRIBUTING.md").read_text()
    example = re.search(r"```yaml\n(.*?)```", text, re.S)[1]
    name = re.search(r"saved as `data/papers/([a-z0-9-]+)\.yaml`", text)[1]
    title = re.search(r"^title: (.*)$", example, re.M)[1]
    assert slug_for(title) == name
    path = catalog / PAPERS / f"{name}.yaml"
    path.write_text(example)
    result = check(catalog)
    assert (result.returncode, result.stdout) == (0, "")

    shown = re.search(r"```text\n(.*?) …\n```", text, re.S)[1]
    path.write_text(example.replace("topics: [language]", "topics: [langauge]"))
    assert check(catalog).stdout.startswith(shown)


@pytest.mark.parametrize("text, found", [
    ("Trending papers daily papers get trending papers in your email inbox view all. 12 upvotes? Sign in",
     ["get trending papers in your email inbox", "Sign in"]),
    ("We show more results.  Load more   papers by AK and the research community. New.", ["New."]),
    ("New! Search. Papers... next", ["Search.", "Papers...", "next"]),
    ("by   ak and the research community? yes.", []),
    ("   ", []),
    ("Café: get trending papers in your email inbox", ["get trending papers in your email inbox"]),
    ("New\n. We study it.\tSUBSCRIBE", ["New\n.", "SUBSCRIBE"]),
    ("A new search of previous papers. Next we view all papers and log in data.", []),
])
def test_page_chrome_finds_whole_phrases_and_lone_furniture_between_sentences(text, found):
    assert page_chrome(text) == found
