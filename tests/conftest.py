"""Shared fixtures: a throw-away copy of the bundled catalog, and helpers to run the CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "sources" / "2025-03-13-trending.txt"


@pytest.fixture(autouse=True)
def local_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests expect the terminal's output even when CI runs them inside GitHub Actions."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    """A copy of this repository's catalog (records, taxonomy, docs, mkdocs.yml) to change freely."""
    root = tmp_path / "catalog"
    root.mkdir()
    for name in ("data", "docs"):
        shutil.copytree(REPO / name, root / name, symlinks=False,
                        ignore=shutil.ignore_patterns("papers", "topics", "code", "index.md", "catalog.json")
                        if name == "docs" else None)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def run_catalog(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real `catalog` command line, as a user would."""
    return subprocess.run([sys.executable, "-m", "builder", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)
