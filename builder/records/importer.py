"""Import listings into records: new papers get a file, papers already present are left untouched."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CatalogError, Problem
from ..fsio import create_exclusive, decode_utf8, read_text
from ..layout import Layout
from ..sources import listing
from . import schema, yamlio
from .checks import page_chrome
from .ids import normalise_title, title_key, unique_id
from .store import record_bytes

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
    failed: Problem | None = None  # the write that stopped the import; what was added stays on disk

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
    for name, data in record_bytes(layout):
        ids.add(Path(name).stem)
        try:
            doc = yamlio.load(decode_utf8(data, name), name) if data is not None else None
        except CatalogError:
            continue
        if doc is not None and isinstance(doc.data, dict) and isinstance(doc.data.get("title"), str):
            keys[title_key(doc.data["title"])] = Path(name).stem
    return keys, ids


def _parse_all(layout: Layout, files: list[Path], date: dt.date | None) -> list[tuple[Path, listing.Listing]]:
    """Every listing parsed before any record is written: one bad listing of several imports nothing,
    and every bad one is reported at once."""
    parsed, problems = [], []
    for path in files:
        shown = layout.rel(path)
        try:
            found = listing.parse(read_text(path, shown), listing_date(path, date))
        except CatalogError as exc:
            problems += exc.problems
            continue
        if not found.entries:
            problems.append(Problem(shown, message="no papers found: expected a date line such as 'Mar 13' "
                                    "followed by title and abstract paragraphs"))
        parsed.append((path, found))
    if problems:
        raise CatalogError(problems)
    return parsed


def _unwritten(shown: str, error: OSError, added: int) -> Problem:
    done = f"only the {added} record(s) listed as added were written" if added else "no record was written"
    return Problem(shown, message=f"cannot write: {error.strerror or error}; import stopped, {done}; fix this "
                   "and import again (papers already in the catalog are left as they are)")


def import_listings(layout: Layout, files: list[Path], date: dt.date | None = None) -> ImportReport:
    report = ImportReport()
    parsed = _parse_all(layout, files, date)
    keys, ids = _existing_titles(layout)
    for path, listed in parsed:
        shown = layout.rel(path)
        report.skipped += [(shown, s.line, f"{s.reason}: {s.text[:60]!r}") for s in listed.skipped
                           if not s.reason.startswith("before the first")]
        for entry in listed.entries:
            title = normalise_title(entry.title)
            key = title_key(title)
            if key in keys:
                report.present.append((shown, entry.line, title))
                continue
            data = {"title": title, "listed": entry.listed.isoformat(), "source": path.name,
                    "abstract": " ".join(entry.abstract.split())}
            problems = schema.validate(yamlio.Located(data), shown)
            if problems:
                report.skipped.append((shown, entry.line, "; ".join(f"{p.field}: {p.message}" for p in problems)))
                continue
            # Chrome inside a line of the abstract (the parser drops whole lines of it): `catalog check`
            # would reject the record, and only the listing shows which words are the page's.
            chrome = page_chrome(data["abstract"])
            if chrome:
                quoted = ", ".join(f"'{c}'" for c in chrome)
                report.skipped.append((shown, entry.line, f"abstract contains text of the listing page, not of "
                                       f"the paper: {quoted}; remove it from the listing and import again"))
                continue
            paper_id = unique_id(title, ids)
            target = layout.papers / f"{paper_id}.yaml"
            try:
                created = create_exclusive(target, record_text(data))
            except OSError as exc:  # a full disk, a read-only folder: keep what was written, say what it is
                report.failed = _unwritten(layout.rel(target), exc, len(report.added))
                return report
            if not created:
                report.skipped.append((shown, entry.line, f"data/papers/{paper_id}.yaml exists"))
                continue
            keys[key] = paper_id
            ids.add(paper_id)
            report.added.append((paper_id, title))
    return report
