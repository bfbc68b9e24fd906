"""Why a paper has its topics, its code status and its related papers, as plain text for a maintainer."""

from __future__ import annotations

import difflib

from ..errors import CatalogError
from .catalog import Paper
from .code import KIND_NAMES
from .taxonomy import Taxonomy


def find_paper(papers: list[Paper], paper_id: str) -> Paper:
    by_id = {p.id: p for p in papers}
    if paper_id in by_id:
        return by_id[paper_id]
    close = sorted(i for i in by_id if i.startswith(paper_id))[:3] or difflib.get_close_matches(paper_id, list(by_id))
    hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else " (ids are the file names in data/papers/)"
    raise CatalogError(f"no paper with id '{paper_id}'{hint}")


def explain(paper: Paper, papers: list[Paper], taxonomy: Taxonomy) -> str:
    titles = {p.id: p.title for p in papers}
    lines = [paper.title, paper.record.path, "", "Topics:"]
    for match in paper.topics:
        score = f" (score {match.score})" if match.score else ""
        lines.append(f"  {taxonomy.tag(match.topic)}{score}")
        lines += [f"    {item}" for item in match.evidence]
    lines += ["", f"Code: {paper.code.status}", f"  because: {paper.code.evidence}"]
    lines += [f"  link: {link.url} ({KIND_NAMES.get(link.kind, link.kind)})" for link in paper.code.links]
    lines += ["", "Related papers:"]
    if not paper.related:
        lines.append("  none clearly similar")
    for rel in paper.related:
        lines.append(f"  {rel.score:.2f}  {titles.get(rel.id, rel.id)} ({rel.id})")
        lines.append(f"    shared terms: {', '.join(rel.shared) or '-'}")
        if rel.shared_topics:
            lines.append(f"    shared topics: {', '.join(taxonomy.by_id[t].name for t in rel.shared_topics)}")
    return "\n".join(lines) + "\n"
