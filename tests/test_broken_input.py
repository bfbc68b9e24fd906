"""Broken records and listings: every one gets a message naming the file and line or field, the
command exits non-zero, and no command ever prints a Python traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, run_catalog

from builder.records.store import MAX_RECORD_BYTES

BROKEN = Path(__file__).parent / "fixtures" / "broken"
# Too big to commit: a 2 MB abstract (over the file limit) and one just over the schema's 20 000 characters.
HUGE = "title: Huge\nabstract: " + "a" * 2_000_000 + "\n"
LONG = "title: Long\nabstract: " + "word " * 4001 + "\n"  # 20 004 characters once YAML drops the last space

# One fixture file per case; the exact line `catalog check` prints for it.
EXPECTED = {
    "Bad_Name.yaml": "data/papers/Bad_Name.yaml: file name 'Bad_Name.yaml' is not a paper id: use lowercase "
                     "letters, digits and '-', at most 80 characters",
    "bad-urls.yaml": "data/papers/bad-urls.yaml:3:6: url: not an http(s) URL without credentials: "
                     "'javascript:alert(1)'",
    "billion-laughs.yaml": "data/papers/billion-laughs.yaml:1:4: invalid YAML: anchors and aliases (&name) are "
                           "not allowed in catalog files",
    "control-character.yaml": "data/papers/control-character.yaml:1:8: title: control character U+0007 is not "
                              "allowed in text",
    "duplicate-key.yaml": "data/papers/duplicate-key.yaml:3:1: abstract: duplicate key (first defined on line 2)",
    "empty.yaml": "data/papers/empty.yaml:1:1: a record must be a mapping of fields (title: …, abstract: …)",
    "invalid-utf8.yaml": "data/papers/invalid-utf8.yaml:1: invalid UTF-8 at byte offset 10 (byte 0xe9); save the "
                         "file as UTF-8",
    "missing-abstract.yaml": "data/papers/missing-abstract.yaml:1:1: abstract: missing required field 'abstract'",
    "not-a-mapping.yaml": "data/papers/not-a-mapping.yaml:1:1: a record must be a mapping of fields",
    "python-tag.yaml": "data/papers/python-tag.yaml:1:8: title: YAML tag !!python/object/apply:os.system is not "
                       "allowed: records hold plain text, numbers, dates and lists",
    "tab-indentation.yaml": "data/papers/tab-indentation.yaml:3:1: invalid YAML: tab character in indentation; "
                            "YAML indents with spaces",
    "unknown-field.yaml": "data/papers/unknown-field.yaml:3:7: venu: unknown field 'venu' (did you mean 'venue'?)",
    "unknown-topic.yaml": "data/papers/unknown-topic.yaml:3:10: topics[0]: unknown topic 'quantum-basketball'; "
                          "known topics: machine-learning,",
    "wrong-types.yaml": "data/papers/wrong-types.yaml:3:7: year: must be a whole number, not text",
    "huge-abstract.yaml": f"data/papers/huge-abstract.yaml: file is {len(HUGE)} bytes; a record may be at most "
                          f"{MAX_RECORD_BYTES} bytes",
    "long-abstract.yaml": "data/papers/long-abstract.yaml:2:11: abstract: too long: 20004 characters, at most 20000",
}
ALSO = ["data/papers/bad-urls.yaml:4:8: code[0]: not an http(s) URL without credentials: "
        "'https://user:secret@github.com/a/b'",
        "data/papers/bad-urls.yaml:4:46: code[1]: not an http(s) URL without credentials: "
        "'https://github.com/a/b\"onmouseover=alert(1)'",
        "data/papers/wrong-types.yaml:4:10: authors: must be a list, not text"]


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("broken") / "catalog"
    shutil.copytree(REPO / "data", root / "data")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "docs").mkdir()
    for record in (BROKEN / "records").iterdir():
        shutil.copy(record, root / "data" / "papers" / record.name)
    (root / "data" / "papers" / "huge-abstract.yaml").write_text(HUGE)
    (root / "data" / "papers" / "long-abstract.yaml").write_text(LONG)
    return root


def test_check_names_file_and_line_of_every_broken_record(broken):
    result = run_catalog("check", "--root", str(broken))
    assert result.returncode == 1
    no_traceback(result)
    lines = result.stdout.splitlines()
    for name, expected in EXPECTED.items():
        assert any(line.startswith(expected) for line in lines), f"{name}: {expected!r} not in\n{result.stdout}"
    for expected in ALSO:
        assert expected in lines
    assert "byte-order-mark" not in result.stdout  # a BOM is accepted
    assert result.stderr.strip() == f"{len(EXPECTED) + len(ALSO)} error(s), 0 warning(s) found"


def test_billion_laughs_stops_at_the_first_anchor_without_expanding(broken):
    record = (broken / "data" / "papers" / "billion-laughs.yaml").read_text()
    assert record.count("&") == 9  # 9**9 strings if expanded: hundreds of millions
    result = run_catalog("check", "--root", str(broken))
    assert "billion-laughs.yaml:1:4:" in result.stdout


@pytest.mark.parametrize("command", ["build", "export"])
def test_no_command_prints_a_traceback_for_broken_records(broken, command):
    result = run_catalog(command, "--root", str(broken))
    assert result.returncode == 1
    no_traceback(result)
    lines = result.stderr.splitlines()
    for name, expected in EXPECTED.items():  # the same messages as `catalog check`, however they were found
        assert any(line.startswith(expected) for line in lines), f"{name}: {expected!r} not in\n{result.stderr}"
    assert not (broken / "docs" / "papers").exists()  # nothing written from a catalog with errors


def test_mkdocs_build_of_broken_records_fails_with_the_same_messages(broken):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=broken, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 1
    no_traceback(result)
    assert EXPECTED["invalid-utf8.yaml"] in result.stderr


LISTINGS = {
    "2025-03-13-empty.txt": "2025-03-13-empty.txt: no papers found: expected a date line such as 'Mar 13' "
                            "followed by title and abstract paragraphs",
    "2025-03-13-chrome-only.txt": "2025-03-13-chrome-only.txt: no papers found: expected a date line such as "
                                  "'Mar 13' followed by title and abstract paragraphs",
    "2025-03-13-binary.txt": "2025-03-13-binary.txt: binary file (contains NUL bytes), expected UTF-8 text",
    "2025-03-13-latin1.txt": "2025-03-13-latin1.txt:3: invalid UTF-8 at byte offset 9 (byte 0xe9); save the "
                             "file as UTF-8",
}


@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_import_of_a_broken_listing_names_it_and_adds_nothing(catalog, name):
    before = sorted(p.name for p in (catalog / "data" / "papers").iterdir())
    listing = catalog / "data" / "sources" / name
    shutil.copy(BROKEN / "listings" / name, listing)
    result = run_catalog("import", str(listing), "--root", str(catalog))
    assert result.returncode == 1
    no_traceback(result)
    assert result.stderr.strip() == "data/sources/" + LISTINGS[name]
    assert sorted(p.name for p in (catalog / "data" / "papers").iterdir()) == before


def test_a_malformed_listing_date_is_one_problem_not_two(catalog):
    (catalog / "data" / "papers" / "bad-date.yaml").write_text("title: Bad Date\nlisted: 2025-3-13\n"
                                                               "abstract: A perfectly ordinary abstract.\n")
    result = run_catalog("check", "--root", str(catalog))
    assert result.returncode == 1
    assert result.stdout == "data/papers/bad-date.yaml:2:9: listed: not a valid date (YYYY-MM-DD): '2025-3-13'\n"


def test_an_unquoted_title_with_a_colon_is_told_to_be_quoted(catalog):
    (catalog / "data" / "papers" / "foo-bar-study.yaml").write_text(
        "title: Foo: Bar study\nabstract: A perfectly ordinary abstract about foo and bar.\n")
    result = run_catalog("check", "--root", str(catalog))
    assert result.returncode == 1
    assert result.stdout == ("data/papers/foo-bar-study.yaml:1:11: invalid YAML: mapping values are not allowed "
                             "here; a value with ': ' in it needs quotes, e.g. title: 'Attention: A Survey'\n")
