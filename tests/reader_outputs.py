"""Build a copy of the bundled catalog for the tests of what readers get besides the pages:
explore data, statistics charts, feeds, JSON exports and citations."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import yaml

from conftest import copy_catalog, run_catalog


# A record with every field a citation uses.
CITED = {
    "title": "A Cited Paper",
    "abstract": "Everything a citation needs.",
    "listed": "2025-03-14",
    "authors": ["Ada Lovelace", "Alan Turing"],
    "year": 2024,
    "venue": "NeurIPS",
    "arxiv": "2403.01234",
    "url": "https://arxiv.org/abs/2403.01234",
}


def built_catalog(root: Path, edit: Callable[[Path], None] | None = None) -> Path:
    """Copy records, taxonomy, docs and mkdocs.yml into `root`, let `edit` change them, run `catalog build`."""
    root.mkdir(parents=True)
    copy_catalog(root)
    if edit:
        edit(root)
    result = run_catalog("build", "--root", str(root))
    assert result.returncode == 0, result.stderr
    return root


def write_record(root: Path, paper_id: str, fields: dict) -> None:
    (root / "data" / "papers" / f"{paper_id}.yaml").write_text(
        yaml.safe_dump(fields, allow_unicode=True, sort_keys=False), encoding="utf-8")


def exported(root: Path) -> list[dict]:
    return json.loads((root / "docs" / "catalog.json").read_text(encoding="utf-8"))


def site_url(root: Path) -> str:
    """mkdocs.yml's site_url (read as text: the file may hold tags yaml.safe_load refuses)."""
    url = re.search(r"^site_url:\s*(\S+)", (root / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(1)
    return url if url.endswith("/") else url + "/"
