"""The site under test: a copy of this repository's catalog built with `mkdocs build`, served
over HTTP on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from bench.browser import serve  # noqa: F401 - the same quiet local server the benchmark uses

REPO = Path(__file__).resolve().parents[2]
LOCAL_HOST = "127.0.0.1"  # where serve() listens
# Build output inside docs/ (git-ignored); the build writes it afresh.
GENERATED = ("papers", "topics", "code", "feeds", "*.json", "index.md", "explore.md", "stats.md")


def build_site(root: Path, extra_records: dict[str, str] | None = None) -> Path:
    """Copy the repository's catalog into `root`, add `extra_records` (file name → YAML), and run
    `mkdocs build --strict` there as a user would; returns the built site's folder."""
    shutil.copytree(REPO / "data", root / "data")  # follows the topics.yaml symlink
    shutil.copytree(REPO / "docs", root / "docs", ignore=shutil.ignore_patterns(*GENERATED))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copy(REPO / "CONTRIBUTING.md", root / "CONTRIBUTING.md")
    for name, text in (extra_records or {}).items():
        (root / "data" / "papers" / name).write_text(text, encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stderr}"
    return root / "site"


