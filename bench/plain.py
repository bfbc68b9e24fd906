"""The yardstick: plain mkdocs-material on paper pages of the same content as the catalog's.

Each page holds what the scaling issue measured: title, abstract, 3 tags (Material's tags plugin)
and 5 related links, papers not in the navigation. Titles and abstracts come from the same
synthetic catalog `bench.generate` writes, so text length and vocabulary match ours.

    python -m bench.plain N [WORK_DIR] [--search]

`measure_plain` returns the wall time of one `mkdocs build` and its cost per page, comparable to
`mkdocs build` of the catalog in the same run (both include MkDocs' start-up, amortised over N).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from .aside import set_aside
from .generate import generate

BIN = Path(sys.executable).parent
TAGS_PER_PAGE = 3
RELATED_PER_PAGE = 5


def plain_config(search: bool) -> str:
    plugins = ["tags"] + (["search"] if search else [])
    return "\n".join([
        "site_name: Plain Material",
        "theme:",
        "  name: material",
        "  font: false",
        "plugins:",
        *(f"  - {name}" for name in plugins),
        "nav:",
        "  - Home: index.md",
        "validation:",
        "  nav:",
        "    omitted_files: ignore",
        "",
    ])


def paper_page(title: str, abstract: str, tags: list[str], related: list[tuple[str, str]]) -> str:
    lines = ["---", "tags:", *(f"  - {json_string(t)}" for t in tags), "---", "", f"# {title}", "",
             "## Abstract", "", abstract, "", "## Related papers", ""]
    lines += [f"- [{other}]({pid}.md)" for pid, other in related]
    return "\n".join(lines) + "\n"


def json_string(text: str) -> str:
    return yaml.safe_dump(text, default_style='"', width=10**6).strip()


def _remove(path: Path, trash: Path | None) -> None:
    if trash is None:
        shutil.rmtree(path)
    else:
        set_aside(path, trash)


def write_plain_site(catalog: Path, root: Path, seed: int = 0, trash: Path | None = None) -> int:
    """A plain Material project in ROOT with one page per record of CATALOG; returns the page count.
    A ROOT there already is moved into TRASH (aside.py) when given, else deleted."""
    papers = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
              for p in sorted((catalog / "data" / "papers").glob("*.yaml"))}
    taxonomy = yaml.safe_load((catalog / "data" / "topics.yaml").read_text(encoding="utf-8"))
    topics = [t["name"] for t in taxonomy["topics"]]
    if root.exists():
        _remove(root, trash)
    (root / "docs" / "papers").mkdir(parents=True)
    rng = random.Random(seed)
    ids = list(papers)
    for pid, record in papers.items():
        others = [o for o in rng.sample(ids, RELATED_PER_PAGE + 1) if o != pid][:RELATED_PER_PAGE]
        page = paper_page(record["title"], record["abstract"], rng.sample(topics, TAGS_PER_PAGE),
                          [(o, papers[o]["title"]) for o in others])
        (root / "docs" / "papers" / f"{pid}.md").write_text(page, encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Plain Material\n", encoding="utf-8")
    return len(papers)


def measure_plain(n: int, work_dir: Path, search: bool = False, catalog: Path | None = None,
                  trash: Path | None = None) -> dict:
    """Build a plain Material site of N paper pages in WORK_DIR; wall time and ms per page.

    The text comes from CATALOG (a generated catalog of N papers), else from one generated here.
    Without Material's search by default: the catalog replaces it with its own index, timed apart.
    What it is done with goes into TRASH when given (aside.py), else is deleted."""
    if catalog is None:
        catalog = work_dir / f"plain-source-{n}"
        if not (catalog / "data" / "papers").is_dir() or len(list((catalog / "data" / "papers").glob("*.yaml"))) != n:
            generate(catalog, n)
    root = work_dir / f"plain-{n}"
    pages = write_plain_site(catalog, root, trash=trash)
    (root / "mkdocs.yml").write_text(plain_config(search), encoding="utf-8")
    start = time.perf_counter()
    proc = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "-q"], cwd=root, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"plain mkdocs build failed in {root}:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    _remove(root / "site", trash)
    return {"pages": pages, "seconds": seconds, "ms_per_page": 1000 * seconds / pages, "search": search}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("work_dir", type=Path, nargs="?", default=Path(tempfile.gettempdir()) / "paper-catalog-bench")
    parser.add_argument("--search", action="store_true", help="with Material's built-in search plugin")
    args = parser.parse_args(argv)
    args.work_dir.mkdir(parents=True, exist_ok=True)
    r = measure_plain(args.n, args.work_dir, args.search)
    print(f"plain mkdocs-material{' + search' if r['search'] else ''}: {r['pages']:,} pages in {r['seconds']:.1f} s,"
          f" {r['ms_per_page']:.1f} ms/page")


if __name__ == "__main__":
    main()
