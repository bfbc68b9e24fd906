"""The command line in the wrong place or with its output cut short: a message, never a traceback,
and never a file written where it does not belong."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE, run_catalog

NOT_A_CATALOG = ("not a catalog folder (it has neither mkdocs.yml nor data/topics.yaml): run catalog in the "
                 "catalog's top folder, or pass --root DIR\n")


def _tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def test_import_from_a_subfolder_of_the_catalog_writes_nothing(catalog):
    before = _tree(catalog)
    result = run_catalog("import", str(SAMPLE), cwd=catalog / "data")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"{catalog / 'data'}: {NOT_A_CATALOG}"
    assert _tree(catalog) == before  # no data/data/papers/


@pytest.mark.parametrize("command", ["check", "build", "export"])
def test_every_command_names_a_folder_that_is_not_a_catalog(tmp_path, command):
    result = run_catalog(command, "--root", str(tmp_path))
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"{tmp_path}: {NOT_A_CATALOG}"
    assert list(tmp_path.iterdir()) == []


def test_a_catalog_missing_its_taxonomy_is_still_a_catalog(catalog):
    (catalog / "data" / "topics.yaml").unlink()
    result = run_catalog("check", "--root", str(catalog))
    assert "data/topics.yaml: taxonomy file missing" in result.stdout


def test_init_below_a_file_names_the_file(tmp_path):
    (tmp_path / "afile").write_text("notes\n")
    result = run_catalog("init", "afile/sub", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "afile/sub: cannot create the folder: Not a directory (afile is a file)\n"
    assert (tmp_path / "afile").read_text() == "notes\n"
    onto = run_catalog("init", "afile", cwd=tmp_path)
    assert (onto.returncode, onto.stderr) == (1, "afile: is a file; choose a new folder\n")


@pytest.mark.parametrize("args", [("export",), ("import", str(SAMPLE))], ids=["long output", "short output"])
def test_a_reader_that_leaves_early_ends_the_command_quietly(catalog, args):
    """`catalog export | head -1`: export writes past the pipe's buffer, the import's summary fits in it
    and fails only when flushed at exit."""
    process = subprocess.Popen([sys.executable, "-m", "builder", *args, "--root", str(catalog)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process.stdout.close()  # the reader is gone before the command writes anything
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 141  # as a program ended by SIGPIPE, like `cat` in `cat big | head`
    assert stderr == ""


def test_a_build_that_cannot_write_a_page_names_it_without_a_traceback(catalog):
    """Files of at most 2 KB, as on a full disk (a limit binds root too; Python ignores SIGXFSZ)."""
    import resource

    result = subprocess.run([sys.executable, "-m", "builder", "build", "--root", str(catalog)],
                            capture_output=True, text=True,
                            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048)))
    assert (result.returncode, result.stdout) == (1, "")
    assert "Traceback" not in result.stderr
    assert "docs/catalog.json: cannot write: File too large\n" in result.stderr, result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_export_into_a_full_device_says_so(catalog):
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "builder", "export", "--root", str(catalog)],
                                stdout=full, stderr=subprocess.PIPE, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "No space left on device" in result.stderr, result.stderr
