"""What each `catalog` command does, given parsed arguments; returns the exit code.

Each command imports what only it needs: `catalog build` forks its reading processes first, and
whatever is imported before that is time its second core waits.
"""

from __future__ import annotations

import sys
from argparse import Namespace
from pathlib import Path
from typing import TYPE_CHECKING

from .collector import collector_paused
from .enrich.per_record import start_reading
from .errors import CatalogError, Problem
from .fsio import read_text
from .layout import Layout

if TYPE_CHECKING:
    from .pages.render import Settings


def _layout(args: Namespace, writes_records: bool = False) -> Layout:
    root = args.root.resolve()
    if not root.is_dir():
        raise CatalogError(f"{args.root}: no such folder")
    layout = Layout(root)
    # Any folder used to do: `catalog new` run in data/papers/ then made a data/papers/ of its own in
    # there and said it was done. `catalog init` writes both files; one is enough, so that a catalog
    # missing one still gets checked and told what is missing.
    if not (layout.mkdocs_yml.exists() or layout.topics.exists()):
        raise CatalogError(f"{root}: not a catalog folder (it has neither mkdocs.yml nor data/topics.yaml): "
                           "run catalog in the catalog's top folder, or pass --root DIR")
    if writes_records and layout.papers.exists() and not layout.papers.is_dir():
        raise CatalogError([Problem(layout.rel(layout.papers), message="is a file, but records are written "
                                    "into a folder of that name: move the file away")])
    return layout


def site_settings(layout: Layout) -> Settings:
    """Settings from mkdocs.yml when there is one, so CLI builds match `mkdocs build` byte for byte."""
    if not layout.mkdocs_yml.is_file():
        from .pages.render import Settings

        return Settings()
    from .site.settings import read_settings

    return read_settings(layout.mkdocs_yml, layout.rel(layout.mkdocs_yml))


def cmd_init(args: Namespace) -> int:
    from .scaffold import create_catalog

    target = args.dir if args.dir.is_absolute() else args.root / args.dir
    create_catalog(target, args.name)
    print(f"created a new catalog in {target}\nnext: cd {target} && catalog import LISTING && mkdocs serve")
    return 0


def cmd_import(args: Namespace) -> int:
    from .records.importer import import_listings

    layout = _layout(args, writes_records=True)
    files = [f if f.is_absolute() else Path.cwd() / f for f in args.files]
    unusable = [Problem(str(file), message=_not_a_listing(file)) for file in files if not file.is_file()]
    if unusable:
        raise CatalogError(unusable)
    report = import_listings(layout, files, args.date)
    print(report.summary())
    if report.failed:
        print(report.failed.format(), file=sys.stderr)
        return 1
    return 0


def _not_a_listing(path: Path) -> str:
    if path.is_dir():
        return "is a folder, not a listing file: name the listing files in it (e.g. FOLDER/*.txt)"
    return "not a regular file" if path.exists() else "no such file"


def cmd_check(args: Namespace) -> int:
    from .records.checks import check_catalog
    from .report import counted, default_format, format_problems

    layout = _layout(args)
    papers, topics, problems = check_catalog(layout)
    for line in format_problems(problems, args.format or default_format(), layout.root):
        print(line)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if errors:
        print(f"{errors} error(s), {warnings} warning(s) found", file=sys.stderr)
        return 1
    found = f"ok: {counted(papers, 'paper')}, {counted(topics, 'topic')}"
    print(found + (f", {warnings} warning(s)" if warnings else ""), file=sys.stderr)
    return 0


def cmd_new(args: Namespace) -> int:
    from .records.skeleton import create_record

    layout = _layout(args, writes_records=True)
    abstract, source = None, ""
    if args.abstract_file is not None:
        if str(args.abstract_file) == "-":
            abstract, source = sys.stdin.read(), "<stdin>"
        else:
            source = str(args.abstract_file)
            if not args.abstract_file.is_file():
                raise CatalogError([Problem(source, message="no such file (--abstract-file)")])
            abstract = read_text(args.abstract_file, source)
    record = create_record(layout, args.title, abstract, source)
    print(f"created {record.shown}")
    if record.placeholder:
        print(f"next: replace the TODO abstract in {record.shown} (catalog check fails until you do), "
              "then run catalog check")
    else:
        print(f"next: fill in the optional fields you know in {record.shown}, then run catalog check")
    return 0


def cmd_build(args: Namespace) -> int:
    layout = _layout(args)
    # Worker processes start reading (and tagging) the records first; this process meanwhile imports
    # the rest of the pipeline (numpy, scipy, Jinja) and reads mkdocs.yml: 0.7 s it would otherwise
    # spend alone.
    with collector_paused(), start_reading(layout) as reading:
        from .build import build

        report = build(layout, site_settings(layout), reading=reading)
    for warning in report.warnings:
        print(warning.format(), file=sys.stderr)
    print(report.summary())
    return 0


def cmd_export(args: Namespace) -> int:
    from .build import load_catalog
    from .pages.export import catalog_json

    layout = _layout(args)
    sys.stdout.write(catalog_json(load_catalog(layout).papers))
    return 0


def cmd_explain(args: Namespace) -> int:
    from .build import load_catalog
    from .enrich.explain import explain, find_paper

    loaded = load_catalog(_layout(args))
    paper = find_paper(loaded.papers, args.id)
    sys.stdout.write(explain(paper, loaded.papers, loaded.taxonomy))
    return 0

