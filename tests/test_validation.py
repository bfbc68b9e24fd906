"""`catalog check`: every problem at once, as path:line:col: field: message, exit 1."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_catalog

from builder.records import schema, store
from builder.records.yamlio import Located

BROKEN = """\
title: A Broken Record
abstrct: Misspelt field.
listed: 2025-13-01
code: [ftp://example.com/x, "https://user:pw@github.com/a/b"]
code_status: maybe
year: "2020"
"""


def test_the_bundled_catalog_is_valid(catalog):
    result = run_catalog("check", "--root", str(catalog))
    assert result.returncode == 0, result.stdout
    assert result.stderr.strip().startswith("ok: 51 papers")


def test_every_problem_is_reported_with_file_line_and_field(catalog):
    (catalog / "data" / "papers" / "broken-record.yaml").write_text(BROKEN)
    result = run_catalog("check", "--root", str(catalog))
    assert result.returncode == 1
    name = "data/papers/broken-record.yaml"
    assert result.stdout.splitlines() == [
        f"{name}:1:1: abstract: missing required field 'abstract'",
        f"{name}:2:10: abstrct: unknown field 'abstrct' (did you mean 'abstract'?)",
        f"{name}:3:9: listed: not a valid date (YYYY-MM-DD): '2025-13-01'",
        f"{name}:4:8: code[0]: not an http(s) URL without credentials: 'ftp://example.com/x'",
        f"{name}:4:29: code[1]: not an http(s) URL without credentials: 'https://user:pw@github.com/a/b'",
        f"{name}:5:14: code_status: must be one of available, announced, none (got 'maybe')",
        f"{name}:6:7: year: must be a whole number, not text",
    ]
    assert "Traceback" not in result.stderr


def test_yaml_syntax_errors_name_the_line(catalog):
    (catalog / "data" / "papers" / "bad-yaml.yaml").write_text("title: A\nabstract: [unclosed\n")
    result = run_catalog("check", "--root", str(catalog))
    assert result.returncode == 1
    assert result.stdout.startswith("data/papers/bad-yaml.yaml:3:1: invalid YAML: ")


def test_duplicate_keys_are_errors(catalog):
    (catalog / "data" / "papers" / "dup.yaml").write_text("title: A\nabstract: B\ntitle: C\n")
    result = run_catalog("check", "--root", str(catalog))
    assert result.stdout.splitlines() == ["data/papers/dup.yaml:3:1: title: duplicate key (first defined on line 1)"]


def test_a_file_name_that_is_not_an_id(catalog):
    (catalog / "data" / "papers" / "Bad Name.yaml").write_text("title: A\nabstract: B\n")
    result = run_catalog("check", "--root", str(catalog))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("data/papers/Bad Name.yaml: file name 'Bad Name.yaml' is not a paper id")


def test_unknown_topic_suggests_the_closest(catalog):
    record = catalog / "data" / "papers" / "towards-exact-computation-of-inductive-bias.yaml"
    record.write_text(record.read_text().replace("title: Towards", "topics: [visoin]\ntitle: Towards"))
    result = run_catalog("check", "--root", str(catalog))
    assert result.returncode == 1
    line = result.stdout.splitlines()[0]
    assert line.startswith(
        "data/papers/towards-exact-computation-of-inductive-bias.yaml:2:10: topics[0]: "
        "unknown topic 'visoin'; did you mean 'vision'? known topics: ")


# Records jsonschema accepts and rejects; the quick check in front of it must never pass one it rejects.
QUICK_CASES = [
    {"title": "A", "abstract": "B"},
    {"title": "A", "abstract": "B", "year": 2024, "listed": "2025-03-13", "topics": ["vision", "language"],
     "code": ["https://github.com/a/b"], "url": "https://arxiv.org/abs/2403.01234", "code_status": "none",
     "arxiv": "2403.01234v2", "authors": ["Ada"], "venue": "arXiv", "source": "x.txt"},
    {"title": "A", "abstract": "B", "year": 2024.0},  # a whole number to both
    {"title": "A", "abstract": "B", "year": True},
    {"title": "A", "abstract": "B", "year": 2101},
    {"title": "A", "abstract": "B", "listed": "2025-02-30"},
    {"title": "A", "abstract": "B", "topics": ["vision", "vision"]},
    {"title": "A", "abstract": "B", "topics": []},
    {"title": "A", "abstract": "B", "code": ["https://u:p@github.com/a/b"]},
    {"title": "A", "abstract": "B", "code_status": "maybe"},
    {"title": "A", "abstract": " "},
    {"title": "A", "abstract": "x" * 20_001},
    {"title": "A", "abstrct": "B"},
    {"title": "A", "abstract": "B", "authors": [""]},
    {"title": ["A"], "abstract": "B"},
]


@pytest.mark.parametrize("data", QUICK_CASES)
def test_the_quick_schema_check_passes_only_what_jsonschema_accepts(data):
    assert schema._accepts(data) == schema._validator().is_valid(data)


def test_a_url_the_quick_check_cannot_vouch_for_is_left_to_jsonschema():
    # The quick check passes only plain ASCII http(s) URIs; jsonschema (without rfc3987) takes this one.
    data = {"title": "A", "abstract": "B", "url": "https://example.org/über"}
    assert not schema._accepts(data)
    assert schema.validate(Located(data), "r.yaml") == []


def test_a_valid_catalog_is_checked_without_importing_jsonschema(catalog):
    # jsonschema takes 0.15 s to import: only a record or a taxonomy with a problem needs it.
    script = ("import sys; from pathlib import Path; from builder.layout import Layout; "
              "from builder.records.checks import check_catalog; "
              f"papers, topics, _ = check_catalog(Layout(Path({str(catalog)!r}))); "
              "print(papers, topics, 'jsonschema' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.stdout.split()[2:] == ["False"], result.stderr


@pytest.mark.parametrize("name", ["a.yaml", "a.yml", ".yaml", ".yml", "..yaml", "a.b.yaml", "a.yaml.bak",
                                  "a.YAML", "yaml", "a.", "a.yaml."])
def test_record_files_are_told_by_their_suffix_as_pathlib_tells_it(name):
    assert store._has_record_suffix(name) == (Path(name).suffix in (".yaml", ".yml"))


def test_a_file_name_that_is_a_reserved_id_fails_check_and_build(catalog):
    (catalog / "data" / "papers" / "index.yaml").write_text("title: Index\nabstract: A paper titled Index.\n")
    message = ("data/papers/index.yaml: file name 'index.yaml' is reserved: docs/papers/index.md is the papers "
               "folder's own page; rename the file (e.g. 'index-paper.yaml')")
    check = run_catalog("check", "--root", str(catalog))
    assert (check.returncode, check.stdout.splitlines()) == (1, [message])
    build = run_catalog("build", "--root", str(catalog))
    assert (build.returncode, build.stderr.strip()) == (1, message)
    assert not (catalog / "docs" / "papers").exists()


def test_a_tab_inside_a_value_is_whitespace_not_indentation(catalog):
    # Pasted prose often holds a tab; it is valid YAML, and the page shows it as the space it stands for.
    (catalog / "data/papers/pasted-title.yaml").write_text(
        "title: Pasted\tTitle\nauthors:\n  - Ada\tLovelace  \t# a comment\nabstract: We propose a method.\tIt works.\n")
    check = run_catalog("check", "--root", str(catalog))
    assert (check.returncode, check.stdout, check.stderr) == (0, "", "ok: 52 papers, 30 topics\n")
    assert run_catalog("build", "--root", str(catalog)).returncode == 0
    page = (catalog / "docs/papers/pasted-title.md").read_text()
    assert "We propose a method. It works." in page and "\t" not in page
    exported = {p["id"]: p for p in json.loads((catalog / "docs/catalog.json").read_text())}["pasted-title"]
    assert (exported["title"], exported["abstract"]) == ("Pasted Title", "We propose a method. It works.")


@pytest.mark.parametrize("body, where", [
    ("authors:\n\t- Ada Lovelace\n", "3:1"),
    ("authors:\n-\tAda Lovelace\n", "3:2"),
    ("abstract: We propose\n\ta method.\n", "3:1"),
    ("abstract: >-\n\tWe propose a method.\n", "3:1"),
])
def test_a_tab_used_as_indentation_is_named_at_its_line_and_column(catalog, body, where):
    # The tab in a value on line 1 is not the one the message blames.
    (catalog / "data/papers/tabbed.yaml").write_text(f"title: Tabbed\tTitle\n{body}")
    result = run_catalog("check", "--root", str(catalog))
    assert (result.returncode, result.stdout.splitlines()) == (
        1, [f"data/papers/tabbed.yaml:{where}: invalid YAML: tab character in indentation; YAML indents with spaces"])
    assert "Traceback" not in result.stderr
