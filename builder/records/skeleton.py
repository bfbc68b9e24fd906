"""`catalog new`: a correctly named record for a paper added by hand, never replacing an existing one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import CatalogError, Problem
from ..fsio import create_exclusive
from ..layout import Layout
from . import schema, yamlio
from .checks import PLACEHOLDER, page_chrome
from .ids import normalise_title, title_key, unique_id
from .importer import SCHEMA_COMMENT
from .store import load_records, record_files

# The optional fields, as comments to uncomment: the contributor sees the format without a manual.
HINTS = """\
# Optional fields: uncomment and fill in the ones you know (topics replace automatic tagging).
# authors: [First Author, Second Author]
# year: 2025
# venue: NeurIPS 2025
# arxiv: "2403.01234"
# url: https://arxiv.org/abs/2403.01234
# code: [https://github.com/owner/repo]
# code_status: available  # or announced, or none
# topics: [topic-id]  # ids from data/topics.yaml
"""
# Longer than a line, so it is written as an indented block the contributor pastes over.
PLACEHOLDER_ABSTRACT = (f"{PLACEHOLDER}: replace this paragraph with the paper's abstract, as plain text indented "
                        "by two spaces like this one, then run catalog check.")


@dataclass
class NewRecord:
    path: Path
    shown: str  # the path as shown to the user, relative to the catalog root
    placeholder: bool  # True when the abstract still has to be written


def skeleton_text(title: str, abstract: str) -> str:
    """The record: schema line, title, commented optional fields, abstract last (as the importer orders)."""
    return SCHEMA_COMMENT + yamlio.dump({"title": title}) + HINTS + yamlio.dump({"abstract": abstract})


def _refuse(where: str, message: str, field: str = "") -> CatalogError:
    return CatalogError([Problem(where, field=field, message=message)])


def create_record(layout: Layout, title: str, abstract: str | None, abstract_source: str = "") -> NewRecord:
    """Write ``data/papers/<id>.yaml``; refuses a title already in the catalog or an unusable abstract."""
    title = normalise_title(title)
    text = PLACEHOLDER_ABSTRACT if abstract is None else " ".join(abstract.split())
    for problem in schema.validate(yamlio.Located({"title": title, "abstract": text}), ""):
        if problem.field == "abstract" and abstract is not None:  # name the file the abstract came from
            raise CatalogError([Problem(abstract_source, field="abstract", message=problem.message)])
        raise CatalogError(f"{problem.field}: {problem.message}")
    if abstract is not None:
        chrome = page_chrome(text)
        if chrome:
            quoted = ", ".join(f"'{c}'" for c in chrome)
            raise _refuse(abstract_source, f"contains text of the listing page, not of the paper: {quoted}; remove it",
                          "abstract")
    records, _ = load_records(layout)
    for record in records:
        if title_key(record.data["title"]) == title_key(title):
            raise _refuse(record.path, f"'{title}' is already in the catalog: edit this record instead")
    paper_id = unique_id(title, {p.stem for p in record_files(layout)})
    path = layout.papers / f"{paper_id}.yaml"
    try:
        created = create_exclusive(path, skeleton_text(title, text))
    except OSError as exc:  # a full disk, a read-only folder, a file where a folder should be
        raise _refuse(layout.rel(path), f"cannot write: {exc.strerror or exc}") from None
    if not created:
        raise _refuse(layout.rel(path), "exists already; it was left untouched")
    return NewRecord(path, layout.rel(path), abstract is None)
