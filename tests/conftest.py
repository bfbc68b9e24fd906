"""Shared fixtures: a throw-away copy of the bundled catalog, and helpers to run the CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder.pages.writer import OWNED_DIRS, OWNED_FILES

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "sources" / "2025-03-13-trending.txt"


@pytest.fixture(autouse=True)
def local_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests expect the terminal's output even when CI runs them inside GitHub Actions."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def copy_catalog(root: Path) -> Path:
    """This repository's catalog (records, taxonomy, hand-written docs, mkdocs.yml) copied to `root`,
    without any build output the working tree may hold; symlinks are copied as files."""
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "docs", root / "docs", ignore=shutil.ignore_patterns(*OWNED_DIRS, *OWNED_FILES))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    """A copy of this repository's catalog to change freely."""
    return copy_catalog(tmp_path / "catalog")


def run_catalog(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real `catalog` command line, as a user would."""
    return subprocess.run([sys.executable, "-m", "builder", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)
