"""The enriched catalog as JSON: for `catalog export`, the site's catalog.json, and other tools."""

from __future__ import annotations

import json
from importlib import resources

from ..enrich.catalog import Paper
from ..enrich.taxonomy import Taxonomy
from ..records.schema import SCHEMA_FILE

CITATION_FIELDS = ("authors", "year", "venue", "arxiv", "url")  # copied from the record when it has them
EXPORT_SCHEMA = "catalog.schema.json"  # describes catalog.json; refers to the record schema for its fields


def paper_json(paper: Paper) -> dict:
    return {
        "id": paper.id,
        "title": paper.title,
        "abstract": paper.abstract,
        "listed": paper.listed,
        **{field: paper.get(field) for field in CITATION_FIELDS if paper.get(field) is not None},
        "topics": paper.topic_ids,
        "code": {"status": paper.code.status, "urls": [link.url for link in paper.code.links]},
        "related": [r.id for r in paper.related],
        "page": f"papers/{paper.id}/",
    }


def catalog_json(papers: list[Paper]) -> str:
    """Sorted by id, stable key order, one trailing newline: byte-identical for the same catalog."""
    data = [paper_json(p) for p in sorted(papers, key=lambda p: p.id)]
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def site_exports(papers: list[Paper], taxonomy: Taxonomy) -> dict[str, str]:
    """The site's downloads: the whole catalog, one file per topic (same shape), and both schemas."""
    files = {"catalog.json": catalog_json(papers)}
    for topic in taxonomy.topics:
        files[f"topics/{topic.id}.json"] = catalog_json([p for p in papers if topic.id in p.topic_ids])
    for package, name in (("builder.pages", EXPORT_SCHEMA), ("builder.records", SCHEMA_FILE)):
        files[name] = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return files
