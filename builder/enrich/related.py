"""Related papers by content similarity: TF-IDF over title and abstract, cosine, with a floor.

Vectorised with scipy sparse matrices and processed in row blocks, so 20 000 papers take seconds and
bounded memory (no Python loop over pairs). Boilerplate words ("we propose", "experiments",
"state-of-the-art") are stop words, and terms in a large share of papers get no weight, so shared
phrasing alone never makes two papers related.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from scipy import sparse

MAX_RELATED = 5
MIN_SCORE = 0.12  # below this cosine, papers share words but not a subject
MAX_DF_SHARE = 0.2  # terms in more than this share of papers say nothing about the subject
TITLE_WEIGHT = 2
BLOCK = 512

STOP_WORDS = frozenset(
    """a about above across after again against all almost also although always among an and another any are
    as at be because been before being below between both but by can could did do does doing done due during
    each either else enough etc even ever every few for from further given had has have having here how however
    if in into is it its itself just less like made make makes making many may more most much must neither no
    nor not now of off often on once one only onto or other others otherwise our ours out over own per rather
    same several shall should show shows shown showed since so some such than that the their theirs them then
    there these they this those though through throughout thus to too under until up upon us use used uses
    using various very via was we were what when where whether which while who whom whose why will with within
    without would yet you your
    paper papers propose proposed proposes approach approaches method methods novel new result results
    experiment experiments experimental extensive demonstrate demonstrates demonstrated state art
    performance performs improve improves improved improvement improvements existing prior work works
    recent recently present presents introduce introduces introduced achieve achieves achieved effective
    effectively efficient efficiently significant significantly framework frameworks problem problems task
    tasks study studies based first furthermore moreover specifically particular particularly well
    outperform outperforms outperforming superior benchmark benchmarks compared comparison analysis
    available code github https http com www available able provide provides provided key important
    different large small high low better best wide range real world two three several main simple
    """.split()
)
_TOKEN = re.compile(r"[a-z][a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Related:
    id: str
    score: float
    shared: tuple[str, ...]  # the terms that weigh most in both papers


def _stem(word: str) -> str:
    """Fold the plurals that matter for matching (models → model, studies → study)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(title: str, abstract: str) -> list[str]:
    words = _TOKEN.findall(f"{title} " * TITLE_WEIGHT + abstract.lower().replace("\n", " "))
    return [_stem(w) for w in (w.lower() for w in words) if w not in STOP_WORDS and len(w) > 2]


def related_papers(ids: list[str], texts: list[tuple[str, str]]) -> dict[str, list[Related]]:
    """Up to MAX_RELATED related papers per id, best first, ties broken by id."""
    n = len(ids)
    if n < 2:
        return {pid: [] for pid in ids}
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for row, (title, abstract) in enumerate(texts):
        counts: dict[int, int] = {}
        for word in tokens(title.lower(), abstract):
            col = vocab.setdefault(word, len(vocab))
            counts[col] = counts.get(col, 0) + 1
        rows += [row] * len(counts)
        cols += counts.keys()
        vals += counts.values()
    tf = sparse.csr_matrix((np.array(vals, dtype=np.float32), (rows, cols)), shape=(n, len(vocab)))
    df = np.bincount(tf.indices, minlength=len(vocab))
    # Terms in one paper cannot relate two papers; terms in many are boilerplate for this catalog.
    idf = np.where((df > 1) & (df <= max(2, MAX_DF_SHARE * n)), np.log((1 + n) / (1 + df)) + 1, 0)
    tf.data = 1 + np.log(tf.data)  # sublinear: a word said ten times is not ten times the subject
    weights = sparse.csr_matrix(tf.multiply(idf))
    norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    weights = sparse.csr_matrix(weights.multiply(1 / norms[:, None]))
    weights.eliminate_zeros()
    terms = np.empty(len(vocab), dtype=object)
    for word, col in vocab.items():
        terms[col] = word
    order = np.argsort(np.array(ids, dtype=object), kind="stable")  # tie-break by id
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    transposed = weights.T.tocsr()
    result: dict[str, list[Related]] = {}
    for start in range(0, n, BLOCK):
        block = (weights[start : start + BLOCK] @ transposed).toarray()
        for offset, scores in enumerate(block):
            row = start + offset
            scores[row] = 0
            candidates = np.flatnonzero(scores >= MIN_SCORE)
            chosen = sorted(candidates, key=lambda c: (-round(float(scores[c]), 6), rank[c]))[:MAX_RELATED]
            result[ids[row]] = [
                Related(ids[c], round(float(scores[c]), 4), _shared(weights, terms, row, c)) for c in chosen
            ]
    return result


def _shared(weights: sparse.csr_matrix, terms: np.ndarray, a: int, b: int, top: int = 5) -> tuple[str, ...]:
    row_a, row_b = weights.getrow(a), weights.getrow(b)
    common = row_a.multiply(row_b)
    if common.nnz == 0:
        return ()
    best = np.argsort(-common.data, kind="stable")[:top]
    return tuple(terms[common.indices[i]] for i in best)
