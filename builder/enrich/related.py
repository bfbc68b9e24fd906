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

from array import array
from collections import Counter
from dataclasses import dataclass
from itertools import chain
from typing import NamedTuple

import numpy as np
from scipy import sparse

from ..parallel import MIN_PER_WORKER, jobs, map_items
from .terms import _TERMS, tokenize

MAX_RELATED = 5
MIN_SCORE = 0.12  # below this cosine, papers share words but not a subject
MIN_SCORE_ACROSS = 0.2  # papers without a common topic must be this similar
MAX_DF_SHARE = 0.2  # terms in more than this share of papers say nothing about the subject
BLOCK = 256  # rows scored at once, at most: bounds the memory of one product, and how long a core
# freed meanwhile (the list pages' worker done) waits for this process to fork it a child: a block
# of 1 024 rows kept it idle up to 0.1 s; smaller blocks cost 0.04 s more CPU at 5 000 papers
SHARED_TERMS = 5
KEYWORDS = 40  # terms kept per paper
RESCORE_SHARE = 0.1  # an edit that changes more papers' weights than this share: all are scored again

class Related(NamedTuple):  # a tuple: ~25 000 per 5 000 papers, made 2.5 times as fast as a frozen dataclass
    id: str
    score: float
    shared: tuple[str, ...]  # the terms that weigh most in both papers
    shared_topics: tuple[str, ...] = ()


@dataclass
class Scored:
    """One scoring of the catalog, kept by `mkdocs serve` (memo.py) so that the next one, after an
    edit, scores again only the papers whose term weights changed: a pair of unchanged papers has
    the same score, bit for bit, since its sum runs over the same terms in the same order."""

    ids: list[str]
    terms: list[str]  # the vocabulary, in column order
    weights: sparse.csr_matrix  # papers × terms, rows normalised, columns sorted
    names: _Names
    topics: list[set[str]]
    candidates: sparse.csr_matrix  # papers × papers: every score that can pass the floor
    chosen: list[list[Related]]  # per paper, best first


def related_papers(ids: list[str], texts: list[tuple[str, str]],
                   topics: list[set[str]] | None = None, last: dict | None = None,
                   tokens: list[tuple[str, str]] | None = None
                   ) -> dict[str, list[Related]]:
    """Up to MAX_RELATED related papers per id, best first, ties broken by id.

    ``topics`` holds each paper's topics with their areas; sharing one lowers the bar to MIN_SCORE.
    ``last`` keeps the last scoring (memo.py): an edit then scores only the papers it changed.
    ``tokens``: ``tokenize(text)`` of each text, when the caller has them; else they are computed here.
    """
    n = len(ids)
    if n < 2:
        return {pid: [] for pid in ids}
    topics = topics or [set() for _ in ids]
    order = sorted(range(n), key=ids.__getitem__)  # rows in id order: ties between scores go by id
    ids, texts, topics = [ids[i] for i in order], [texts[i] for i in order], [topics[i] for i in order]
    if last is not None and last.get("inputs") == (ids, texts, topics):
        return last["result"]  # an edit of other fields: nothing here changed
    tokens = [tokens[i] for i in order] if tokens is not None else map_items(tokenize, texts)
    terms_, weights, names = _weights(texts, tokens, last)
    previous = last.get("scored") if last is not None else None
    scored = (previous and _rescore(previous, ids, terms_, weights, names, topics)) or \
        _score(ids, terms_, weights, names, topics, keep=last is not None)
    # A row the rescoring kept is the same list as last time: so are its papers (pages compare them).
    result = dict(zip(ids, scored.chosen))
    if last is not None:
        last.update(scored=scored, inputs=(ids, texts, topics), result=result)
    return result


def _weights(texts: list[tuple[str, str]], tokens: list[tuple[str, str]], last: dict | None = None
             ) -> tuple[list[str], sparse.csr_matrix, _Names]:
    """The vocabulary, each paper's KEYWORDS weighted terms (TF-IDF, rows normalised) and the terms' names."""
    n = len(texts)
    changed = _changed_texts(texts, last)
    if changed is None:
        vocab, column, counts, seen = _count_catalog(tokens)
    else:
        (vocab, column, counts), seen = _recount_terms(tokens, changed, last), _rewritten(tokens, changed, last)
    if last is not None:  # the counts, and the texts they are counts of
        last.update(texts=texts, counts=(vocab, column, counts), written=seen)
    df = np.bincount(counts.indices, minlength=len(vocab))
    # Terms in one paper cannot relate two papers; terms in many are boilerplate for this catalog.
    idf = np.where((df > 1) & (df <= max(2, MAX_DF_SHARE * n)), np.log((1 + n) / (1 + df)) + 1, 0)
    weights = _keywords(counts, idf.astype(np.float32))
    norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    weights = sparse.csr_matrix(weights.multiply(1 / norms[:, None]))
    weights.sort_indices()
    return vocab, weights, _display_names(vocab, seen)


def _changed_texts(texts: list[tuple[str, str]], last: dict | None) -> list[int] | None:
    """Where the texts differ from the last build's (``last``, kept by `mkdocs serve`); None when
    there is no last build to start from, or when counting everything again is as cheap."""
    before = last.get("texts") if last is not None else None
    if before is None or len(before) != len(texts):
        return None
    changed = [i for i, (old, new) in enumerate(zip(before, texts)) if old != new]
    return changed if len(changed) <= max(8, RESCORE_SHARE * len(texts)) else None


def _count_catalog(tokens: list[tuple[str, str]]) -> tuple[list[str], dict[str, int], sparse.csr_matrix, Counter]:
    """The vocabulary, sorted, each term's column, how often each paper has each term (papers ×
    terms) and how often each word that counts as a term is written in the catalog.

    Columns go in the order of the terms, not of the papers, so that a term an edit brings in moves
    the later columns without reordering them (``_recount_terms``): every other paper's sums then
    run in the same order. Shares of the papers are counted side by side (worker processes), each
    against a vocabulary of its own; both vocabularies are sorted, so a share's columns become the
    catalog's in the same order, and each row's columns stay sorted.
    """
    size = max(MIN_PER_WORKER, -(-len(tokens) // jobs()))  # a share per process, unless too small to pay
    shares = map_items(lambda start: _count_share(tokens[start:start + size]), range(0, len(tokens), size),
                       per_worker=1)
    vocab = sorted(set().union(*(own for own, _, _ in shares)))
    column = {term: col for col, term in enumerate(vocab)}
    counts = sparse.vstack([_in_columns(share_counts, own, column) for own, share_counts, _ in shares], format="csr")
    written = Counter()
    for *_, share_written in shares:
        written.update(share_written)
    return vocab, column, counts, written


def _count_share(tokens: list[tuple[str, str]]) -> tuple[list[str], sparse.csr_matrix, Counter]:
    """A share of the papers, counted: its vocabulary (sorted), its papers' term counts in the
    columns of that vocabulary, and how often each word is written.

    Paper by paper: a paper's terms are numbered and let go before the next paper's are split.
    Splitting every paper's terms first held them all at once: 650 000 strings at 5 000 papers,
    45 MB and 12 000 page faults, and 10 % more time."""
    numbering = _Numbering()
    number = numbering.__getitem__
    numbers = array("i")  # each paper's terms by number, one paper after the other
    lengths = []
    written = Counter()
    for found, words in tokens:
        row = found.split("\n") if found else ()
        numbers.extend(map(number, row))
        lengths.append(len(row))
        written.update(words.split())
    vocab = sorted(numbering)
    column = np.empty(len(vocab), dtype=np.int64)  # a term's number → its column, in vocabulary order
    column[np.fromiter(map(number, vocab), dtype=np.int64, count=len(vocab))] = np.arange(len(vocab))
    counts = sparse.csr_matrix((np.ones(len(numbers), dtype=np.float32), column[np.array(numbers, dtype=np.int64)],
                                np.cumsum([0, *lengths])), shape=(len(tokens), len(vocab)))
    counts.sum_duplicates()
    return vocab, counts, written


class _Numbering(dict):
    """term → a number, in the order the terms are first met."""

    def __missing__(self, term: str) -> int:
        number = self[term] = len(self)
        return number


def _in_columns(counts: sparse.csr_matrix, terms_: list[str], column: dict[str, int]) -> sparse.csr_matrix:
    """``counts``, whose columns are the terms ``terms_``, in the columns ``column`` gives them."""
    moved = np.fromiter(map(column.__getitem__, terms_), dtype=np.int64, count=len(terms_))
    return sparse.csr_matrix((counts.data, moved[counts.indices], counts.indptr), shape=(counts.shape[0], len(column)))


def _recount_terms(tokens: list[tuple[str, str]], changed: list[int], last: dict
                   ) -> tuple[list[str], dict[str, int], sparse.csr_matrix]:
    """``_count_catalog``'s vocabulary, columns and counts, from the last build's (``last``) and
    the texts that changed: the counts of the other papers are kept."""
    vocab, column, counts = last["counts"]
    rows = [tokens[i][0].split("\n") if tokens[i][0] else [] for i in changed]
    new = sorted({term for row in rows for term in row if term not in column})
    if new:  # terms no paper had: the columns after each move up, in the same order
        moved = np.searchsorted(np.array(new, dtype=object), np.array(vocab, dtype=object)) + np.arange(len(vocab))
        vocab = sorted(vocab + new)
        column = {term: col for col, term in enumerate(vocab)}
        counts = sparse.csr_matrix((counts.data, moved[counts.indices], counts.indptr),
                                   shape=(len(tokens), len(vocab)))
    return vocab, column, _replace_rows(counts, changed, _rows(rows, column, len(vocab)))


def _rows(rows: list[list[str]], column: dict[str, int], width: int) -> sparse.csr_matrix:
    """Term counts of the given papers' terms, columns sorted."""
    cols = np.fromiter(map(column.__getitem__, chain.from_iterable(rows)), dtype=np.int64)
    indptr = np.cumsum([0, *map(len, rows)])
    counts = sparse.csr_matrix((np.ones(len(cols), dtype=np.float32), cols, indptr), shape=(len(rows), width))
    counts.sum_duplicates()
    return counts


def _replace_rows(matrix: sparse.csr_matrix, rows: list[int], new: sparse.csr_matrix) -> sparse.csr_matrix:
    """``matrix`` with its rows ``rows`` replaced by the rows of ``new``, in that order."""
    lengths = np.diff(matrix.indptr)
    replaced = lengths.copy()
    replaced[rows] = np.diff(new.indptr)
    indptr = np.concatenate([[0], np.cumsum(replaced)])
    indices = np.empty(indptr[-1], dtype=matrix.indices.dtype)
    data = np.empty(indptr[-1], dtype=matrix.data.dtype)
    row_of = np.repeat(np.arange(len(lengths)), lengths)
    keep = np.ones(len(lengths), dtype=bool)
    keep[rows] = False
    old = np.flatnonzero(keep[row_of])  # entries of the kept rows, and where they go
    at = indptr[row_of[old]] + (old - matrix.indptr[row_of[old]])
    indices[at], data[at] = matrix.indices[old], matrix.data[old]
    for position, row in enumerate(rows):
        start, end = new.indptr[position], new.indptr[position + 1]
        indices[indptr[row]:indptr[row + 1]] = new.indices[start:end]
        data[indptr[row]:indptr[row + 1]] = new.data[start:end]
    result = sparse.csr_matrix((data, indices, indptr), shape=matrix.shape)
    result.has_sorted_indices = True
    return result


def _rewritten(tokens: list[tuple[str, str]], changed: list[int], last: dict) -> Counter:
    """``_count_catalog``'s written words, from the last build's counts (``last``) corrected for
    the texts that changed."""
    seen = last["written"].copy()
    for i in changed:
        seen.subtract(tokenize(last["texts"][i])[1].split())
        seen.update(tokens[i][1].split())
    return +seen  # without the words no text writes any more


def _score(ids: list[str], terms_: list[str], weights: sparse.csr_matrix, names: _Names,
           topics: list[set[str]], keep: bool) -> Scored:
    """Every paper against every other, a block of rows at a time (side by side in workers)."""
    n = len(ids)
    transposed = weights.T.tocsr()
    size = _block_size(n)
    shared_topics = _TopicMasks(topics)
    paper_ids = np.array(ids, dtype=object)

    def block_pairs(start: int) -> tuple[list[list[Related]], sparse.csr_matrix | None]:
        """The related papers of one block of rows; and the block's candidates when they are kept
        for the next scoring."""
        papers = np.arange(start, min(start + size, n))
        candidates = _above_floor((weights[papers] @ transposed).tocsr(), papers)
        pairs = _best_pairs(*candidates, papers, shared_topics)
        shared = _shared_terms(_common_weights(pairs.papers, pairs.others, weights), names)
        related = _by_paper(_related(pairs, shared, paper_ids), pairs.papers, papers)
        return related, (_matrix(*candidates, (len(papers), n)) if keep else None)

    chosen: list[list[Related]] = []
    blocks = []
    for rows, block in map_items(block_pairs, range(0, n, size), per_worker=1):  # blocks side by side
        chosen += rows
        blocks.append(block)
    candidates = sparse.vstack(blocks, format="csr") if keep else None
    return Scored(ids, terms_, weights, names, topics, candidates, chosen)


def _block_size(n: int) -> int:
    """Rows per block: at most BLOCK, in a number of blocks the worker processes share evenly (5 000
    papers in blocks of 1 024 kept one of two processes busy alone for the fifth block). A row's
    scores do not depend on the rows scored beside it, so neither does the output."""
    workers = jobs()
    blocks = workers * -(-n // (BLOCK * workers))  # the fewest blocks of at most BLOCK rows, a multiple of workers
    return max(1, -(-n // blocks))


def _rescore(last: Scored, ids: list[str], terms_: list[str], weights: sparse.csr_matrix, names: _Names,
             topics: list[set[str]]) -> Scored | None:
    """The scoring of ``weights`` from the last one, scoring again only the papers whose weights or
    topics changed; None when that is not the cheaper way (papers added or removed, a term's shown
    name changed, many papers changed)."""
    n = len(ids)
    if ids != last.ids:
        return None
    remap = None  # old column → new column, when the vocabulary changed
    if terms_ != last.terms:
        column = {term: col for col, term in enumerate(terms_)}
        remap = np.array([column.get(term, -1) for term in last.terms], dtype=np.int64)
    used = np.unique(last.weights.indices)  # the terms that weighed: the only ones shown
    now = used if remap is None else remap[used]
    if (now < 0).any() or names.text[now].tolist() != last.names.text[used].tolist():
        return None
    changed = _changed_rows(last.weights, remap, weights)
    changed |= np.array([a != b for a, b in zip(topics, last.topics)], dtype=bool)
    papers = np.flatnonzero(changed)
    if len(papers) > max(8, RESCORE_SHARE * n):
        return None
    everyone = np.arange(n)
    # Scores with a changed paper, both ways; the pairs of two unchanged papers are as they were.
    rows, cols, scores = _above_floor((weights @ weights[papers].T).tocsr(), everyone, papers)
    against = ~changed[rows]  # a changed paper's own row comes next
    own_rows, own_cols, own_scores = _above_floor((weights[papers] @ weights.T).tocsr(), papers)
    old = last.candidates.tocoo()
    kept = ~(changed[old.row] | changed[old.col])
    candidates = _matrix(np.concatenate([old.row[kept], rows[against], papers[own_rows]]),
                         np.concatenate([old.col[kept], cols[against], own_cols]),
                         np.concatenate([old.data[kept], scores[against], own_scores]), (n, n))
    # Papers whose candidates changed choose again: the changed ones and those scored with them.
    again = changed.copy()
    again[rows] = True
    again[old.row[changed[old.col]]] = True
    redo = np.flatnonzero(again)
    again_rows = candidates[redo]
    pairs = _best_pairs(np.repeat(np.arange(len(redo)), np.diff(again_rows.indptr)), again_rows.indices,
                        again_rows.data, redo, _TopicMasks(topics))
    # Shared terms of two unchanged papers are as they were; the others are found again.
    paper = {pid: i for i, pid in enumerate(ids)}
    known = {(a, rel.id): rel.shared for a, row in enumerate(last.chosen) if not changed[a]
             for rel in row if not changed[paper[rel.id]]}
    paper_ids = np.array(ids, dtype=object)
    shared = [known.get(pair) for pair in zip(pairs.papers.tolist(), paper_ids[pairs.others].tolist())]
    unknown = np.array([i for i, terms_shared in enumerate(shared) if terms_shared is None], dtype=np.int64)
    found = _shared_terms(_common_weights(pairs.papers[unknown], pairs.others[unknown], weights), names)
    for i, terms_shared in zip(unknown.tolist(), found):
        shared[i] = terms_shared
    chosen = list(last.chosen)
    for a, row in zip(redo.tolist(), _by_paper(_related(pairs, shared, paper_ids), pairs.papers, redo)):
        chosen[a] = row
    return Scored(ids, terms_, weights, names, topics, candidates, chosen)


def _changed_rows(old: sparse.csr_matrix, remap: np.ndarray | None, new: sparse.csr_matrix) -> np.ndarray:
    """Rows whose terms or weights differ, or whose terms now come in another column order (a
    score's sum would run in another order, and float sums depend on it)."""
    disordered = np.zeros(old.shape[0], dtype=bool)
    indices = old.indices
    if remap is not None:
        indices = remap[old.indices]
        backwards = np.diff(indices) < 0  # a step back inside a row: its order changed
        ends = old.indptr[1:-1]
        backwards[ends[(ends > 0) & (ends < len(indices))] - 1] = False  # steps between rows
        disordered[np.searchsorted(old.indptr, np.flatnonzero(backwards), side="right") - 1] = True
    old = sparse.csr_matrix((old.data, indices, old.indptr), shape=new.shape)
    old.sort_indices()
    return disordered | (np.diff((old != new).tocsr().indptr) > 0)


def _above_floor(scores: sparse.csr_matrix, row_papers: np.ndarray, col_papers: np.ndarray | None = None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, paper, score) of the scores that can pass the floor, never a paper with itself. Rows
    are ``scores``' rows (the papers ``row_papers``), columns papers (``col_papers``, if not all)."""
    high = np.flatnonzero(scores.data >= MIN_SCORE - 0.00005)  # scores compare rounded to 4 places
    rows = np.searchsorted(scores.indptr, high, side="right") - 1
    cols = scores.indices[high] if col_papers is None else col_papers[scores.indices[high]]
    other = cols != row_papers[rows]
    return rows[other], cols[other], scores.data[high[other]]


def _matrix(rows: np.ndarray, cols: np.ndarray, scores: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    """Scores as a sparse matrix, each row's columns in order: ties between equal scores go by id."""
    matrix = sparse.csr_matrix((scores, (rows, cols)), shape=shape)
    matrix.sort_indices()
    return matrix


def _common_weights(papers: np.ndarray, others: np.ndarray, weights: sparse.csr_matrix) -> sparse.csr_matrix:
    """Per pair of papers, what each term weighs in both: one sparse product for all of them."""
    return weights[papers].multiply(weights[others]).tocsr()


def _related(pairs: _Pairs, shared: list[tuple[str, ...]], paper_ids: np.ndarray) -> list[Related]:
    """The pairs as the related papers pages show, with their shared terms."""
    return list(map(Related, paper_ids[pairs.others].tolist(), pairs.scores.tolist(), shared, pairs.topics))


def _by_paper(related: list[Related], rows: np.ndarray, papers: np.ndarray) -> list[list[Related]]:
    """``related``, in order of their papers ``rows`` (ascending), as one list per paper of ``papers``."""
    starts = np.searchsorted(rows, papers).tolist()
    ends = np.searchsorted(rows, papers, side="right").tolist()
    return [related[start:end] for start, end in zip(starts, ends)]


def _top_per_row(matrix: sparse.csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions in ``matrix.data`` of each row's k largest values (ties: lower column first), and
    their rows. The values are float32s, none negative (weights, and products of weights)."""
    matrix.sort_indices()  # ties then come in column order, and a stable sort keeps it
    counts = np.diff(matrix.indptr)
    row_of = np.repeat(np.arange(matrix.shape[0]), counts)
    # By row, largest first, in one sort of one key (a lexsort by row, value and column cost 5 times
    # as much): a float32 that is not negative orders as its bits do, read as an unsigned integer.
    descending = np.uint32(0xFFFFFFFF) - matrix.data.view(np.uint32)
    order = np.argsort((row_of.astype(np.uint64) << np.uint64(32)) | descending, kind="stable")
    position = np.arange(len(order)) - np.repeat(matrix.indptr[:-1], counts)
    keep = order[position < k]
    return keep, row_of[keep]


def _keywords(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Each paper's KEYWORDS heaviest terms, weighted by TF-IDF: what it is about, and what keeps
    the product sparse.

    The similarity product costs the sum over terms of (papers having it)²; keeping only the terms
    that set a paper apart bounds that cost without changing which papers are most alike.
    """
    tf = 1 + np.log(counts.data)  # sublinear: a word said ten times is not ten times the subject
    weights = sparse.csr_matrix((tf * idf[counts.indices], counts.indices.copy(), counts.indptr.copy()),
                                shape=counts.shape)  # copies: the counts stay as they are, for `mkdocs serve`
    weights.eliminate_zeros()
    keep, rows = _top_per_row(weights, KEYWORDS)
    keep.sort()  # back to the order of rows and columns
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=weights.shape[0]))])
    return sparse.csr_matrix((weights.data[keep], weights.indices[keep], indptr), shape=weights.shape)


class _Pairs(NamedTuple):
    """Related papers, in order of their papers, each paper's best first."""

    papers: np.ndarray
    others: np.ndarray  # the related papers
    scores: np.ndarray
    topics: list[tuple[str, ...]]  # the topics they share, sorted


def _best_pairs(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, papers: np.ndarray, topics: _TopicMasks
                ) -> _Pairs:
    """Up to MAX_RELATED related papers of each of ``papers`` (ascending), best first, ties by id.

    The candidates (``_above_floor``) are (row, column, score), rows ascending, a row per paper and
    a column per paper of the catalog. Papers are numbered in id order, so "ties by lower column"
    is "ties by id". No Python loop runs over the candidates.
    """
    width = len(topics.masks)  # the catalog's papers
    # The best few candidates of every row; only they are tested for topics.
    likely = _likely_best(rows, values, len(papers), 4 * MAX_RELATED)
    ranked = likely[_ranked(rows[likely], cols[likely], values[likely], width)]
    best = ranked[_first_per_row(rows[ranked], 4 * MAX_RELATED)]
    rows, cols = rows[best], cols[best]
    scores = np.round(values[best].astype(np.float64), 4)
    shown = _ranked(rows, cols, scores, width)  # shown order: rounded score, then id
    rows, cols, scores = papers[rows[shown]], cols[shown], scores[shown]
    common = topics.masks[rows] & topics.masks[cols]
    passing = (scores >= MIN_SCORE) & ((common != 0) | (scores >= MIN_SCORE_ACROSS))
    rows, cols, scores, common = rows[passing], cols[passing], scores[passing], common[passing]
    chosen = _first_per_row(rows, MAX_RELATED)
    return _Pairs(rows[chosen], cols[chosen], scores[chosen], topics.names_of(common[chosen]))


BINS = 256  # of a row's scores, to find its best few without sorting them all


def _likely_best(rows: np.ndarray, scores: np.ndarray, count: int, k: int) -> np.ndarray:
    """Positions of the scores that may be among their row's k best: those in the row's top bins
    (of BINS in [0, 1]) that hold k of them, found in linear time by a histogram per row. A row
    has hundreds of candidates for its few places; the few in the lowest of those bins that do not
    make it are sorted out after (``_ranked``)."""
    bins = np.minimum((scores * BINS).astype(np.int64), BINS - 1)  # a rounding error above 1: the top bin
    counts = np.bincount(rows * BINS + bins, minlength=count * BINS).reshape(count, BINS)
    at_least = np.cumsum(counts[:, ::-1], axis=1)  # per row: how many scores lie in each bin or a higher one
    lowest = np.where(at_least[:, -1] >= k, BINS - 1 - np.argmax(at_least >= k, axis=1), 0)
    return np.flatnonzero(bins >= lowest[rows])


def _ranked(rows: np.ndarray, cols: np.ndarray, scores: np.ndarray, width: int) -> np.ndarray:
    """The order of (row, column, score)s, rows ascending, by row, highest score first, ties by
    lower column (``width``: the number of columns). Two stable sorts of one key each, on items
    that come nearly in order, cost a fifth of a lexsort: by row and column, then by row and score
    (rows are whole numbers and scores lie in [0.1, 1.1), so each row's keys keep to an interval
    of their own)."""
    by_column = np.argsort(rows.astype(np.int64) * width + cols, kind="stable")
    return by_column[np.argsort(rows[by_column] - scores[by_column].astype(np.float64), kind="stable")]


def _first_per_row(rows: np.ndarray, k: int) -> np.ndarray:
    """Which items are among the first k of their row (rows ascending)."""
    return np.arange(len(rows)) - np.searchsorted(rows, rows) < k


class _TopicMasks:
    """Papers' topics (and areas) as bit masks, a bit per topic in sorted order: whether two papers
    share one is an ``&`` for whole arrays of pairs, and the bits set name the shared ones sorted."""

    def __init__(self, topics: list[set[str]]):
        self.topics = sorted(set().union(*topics))
        bit = {topic: 1 << i for i, topic in enumerate(self.topics)}
        self.masks = np.array([sum(map(bit.__getitem__, paper)) for paper in topics], dtype=object)

    def names_of(self, masks: np.ndarray) -> list[tuple[str, ...]]:
        """The topics of each mask, sorted (a mask's tuple is made once)."""
        found: dict[int, tuple[str, ...]] = {}
        return [found[mask] if mask in found else found.setdefault(mask, self._names(mask)) for mask in masks.tolist()]

    def _names(self, mask: int) -> tuple[str, ...]:
        return tuple(topic for i, topic in enumerate(self.topics) if mask >> i & 1)


class _Names(NamedTuple):
    """How terms are shown: each term's name, the words papers write; and, for ``_shared_terms`` to
    hide a phrase's words, a number per word's name (-1 for a phrase) and, for a phrase, the numbers
    of its two words (-2 for a word no term is named; -1 for a term that is no phrase)."""

    text: np.ndarray  # of str
    word: np.ndarray
    parts: np.ndarray  # terms × 2


def _display_names(vocab: list[str], seen: Counter) -> _Names:
    """Show each stem as the word papers actually write most ("bias", not "bia")."""
    best: dict[str, str] = {}
    for word, count in sorted(seen.items(), key=lambda item: (-item[1], item[0])):
        best.setdefault(_TERMS[word], word)
    text = list(map(best.get, vocab, vocab))  # a word's name; a phrase is named below
    number = {name: col for col, name in enumerate(text) if " " not in name}  # a number per word's name
    word = np.array([number.get(name, -1) for name in text], dtype=np.int32)
    parts = np.full((len(vocab), 2), -1, dtype=np.int32)
    phrases = [col for col, name in enumerate(text) if " " in name]
    words_of = [term.split(" ") for term in map(vocab.__getitem__, phrases)]  # two stems each
    for col, (first, second) in zip(phrases, words_of):
        text[col] = f"{best.get(first, first)} {best.get(second, second)}"
    if phrases:  # a small catalog may have none (numpy cannot assign an empty list to its rows)
        parts[phrases] = [(number.get(best.get(first, first), -2), number.get(best.get(second, second), -2))
                          for first, second in words_of]
    names = np.empty(len(vocab), dtype=object)
    names[:] = text
    return _Names(names, word, parts)


def _shared_terms(common: sparse.csr_matrix, names: _Names) -> list[tuple[str, ...]]:
    """Per pair, the terms that weigh most in both papers; a phrase hides the words it contains.

    The terms are taken heaviest first: a phrase is always kept, a word is dropped once a phrase
    that has it is taken (and never kept after it), and the taking stops when SHARED_TERMS are
    kept. So each term counts from its step until the step of the first phrase that has it, and
    the step where the taking stops follows from counts: for all pairs at once, in arrays of pairs
    × candidates, with no Python loop over terms.
    """
    width = 3 * SHARED_TERMS
    keep, rows = _top_per_row(common, width)
    pairs = common.shape[0]
    cols = np.full((pairs, width), -1, dtype=np.int32)  # each pair's candidates, heaviest first; -1: none
    cols[rows, np.arange(len(rows)) - np.searchsorted(rows, rows)] = common.indices[keep]
    present = cols >= 0
    word = np.where(present, names.word[cols], -1)[:, :, None]
    parts = np.where(present[:, :, None], names.parts[cols], -1)
    # has[pair, j, k]: the candidate at k is a phrase that has the word at j (numbers of words are not negative)
    has = ((parts[:, None, :, 0] == word) | (parts[:, None, :, 1] == word)) & (word >= 0)
    dropped = np.concatenate([has, np.ones((pairs, width, 1), dtype=bool)], axis=2).argmax(axis=2)  # width: never
    steps = np.arange(width)
    until = np.where(parts[:, :, 0] != -1, width, np.maximum(steps, dropped))  # counted from its step until this one
    ends = np.bincount((np.arange(pairs)[:, None] * (width + 1) + until)[present], minlength=pairs * (width + 1))
    counted = np.cumsum(present, axis=1) - np.cumsum(ends.reshape(pairs, width + 1)[:, :width], axis=1)
    enough = counted == SHARED_TERMS
    last = np.where(enough.any(axis=1), enough.argmax(axis=1), width - 1)[:, None]
    final = present & (steps <= last) & (until > last)
    shown = names.text[cols[final]].tolist()
    ends = np.cumsum(final.sum(axis=1)).tolist()
    return [tuple(shown[start:end]) for start, end in zip([0, *ends], ends)]
