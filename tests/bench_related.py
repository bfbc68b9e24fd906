"""Time related-paper computation on a large synthetic catalog: python tests/bench_related.py [N]

The synthetic papers recombine the sample's titles and abstract sentences (seeded, so every run is
the same corpus): realistic vocabulary and length, N papers.
"""

from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def synthetic_corpus(papers, n: int, seed: int = 3) -> tuple[list[str], list[tuple[str, str]]]:
    rng = random.Random(seed)
    titles = [p.title for p in papers]
    sentences = [s for p in papers for s in re.split(r"(?<=\.)\s+", p.abstract) if len(s) > 40]
    ids, texts = [], []
    for i in range(n):
        ids.append(f"synthetic-{i:06d}")
        texts.append((rng.choice(titles), " ".join(rng.sample(sentences, 8))))
    return ids, texts


def main(n: int) -> None:
    sys.path.insert(0, str(ROOT))
    from builder.build import load_catalog
    from builder.enrich.related import related_papers
    from builder.layout import Layout

    ids, texts = synthetic_corpus(load_catalog(Layout(ROOT)).papers, n)
    start = time.perf_counter()
    result = related_papers(ids, texts)
    seconds = time.perf_counter() - start
    linked = sum(bool(r) for r in result.values())
    print(f"related papers for {n} synthetic papers: {seconds:.1f} s ({linked} papers with related papers)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
