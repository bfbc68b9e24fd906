"""The site's JSON downloads: catalog.json (= `catalog export`), one file per topic, and the schema they follow."""

from __future__ import annotations

import json

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from conftest import run_catalog
import reader_outputs
from reader_outputs import built_catalog, exported, write_record

CITED = {**reader_outputs.CITED, "code": ["https://github.com/example/cited"], "topics": ["language"]}


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return built_catalog(tmp_path_factory.mktemp("exports") / "catalog",
                         lambda root: write_record(root, "a-cited-paper", CITED))


def _validator(docs):
    """The export schema as served next to catalog.json, resolving its references to the served record schema."""
    schemas = {name: json.loads((docs / name).read_text(encoding="utf-8"))
               for name in ("catalog.schema.json", "paper.schema.json")}
    registry = Registry().with_resources((name, Resource.from_contents(s)) for name, s in schemas.items())
    return Draft202012Validator(schemas["catalog.schema.json"], registry=registry, format_checker=FormatChecker())


def test_catalog_json_is_the_export_and_follows_the_schema(root):
    docs = root / "docs"
    assert (docs / "catalog.json").read_text(encoding="utf-8") == run_catalog("export", "--root", str(root)).stdout
    errors = [e.message for e in _validator(docs).iter_errors(exported(root))]
    assert errors == []


def test_catalog_json_holds_one_paper_per_line_so_a_changed_paper_is_a_one_line_diff(root):
    lines = (root / "docs" / "catalog.json").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[" and lines[-1] == "]"
    papers = [json.loads(line.removesuffix(",")) for line in lines[1:-1]]
    assert [p["id"] for p in papers] == sorted(p.stem for p in (root / "data" / "papers").glob("*.yaml"))


def test_record_fields_for_citation_are_exported(root):
    cited = next(p for p in exported(root) if p["id"] == "a-cited-paper")
    assert list(cited) == ["id", "title", "abstract", "listed", "authors", "year", "venue", "arxiv", "url",
                           "topics", "code", "related", "page"]
    assert {k: cited[k] for k in ("authors", "year", "venue", "arxiv", "url")} == {
        k: CITED[k] for k in ("authors", "year", "venue", "arxiv", "url")}
    assert cited["code"] == {"status": "available", "urls": ["https://github.com/example/cited"]}


def test_the_schema_rejects_what_is_not_an_export(root):
    validator = _validator(root / "docs")
    paper = next(p for p in exported(root) if p["id"] == "a-cited-paper")
    broken = [
        {**paper, "code": {"status": "maybe", "urls": []}},
        {**paper, "year": "2024"},
        {**paper, "listed": "14/03/2025"},
        {**paper, "page": "javascript:alert(1)"},
        {**paper, "extra": 1},
        {k: v for k, v in paper.items() if k != "related"},
    ]
    for item in broken:
        assert list(validator.iter_errors([item])), item


def test_one_json_file_per_topic(root):
    topics = yaml.safe_load((root / "data" / "topics.yaml").read_text(encoding="utf-8"))["topics"]
    papers = exported(root)
    validator = _validator(root / "docs")
    for topic in topics:
        members = json.loads((root / "docs" / "topics" / f"{topic['id']}.json").read_text(encoding="utf-8"))
        assert members == [p for p in papers if topic["id"] in p["topics"]], topic["id"]
        assert not list(validator.iter_errors(members))


def test_downloads_are_linked_from_the_explore_and_stats_pages(root):
    for page in ("explore.md", "stats.md"):
        text = (root / "docs" / page).read_text(encoding="utf-8")
        assert "[the whole catalog as JSON](catalog.json)" in text
        assert "(catalog.schema.json)" in text


def test_every_reader_output_is_byte_identical_on_rebuild(root, tmp_path):
    again = built_catalog(tmp_path / "catalog", lambda copy: write_record(copy, "a-cited-paper", CITED))
    outputs = ["catalog.json", "catalog.schema.json", "paper.schema.json", "explore.json", "explore.md", "stats.md",
               "index.md", "papers/a-cited-paper.md"]
    outputs += [p.relative_to(root / "docs").as_posix() for p in (root / "docs").glob("topics/*.json")]
    outputs += [p.relative_to(root / "docs").as_posix() for p in (root / "docs").rglob("feeds/**/*.xml")]
    assert len(outputs) > 60
    for name in outputs:
        assert (again / "docs" / name).read_bytes() == (root / "docs" / name).read_bytes(), name
