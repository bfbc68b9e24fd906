"""Lighthouse scores of the built site: home, a paper page and explore, in Debian's Chromium.

Builds the bundled catalog (or takes an already built site), serves it on 127.0.0.1 and runs
`lighthouse@12.2.3` from the npm registry through `npx` on each page; prints one line per page
with the four category scores (0-100). Needs Node >= 18.16, npx and /usr/bin/chromium.

    python -m bench.lighthouse [--site DIR] [--paper PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE = "lighthouse@12.2.3"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAPER = "papers/dsee-dually-sparsity-embedded-efficient-tuning-of-pre-trained-language-models/"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def build_site(site_dir: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site_dir)],
                   cwd=REPO, env=env, check=True)


def lighthouse(url: str, report: Path) -> dict[str, int]:
    """The category scores of one page, 0-100, from Lighthouse's JSON report."""
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    command = ["npx", "--yes", LIGHTHOUSE, url, "--quiet", "--output=json", f"--output-path={report}",
               f"--chrome-flags={CHROME_FLAGS}", "--only-categories=" + ",".join(CATEGORIES)]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0 or not report.is_file():
        raise SystemExit(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    categories = json.loads(report.read_text(encoding="utf-8"))["categories"]
    return {name: round(categories[name]["score"] * 100) if categories[name]["score"] is not None else -1
            for name in CATEGORIES}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.lighthouse", description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build the bundled catalog)")
    parser.add_argument("--paper", default=PAPER, help=f"the paper page to score (default: {PAPER})")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).is_file():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get update && apt-get install -y chromium")

    with tempfile.TemporaryDirectory(prefix="lighthouse-") as scratch:
        site = args.site or Path(scratch) / "site"
        if args.site is None:
            build_site(site)
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            print(f"lighthouse ({LIGHTHOUSE} in {CHROMIUM}; its defaults: emulated phone, simulated slow 4G)")
            print(f"{'page':<10}" + "".join(f"{name:>16}" for name in CATEGORIES))
            for label, path in (("home", ""), ("paper", args.paper), ("explore", "explore/")):
                scores = lighthouse(base + path, Path(scratch) / f"{label}.json")
                print(f"{label:<10}" + "".join(f"{scores[name]:>16}" for name in CATEGORIES), flush=True)
        finally:
            server.shutdown()
            server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
