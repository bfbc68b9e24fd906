"""The site under test: a copy of this repository's catalog built with `mkdocs build`, served
over HTTP on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bench.browser import serve  # noqa: F401 - the same quiet local server the benchmark uses
from conftest import REPO, copy_catalog  # noqa: F401 - REPO for the browser conftest

LOCAL_HOST = "127.0.0.1"  # where serve() listens


def build_site(root: Path, extra_records: dict[str, str] | None = None) -> Path:
    """Copy the repository's catalog into `root`, add `extra_records` (file name → YAML), and run
    `mkdocs build --strict` there as a user would; returns the built site's folder."""
    copy_catalog(root)
    for name, text in (extra_records or {}).items():
        (root / "data" / "papers" / name).write_text(text, encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stderr}"
    return root / "site"


