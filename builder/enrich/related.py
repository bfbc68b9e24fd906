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
from itertools import chain, compress
from typing import NamedTuple

import numpy as np
from scipy import sparse

from ..parallel import MIN_PER_WORKER, jobs, map_items

MAX_RELATED = 5
MIN_SCORE = 0.12  # below this cosine, papers share words but not a subject
MIN_SCORE_ACROSS = 0.2  # papers without a common topic must be this similar
MAX_DF_SHARE = 0.2  # terms in more than this share of papers say nothing about the subject
TITLE_WEIGHT = 2
BLOCK = 1024  # rows scored at once, at most: bounds the memory of one product
SHARED_TERMS = 5
KEYWORDS = 40  # terms kept per paper
RESCORE_SHARE = 0.1  # an edit that changes more papers' weights than this share: all are scored again

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
_LINK_MARK = re.compile(r"://|www\.|\.(?:com|org|io|net|science|co|ai)/")


class Related(NamedTuple):  # a tuple: ~25 000 per 5 000 papers, made 2.5 times as fast as a frozen dataclass
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


class _Terms(dict):
    """word → the term it counts as: its stem, or "" for stop words and very short words (memoised)."""

    def __missing__(self, word: str) -> str:
        term = self[word] = "" if word in STOP_WORDS or len(word) < 3 else _stem(word)
        return term


_TERMS = _Terms()


def _without_links(text: str) -> str:
    """The text with every link blanked out: a link's words (github, an owner's name) are not a subject."""
    if "/" not in text and "www." not in text:  # each link mark has one: two quick tests, no regex search
        return text
    start = 0
    # A mark holds no space, so none runs across a cut: the next is after the text already searched.
    while mark := _LINK_MARK.search(text, start):
        start = max(text.rfind(" ", 0, mark.start()), text.rfind("\n", 0, mark.start())) + 1
        end = min((i for i in (text.find(" ", mark.end()), text.find("\n", mark.end())) if i >= 0), default=len(text))
        text = text[:start] + text[end:]
    return text


def terms(title: str, abstract: str, seen: list[str] | None = None) -> list[str]:
    """Words and adjacent word pairs (stop words break a pair) of a paper; the title counts twice.

    ``seen`` collects the words as written that count as terms, to show a stem as the word papers
    use most (a stop word is never shown).
    """
    out: list[str] = []
    for part, weight in ((title, TITLE_WEIGHT), (abstract, 1)):
        words = _TOKEN.findall(_without_links(part.lower()))
        stems = list(map(_TERMS.__getitem__, words))  # "" for a stop word: it breaks a pair
        if seen is not None:
            seen += compress(words, stems)
        found = list(filter(None, stems))
        found += [f"{a} {b}" for a, b in zip(stems, stems[1:]) if a and b]
        out += found * weight
    return out


def tokenize(text: tuple[str, str]) -> tuple[str, str]:
    """A paper's terms ("\n"-separated) and its words as written that count as terms (" "-separated),
    from its (title, abstract): two strings are quick to pickle back from a worker process, lists of
    hundreds of strings are not. A caller with other per-paper work may compute them beside it
    (``tokens``)."""
    seen: list[str] = []
    return "\n".join(terms(*text, seen)), " ".join(seen)


@dataclass
class Scored:
    """One scoring of the catalog, kept by `mkdocs serve` (memo.py) so that the next one, after an
    edit, scores again only the papers whose term weights changed: a pair of unchanged papers has
    the same score, bit for bit, since its sum runs over the same terms in the same order."""

    ids: list[str]
    terms: list[str]  # the vocabulary, in column order
    weights: sparse.csr_matrix  # papers × terms, rows normalised, columns sorted
    names: np.ndarray
    topics: list[set[str]]
    candidates: sparse.csr_matrix  # papers × papers: every score that can pass the floor
    chosen: list[list[tuple]]  # per paper: (other, score, shared topics, shared terms), best first


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
    before = previous.chosen if previous else []
    result = {pid: last["result"][pid] if i < len(before) and row is before[i] else
              [Related(ids[b], score, shared, common) for b, score, common, shared in row]
              for i, (pid, row) in enumerate(zip(ids, scored.chosen))}
    if last is not None:
        last.update(scored=scored, inputs=(ids, texts, topics), result=result)
    return result


def _weights(texts: list[tuple[str, str]], tokens: list[tuple[str, str]], last: dict | None = None
             ) -> tuple[list[str], sparse.csr_matrix, np.ndarray]:
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
    tf = counts.copy()
    tf.data = 1 + np.log(tf.data)  # sublinear: a word said ten times is not ten times the subject
    weights = _keywords(sparse.csr_matrix(tf.multiply(idf.astype(np.float32))))
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
    columns of that vocabulary, and how often each word is written."""
    rows = [found.split("\n") if found else [] for found, _ in tokens]
    vocab = sorted(set().union(*rows))
    counts = _rows(rows, {term: col for col, term in enumerate(vocab)}, len(vocab))
    written = Counter()
    for _, words in tokens:
        written.update(words.split())
    return vocab, counts, written


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


def _score(ids: list[str], terms_: list[str], weights: sparse.csr_matrix, names: np.ndarray,
           topics: list[set[str]], keep: bool) -> Scored:
    """Every paper against every other, a block of rows at a time (side by side in workers)."""
    n = len(ids)
    transposed = weights.T.tocsr()
    size = _block_size(n)

    def block_pairs(start: int) -> tuple[list, sparse.csr_matrix | None]:
        """The chosen pairs of one block of rows, with their shared topics and terms; and the
        block's candidates when they are kept for the next scoring."""
        papers = np.arange(start, min(start + size, n))
        rows, cols, scores = _above_floor((weights[papers] @ transposed).tocsr(), papers)
        block = _matrix(rows, cols, scores, (len(papers), n))
        pairs = _best_pairs(block, papers, topics)
        return _with_shared_terms(pairs, weights, names), (block if keep else None)

    chosen: list[list[tuple]] = [[] for _ in ids]
    blocks = []
    for pairs, block in map_items(block_pairs, range(0, n, size), per_worker=1):  # blocks side by side
        blocks.append(block)
        for a, b, score, common, shared in pairs:
            chosen[a].append((b, score, common, shared))
    candidates = sparse.vstack(blocks, format="csr") if keep else None
    return Scored(ids, terms_, weights, names, topics, candidates, chosen)


def _block_size(n: int) -> int:
    """Rows per block: at most BLOCK, in a number of blocks the worker processes share evenly (5 000
    papers in blocks of 1 024 kept one of two processes busy alone for the fifth block). A row's
    scores do not depend on the rows scored beside it, so neither does the output."""
    workers = jobs()
    blocks = workers * -(-n // (BLOCK * workers))  # the fewest blocks of at most BLOCK rows, a multiple of workers
    return max(1, -(-n // blocks))


def _rescore(last: Scored, ids: list[str], terms_: list[str], weights: sparse.csr_matrix, names: np.ndarray,
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
    if (now < 0).any() or names[now].tolist() != last.names[used].tolist():
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
    pairs = _best_pairs(candidates[redo], redo, topics)
    known = {(a, b): shared for a, row in enumerate(last.chosen) if not changed[a]
             for b, _, _, shared in row if not changed[b]}
    unknown = [pair for pair in pairs if (pair[0], pair[1]) not in known]
    shared = {(a, b): terms_shared for a, b, _, _, terms_shared in _with_shared_terms(unknown, weights, names)}
    chosen = [[] if again[a] else row for a, row in enumerate(last.chosen)]
    for a, b, score, common in pairs:
        chosen[a].append((b, score, common, known[a, b] if (a, b) in known else shared[a, b]))
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
    row_of = np.repeat(np.arange(scores.shape[0]), np.diff(scores.indptr))
    cols = scores.indices if col_papers is None else col_papers[scores.indices]
    keep = (scores.data >= MIN_SCORE - 0.00005) & (cols != row_papers[row_of])  # scores compare rounded to 4 places
    return row_of[keep], cols[keep], scores.data[keep]


def _matrix(rows: np.ndarray, cols: np.ndarray, scores: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    """Scores as a sparse matrix, each row's columns in order: ties between equal scores go by id."""
    matrix = sparse.csr_matrix((scores, (rows, cols)), shape=shape)
    matrix.sort_indices()
    return matrix


def _with_shared_terms(pairs: list[tuple], weights: sparse.csr_matrix, names: np.ndarray) -> list[tuple]:
    """The pairs, each with its shared terms, from one sparse product for all of them."""
    common = weights[[a for a, *_ in pairs]].multiply(weights[[b for _, b, *_ in pairs]]).tocsr()
    return [(*pair, shared) for pair, shared in zip(pairs, _shared_terms(common, names))]


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


def _keywords(weights: sparse.csr_matrix) -> sparse.csr_matrix:
    """Each paper's KEYWORDS heaviest terms: what it is about, and what keeps the product sparse.

    The similarity product costs the sum over terms of (papers having it)²; keeping only the terms
    that set a paper apart bounds that cost without changing which papers are most alike.
    """
    weights.eliminate_zeros()
    keep, rows = _top_per_row(weights, KEYWORDS)
    return sparse.csr_matrix((weights.data[keep], (rows, weights.indices[keep])), shape=weights.shape)


def _best_pairs(block: sparse.csr_matrix, papers: np.ndarray, topics: list[set[str]]):
    """Each row's related papers as (paper, other, score, shared topics), best first, ties by id.

    ``block`` holds the candidates (``_above_floor``) of the rows ``papers``, columns sorted.
    Papers are numbered in id order, so "ties by lower column" is "ties by id". The block stays
    sparse: only scores that can pass the floor are sorted, never a dense row of the whole catalog.
    """
    counts = np.diff(block.indptr)
    rows, cols, values = np.repeat(np.arange(block.shape[0]), counts), block.indices, block.data
    # The best few candidates of every row at once; only they reach Python, for the topic test.
    # One sort for "by row, best first": rows are whole numbers and scores lie in (0, 1].
    order = np.argsort(rows - values.astype(np.float64), kind="stable")
    rows, cols, values = rows[order], cols[order], values[order]
    first = np.searchsorted(rows, rows)  # where each row's run starts
    best = np.arange(len(rows)) - first < 4 * MAX_RELATED
    rows, cols = rows[best], cols[best]
    scores = np.round(values[best].astype(np.float64), 4)
    order = np.lexsort((cols, -scores, rows))  # shown order: rounded score, then id
    pairs = []
    chosen = np.zeros(block.shape[0], dtype=np.int64)
    for offset, other, score in zip(rows[order].tolist(), cols[order].tolist(), scores[order].tolist()):
        if chosen[offset] == MAX_RELATED or score < MIN_SCORE:
            continue
        row = int(papers[offset])
        common = tuple(sorted(topics[row] & topics[other]))
        if common or score >= MIN_SCORE_ACROSS:
            pairs.append((row, other, score, common))
            chosen[offset] += 1
    return pairs


def _display_names(vocab: list[str], seen: Counter) -> np.ndarray:
    """Show each stem as the word papers actually write most ("bias", not "bia")."""
    best: dict[str, str] = {}
    for word, count in sorted(seen.items(), key=lambda item: (-item[1], item[0])):
        best.setdefault(_TERMS[word], word)
    names = np.empty(len(vocab), dtype=object)
    names[:] = [" ".join(best.get(part, part) for part in term.split(" ")) for term in vocab]
    return names


def _shared_terms(common: sparse.csr_matrix, names: np.ndarray) -> list[tuple[str, ...]]:
    """Per pair, the terms that weigh most in both papers; a phrase hides the words it contains."""
    keep, rows = _top_per_row(common, 3 * SHARED_TERMS)
    candidates: list[list[str]] = [[] for _ in range(common.shape[0])]
    for row, term in zip(rows.tolist(), names[common.indices[keep]].tolist()):
        candidates[row].append(term)
    result = []
    for terms_ in candidates:
        picked: list[str] = []
        covered: set[str] = set()  # the words of the phrases picked
        for term in terms_:
            if term in covered:
                continue
            if " " in term:
                words = term.split(" ")
                picked = [p for p in picked if p not in words]
                covered.update(words)
            picked.append(term)
            if len(picked) == SHARED_TERMS:
                break
        result.append(tuple(picked))
    return result
