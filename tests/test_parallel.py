"""Large catalogs are built by several processes; the pages must not depend on how many."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

from bench.generate import generate
from conftest import run_catalog

PAPERS = 600  # enough for two workers (builder.parallel.MIN_PER_WORKER each)
ONE, TWO = ({**os.environ, "CATALOG_JOBS": jobs} for jobs in ("1", "2"))


def _run_script(script: str, env: dict[str, str] = TWO) -> str:
    """What ``script`` prints, run in a fresh interpreter (its forks are its own); it must succeed."""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_one_process_and_two_write_the_same_pages_and_messages(tmp_path: Path):
    generate(tmp_path / "one", PAPERS)
    shutil.copytree(tmp_path / "one", tmp_path / "two")
    serial = run_catalog("build", cwd=tmp_path / "one", env=ONE)
    forked = run_catalog("build", cwd=tmp_path / "two", env=TWO)
    assert serial.returncode == forked.returncode == 0, serial.stderr + forked.stderr
    assert f"catalog build: {PAPERS} papers" in forked.stdout + forked.stderr
    assert forked.stdout.rstrip().endswith("s on 2 processes"), forked.stdout  # it did fork
    assert "processes" not in serial.stdout
    one, two = _tree(tmp_path / "one" / "docs"), _tree(tmp_path / "two" / "docs")
    assert len(one) > PAPERS and one == two

    # A broken record among hundreds is reported the same way, whichever process read it.
    for root in ("one", "two"):
        papers = sorted((tmp_path / root / "data" / "papers").glob("*.yaml"))
        papers[PAPERS // 2].write_text("title: [unclosed\n", encoding="utf-8")
        papers[-1].write_text("title: A title\nabstract: TODO\n", encoding="utf-8")
    serial = run_catalog("build", cwd=tmp_path / "one", env=ONE)
    forked = run_catalog("build", cwd=tmp_path / "two", env=TWO)
    assert serial.returncode == forked.returncode == 1
    assert "invalid YAML" in forked.stderr and "TODO placeholder" in forked.stderr
    assert serial.stderr == forked.stderr
    assert not filecmp.dircmp(tmp_path / "one" / "docs", tmp_path / "two" / "docs").diff_files



# Run in a fresh interpreter: a process with threads (pytest's, after some tests) never forks.
_MAPS = """
import os, sys, time
from builder import parallel

PARENT = os.getpid()

def fails(item):
    if item == 450:  # whichever process takes it
        raise ValueError("record 450 is broken")
    return item * 2

def dies(item):
    if os.getpid() != PARENT:
        os._exit(3)  # a worker killed mid-map (out of memory, a signal)
    time.sleep(0.001)  # slow enough that the worker takes items before this process has taken them all
    return item

items = list(range(600))
assert parallel.map_items(lambda i: i * 2, items) == [i * 2 for i in items]
print("processes", parallel.used())
for function in (fails, dies):
    try:
        parallel.map_items(function, items)
    except Exception as exc:
        print(type(exc).__name__, exc)
"""


def test_a_worker_error_reaches_the_caller():
    assert _run_script(_MAPS).splitlines() == [
        "processes 2", "ValueError record 450 is broken",
        "RuntimeError a worker process stopped without its results (exit code 3)"]


# A background job (site pages made while the papers are related) in a forked child.
_BACKGROUND = """
import os, sys
from builder import parallel

PARENT = os.getpid()

def pages():
    assert os.getpid() != PARENT, "not in a child"
    yield "parts"
    yield {"topics/a.md": "x" * 5_000_000, "maps": parallel.map_items(lambda i: i * 2, list(range(600)))}

def fails():
    yield "parts"
    raise ValueError("a list page is broken")

def dies():
    os._exit(3)
    yield "parts"

with parallel.background(pages) as job:
    first, result = job.part(), job.part()
print(first, len(result["topics/a.md"]), result["maps"] == [i * 2 for i in range(600)], parallel.used())
for function in (fails, dies):
    try:
        with parallel.background(function) as job:
            print(job.part())
            job.part()
    except Exception as exc:
        print(type(exc).__name__, exc)
"""


def test_a_background_job_returns_its_result_or_its_error():
    assert _run_script(_BACKGROUND).splitlines() == [
        "parts 5000000 True 2", "parts", "ValueError a list page is broken",
        "RuntimeError a worker process stopped without its results (exit code 3)"]


# While a background job's child computes, it has one of the two cores: a map runs here, and forks
# again once the job is done (a child forked meanwhile would copy the memory this process writes);
# a map still running then forks for the core that was freed, not waiting for its next map.
_CORE_TAKEN = """
import os, time
from builder import parallel

def pid(item):
    time.sleep(0.001)  # slow enough that a forked child takes items too
    return os.getpid()

def pids(items=600):
    return parallel.map_items(pid, list(range(items)))

def listing():
    time.sleep(0.5)
    yield "listed"

with parallel.background(listing) as job:
    during = set(pids(1500))  # 1.5 s: the job is done long before the map is
    result = job.part()
with parallel.background(listing) as job:
    before = set(pids(250))  # 0.25 s: the job is still at work when the map ends
    result = job.part()
after = set(pids())
print(result, os.getpid() in during, len(during), before == {os.getpid()}, len(after))
"""


def test_a_map_forks_only_for_a_core_no_background_job_takes():
    assert _run_script(_CORE_TAKEN).split() == ["listed", "True", "2", "True", "2"]


# A core freed during a map goes to the map begun before it, if that one is still waiting for its
# results to be asked for: it was begun so that a child would work on it meanwhile (the paper pages,
# while this process makes the exports).
_OLDEST_FIRST = """
import os, time
from builder import parallel

def pid(item):
    time.sleep(0.001)
    return os.getpid()

def listing():
    time.sleep(0.3)
    yield "listed"

with parallel.background(listing) as job:
    with parallel.start(pid, list(range(1000))) as first:  # the job has the other core: no child yet
        then = parallel.map_items(pid, list(range(1000)))  # 1 s here: the job is done long before
        result = job.part()
        begun = first.results()
print(result, set(then) == {os.getpid()}, len(set(begun)))
"""


def test_a_core_freed_during_a_map_goes_to_the_map_begun_first():
    assert _run_script(_OLDEST_FIRST).split() == ["listed", "True", "2"]


# The same when the map begun first is already being collected, and a map begun inside one of its
# runs is where the core is found free: the child forked for the first map hands it its results.
_NESTED = """
import os, time
from builder import parallel

def inner(item):
    time.sleep(0.001)
    return item

def outer(item):
    if item == 0:  # the first run begins a map of its own, long enough for the job to end in it
        assert parallel.map_items(inner, list(range(800))) == list(range(800))
    time.sleep(0.001)
    return (item * 2, os.getpid())

def listing():
    time.sleep(0.3)
    yield "listed"

with parallel.background(listing) as job:
    results = parallel.map_items(outer, list(range(1000)))
    result = job.part()
print(result, [value for value, _ in results] == [i * 2 for i in range(1000)], len({pid for _, pid in results}))
"""


def test_a_child_forked_for_a_map_from_inside_one_of_its_runs_hands_in_its_results():
    assert _run_script(_NESTED).split() == ["listed", "True", "2"]


# A function of a run of items (``in_runs``: the records' reading, the pages' writing) takes each
# run through one step after another; every item still gets its own result, in order.
_RUNS = """
import os, time
from builder import parallel

def doubled(run):
    assert 0 < len(run) <= parallel.RUN, len(run)
    time.sleep(0.005)  # slow enough that a forked child takes runs too
    return [(item * 2, os.getpid()) for item in run]

results = parallel.map_items(doubled, list(range(1000)), in_runs=True)
print([value for value, _ in results] == [item * 2 for item in range(1000)], len({pid for _, pid in results}))
"""


def test_a_map_of_runs_gives_each_item_its_own_result_in_order():
    for jobs in ("1", "2"):
        assert _run_script(_RUNS, {**os.environ, "CATALOG_JOBS": jobs}).split() == ["True", jobs]
