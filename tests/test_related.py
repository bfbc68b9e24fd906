"""Related papers: papers on one subject find each other, boilerplate relates nothing, and it scales."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.build import load_catalog
from builder.enrich.related import related_papers
from builder.enrich.terms import _TERMS, _TOKEN, STOP_WORDS, TITLE_WEIGHT, _without_links, terms
from builder.layout import Layout

REPO = Path(__file__).resolve().parent.parent

# Papers in the sample that clearly share a subject (issue 3).
SAME_SUBJECT = {
    "weather forecasting": ["puyun-medium-range-global-weather-forecasting-using-large-kernel-attention",
                            "towards-an-end-to-end-artificial-intelligence-driven-global-weather-forecasting"],
    "mixture of experts": ["comet-learning-cardinality-constrained-mixture-of-experts-with-trees-and-local",
                           "is-temperature-sample-efficient-for-softmax-gaussian-mixture-of-experts",
                           "read-me-refactorizing-llms-as-router-decoupled-mixture-of-experts-with-system-co"],
    "low-rank / parameter-efficient fine-tuning": [
        "computational-limits-of-low-rank-adaptation-lora-for-transformer-based-models",
        "corda-context-oriented-decomposition-adaptation-of-large-language-models",
        "dsee-dually-sparsity-embedded-efficient-tuning-of-pre-trained-language-models",
        "winner-take-all-column-row-sampling-for-memory-efficient-adaptation-of-language"],
    "learning to rank": ["hard-negatives-or-false-negatives-correcting-pooling-bias-in-training-neural",
                         "unbiased-learning-to-rank-with-unbiased-propensity-estimation"],
    "bilevel optimisation": ["bilevel-optimization-under-unbounded-smoothness-a-new-algorithm-and-convergence",
                             "blockwise-stochastic-variance-reduced-methods-with-parallel-speedup-for-multi"],
    "diffusion sampling": ["dc-solver-improving-predictor-corrector-diffusion-sampler-via-dynamic",
                           "an-overview-of-diffusion-models-applications-guided-generation-statistical-rates"],
}
BOILERPLATE = ("We propose a novel framework. Extensive experiments demonstrate state-of-the-art performance "
               "and significant improvements over existing methods on several benchmarks.")


@pytest.fixture(scope="module")
def papers():
    return {p.id: p for p in load_catalog(Layout(REPO)).papers}


@pytest.mark.parametrize("subject", sorted(SAME_SUBJECT))
def test_papers_on_one_subject_are_related_or_share_a_topic(papers, subject):
    ids = SAME_SUBJECT[subject]
    for a in ids:
        for b in ids:
            if a != b:
                related = {r.id for r in papers[a].related}
                assert b in related or set(papers[a].topic_ids) & set(papers[b].topic_ids), (a, b)


def test_the_weather_papers_are_each_others_first_related_paper(papers):
    puyun, adas = SAME_SUBJECT["weather forecasting"]
    assert papers[puyun].related[0].id == adas and papers[adas].related[0].id == puyun
    assert "weather forecasting" in papers[puyun].related[0].shared


def test_shared_terms_are_never_boilerplate(papers):
    for paper in papers.values():
        for rel in paper.related:
            words = {w for term in rel.shared for w in term.split()}
            assert not words & STOP_WORDS, (paper.id, rel.id, rel.shared)


def test_boilerplate_alone_relates_nothing():
    subjects = ["graph neural networks for molecules", "speech recognition with transducers",
                "protein folding with attention", "robot grasping from pixels",
                "bandit regret under delays", "weather nowcasting from radar"]
    texts = [(f"{s.title()}", f"{BOILERPLATE} This paper is about {s}.") for s in subjects]
    result = related_papers([f"p{i}" for i in range(len(texts))], texts)
    assert all(found == [] for found in result.values()), result


def test_a_shared_subject_relates_despite_different_wording():
    texts = [("Sparse Mixture of Experts Routing", "Experts gating router load balancing. " + BOILERPLATE),
             ("Expert Routing at Scale", "A router sends tokens to experts with gating. " + BOILERPLATE),
             ("Weather Nowcasting", "Radar precipitation nowcasting. " + BOILERPLATE)]
    result = related_papers(["a", "b", "c"], texts)
    assert [r.id for r in result["a"]] == ["b"] and result["c"] == []


# Few words, so that small catalogs share some: stop words, words too short to count, a hyphenated
# word, a number, a link.
FEW_WORDS = ["we", "propose", "a", "model", "of", "sparse", "attention", "kernels", "go", "x2",
             "graph-based", "diffusion", "2025", "https://github.com/a/b", "the", "on", "long", "sequences"]
SENTENCE = st.lists(st.sampled_from(FEW_WORDS), max_size=12).map(" ".join)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(SENTENCE, SENTENCE), min_size=1, max_size=6), st.booleans())
def test_any_small_catalog_gets_well_formed_related_papers(texts, preview):
    """Catalogs of a few short texts: none at all shared, no two-word term, the same text twice…"""
    ids = [f"p{i}" for i in range(len(texts))]
    result = related_papers(ids, texts, last={} if preview else None)
    assert sorted(result) == ids
    for pid, found in result.items():
        assert len(found) <= 5 and pid not in [r.id for r in found]
        assert all(0 < r.score <= 1.0001 and r.id in result for r in found)
        assert [r.score for r in found] == sorted((r.score for r in found), reverse=True)


def test_related_papers_scale_without_a_python_loop_over_pairs(papers):
    # 4 000 papers recombined from the sample's sentences; 20 000 take about a tenth of the
    # minute allowed (python tests/bench_related.py 20000).
    from bench_related import synthetic_corpus

    ids, texts = synthetic_corpus(list(papers.values()), 4000)
    start = time.perf_counter()
    result = related_papers(ids, texts)
    seconds = time.perf_counter() - start
    print(f"\nrelated papers for {len(ids)} synthetic papers: {seconds:.1f} s")
    assert len(result) == 4000 and seconds < 15


@pytest.mark.parametrize("edit", ["new word", "same words, other weights", "title in abstract", "shorter abstract",
                                  "new title", "other topics", "no text change"])
def test_a_preview_scores_again_only_what_an_edit_changed_and_gets_what_a_fresh_build_gets(papers, monkeypatch, edit):
    """`mkdocs serve` keeps the last scoring (``last``): after an edit, the pairs of papers whose
    term weights did not change are kept, and the result equals a fresh scoring's exactly."""
    from bench_related import synthetic_corpus

    from builder.enrich import related

    ids, texts = synthetic_corpus(list(papers.values()), 1200)
    topics = [{"vision"} if i % 3 else {"language"} for i in range(len(ids))]
    last: dict = {}
    related_papers(ids, texts, topics, last=last)
    i = 600
    title, abstract = texts[i]
    if edit == "new word":  # a word no other paper has: it weighs nothing, so no other paper changes
        texts[i] = (title, abstract + " Platypusological.")
    elif edit == "same words, other weights":  # only this paper's weights change: no other paper's terms did
        texts[i] = (title, f"{abstract} {abstract}")
    elif edit == "title in abstract":
        texts[i] = (title, f"{abstract} {title}.")
    elif edit == "shorter abstract":
        texts[i] = (title, abstract[: len(abstract) // 2])
    elif edit == "new title":
        texts[i] = (texts[17][0], abstract)
    elif edit == "other topics":
        topics[i] = {"robotics"}
    full = related_papers(ids, texts, topics)

    scored_everything = []
    score = related._score
    monkeypatch.setattr(related, "_score", lambda *args, **kw: scored_everything.append(1) or score(*args, **kw))
    monkeypatch.setattr(related, "RESCORE_SHARE", 1.0)  # rescore however many papers changed
    assert related_papers(ids, texts, topics, last=last) == full
    assert not scored_everything


def test_a_preview_follows_an_edit_that_moves_a_paper_from_one_subject_to_another(monkeypatch):
    """The edited paper leaves one neighbour (their score falls below the floor) for another (it
    rises above): both neighbours' lists change, though nothing of theirs did."""
    from builder.enrich import related

    fillers = ["lorem ipsum dolor", "sit amet consectetur", "adipiscing elit sed", "eiusmod tempor incididunt",
               "labore dolore magna", "aliqua enim minim", "veniam quis nostrud", "exercitation ullamco laboris",
               "nisi aliquip commodo", "consequat duis aute", "irure reprehenderit voluptate", "velit esse cillum"]
    quantum, protein = "quantum annealing circuits", "protein folding dynamics"
    texts = [(f"Filler {i}", f"{words} and {words}") for i, words in enumerate(fillers) for _ in range(2)]
    texts += [("Quantum annealing", f"{quantum} and {quantum}"), ("Protein folding", f"{protein} and {protein}")]
    ids = [f"p{i:02d}" for i in range(len(texts) + 1)]

    def mixed(heavy: str, light: str) -> tuple[str, str]:  # the same terms ("and" ends a phrase), other weights
        return "Mixed", " and ".join([heavy] * 5000 + [light])

    last: dict = {}
    before = related_papers(ids, [*texts, mixed(quantum, protein)], last=last)
    assert [r.id for r in before["p24"]] == ["p26"] and before["p25"] == []
    fresh = related_papers(ids, [*texts, mixed(protein, quantum)])
    monkeypatch.setattr(related, "_score", lambda *args, **kw: pytest.fail("scored everything"))
    after = related_papers(ids, [*texts, mixed(protein, quantum)], last=last)
    assert after["p24"] == [] and [r.id for r in after["p25"]] == ["p26"]
    assert after == fresh


def test_a_preview_names_shared_terms_by_the_words_papers_write_after_an_edit():
    """A stem is shown as the word papers write most: when an edit takes a paper's many "galaxies"
    away, the preview's kept word counts must follow, or it keeps showing the word no one writes."""
    fillers = ["lorem ipsum dolor", "sit amet consectetur", "adipiscing elit sed", "eiusmod tempor incididunt",
               "labore dolore magna", "aliqua enim minim", "veniam quis nostrud", "exercitation ullamco laboris",
               "nisi aliquip commodo", "consequat duis aute", "irure reprehenderit voluptate", "velit esse cillum"]
    texts = [(f"Filler {i}", f"{words} and {words}") for i, words in enumerate(fillers) for _ in range(2)]
    texts += [("Galaxy clustering", "the galaxy is clustered, the galaxy is small"),
              ("Galaxy study", "a galaxy is studied, a galaxy is large")]
    ids = [f"p{i:02d}" for i in range(len(texts) + 1)]
    many = ("Galaxies", " ".join(["galaxies"] * 12) + " telescope")
    edited = ("Telescopes", "telescope optics and telescope lenses")

    last: dict = {}
    before = related_papers(ids, [*texts, many], last=last)
    assert [r.shared for r in before["p24"]] == [("galaxies",), ("galaxies",)]  # 13 "galaxies", 6 "galaxy"
    after = related_papers(ids, [*texts, edited], last=last)
    assert after == related_papers(ids, [*texts, edited])
    assert [r.shared for r in after["p24"]] == [("galaxy",)]


@pytest.mark.parametrize("link", ["https://github.com/owner/repo", "www.owner.io", "owner.org/repo", "ftp://owner"])
def test_a_link_gives_no_terms(link):
    assert terms("", f"Sparse routing, see {link}\nand/or gating.") == \
        ["sparse", "routing", "see", "gating", "sparse routing", "routing see"]


def _terms_by_regex(title: str, abstract: str) -> tuple[list[str], list[str]]:
    """terms() as the token pattern defines it, a word at a time (the tokenizer cuts chunks at C speed)."""
    out, seen = [], []
    for part, weight in ((title, TITLE_WEIGHT), (abstract, 1)):
        words = _TOKEN.findall(_without_links(part.lower()))
        stems = [_TERMS[word] for word in words]
        seen += [word for word, stem in zip(words, stems) if stem]
        out += ([stem for stem in stems if stem] + [f"{a} {b}" for a, b in zip(stems, stems[1:]) if a and b]) * weight
    return out, seen


# Characters that end, join, split or hide words: digits, hyphens, single letters, punctuation,
# letters whose lower case is ASCII (the Kelvin sign) or longer (İ), non-ASCII letters and spaces.
WORDISH = st.lists(st.one_of(st.sampled_from(["a", "ab", "-", "--", "1", "10th", "r-cnn", "models", "studies",
                                              "the", " ", "\n", "\t", ".", "/", "://", "www.", "x.com/",
                                              "\u212a", "\u0130", "é", "\u00a0", "\ud800", "_", "'s"]),
                             st.characters()), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(WORDISH, WORDISH)
def test_terms_are_the_words_of_the_token_pattern(title, abstract):
    seen: list[str] = []
    assert (terms(title, abstract, seen), seen) == _terms_by_regex(title, abstract)
