"""The enriched catalog as JSON: for `catalog export`, the site's catalog.json, and other tools."""

from __future__ import annotations

import json
from importlib import resources

from ..enrich.catalog import Paper, papers_by_topic
from ..enrich.taxonomy import Taxonomy
from ..memo import Memo, table
from ..parallel import map_items
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


def _entry(paper: Paper) -> str:
    """One paper as an item of the exported list, on one line: json's C encoder writes it (indenting
    makes json encode in Python, at twice the time), and a changed paper is a one-line diff."""
    return _ENCODE(paper_json(paper))


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def _join(entries: list[str]) -> str:
    """The entries as a JSON list, one a line. The brackets go onto the first and last entries before
    the join, so that the file (11 MB for 5 000 papers) is copied once: adding them to the joined text
    copied it twice more."""
    if not entries:
        return "[]\n"
    lines = ["[\n" + entries[0], *entries[1:]]
    lines[-1] += "\n]\n"
    return ",\n".join(lines)


def catalog_json(papers: list[Paper]) -> str:
    """Sorted by id, stable key order, one trailing newline: byte-identical for the same catalog."""
    return _join([_entry(p) for p in sorted(papers, key=lambda p: p.id)])


def site_exports(papers: list[Paper], taxonomy: Taxonomy, memo: Memo | None = None) -> dict[str, str]:
    """The site's downloads: the whole catalog, one file per topic (same shape), and both schemas."""
    papers = sorted(papers, key=lambda p: p.id)
    # Each paper encoded once, for the catalog and its topics' files.
    entries = map_items(_entry, papers, reuse=table(memo, "exports"), key=lambda p: (
        p.record.path, p.record.digest, tuple(p.topics), p.code, tuple(r.id for r in p.related)))
    files = {"catalog.json": _join(entries)}
    entry = dict(zip((p.id for p in papers), entries))
    for topic, members in papers_by_topic(papers, taxonomy).items():
        files[f"topics/{topic}.json"] = _join([entry[p.id] for p in members])
    for package, name in (("builder.pages", EXPORT_SCHEMA), ("builder.records", SCHEMA_FILE)):
        files[name] = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return files
