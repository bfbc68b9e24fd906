"""Where things live in a catalog folder: one place, so no module guesses paths."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Layout:
    root: Path

    @property
    def papers(self) -> Path:
        return self.root / "data" / "papers"

    @property
    def topics(self) -> Path:
        return self.root / "data" / "topics.yaml"

    @property
    def sources(self) -> Path:
        return self.root / "data" / "sources"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    def rel(self, path: Path) -> str:
        """A path as shown to users: relative to the catalog root, with forward slashes."""
        try:  # abspath, not resolve: a symlinked data/topics.yaml is still shown as data/topics.yaml
            return Path(os.path.abspath(path)).relative_to(os.path.abspath(self.root)).as_posix()
        except ValueError:
            return str(path)
