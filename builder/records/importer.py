"""Import listings into records: new papers get a file, papers already present are left untouched."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CatalogError, Problem
from ..fsio import create_exclusive, read_text
from ..layout import Layout
from ..sources import listing
from . import schema, yamlio
from .ids import normalise_title, title_key, unique_id
from .store import record_files

SCHEMA_COMMENT = "# yaml-language-server: $schema=../../schema/paper.schema.json\n"
# The order fields are written in: identity first, prose last, so diffs stay small and readable.
FIELD_ORDER = ["title", "authors", "year", "venue", "arxiv", "url", "listed", "source",
               "code", "code_status", "topics", "abstract"]
_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


@dataclass
class ImportReport:
    added: list[tuple[str, str]] = field(default_factory=list)  # (id, title)
    present: list[tuple[str, int, str]] = field(default_factory=list)  # (source, line, title)
    skipped: list[tuple[str, int, str]] = field(default_factory=list)  # (source, line, reason)

    def summary(self) -> str:
        lines = [f"added {len(self.added)}, already present {len(self.present)}, skipped {len(self.skipped)}"]
        lines += [f"  added: data/papers/{pid}.yaml" for pid, _ in self.added]
        lines += [f"  already present: {src}:{line}: {title}" for src, line, title in self.present]
        lines += [f"  skipped: {src}:{line}: {reason}" for src, line, reason in self.skipped]
        return "\n".join(lines)


def record_text(data: dict) -> str:
    ordered = {key: data[key] for key in FIELD_ORDER if key in data}
    if "listed" in ordered:  # written as a YAML date, unquoted; read back as the same text
        ordered["listed"] = dt.date.fromisoformat(ordered["listed"])
    return SCHEMA_COMMENT + yamlio.dump(ordered)


def listing_date(path: Path, date: dt.date | None) -> dt.date:
    """The scrape has no year: ``--date`` wins, else a YYYY-MM-DD in the file name, else we refuse."""
    if date:
        return date
    match = _DATE_IN_NAME.search(path.name)
    if match:
        try:
            return dt.date.fromisoformat(match[1])
        except ValueError:
            pass
    raise CatalogError(
        [Problem(str(path), message="the listing has no year: pass --date YYYY-MM-DD or put the date "
                 "in the file name (e.g. 2025-03-13-trending.txt)")]
    )


def _existing_titles(layout: Layout) -> tuple[dict[str, str], set[str]]:
    """Title keys of the records on disk, read leniently: a broken record must not block an import."""
    keys, ids = {}, set()
    for path in record_files(layout):
        ids.add(path.stem)
        try:
            doc = yamlio.load(read_text(path), path.name)
        except CatalogError:
            continue
        if isinstance(doc.data, dict) and isinstance(doc.data.get("title"), str):
            keys[title_key(doc.data["title"])] = path.stem
    return keys, ids


def import_listings(layout: Layout, files: list[Path], date: dt.date | None = None) -> ImportReport:
    report = ImportReport()
    keys, ids = _existing_titles(layout)
    for path in files:
        shown = layout.rel(path)
        parsed = listing.parse(read_text(path, shown), listing_date(path, date))
        if not parsed.entries:
            raise CatalogError([Problem(shown, message="no papers found: expected a date line such as 'Mar 13' "
                                        "followed by title and abstract paragraphs")])
        report.skipped += [(shown, s.line, f"{s.reason}: {s.text[:60]!r}") for s in parsed.skipped
                           if not s.reason.startswith("before the first")]
        for entry in parsed.entries:
            title = normalise_title(entry.title)
            key = title_key(title)
            if key in keys:
                report.present.append((shown, entry.line, title))
                continue
            data = {"title": title, "listed": entry.listed.isoformat(), "source": path.name,
                    "abstract": " ".join(entry.abstract.split())}
            found = schema.validate(yamlio.Located(data), shown)
            if found:
                report.skipped.append((shown, entry.line, "; ".join(f"{p.field}: {p.message}" for p in found)))
                continue
            paper_id = unique_id(title, ids)
            if not create_exclusive(layout.papers / f"{paper_id}.yaml", record_text(data)):
                report.skipped.append((shown, entry.line, f"data/papers/{paper_id}.yaml exists"))
                continue
            keys[key] = paper_id
            ids.add(paper_id)
            report.added.append((paper_id, title))
    return report
