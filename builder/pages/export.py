"""The enriched catalog as JSON: for `catalog export`, the site's catalog.json, and other tools."""

from __future__ import annotations

import json

from ..enrich.catalog import Paper


def paper_json(paper: Paper) -> dict:
    return {
        "id": paper.id,
        "title": paper.title,
        "abstract": paper.abstract,
        "listed": paper.listed,
        "topics": paper.topic_ids,
        "code": {"status": paper.code.status, "urls": [link.url for link in paper.code.links]},
        "related": [r.id for r in paper.related],
        "page": f"papers/{paper.id}/",
    }


def catalog_json(papers: list[Paper]) -> str:
    """Sorted by id, stable key order, one trailing newline: byte-identical for the same catalog."""
    data = [paper_json(p) for p in sorted(papers, key=lambda p: p.id)]
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
