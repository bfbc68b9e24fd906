"""`make bench`: build synthetic catalogs of several sizes and print what the scaling issues ask for.

    BENCH_SIZES=1000,5000 BENCH_SEARCH_SIZES=1000 BENCH_SERVE_SIZES=5000 BENCH_CATALOG_SIZES=20000 python -m bench.run

Per size: `catalog build` (cold three times, the median kept; then after editing one record), `mkdocs build` with the catalog's
Pagefind search and with Material's built-in search, peak memory of each (the process tree's
largest resident set), site and page sizes, search index size against the text it indexes; then,
for the search sizes, the browser numbers of bench/search.py for both engines, and for the serve
sizes, how long `mkdocs serve --dirty` takes to show an edited record and to serve a search index
with it. The catalog sizes (20 000 by default) are measured by `catalog build` alone: a 20 000-page
`mkdocs build` takes over ten minutes here. Ratios come from the same run: absolute times
on shared machines are only indicative.
"""

from __future__ import annotations

import compileall
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

import builder
from builder.pages.writer import OWNED_DIRS, OWNED_FILES

from . import aside
from .generate import generate
from .plain import measure_plain

BIN = Path(sys.executable).parent
WORK = Path(os.environ.get("BENCH_DIR", Path(tempfile.gettempdir()) / "paper-catalog-bench"))
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CI": "true"}  # CI: no progress bar in captured output


@dataclass
class Run:
    seconds: float
    peak_mb: float
    output: str
    cpu: tuple[float, float] = (0.0, 0.0)  # user and system CPU seconds of the whole process tree


def timed(args: list[str], cwd: Path) -> Run:
    """Wall time and peak RSS (ru_maxrss of the waited child: the largest process of its tree).

    What earlier steps wrote is flushed to disk first: the 5 000 records the generator has just
    written cost a cold build 2 s of waiting on the disk, which a catalog kept on disk never pays."""
    if hasattr(os, "sync"):
        os.sync()
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed in {cwd}:\n{output[-3000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, output, (usage.ru_utime, usage.ru_stime))


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def builtin_config(root: Path) -> Path:
    """The same site with Material's own search: catalog search off, `search` plugin on."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"^  - catalog\b.*$", "  - catalog:\n      search: false\n  - search", text, count=1, flags=re.M)
    path = root / "mkdocs-builtin.yml"
    path.write_text(text, encoding="utf-8")
    return path


@dataclass
class SizeResult:
    n: int
    numbers: dict = field(default_factory=dict)


def edit_one_record(root: Path) -> Path:
    path = sorted((root / "data" / "papers").glob("*.yaml"))[len(list((root / "data" / "papers").glob("*.yaml"))) // 2]
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + " Benchmark edit: quokkalogical.\n", encoding="utf-8")
    return path


COLD_RUNS = 3


TRASH = WORK / "trash"  # what a run is done with (aside.py): deleted when it ends


def set_aside(path: Path) -> None:
    aside.set_aside(path, TRASH)


def remove_generated(docs: Path) -> None:
    """docs/ as before any build: what the builder writes there moved out (the hand-written pages stay)."""
    for folder in OWNED_DIRS:
        if (docs / folder).exists():
            set_aside(docs / folder)
    for name in OWNED_FILES:
        (docs / name).unlink(missing_ok=True)


def measure_size(n: int, search_sizes: set[int], serve_sizes: set[int], site: bool = True) -> SizeResult:
    """Every number for one size; with ``site=False`` only the catalog build's (no mkdocs build)."""
    root = WORK / f"catalog-{n}"
    if root.exists():
        set_aside(root)
    generate(root, n)
    result = SizeResult(n)
    r = result.numbers
    papers = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (root / "data" / "papers").glob("*.yaml")]
    r["text_bytes"] = sum(len("".join([p["title"], p["abstract"], *p.get("authors", ()), p.get("venue", ""),
                                       p.get("arxiv", "")]).encode()) for p in papers)  # what search indexes

    colds = []
    for _ in range(COLD_RUNS):  # the median of a few: one cold build swings by a second on a shared machine
        remove_generated(root / "docs")
        colds.append(timed([str(BIN / "catalog"), "build"], root))
    r["catalog_runs"] = sorted(run.seconds for run in colds)
    r["catalog_cpu"] = [run.cpu for run in sorted(colds, key=lambda run: run.seconds)]
    r["catalog_s"] = statistics.median(r["catalog_runs"])
    r["catalog_mb"] = max(run.peak_mb for run in colds)
    edited = edit_one_record(root)
    warm = timed([str(BIN / "catalog"), "build"], root)
    r["edit_s"] = warm.seconds
    r["edit_written"] = int(re.search(r"pages (\d+) written", warm.output).group(1))
    if not site:
        return result

    site = root / "site"
    build = timed([str(BIN / "mkdocs"), "build", "-d", str(site)], root)
    r["mkdocs_s"], r["mkdocs_mb"] = build.seconds, build.peak_mb
    found = re.search(r"search index: .* built in ([\d.]+) s", build.output)
    r["index_s"] = float(found.group(1)) if found else float("nan")
    r["index_bytes"] = sum(folder_bytes(site / "pagefind" / d) for d in ("index", "fragment", "filter")) + sum(
        p.stat().st_size for p in (site / "pagefind").glob("*.pf_meta"))
    r["site_mb"] = folder_bytes(site) / 1e6
    pages = sorted((site / "papers").glob("*/index.html"))
    r["paper_html"] = statistics.median(p.stat().st_size for p in pages)

    builtin_site = root / "site-builtin"
    builtin = timed([str(BIN / "mkdocs"), "build", "-f", str(builtin_config(root)), "-d", str(builtin_site)], root)
    r["builtin_s"], r["builtin_mb"] = builtin.seconds, builtin.peak_mb
    r["builtin_index_bytes"] = (builtin_site / "search" / "search_index.json").stat().st_size
    found = re.search(r"catalog build: .*; ([\d.]+) s", build.output)  # the catalog build `mkdocs build` runs
    r["mkdocs_catalog_s"] = float(found.group(1)) if found else float("nan")
    # Plain mkdocs-material on the same text: the yardstick.
    r["plain"] = measure_plain(n, WORK, catalog=root, trash=TRASH)

    if n in search_sizes:
        from .search import measure

        r["search"] = measure(site)
        r["builtin_search"] = measure(builtin_site)
    if n in serve_sizes:
        r["serve"] = measure_serve(root, edited)
    set_aside(builtin_site)
    return result


def _fetch(url: str) -> str | None:
    try:
        return urllib.request.urlopen(url, timeout=5).read().decode("utf-8", "replace")
    except OSError:
        return None


def _wait_for(test, limit: float = 300) -> float:
    """Seconds until test() holds, polling every 0.1 s; NaN if it never does."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if test():
            return time.perf_counter() - start
        time.sleep(0.1)
    return float("nan")


@contextmanager
def serving(root: Path):
    """`mkdocs serve --dirty` on ``root`` on a free port (a fixed one may be taken by another
    preview): yields the served URL (with site_url's path) and its log, a list read as it comes."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([str(BIN / "mkdocs"), "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=root, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(line.decode("utf-8", "replace") for line in proc.stdout),
                              daemon=True)
    reader.start()
    try:
        started = _wait_for(lambda: any("Serving on" in line for line in log) or proc.poll() is not None, 300)
        found = re.search(r"Serving on (\S+)", "".join(log))
        if started != started or not found:  # NaN: it never started
            raise SystemExit("mkdocs serve did not start:\n" + "".join(log[-20:]))
        yield found.group(1).rstrip("/"), log
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        reader.join(timeout=10)


def measure_serve(root: Path, edited: Path) -> dict:
    """Start `mkdocs serve --dirty`, edit a record, time until the served page shows the edit, and
    until the served search index is the one built from the edited catalog."""
    with serving(root) as (served, log):
        url = f"{served}/papers/{edited.stem}/"
        stamp_url = f"{served}/pagefind/catalog-fingerprint.txt"
        _wait_for(lambda: _fetch(stamp_url))  # the first index is built beside the first preview
        before = _fetch(stamp_url)
        marker = "platypusological"
        edited.write_text(edited.read_text(encoding="utf-8").rstrip("\n") + f" {marker}.\n", encoding="utf-8")
        start = time.perf_counter()
        seconds = _wait_for(lambda: marker in (_fetch(url) or ""))
        indexed = _wait_for(lambda: _fetch(stamp_url) not in (None, before))
        index_seconds = time.perf_counter() - start if indexed == indexed else indexed  # NaN: never
        time.sleep(5)  # let a second, self-triggered rebuild (if any) show in the log
    text = "".join(log)
    return {"seconds": seconds, "index_seconds": index_seconds, "rebuilds": text.count("Building documentation") - 1}


def _kb(n: float) -> str:
    return f"{n / 1024:,.0f} KB"


def report(results: list[SizeResult]) -> str:
    lines = ["", "## Build (times in s, memory = peak RSS in MB)", "",
             "| papers | catalog build | catalog MB | mkdocs build | mkdocs MB | catalog/mkdocs | built-in search build |"
             " index build | index/build | site MB | paper page | edit: pages written | edit: catalog build |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    only = [res for res in results if "mkdocs_s" not in res.numbers]
    results = [res for res in results if "mkdocs_s" in res.numbers]
    for res in results:
        r = res.numbers
        lines.append(
            f"| {res.n:,} | {r['catalog_s']:.1f} | {r['catalog_mb']:.0f} | {r['mkdocs_s']:.1f} | {r['mkdocs_mb']:.0f} |"
            f" {r['catalog_s'] / r['mkdocs_s']:.0%} | {r['builtin_s']:.1f} | {r['index_s']:.1f} |"
            f" {r['index_s'] / r['mkdocs_s']:.0%} | {r['site_mb']:.0f} | {_kb(r['paper_html'])} |"
            f" {r['edit_written']} | {r['edit_s']:.1f} |"
        )
    lines += ["", "## Search index", "",
              "| papers | text indexed (title, abstract, byline) | Pagefind index | ratio | built-in index | ratio |",
              "|---:|---:|---:|---:|---:|---:|"]
    for res in results:
        r = res.numbers
        lines.append(f"| {res.n:,} | {_kb(r['text_bytes'])} | {_kb(r['index_bytes'])} |"
                     f" {r['index_bytes'] / r['text_bytes']:.2f} | {_kb(r['builtin_index_bytes'])} |"
                     f" {r['builtin_index_bytes'] / r['text_bytes']:.2f} |")
    for res in results:
        r = res.numbers
        own = r["mkdocs_s"] - r["mkdocs_catalog_s"] - r["index_s"]
        lines.append(f"\n{res.n:,} papers, `mkdocs build` per paper: {1000 * r['mkdocs_s'] / res.n:.1f} ms,"
                     f" {1000 * own / res.n:.1f} ms without the catalog build and search index it runs;"
                     f" plain mkdocs-material on the same text: {r['plain']['ms_per_page']:.1f} ms per page.")
    for res in results + only:
        # The CPU shows what varies between runs: the kernel's time (system) to create the files
        # swings by seconds on a shared machine; the build's own work (user) hardly does.
        runs = ", ".join(f"{seconds:.1f} (user {user:.1f}, system {system:.1f})" for seconds, (user, system)
                         in zip(res.numbers["catalog_runs"], res.numbers["catalog_cpu"]))
        lines.append(f"\n{res.n:,} papers, cold `catalog build` runs: {runs} s of wall (and CPU) time"
                     " (the tables show the median wall time).")
    if len(results) > 1:
        a, b = results[0], results[-1]
        grow = (b.numbers["catalog_s"] + b.numbers["mkdocs_s"]) / (a.numbers["catalog_s"] + a.numbers["mkdocs_s"])
        html = b.numbers["paper_html"] / a.numbers["paper_html"] - 1
        lines += ["", f"{a.n:,} → {b.n:,} papers: total build grows {grow:.2f}× for {b.n / a.n:.0f}× the papers;"
                  f" paper page HTML {html:+.1%}."]
    searched = [res for res in results if "search" in res.numbers]
    if searched:
        lines += ["", "## Search in headless Chromium, cold cache (ms from the query to the first result; KB fetched)", "",
                  "| papers | engine | typed | query | ready after load | first result (after last key) | fetched |"
                  " second query (after last key) |", "|---:|---|---|---|---:|---:|---:|---:|"]
        for res in searched:
            for engine, key in (("Pagefind", "search"), ("built-in", "builtin_search")):
                for t in res.numbers[key]:
                    lines.append(f"| {res.n:,} | {engine} | {t.typed} | {t.query} | {t.ready_ms:,.0f} |"
                                 f" {t.first_ms:,.0f} ({t.first_after_keys_ms:,.0f}) | {_kb(t.first_bytes)} |"
                                 f" {t.second_ms:,.0f} ({t.second_after_keys_ms:,.0f}) |")
    if only:
        lines += ["", "## `catalog build` alone (no mkdocs build at these sizes)", "",
                  "| papers | catalog build | catalog MB | edit: pages written | edit: catalog build |", "|---:|---:|---:|---:|---:|"]
        lines += [f"| {res.n:,} | {res.numbers['catalog_s']:.1f} | {res.numbers['catalog_mb']:.0f} |"
                  f" {res.numbers['edit_written']} | {res.numbers['edit_s']:.1f} |" for res in only]
    served = [res for res in results if "serve" in res.numbers]
    for res in served:
        s = res.numbers["serve"]
        lines.append(f"\n`mkdocs serve --dirty` at {res.n:,} papers: edit shown after {s['seconds']:.1f} s,"
                     f" in the search index after {s['index_seconds']:.1f} s;"
                     f" extra rebuilds after it: {s['rebuilds'] - 1 if s['rebuilds'] > 0 else 0}.")
    return "\n".join(lines) + "\n"


def _sizes(name: str, default: str) -> list[int]:
    return [int(s) for s in os.environ.get(name, default).split(",") if s.strip()]


def main() -> None:
    sizes = _sizes("BENCH_SIZES", "1000,5000")
    search_sizes = set(_sizes("BENCH_SEARCH_SIZES", "1000"))
    serve_sizes = set(_sizes("BENCH_SERVE_SIZES", "5000"))
    site_sizes = set(sizes) | search_sizes | serve_sizes
    catalog_sizes = set(_sizes("BENCH_CATALOG_SIZES", "20000")) - site_sizes  # catalog build only
    WORK.mkdir(parents=True, exist_ok=True)
    # After its first run Python keeps each module's bytecode (__pycache__); where it is told not to
    # write it (PYTHONDONTWRITEBYTECODE, set on some machines) every build would compile the
    # package's source again (0.1-0.2 s of CPU). Compiled once here: each build measured is a later run.
    compileall.compile_dir(Path(builder.__file__).parent, quiet=1)
    results = []
    try:
        for n in sorted(site_sizes | catalog_sizes):
            print(f"bench: {n:,} papers …", file=sys.stderr, flush=True)
            results.append(measure_size(n, search_sizes, serve_sizes, site=n in site_sizes))
            print(report(results[-1:]), file=sys.stderr, flush=True)  # each size as soon as it is measured
    finally:
        print("bench: deleting what it set aside; the file system may be slower for a few minutes after",
              file=sys.stderr, flush=True)
        shutil.rmtree(TRASH, ignore_errors=True)
    print(report(results))


if __name__ == "__main__":
    main()
