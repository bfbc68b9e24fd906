"""Checks across records, beyond what the schema of one record can say."""

from __future__ import annotations

import difflib

from ..enrich.taxonomy import Taxonomy
from ..errors import Problem
from .ids import title_key
from .store import Record


def check_records(records: list[Record], taxonomy: Taxonomy) -> list[Problem]:
    problems = []
    known = [t.id for t in taxonomy.topics]
    titles: dict[str, Record] = {}
    arxiv: dict[str, Record] = {}
    code: dict[str, Record] = {}
    for record in sorted(records, key=lambda r: r.id):
        for index, topic in enumerate(record.data.get("topics", [])):
            if topic not in known:
                close = difflib.get_close_matches(topic, known, n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'? " if close else ""
                line, col = record.doc.location(("topics", index))
                problems.append(Problem(record.path, line, col, f"topics[{index}]",
                                        f"unknown topic '{topic}'; {hint}known topics: {', '.join(known)}"))
        key = title_key(record.data["title"])
        if key in titles:
            line, col = record.doc.location(("title",))
            problems.append(Problem(record.path, line, col, "title",
                                    f"same title as {titles[key].path}: one paper, one record"))
        titles.setdefault(key, record)
        if "arxiv" in record.data:
            base = record.data["arxiv"].split("v")[0] if "/" not in record.data["arxiv"] else record.data["arxiv"]
            if base in arxiv:
                line, col = record.doc.location(("arxiv",))
                problems.append(Problem(record.path, line, col, "arxiv",
                                        f"same arXiv id as {arxiv[base].path}: one paper, one record"))
            arxiv.setdefault(base, record)
        for index, url in enumerate(record.data.get("code", [])):
            norm = url.rstrip("/").lower()
            if norm in code and code[norm] is not record:
                line, col = record.doc.location(("code", index))
                problems.append(Problem(record.path, line, col, f"code[{index}]",
                                        f"same code link as {code[norm].path}; a duplicate paper?",
                                        severity="warning"))
            code.setdefault(norm, record)
    return problems
