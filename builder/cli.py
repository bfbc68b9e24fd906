"""The `catalog` command: a thin layer over the library; problems become messages, never tracebacks."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from .errors import CatalogError

EPILOG = """examples:
  catalog import data/sources/2025-03-13-trending.txt   add the new papers of a listing
  catalog check                                          validate every record and the taxonomy
  catalog new "Paper title" --abstract-file abstract.txt write data/papers/<id>.yaml for a new paper
  catalog build                                          write the generated pages into docs/
  catalog export > catalog.json                          the enriched catalog as JSON
  catalog explain ID                                     why a paper has its topics, code status, related papers
  catalog init my-catalog                                start a new catalog
"""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="catalog", description="Build a browsable, searchable site from curated paper records.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=Path("."), help="the catalog folder (default: .)")
    sub = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    cmd = sub.add_parser("init", parents=[common], help="create a new, empty catalog that builds as is",
                         description="Create a new catalog: catalog init my-catalog")
    cmd.add_argument("dir", type=Path, help="folder to create (must be empty or absent)")
    cmd.add_argument("--name", default="Paper Catalog", help="the site's name")

    cmd = sub.add_parser("import", parents=[common], help="add the papers of raw listings as records",
                         description="Import listings: catalog import data/sources/2025-03-13-trending.txt")
    cmd.add_argument("files", type=Path, nargs="+", metavar="FILE")
    cmd.add_argument("--date", type=_date, help="the listing's date (YYYY-MM-DD), if not in the file name")

    cmd = sub.add_parser("check", parents=[common], help="validate every record and the taxonomy",
                         description="Validate the catalog: catalog check (under GitHub Actions: annotations)")
    cmd.add_argument("--format", choices=["text", "github"], default=None,
                     help="text: path:line:col: field: message; github: ::error workflow commands "
                     "(default: github when GITHUB_ACTIONS=true, else text)")

    cmd = sub.add_parser(
        "new", parents=[common], help="write a record for a new paper, named by its title",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description='Add a paper by hand: catalog new "Paper title" --abstract-file abstract.txt\n'
        "Without --abstract-file the abstract is a TODO placeholder that catalog check rejects until replaced.",
    )
    cmd.add_argument("title", help="the paper's title, as printed on the paper")
    cmd.add_argument("--abstract-file", type=Path, metavar="FILE",
                     help="a UTF-8 text file holding the abstract ('-' reads standard input)")

    sub.add_parser("build", parents=[common], help="write the generated pages into docs/",
                   description="Generate the pages: catalog build (mkdocs build runs it too)")
    sub.add_parser("export", parents=[common], help="print the enriched catalog as JSON",
                   description="Export: catalog export > catalog.json")
    cmd = sub.add_parser(
        "explain", parents=[common], help="why a paper has its topics, code status and related papers",
        description="Explain one paper's enrichment: catalog explain towards-exact-computation-of-inductive-bias")
    cmd.add_argument("id", help="the paper's id (its file name in data/papers/, without .yaml)")
    return main


def _run(args: argparse.Namespace) -> int:
    # Imported here so `catalog --help` stays instant.
    from . import commands

    return getattr(commands, f"cmd_{args.command}")(args)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return _run(args)
    except CatalogError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader left (`catalog export | head -1`): nobody to tell; run() exits
        return READER_GONE
    except OSError as exc:  # a full disk, a read-only folder: the file and the system's reason, no traceback
        print(f"{exc.filename or 'catalog'}: {exc.strerror or exc}", file=sys.stderr)
        return 1


# What a shell reports for a program that SIGPIPE ended, as it ends `cat` in `cat big | head -1`.
READER_GONE = 128 + 13


def run() -> None:
    """The `catalog` program. It ends without taking its heap apart object by object: after a large
    build that is millions of objects and a third of a second, for memory the system frees at once."""
    # numpy's and scipy's OpenBLAS each start a thread per core when imported, and the threads spin as
    # they start: 0.1 s of CPU each, taken from the records' reading, which runs beside the imports.
    # Nothing here calls BLAS (related.py multiplies sparse matrices in scipy's own code). A user's
    # own setting stays.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    code = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # what is left unwritten stays so: os._exit does not flush again
        code = code or READER_GONE
    except OSError as exc:  # e.g. a full disk under `catalog export > catalog.json`: the output is cut short
        print(f"cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        code = code or 1
    try:
        sys.stderr.flush()
    except OSError:  # nowhere left to say anything
        pass
    os._exit(code)


if __name__ == "__main__":
    run()
