"""A deterministic synthetic catalog of N papers, recombined from the bundled abstracts.

Sentences come from the real abstracts in ``data/papers/``, so the vocabulary, sentence length and
topic mix are those of real papers; code mentions follow the shares seen in trending listings
(a repository link, a promise of release, or nothing). Same N and seed, same bytes.

    python -m bench.generate OUT_DIR N [--seed S]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
from pathlib import Path

import yaml

from builder.records.ids import title_key, unique_id
from builder.records.importer import record_text

REPO = Path(__file__).resolve().parent.parent
CODE_SHARES = (("available", 0.45), ("announced", 0.15), ("none", 0.40))
ANNOUNCED = (
    "Code will be released upon acceptance.",
    "The code and models will be made publicly available.",
    "We will release our implementation to facilitate future research.",
)
AVAILABLE = (
    "Code is available at https://github.com/{owner}/{repo}.",
    "Our implementation is publicly available at https://github.com/{owner}/{repo}.",
    "The source code is released at https://gitlab.com/{owner}/{repo}.",
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")
_CODE_HINT = re.compile(r"https?://|github|gitlab|\bcode\b|will be released|upon acceptance", re.IGNORECASE)
FIRST_DAY = dt.date(2024, 1, 1)


def corpus(papers_dir: Path) -> tuple[list[str], list[str]]:
    """Titles and code-free sentences of the bundled records."""
    titles, sentences = [], []
    for path in sorted(papers_dir.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        titles.append(data["title"])
        sentences += [s for s in _SENTENCE.split(data["abstract"].strip()) if not _CODE_HINT.search(s)]
    return titles, sentences


def _title(rng: random.Random, titles: list[str], sentences: list[str]) -> str:
    """Head of one real title + tail of another + a few words of a real sentence: varied, plausible."""
    head = rng.choice(titles).split()
    tail = rng.choice(titles).split()
    words = [w.strip(".,;:()") for w in rng.choice(sentences).split() if len(w) > 3]
    phrase = " ".join(words[rng.randrange(max(1, len(words) - 2)) :][:3]) if words else "learning"
    return " ".join(head[: max(1, len(head) // 2)] + tail[len(tail) // 2 :]) + f" for {phrase}"


def _code_sentence(rng: random.Random, pid: str) -> str:
    status = rng.choices([s for s, _ in CODE_SHARES], weights=[w for _, w in CODE_SHARES])[0]
    if status == "available":
        return rng.choice(AVAILABLE).format(owner=f"lab{rng.randrange(400)}", repo=pid[:40])
    if status == "announced":
        return rng.choice(ANNOUNCED)
    return ""


def records(n: int, seed: int = 0, papers_dir: Path = REPO / "data" / "papers") -> dict[str, str]:
    """N record files by id, each the YAML text the importer would write."""
    titles, sentences = corpus(papers_dir)
    rng = random.Random(seed)
    out: dict[str, str] = {}
    seen: set[str] = set()  # title keys: `catalog check` rejects two records of one title
    while len(out) < n:
        title = _title(rng, titles, sentences)
        if title_key(title) in seen:
            continue
        seen.add(title_key(title))
        pid = unique_id(title, out.keys())
        body = rng.sample(sentences, rng.randint(5, 9))
        code = _code_sentence(rng, pid)
        abstract = " ".join(body + ([code] if code else []))
        listed = FIRST_DAY + dt.timedelta(days=rng.randrange(730))
        data = {"title": title, "listed": listed.isoformat(), "source": f"{listed}-trending.txt", "abstract": abstract}
        out[pid] = record_text(data)
    return out


def generate(target: Path, n: int, seed: int = 0) -> None:
    """A complete catalog folder: records, this repository's taxonomy, hand-written docs and mkdocs.yml."""
    papers = target / "data" / "papers"
    if papers.exists():
        shutil.rmtree(papers)
    papers.mkdir(parents=True)
    for pid, text in records(n, seed).items():
        (papers / f"{pid}.yaml").write_text(text, encoding="utf-8")
    shutil.copyfile(REPO / "data" / "topics.yaml", target / "data" / "topics.yaml")  # follows the symlink
    (target / "docs").mkdir(exist_ok=True)
    for page in ("about.md", "contributing.md"):
        shutil.copyfile(REPO / "docs" / page, target / "docs" / page)
    shutil.copyfile(REPO / "mkdocs.yml", target / "mkdocs.yml")
    schema = target / "schema"
    schema.mkdir(exist_ok=True)
    shutil.copyfile(REPO / "schema" / "paper.schema.json", schema / "paper.schema.json")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    generate(args.target, args.n, args.seed)


if __name__ == "__main__":
    main()
