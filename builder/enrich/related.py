"""Related papers by content similarity: TF-IDF over title and abstract, cosine, with a floor.

Terms are words and two-word phrases ("weather forecasting", "mixture experts"), so a shared
subject weighs more than shared vocabulary. Boilerplate never relates two papers: the words papers
use to describe themselves ("we propose", "state-of-the-art", "experiments") are stop words, and
terms in a large share of the catalog get no weight. Two papers with no topic in common must be
clearly similar (``MIN_SCORE_ACROSS``); papers sharing a topic or area need less (``MIN_SCORE``).

Vectorised with scipy sparse matrices and processed in row blocks, so 20 000 papers take seconds and
bounded memory: no Python loop over pairs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
from scipy import sparse

MAX_RELATED = 5
MIN_SCORE = 0.12  # below this cosine, papers share words but not a subject
MIN_SCORE_ACROSS = 0.2  # papers without a common topic must be this similar
MAX_DF_SHARE = 0.2  # terms in more than this share of papers say nothing about the subject
TITLE_WEIGHT = 2
BLOCK = 1024
SHARED_TERMS = 5

STOP_WORDS = frozenset(
    """a about above across after again against all almost also although always among an and another any are
    as at be because been before being below between both but by can could did do does doing done due during
    each either else enough etc even ever every few for from further given had has have having here how however
    i ie eg if in into is it its itself just less like made make makes making many may more most much must
    neither no nor not now of off often on once one only onto or other others otherwise our ours out over own
    per rather same several shall should show shows shown showed since so some such than that the their theirs
    them then there these they this those though through throughout thus to too under until up upon us use used
    uses using various very via was we were what when where whether which while who whom whose why will with
    within without would yet you your
    paper papers propose proposed proposes approach approaches method methods novel new result results
    experiment experiments experimental extensive demonstrate demonstrates demonstrated state art
    state-of-the-art sota performance performs improve improves improved improvement improvements existing
    prior previous work works recent recently present presents introduce introduces introduced achieve
    achieves achieved effective effectively efficient efficiently significant significantly framework
    frameworks problem problems task tasks study studies studied based first second third finally furthermore
    moreover specifically particular particularly well outperform outperforms outperformed outperforming
    superior benchmark benchmarks compared comparison compare analysis analyze analyse available code codes
    github https http com www url able provide provides provided key important different large small high
    low better best wide range real world two three main simple simply model models data dataset datasets
    learning learn learns learned training train trained network networks neural deep algorithm algorithms
    technique techniques strategy strategies issue issues aim aims aiming address addresses addressing
    challenge challenges challenging surprisingly surprising interesting notably remarkable remarkably
    consistently consistent crucial essential fundamental general generally common commonly typically
    usually often widely however thereby therefore hence toward towards order enable enables enabling
    allow allows allowing obtain obtains obtained case cases help helps solution solutions solve solving
    evidence example examples alternative application applications property properties sufficiently
    separate level levels effect effects concern concerns source sources factor factors end system systems
    generated generate generates emerging promising potential practical practice novelty insight insights
    investigate investigates investigated explore explores explored observe observed observation find finds
    found finding findings show demonstrating validate validates verify verified conduct conducted
    comprehensive thorough empirical empirically theoretical theoretically evaluate evaluated evaluation
    despite although achieving leading leads lead field fields domain domains area areas term terms way ways
    number numbers set sets value values time times step steps process processes scale large-scale
    larger smaller beyond ability abilities benefit benefits success successful principled structure
    structures
    """.split()
)
_TOKEN = re.compile(r"[a-z][a-z0-9]+(?:-[a-z0-9]+)*")
_LINK = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|org|io|net|science|co|ai)/\S*", re.IGNORECASE)


@dataclass(frozen=True)
class Related:
    id: str
    score: float
    shared: tuple[str, ...]  # the terms that weigh most in both papers
    shared_topics: tuple[str, ...] = ()


def _stem(word: str) -> str:
    """Fold the plurals that matter for matching (models → model, studies → study)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "as")):
        return word[:-1]
    return word


def terms(title: str, abstract: str, display: dict[str, Counter] | None = None) -> list[str]:
    """Words and adjacent word pairs (stop words break a pair) of a paper; the title counts twice."""
    out: list[str] = []
    for part, weight in ((title, TITLE_WEIGHT), (abstract, 1)):
        previous = None
        for word in _TOKEN.findall(_LINK.sub(" ", part).lower()):  # a link's words are not a subject
            if word in STOP_WORDS or len(word) < 3:
                previous = None
                continue
            stem = _stem(word)
            if display is not None:
                display.setdefault(stem, Counter())[word] += 1
            out += [stem] * weight
            if previous:
                out += [f"{previous} {stem}"] * weight
            previous = stem
    return out


def related_papers(ids: list[str], texts: list[tuple[str, str]],
                   topics: list[set[str]] | None = None) -> dict[str, list[Related]]:
    """Up to MAX_RELATED related papers per id, best first, ties broken by id.

    ``topics`` holds each paper's topics with their areas; sharing one lowers the bar to MIN_SCORE.
    """
    n = len(ids)
    if n < 2:
        return {pid: [] for pid in ids}
    topics = topics or [set() for _ in ids]
    vocab: dict[str, int] = {}
    display: dict[str, Counter] = {}
    rows, cols = [], []
    for row, (title, abstract) in enumerate(texts):
        for term in terms(title, abstract, display):
            rows.append(row)
            cols.append(vocab.setdefault(term, len(vocab)))
    tf = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, len(vocab)))
    tf.sum_duplicates()
    df = np.bincount(tf.indices, minlength=len(vocab))
    # Terms in one paper cannot relate two papers; terms in many are boilerplate for this catalog.
    idf = np.where((df > 1) & (df <= max(2, MAX_DF_SHARE * n)), np.log((1 + n) / (1 + df)) + 1, 0)
    tf.data = 1 + np.log(tf.data)  # sublinear: a word said ten times is not ten times the subject
    weights = sparse.csr_matrix(tf.multiply(idf.astype(np.float32)))
    norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    weights = sparse.csr_matrix(weights.multiply(1 / norms[:, None]))
    weights.eliminate_zeros()
    weights.sort_indices()
    names = _display_names(vocab, display)
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(np.array(ids, dtype=object), kind="stable")] = np.arange(n)  # tie-break by id
    transposed = weights.T.tocsr()
    result: dict[str, list[Related]] = {}
    for start in range(0, n, BLOCK):
        block = (weights[start : start + BLOCK] @ transposed).toarray()
        block[np.arange(block.shape[0]), np.arange(start, start + block.shape[0])] = 0
        for offset, scores in enumerate(block):
            row = start + offset
            # Only the best few candidates reach Python; the topic test then looks at those alone.
            candidates = np.flatnonzero(scores >= MIN_SCORE)
            if len(candidates) > 4 * MAX_RELATED:
                top = np.argpartition(-scores[candidates], 4 * MAX_RELATED)[: 4 * MAX_RELATED]
                candidates = candidates[top]
            chosen = []
            for c in sorted(candidates, key=lambda c: (-round(float(scores[c]), 6), rank[c])):
                common = tuple(sorted(topics[row] & topics[c]))
                if common or scores[c] >= MIN_SCORE_ACROSS:
                    chosen.append(Related(ids[c], round(float(scores[c]), 4),
                                          _shared(weights, names, row, c), common))
                if len(chosen) == MAX_RELATED:
                    break
            result[ids[row]] = chosen
    return result


def _display_names(vocab: dict[str, int], display: dict[str, Counter]) -> np.ndarray:
    """Show each stem as the word papers actually use most ("bias", not "bia")."""
    def name(stem: str) -> str:
        forms = display.get(stem)
        return min(forms, key=lambda w: (-forms[w], w)) if forms else stem

    names = np.empty(len(vocab), dtype=object)
    for term, col in vocab.items():
        names[col] = " ".join(name(part) for part in term.split(" "))
    return names


def _shared(weights: sparse.csr_matrix, names: np.ndarray, a: int, b: int) -> tuple[str, ...]:
    """The terms that contribute most to the similarity, a phrase hiding the words it contains."""
    start_a, end_a = weights.indptr[a], weights.indptr[a + 1]
    start_b, end_b = weights.indptr[b], weights.indptr[b + 1]
    cols, ia, ib = np.intersect1d(weights.indices[start_a:end_a], weights.indices[start_b:end_b],
                                  assume_unique=True, return_indices=True)
    contribution = weights.data[start_a:end_a][ia] * weights.data[start_b:end_b][ib]
    picked: list[str] = []
    for i in np.lexsort((cols, -contribution)):
        term = names[cols[i]]
        if any(term in p.split(" ") for p in picked if " " in p):
            continue
        picked = [p for p in picked if not (" " in term and p in term.split(" "))] + [term]
        if len(picked) == SHARED_TERMS:
            break
    return tuple(picked)
