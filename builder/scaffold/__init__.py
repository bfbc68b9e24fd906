"""`catalog init`: a new, empty catalog that builds as is."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from ..errors import CatalogError
from ..fsio import write_atomic
from ..records.schema import SCHEMA_FILE

GITIGNORE = """# Build output: generated pages and the built site
/site/
/docs/papers/
/docs/topics/
/docs/code/
/docs/index.md
/docs/catalog.json
/docs/feeds/
/docs/explore.md
/docs/explore.json
/docs/stats.md
/docs/catalog.schema.json
/docs/paper.schema.json
"""


def _file(name: str) -> str:
    return resources.files(__package__).joinpath("files", name).read_text(encoding="utf-8")


def create_catalog(target: Path, site_name: str) -> None:
    if target.exists() and not target.is_dir():
        raise CatalogError(f"{target}: is a file; choose a new folder")
    if target.exists() and any(target.iterdir()):
        raise CatalogError(f"{target}: exists and is not empty; choose a new folder")
    schema = resources.files("builder.records").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    files = {
        "mkdocs.yml": _file("mkdocs.yml").replace("SITE_NAME", json.dumps(site_name, ensure_ascii=False)),
        "data/topics.yaml": _file("topics.yaml"),
        "data/papers/.gitkeep": "",
        "data/sources/.gitkeep": "",
        "docs/about.md": _file("docs/about.md"),
        "docs/contributing.md": _file("docs/contributing.md"),
        "schema/paper.schema.json": schema,
        ".gitignore": GITIGNORE,
    }
    try:
        target.mkdir(parents=True, exist_ok=True)  # its own message: a file in the way of the folder
    except OSError as exc:
        blocker = next((f" ({parent} is a file)" for parent in target.parents if parent.is_file()), "")
        raise CatalogError(f"{target}: cannot create the folder: {exc.strerror or exc}{blocker}") from None
    for relative, content in files.items():
        try:
            write_atomic(target / relative, content)
        except OSError as exc:
            raise CatalogError(f"{target / relative}: cannot write: {exc.strerror or exc}; the catalog in "
                               f"{target} is incomplete: remove it and run catalog init again") from None
